// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// GlobSet: a set of GLOBCNT values, kept as sorted, merged, inclusive ranges,
// and its compressed GLOBSET encoding (MS-OXCFXICS sections 2.2.2.6, 3.1.5.4).
//
// A GlobSet is what one replica contributes to an IDSET or CNSET (see
// idset.h). Its ranges never overlap or touch: inserting 5 into {1-4} gives
// {1-5}, so two sets with the same members have the same ranges and compare
// equal.
//
// The GLOBSET wire form is a run of commands (Push, Pop, Bitmask, Range, End)
// over a stack of shared high-order bytes. Many byte strings encode the same
// set. Decode() accepts every conforming encoding, strictly: an unknown
// command, a Push past 6 bytes, a Pop on an empty stack, a Bitmask without
// exactly 5 stacked bytes or with values past 0xFF, an inverted Range, a
// missing End or an End with bytes still stacked are errors that name the byte
// offset. Encode() is canonical (a function of the set alone) and emits only
// what any conforming decoder accepts: it pushes shared prefixes, uses Bitmask
// for clusters of values within 8 of each other, never lets a Bitmask run past
// 0xFF, and pops everything before End.
//
// Costs: Contains is O(log n). Insert and InsertRange are O(log n) when they
// extend the last range or append past it (the common case: counters grow),
// O(n) when they change a range in the middle (the ranges are one sorted
// vector, which keeps Encode, Decode and set operations linear and
// cache-friendly); InsertAll adds unordered values in bulk. n is the number
// of ranges, not values.
//
// Thread safety: const methods may be called concurrently; mutation needs
// exclusive access.

#ifndef IOREPLICATION_GLOBSET_H_
#define IOREPLICATION_GLOBSET_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "ioreplication/export.h"
#include "ioreplication/globcnt.h"

namespace ioreplication {

// An inclusive range of GLOBCNT values; low <= high <= GlobCnt::kMaxValue.
struct GlobRange {
  uint64_t low = 0;
  uint64_t high = 0;

  friend bool operator==(const GlobRange& a, const GlobRange& b) = default;
};

class IOREPL_EXPORT GlobSet {
 public:
  GlobSet() = default;

  // Adds one value.
  void Insert(GlobCnt value);

  // Adds every value in [low, high]. Returns InvalidArgumentError, and changes
  // nothing, when low > high.
  [[nodiscard]] absl::Status InsertRange(GlobCnt low, GlobCnt high);

  // Adds many values given in any order, in O(k log k + n) for k values and n
  // ranges: the way to build or grow a large set from unordered input, where
  // k single Inserts could each open a range in the middle.
  void InsertAll(std::span<const GlobCnt> values);

  bool Contains(GlobCnt value) const;

  // True when every member of `other` is a member of this set.
  bool Includes(const GlobSet& other) const;

  // this = this ∪ other, this − other, this ∩ other.
  void UnionWith(const GlobSet& other);
  void Subtract(const GlobSet& other);
  void IntersectWith(const GlobSet& other);

  // The ranges, ascending, disjoint and not adjacent.
  std::span<const GlobRange> ranges() const { return ranges_; }
  size_t range_count() const { return ranges_.size(); }
  // The number of values (not ranges).
  uint64_t Count() const;
  bool empty() const { return ranges_.empty(); }
  void clear() { ranges_.clear(); }

  // The largest member, if any.
  std::optional<GlobCnt> Max() const;

  // Appends the canonical GLOBSET encoding, End command included.
  void EncodeTo(std::string* out) const;
  std::string Encode() const;

  // Decodes one GLOBSET that fills `bytes` exactly. Returns DataLossError
  // naming the byte offset for malformed input or bytes after the End command.
  [[nodiscard]] static absl::StatusOr<GlobSet> Decode(
      std::span<const uint8_t> bytes);

  // Text form: comma-separated decimal values and "low-high" ranges,
  // ascending, e.g. "1-5,9,12-20"; the empty set is "".
  std::string ToString() const;

  // Parses the text form. Values and ranges may come in any order and may
  // overlap; spaces around them are ignored. Returns InvalidArgumentError for
  // anything else, a value past 2^48 - 1, or an inverted range.
  [[nodiscard]] static absl::StatusOr<GlobSet> Parse(std::string_view text);

  friend bool operator==(const GlobSet& a, const GlobSet& b) = default;

 private:
  friend class GlobSetDecoder;

  // Adds [low, high], with low <= high <= kMaxValue already checked. Inline:
  // the decoder calls it once per decoded range.
  void AddRange(uint64_t low, uint64_t high) {
    // kMaxValue + 1 cannot overflow, so "touches the last range" is
    // low <= back().high + 1.
    if (ranges_.empty() || low > ranges_.back().high + 1) {
      ranges_.push_back({low, high});
    } else if (low >= ranges_.back().low) {
      if (high > ranges_.back().high) ranges_.back().high = high;
    } else {
      AddRangeInMiddle(low, high);
    }
  }
  // The slow path of AddRange: a range that is not at the end.
  void AddRangeInMiddle(uint64_t low, uint64_t high);

  std::vector<GlobRange> ranges_;
};

}  // namespace ioreplication

#endif  // IOREPLICATION_GLOBSET_H_
