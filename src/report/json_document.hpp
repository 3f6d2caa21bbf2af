#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "darkfigure/report/result.hpp"

namespace darkfigure::report::detail {

/// {"darkfigure": VERSION, key: entries, "provenance": {"version", "git_commit", "rng",
/// "created"}}, indented by two spaces, with a final newline: the frame of every JSON document.
std::string json_document(const char* key, nlohmann::ordered_json entries,
                          const Provenance& provenance);

}  // namespace darkfigure::report::detail
