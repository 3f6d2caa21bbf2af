#pragma once

#include <catch2/catch.hpp>
#include <string>

#include "darkfigure/analysis/analysis.hpp"
#include "darkfigure/engine/thread_pool.hpp"
#include "darkfigure/scenario/scenario.hpp"

namespace darkfigure::analysis::testing {

/// Runs scenario text on a pool of `threads`.
inline report::ScenarioResult run(const std::string& text, unsigned threads = 2,
                                  RunOptions options = {}) {
  engine::ThreadPool pool(threads);
  options.threads = threads;
  return analysis::run(scenario::parse(text, "test.toml"), options, pool);
}

/// The result of output `name`; fails the test when there is none.
inline const report::OutputResult& output(const report::ScenarioResult& result,
                                          const std::string& name) {
  for (const auto& o : result.outputs) {
    if (o.name == name) return o;
  }
  FAIL("no output " << name);
  return result.outputs.front();
}

}  // namespace darkfigure::analysis::testing
