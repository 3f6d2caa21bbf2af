// Embeds the engine: loads a scenario, runs it on two threads and prints each output's mean.

#include <cstdio>
#include <filesystem>
#include <vector>

#include "darkfigure/analysis/analysis.hpp"

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  const std::vector<std::filesystem::path> files = {argv[1]};
  const auto scenarios = darkfigure::analysis::load_all(files);
  darkfigure::engine::ThreadPool pool(2);
  darkfigure::analysis::RunOptions options;
  options.draws = 10'000;
  const auto result = darkfigure::analysis::run(scenarios.front(), options, pool);
  for (const auto& output : result.outputs) {
    std::printf("%s %.6g\n", output.name.c_str(), output.summary.mean);
  }
  return 0;
}
