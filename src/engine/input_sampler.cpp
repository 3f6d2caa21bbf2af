#include "engine/input_sampler.hpp"

#include <algorithm>
#include <string>
#include <variant>

#include "darkfigure/core/error.hpp"
#include "darkfigure/random/stream.hpp"

namespace darkfigure::engine::detail {
namespace {

/// The stream that a correlation block's score permutations come from: no input can be called
/// this, so it is independent of every input's stream.
std::uint32_t correlation_stream_id(const scenario::Correlation& correlation) {
  std::string name = "[correlation]";
  for (const std::string& input : correlation.inputs)
    name += " " + input;
  return random::stream_id(name);
}

/// The name of copy `copy` of an input or a scenario in stream keys and design dimensions: copy 0
/// is the name itself; no name can contain brackets, so the others are new names.
std::string copy_name(const std::string& name, std::size_t copy) {
  if (copy == 0) return name;
  std::string result = "[";
  result += static_cast<char>('A' + copy);
  result += "] ";
  result += name;
  return result;
}

}  // namespace

InputSampler::InputSampler(const scenario::Scenario& scenario, std::uint64_t draws,
                           std::uint64_t seed, std::size_t copies)
    : scenario_(scenario),
      seed_(seed),
      copies_(copies),
      scenario_id_(random::stream_id(scenario.name)) {
  DARKFIGURE_CHECK(copies >= 1 && (copies == 1 || scenario.correlations.empty()));
  for (std::size_t c = 0; c < copies; ++c)
    copy_ids_.push_back(random::stream_id(copy_name(scenario.name, c)));
  std::vector<std::string> dimensions;
  for (std::size_t i = 0; i < scenario.inputs.size(); ++i) {
    input_ids_.push_back(random::stream_id(scenario.inputs[i].name));
    if (std::holds_alternative<distributions::Distribution>(scenario.inputs[i].value))
      random_inputs_.push_back(i);
  }
  // A design turns uniforms into values: the random inputs in file order are its dimensions,
  // copy after copy.
  for (std::size_t c = 0; c < copies; ++c) {
    for (const std::size_t i : random_inputs_)
      dimensions.push_back(copy_name(scenario.inputs[i].name, c));
  }
  const sampling::Design design = scenario.sampling.design;
  if (design != sampling::Design::mc) {
    const std::uint32_t count = scenario.sampling.replicates;
    const std::string name(sampling::design_name(design));
    if (draws < count) {
      throw core::InputError("draws is " + std::to_string(draws) + ", but the " + name +
                                 " design with " + std::to_string(count) +
                                 " replicates needs at least " + std::to_string(count),
                             std::nullopt, "raise draws, or lower [sampling] replicates");
    }
    if (design == sampling::Design::sobol &&
        dimensions.size() > sampling::DesignSampler::max_sobol_dimensions()) {
      throw core::InputError("the design needs " + std::to_string(dimensions.size()) +
                                 " dimensions for the random inputs, but a Sobol design has at "
                                 "most " +
                                 std::to_string(sampling::DesignSampler::max_sobol_dimensions()),
                             std::nullopt, "use design = \"lhs\"");
    }
    replicates_.emplace(draws, count);
    design_.emplace(design, *replicates_, seed, scenario.name, dimensions);
    for (const std::size_t i : random_inputs_)
      inverses_.emplace_back(std::get<distributions::Distribution>(scenario.inputs[i].value));
  }
  for (const scenario::Correlation& correlation : scenario.correlations)
    correlation_ids_.push_back(correlation_stream_id(correlation));
}

std::vector<Segment> InputSampler::segments(std::uint64_t first_draw, std::size_t count) const {
  if (!replicates_.has_value()) return {Segment{0, 0, count}};
  std::vector<Segment> segments;
  const std::uint64_t end = first_draw + count;
  for (std::uint64_t draw = first_draw; draw < end;) {
    const std::uint32_t replicate = replicates_->of(draw);
    const std::uint64_t stop =
        std::min(end, replicates_->first(replicate) + replicates_->size(replicate));
    segments.push_back({replicate, static_cast<std::size_t>(draw - first_draw),
                        static_cast<std::size_t>(stop - draw)});
    draw = stop;
  }
  return segments;
}

void InputSampler::fill(std::uint64_t block, std::size_t count, std::span<const Segment> segments,
                        std::span<double* const> columns) const {
  const std::size_t input_count = scenario_.inputs.size();
  DARKFIGURE_CHECK(columns.size() == copies_ * input_count);
  const auto block_key = static_cast<std::uint32_t>(block);
  for (std::size_t c = 0; c < copies_; ++c) {
    for (std::size_t i = 0; i < input_count; ++i) {
      const scenario::Input& input = scenario_.inputs[i];
      double* column = columns[c * input_count + i];
      if (const double* constant = std::get_if<double>(&input.value)) {
        std::fill_n(column, count, *constant);
      } else if (!design_.has_value()) {
        random::Stream stream(random::StreamKey{seed_, copy_ids_[c], block_key, input_ids_[i]});
        std::get<distributions::Distribution>(input.value)
            .fill(stream, std::span<double>(column, count));
      }
    }
  }
  if (design_.has_value()) {
    std::vector<double*> uniforms;
    for (std::size_t c = 0; c < copies_; ++c) {
      for (const std::size_t i : random_inputs_)
        uniforms.push_back(columns[c * input_count + i]);
    }
    std::vector<double*> pieces(uniforms.size());
    const std::uint64_t first_draw = block * sampling::kBlockDraws;
    for (const Segment& segment : segments) {
      for (std::size_t j = 0; j < uniforms.size(); ++j)
        pieces[j] = uniforms[j] + segment.offset;
      design_->fill(block, first_draw + segment.offset, segment.count, pieces);
    }
    for (std::size_t j = 0; j < uniforms.size(); ++j)
      inverses_[j % random_inputs_.size()].transform({uniforms[j], count});
  }
  for (std::size_t b = 0; b < scenario_.correlations.size(); ++b) {
    const scenario::Correlation& correlation = scenario_.correlations[b];
    random::Stream stream(random::StreamKey{seed_, scenario_id_, block_key, correlation_ids_[b]});
    std::vector<std::span<double>> pieces(correlation.slots.size());
    for (const Segment& segment : segments) {
      for (std::size_t j = 0; j < pieces.size(); ++j)
        pieces[j] = {columns[correlation.slots[j]] + segment.offset, segment.count};
      correlation.induced.rearrange(pieces, stream);
    }
  }
}

}  // namespace darkfigure::engine::detail
