#pragma once

#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "darkfigure/core/error.hpp"
#include "scenario/names.hpp"
#include "scenario/source_text.hpp"

namespace darkfigure::scenario::detail {

/// A key of a table with its value.
struct Entry {
  const toml::key* key;
  const toml::node* node;
  std::string name() const { return std::string(key->str()); }
};

/// The entry called `key` among `entries`, or nullptr.
const Entry* find_entry(const std::vector<Entry>& entries, std::string_view key);

/// "a string", "an integer", ...: the type of a TOML node as messages name it.
std::string_view type_name(const toml::node& node);

/// 1000000 -> "1_000_000", as an analyst would write it in TOML.
std::string grouped(std::int64_t value);

/// The value of an integer or floating-point node, or nullopt for any other node.
std::optional<double> number_of(const toml::node& node);

/// Reads the toml++ document of one scenario file, turning every toml++ source region into a
/// located InputError.
class Reader {
 public:
  explicit Reader(const SourceText& source) : source_(source) {}

  std::size_t offset(const toml::source_region& region) const {
    return source_.offset_of(region.begin.line, region.begin.column);
  }
  std::size_t offset(const toml::key& key) const { return offset(key.source()); }
  std::size_t offset(const toml::node& node) const { return offset(node.source()); }

  core::SourceLocation where(const toml::key& key) const { return source_.at_offset(offset(key)); }

  [[noreturn]] void fail(const toml::key& key, std::string message, std::string hint = {}) const {
    source_.fail(offset(key), std::move(message), std::move(hint));
  }
  [[noreturn]] void fail(const toml::node& node, std::string message, std::string hint = {}) const {
    source_.fail(offset(node), std::move(message), std::move(hint));
  }

  LocatedString located(const toml::node& node) const {
    return LocatedString(source_, std::string(node.as_string()->get()), offset(node));
  }

  /// The entries of `table` in file order (toml++ keeps them sorted by key).
  std::vector<Entry> entries(const toml::table& table) const {
    std::vector<Entry> result;
    result.reserve(table.size());
    for (auto&& [key, node] : table)
      result.push_back({&key, &node});
    std::sort(result.begin(), result.end(),
              [this](const Entry& a, const Entry& b) { return offset(*a.key) < offset(*b.key); });
    return result;
  }

  /// Throws at the first key of `table` that is not in `allowed`; `where` ends the message.
  void check_keys(const toml::table& table, std::span<const std::string> allowed,
                  const std::string& where) const {
    for (const Entry& entry : entries(table)) {
      const std::string name = entry.name();
      if (std::find(allowed.begin(), allowed.end(), name) != allowed.end()) continue;
      std::string known;
      for (const auto& key : allowed)
        known += (known.empty() ? "" : ", ") + key;
      fail(*entry.key, "unknown key \"" + name + "\" " + where,
           did_you_mean(name, allowed, "the keys are " + known));
    }
  }

  std::string string(const Entry& entry, std::string_view example) const {
    if (const auto* value = entry.node->as_string()) return value->get();
    fail(*entry.node,
         entry.name() + " must be a string (got " + std::string(type_name(*entry.node)) + ")",
         "e.g. " + entry.name() + " = " + std::string(example));
  }

  std::int64_t integer(const Entry& entry, std::string_view example) const {
    if (const auto* value = entry.node->as_integer()) return value->get();
    std::string hint = "e.g. " + entry.name() + " = " + std::string(example);
    if (const auto* number = entry.node->as_floating_point()) {
      const double value = number->get();
      if (std::isfinite(value) && value == std::floor(value) && std::abs(value) < 1e18) {
        hint = "TOML reads a number with a '.' or an exponent as floating-point; write " +
               entry.name() + " = " + grouped(static_cast<std::int64_t>(value));
      }
    }
    fail(*entry.node,
         entry.name() + " must be an integer (got " + std::string(type_name(*entry.node)) + ")",
         std::move(hint));
  }

 private:
  const SourceText& source_;
};

}  // namespace darkfigure::scenario::detail
