#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "darkfigure/engine/engine.hpp"
#include "darkfigure/summary/summary.hpp"

namespace darkfigure::report {

/// The summary of one output of a scenario.
struct OutputResult {
  std::string name;
  summary::Summary summary;
  std::optional<engine::NonFiniteExample> first_non_finite;  ///< set when summary.non_finite > 0
  bool indicator = false;  ///< every finite draw is 0 or 1: the mean is a probability
};

/// An input as the scenario states it, with its provenance, so tables can be traced to evidence.
struct InputRecord {
  std::string name;
  std::string text;  ///< "beta(4, 16)" or "67500"
  std::string source;
  std::string note;
};

/// How a scenario was run. Everything here except `threads` determines the draws.
struct Settings {
  std::uint64_t draws = 0;
  std::uint64_t seed = 0;
  unsigned threads = 1;
  std::size_t block_size = engine::kBlockSize;
  std::uint64_t memory_budget = 0;  ///< bytes the stored draws could take
  bool binned = false;              ///< over the budget: quantiles from histograms
};

/// Everything a writer needs about one scenario's run.
struct ScenarioResult {
  std::string name;
  std::string title;
  std::string file;
  std::string source;
  Settings settings;
  std::vector<InputRecord> inputs;
  std::vector<OutputResult> outputs;
  double seconds = 0.0;  ///< wall time of sampling and summarising
};

/// Facts about the run as a whole, written with the JSON results.
struct Provenance {
  std::string version;     ///< darkfigure's version
  std::string git_commit;  ///< the commit darkfigure was built from; empty when unknown
  std::string rng;         ///< random number generator and stream keying
  std::string created;     ///< UTC time of the run, ISO 8601
};

}  // namespace darkfigure::report
