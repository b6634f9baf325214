// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// GlobSet membership and set algebra. The codec lives in globset_codec.cc.

#include "ioreplication/globset.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/text.h"

namespace ioreplication {

void GlobSet::Insert(GlobCnt value) { AddRange(value.value(), value.value()); }

absl::Status GlobSet::InsertRange(GlobCnt low, GlobCnt high) {
  if (low > high) {
    return absl::InvalidArgumentError(absl::StrCat(
        "inverted GLOBCNT range ", low.value(), "-", high.value()));
  }
  AddRange(low.value(), high.value());
  return absl::OkStatus();
}

void GlobSet::InsertAll(std::span<const GlobCnt> values) {
  if (values.empty()) return;
  std::vector<uint64_t> sorted;
  sorted.reserve(values.size());
  for (GlobCnt v : values) sorted.push_back(v.value());
  std::sort(sorted.begin(), sorted.end());
  GlobSet batch;
  for (uint64_t v : sorted) batch.AddRange(v, v);  // appends or extends only
  UnionWith(batch);
}

void GlobSet::AddRangeInMiddle(uint64_t low, uint64_t high) {
  // First range that overlaps or touches [low, high] from the left...
  auto first = std::lower_bound(
      ranges_.begin(), ranges_.end(), low,
      [](const GlobRange& r, uint64_t v) { return r.high + 1 < v; });
  // ...and the first range entirely to the right of it.
  auto last = std::upper_bound(
      first, ranges_.end(), high,
      [](uint64_t v, const GlobRange& r) { return v + 1 < r.low; });
  if (first == last) {
    ranges_.insert(first, {low, high});
    return;
  }
  first->low = std::min(first->low, low);
  first->high = std::max((last - 1)->high, high);
  ranges_.erase(first + 1, last);
}

bool GlobSet::Contains(GlobCnt value) const {
  const uint64_t v = value.value();
  auto after = std::upper_bound(
      ranges_.begin(), ranges_.end(), v,
      [](uint64_t x, const GlobRange& r) { return x < r.low; });
  return after != ranges_.begin() && (after - 1)->high >= v;
}

bool GlobSet::Includes(const GlobSet& other) const {
  auto mine = ranges_.begin();
  for (const GlobRange& r : other.ranges_) {
    while (mine != ranges_.end() && mine->high < r.low) ++mine;
    if (mine == ranges_.end() || mine->low > r.low || mine->high < r.high) {
      return false;
    }
  }
  return true;
}

void GlobSet::UnionWith(const GlobSet& other) {
  if (other.ranges_.empty()) return;
  if (ranges_.empty() || other.ranges_.front().low > ranges_.back().high + 1) {
    ranges_.insert(ranges_.end(), other.ranges_.begin(), other.ranges_.end());
    return;
  }
  std::vector<GlobRange> merged;
  merged.reserve(ranges_.size() + other.ranges_.size());
  auto a = ranges_.begin();
  auto b = other.ranges_.begin();
  while (a != ranges_.end() || b != other.ranges_.end()) {
    const GlobRange next =
        (b == other.ranges_.end() || (a != ranges_.end() && a->low <= b->low))
            ? *a++
            : *b++;
    if (merged.empty() || next.low > merged.back().high + 1) {
      merged.push_back(next);
    } else {
      merged.back().high = std::max(merged.back().high, next.high);
    }
  }
  ranges_ = std::move(merged);
}

void GlobSet::Subtract(const GlobSet& other) {
  if (ranges_.empty() || other.ranges_.empty()) return;
  std::vector<GlobRange> kept;
  kept.reserve(ranges_.size() + other.ranges_.size());
  auto cut = other.ranges_.begin();
  for (GlobRange r : ranges_) {
    // Skip holes that end before this range starts.
    while (cut != other.ranges_.end() && cut->high < r.low) ++cut;
    bool consumed = false;
    for (auto c = cut; c != other.ranges_.end() && c->low <= r.high; ++c) {
      if (c->low > r.low) kept.push_back({r.low, c->low - 1});
      if (c->high >= r.high) {
        consumed = true;
        break;
      }
      r.low = c->high + 1;
    }
    if (!consumed) kept.push_back(r);
  }
  ranges_ = std::move(kept);
}

void GlobSet::IntersectWith(const GlobSet& other) {
  std::vector<GlobRange> common;
  auto a = ranges_.begin();
  auto b = other.ranges_.begin();
  while (a != ranges_.end() && b != other.ranges_.end()) {
    const uint64_t low = std::max(a->low, b->low);
    const uint64_t high = std::min(a->high, b->high);
    if (low <= high) common.push_back({low, high});
    // Advance whichever range ends first.
    if (a->high < b->high) {
      ++a;
    } else {
      ++b;
    }
  }
  ranges_ = std::move(common);
}

uint64_t GlobSet::Count() const {
  uint64_t n = 0;
  for (const GlobRange& r : ranges_) n += r.high - r.low + 1;
  return n;
}

std::optional<GlobCnt> GlobSet::Max() const {
  if (ranges_.empty()) return std::nullopt;
  return *GlobCnt::FromValue(ranges_.back().high);
}

std::string GlobSet::ToString() const {
  std::string out;
  for (const GlobRange& r : ranges_) {
    if (!out.empty()) out.push_back(',');
    absl::StrAppend(&out, r.low);
    if (r.high != r.low) absl::StrAppend(&out, "-", r.high);
  }
  return out;
}

absl::StatusOr<GlobSet> GlobSet::Parse(std::string_view text) {
  GlobSet set;
  if (core_internal::Trim(text).empty()) return set;
  size_t start = 0;
  while (true) {
    const size_t comma = text.find(',', start);
    const std::string_view item = core_internal::Trim(text.substr(
        start, comma == std::string_view::npos ? comma : comma - start));
    const size_t dash = item.find('-');
    const std::string_view low_text = item.substr(0, dash);
    const std::string_view high_text =
        dash == std::string_view::npos ? low_text : item.substr(dash + 1);
    absl::StatusOr<uint64_t> low = core_internal::ParseGlobCntText(low_text);
    if (!low.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("GLOBSET text \"", std::string(item),
                       "\": ", low.status().message()));
    }
    absl::StatusOr<uint64_t> high = core_internal::ParseGlobCntText(high_text);
    if (!high.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("GLOBSET text \"", std::string(item),
                       "\": ", high.status().message()));
    }
    if (*low > *high) {
      return absl::InvalidArgumentError(absl::StrCat(
          "GLOBSET text \"", std::string(item), "\": inverted range"));
    }
    set.AddRange(*low, *high);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return set;
}

}  // namespace ioreplication
