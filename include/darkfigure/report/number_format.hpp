#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace darkfigure::report {

/// A number for people: `significant` significant digits, thousands separators, no exponent for
/// magnitudes from 1e-6 to 1e15 ("158,700", "0.03412", "0.5"); "NaN", "inf" and "-inf" as such.
std::string display_number(double value, int significant = 4);

/// A whole count with thousands separators ("1,000,000").
std::string display_count(std::uint64_t count);

/// An estimated number of people, to the person ("2,592" for 2591.87); a negative or non-finite
/// one as display_number gives it ("inf").
std::string display_people(double count);

/// A probability or share as a percentage with `significant` significant digits ("12.35%").
std::string display_percent(double share, int significant = 4);

/// "crisis_uptake = 0.02, reporting_rate = 0.3": a sweep point as people read it (values as the
/// shortest decimals); empty for none.
std::string display_point(const std::vector<std::pair<std::string, double>>& point);

/// "kz-2023-national", or "crisis-uptake-sweep (crisis_uptake = 0.02)" at a sweep point: a
/// result as tables and figures name it.
std::string display_result(const std::string& scenario,
                           const std::vector<std::pair<std::string, double>>& point);

/// A size in bytes in binary units with 3 significant digits ("512 MiB", "11.7 GiB", "900 B").
std::string display_bytes(std::uint64_t bytes);

}  // namespace darkfigure::report
