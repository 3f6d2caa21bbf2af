#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "darkfigure/distributions/distribution.hpp"
#include "darkfigure/scenario/scenario.hpp"
#include "scenario/reader.hpp"

namespace darkfigure::scenario::detail {

/// The call that makes an input draw a data set's total: estimate(NAME).
inline constexpr std::string_view kEstimateCall = "estimate";

/// Reads [capture_recapture]: each table under it a data set (several lists with `lists` and
/// `histories`, or one register with `frequencies`), checked at its keys and estimated, the
/// bootstrap keyed by `seed` and the data set's name. What is doubtful (a model left out because
/// its estimate does not exist, failed bootstrap resamples) goes to `warnings` located at the
/// data set's name.
std::vector<CaptureData> read_capture_recapture(const Reader& reader, const Entry& section,
                                                std::uint64_t seed,
                                                std::vector<std::string>& warnings);

/// The distribution that estimate(NAME) draws from: with interval = "bootstrap", the bootstrap
/// totals, each equally likely; otherwise the log-normal of Chao
/// (1987) on the unseen count, n + lognormal(log f0, sqrt(log(1 + se^2 / f0^2))), whose median is
/// the estimate and whose central interval is the log-normal interval; its mean lies above the
/// estimate and its variance is se^2 (1 + se^2 / f0^2), the log-normal's skew. An estimate without
/// unseen people (f0 = 0) is the number n itself. Throws estimators::EstimationError when bootstrap
/// totals are infinite or missing.
std::variant<double, distributions::Distribution> sampling_distribution(const CaptureData& data);

/// The data set called `name`, or nullptr.
const CaptureData* find_data(std::span<const CaptureData> data, std::string_view name);

}  // namespace darkfigure::scenario::detail
