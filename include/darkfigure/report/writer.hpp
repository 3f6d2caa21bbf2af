#pragma once

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "darkfigure/report/result.hpp"

namespace darkfigure::report {

/// The output formats of `darkfigure run --format`.
enum class Format { Table, Csv, Markdown, Json, Latex };

/// The format called `name` ("table", "csv", "md", "json", "latex"), or nullopt.
std::optional<Format> parse_format(std::string_view name);

/// The file name extension of a format, without the dot ("txt", "csv", "md", "json", "tex").
std::string_view file_extension(Format format);

/// Renders results in a format:
/// - Table: an aligned terminal table per scenario with mean, MCSE, sd, the quantiles and a
///   display column "estimate (95% UI lo-hi)", followed by a line per output with non-finite draws;
/// - Csv: one row per scenario and output, numbers in shortest round-trip form;
/// - Markdown: a pipe table per scenario with a heading;
/// - Json: the document of DESIGN.md section 3 (contract), with each output's "share" flag and
///   "quantile_mcse" (when estimated), each scenario's "sha256" and the provenance's "samplers";
/// - Latex: the booktabs interval table of render_summary(SummaryFormat::Latex, ...) at the
///   coverage of the first result's headline interval, with the inputs and their sources.
std::string render(Format format, std::span<const ScenarioResult> results,
                   const Provenance& provenance);

/// A file to write and its whole content.
struct OutputFile {
  std::filesystem::path path;
  std::string content;
};

/// Writes every file or none: each goes first to a temporary file beside it, and only when all
/// are written (and no destination is a directory) are they renamed into place, so no path ever
/// holds a partial result. On failure the temporary files are removed and
/// std::filesystem::filesystem_error is thrown.
void write_files_atomically(std::span<const OutputFile> files);

}  // namespace darkfigure::report
