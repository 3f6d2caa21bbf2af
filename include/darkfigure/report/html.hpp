#pragma once

#include <filesystem>
#include <optional>
#include <span>
#include <string>

#include "darkfigure/report/plots.hpp"
#include "darkfigure/report/publication.hpp"

namespace darkfigure::report {

/// The Vega, Vega-Lite and Vega-Embed JavaScript (their minified UMD builds) that the HTML report
/// embeds, with their versions.
struct VegaScripts {
  std::string vega;
  std::string vega_lite;
  std::string vega_embed;
  std::string versions;  ///< "vega 6.4.0, vega-lite 6.5.0, vega-embed 7.3.0"
};

/// Where the scripts are, the first that holds all three: $DARKFIGURE_VEGA_DIR, the directory
/// installed beside the executable (../share/darkfigure/vega), the source tree's
/// web/node_modules. Each is a directory laid out as node_modules is (vega/build/vega.min.js,
/// vega-lite/build/vega-lite.min.js, vega-embed/build/vega-embed.min.js, each package.json).
std::optional<std::filesystem::path> find_vega_directory();

/// Reads the scripts and their versions from a directory that find_vega_directory() accepts.
/// Throws core::InputError naming the missing file, with a hint to run `npm ci` in web/ (or
/// scripts/quickstart.sh) or to set DARKFIGURE_VEGA_DIR.
VegaScripts read_vega_scripts(const std::filesystem::path& directory);

/// One self-contained HTML page that opens offline: the interval table, every plot rendered by
/// vega-embed, each scenario's inputs with their sources and notes, the conditioning checks and
/// warnings, the sensitivity studies, and the provenance. The scripts and the specifications are
/// inline; the page loads nothing. When every chart has drawn, the page sets
/// `document.body.dataset.charts` to "drawn" (or to "failed" with the errors on the console), for
/// tests and headless renderers.
std::string render_html(const Publication& publication, std::span<const IntervalRow> rows,
                        std::span<const Plot> plots, const VegaScripts& scripts);

}  // namespace darkfigure::report
