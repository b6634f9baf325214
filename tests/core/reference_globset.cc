// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "reference_globset.h"

#include <algorithm>

namespace ioreplication::testing {
namespace {

uint8_t Byte(uint64_t v, int i) { return (v >> (8 * (5 - i))) & 0xFF; }

int Common(uint64_t a, uint64_t b) {
  int n = 0;
  while (n < 6 && Byte(a, n) == Byte(b, n)) ++n;
  return n;
}

void Put(std::string& out, int b) { out.push_back(static_cast<char>(b)); }

void PutBytes(std::string& out, uint64_t v, int from, int to) {
  for (int i = from; i < to; ++i) Put(out, Byte(v, i));
}

uint64_t Prefix(uint64_t v, int n) { return n == 0 ? 0 : v >> (8 * (6 - n)); }

}  // namespace

Ranges Normalize(Ranges ranges) {
  std::sort(ranges.begin(), ranges.end());
  Ranges out;
  for (const auto& r : ranges) {
    if (!out.empty() && r.first <= out.back().second + 1) {
      out.back().second = std::max(out.back().second, r.second);
    } else {
      out.push_back(r);
    }
  }
  return out;
}

std::optional<Ranges> ReferenceDecode(const std::string& bytes, size_t* pos) {
  std::vector<uint8_t> stack;
  std::vector<size_t> pushes;
  Ranges out;
  auto take = [&](size_t n) -> std::optional<std::vector<uint8_t>> {
    if (bytes.size() - *pos < n) return std::nullopt;
    std::vector<uint8_t> v(bytes.begin() + *pos, bytes.begin() + *pos + n);
    *pos += n;
    return v;
  };
  auto value = [](const std::vector<uint8_t>& six) {
    uint64_t v = 0;
    for (uint8_t b : six) v = v << 8 | b;
    return v;
  };
  while (true) {
    auto cmd = take(1);
    if (!cmd) return std::nullopt;
    const uint8_t c = (*cmd)[0];
    if (c == 0x00) {
      if (!stack.empty()) return std::nullopt;
      return out;
    } else if (c >= 0x01 && c <= 0x06) {
      if (stack.size() + c > 6) return std::nullopt;
      auto b = take(c);
      if (!b) return std::nullopt;
      stack.insert(stack.end(), b->begin(), b->end());
      if (stack.size() == 6) {
        out.push_back({value(stack), value(stack)});
        stack.resize(stack.size() - c);
      } else {
        pushes.push_back(c);
      }
    } else if (c == 0x50) {
      if (pushes.empty()) return std::nullopt;
      stack.resize(stack.size() - pushes.back());
      pushes.pop_back();
    } else if (c == 0x42) {
      if (stack.size() != 5) return std::nullopt;
      auto b = take(2);
      if (!b) return std::nullopt;
      std::vector<int> lows = {(*b)[0]};
      for (int i = 0; i < 8; ++i) {
        if ((*b)[1] & (1 << i)) lows.push_back((*b)[0] + 1 + i);
      }
      for (int low : lows) {
        if (low > 0xFF) return std::nullopt;
        std::vector<uint8_t> six = stack;
        six.push_back(static_cast<uint8_t>(low));
        out.push_back({value(six), value(six)});
      }
    } else if (c == 0x52) {
      const size_t n = 6 - stack.size();
      auto lo = take(n);
      auto hi = lo ? take(n) : std::nullopt;
      if (!hi) return std::nullopt;
      std::vector<uint8_t> low = stack, high = stack;
      low.insert(low.end(), lo->begin(), lo->end());
      high.insert(high.end(), hi->begin(), hi->end());
      if (value(low) > value(high)) return std::nullopt;
      out.push_back({value(low), value(high)});
    } else {
      return std::nullopt;
    }
  }
}

std::string EncodeOneRangeAtATime(const Ranges& normalized) {
  std::string out;
  for (const auto& [lo, hi] : normalized) {
    if (lo == hi) {
      Put(out, 6);
      PutBytes(out, lo, 0, 6);
      continue;
    }
    const int i = Common(lo, hi);
    if (i > 0) {
      Put(out, i);
      PutBytes(out, lo, 0, i);
    }
    Put(out, 0x52);
    PutBytes(out, lo, i, 6);
    PutBytes(out, hi, i, 6);
    if (i > 0) Put(out, 0x50);
  }
  Put(out, 0x00);
  return out;
}

std::string EncodeSharedPrefixFirst(const Ranges& normalized) {
  std::string out;
  if (normalized.empty()) {
    Put(out, 0x00);
    return out;
  }
  if (normalized.size() == 1) return EncodeOneRangeAtATime(normalized);
  const int s = Common(normalized.front().first, normalized.back().second);
  if (s > 0) {
    Put(out, s);
    PutBytes(out, normalized.front().first, 0, s);
  }
  for (const auto& [lo, hi] : normalized) {
    if (lo == hi) {
      Put(out, 6 - s);
      PutBytes(out, lo, s, 6);
      continue;
    }
    const int i = Common(lo, hi);
    if (i > s) {
      Put(out, i - s);
      PutBytes(out, lo, s, i);
    }
    Put(out, 0x52);
    PutBytes(out, lo, std::max(i, s), 6);
    PutBytes(out, hi, std::max(i, s), 6);
    if (i > s) Put(out, 0x50);
  }
  if (s > 0) Put(out, 0x50);
  Put(out, 0x00);
  return out;
}

namespace {

// Emits ranges [i, end), which share `depth` stacked bytes.
void EmitRandomly(const Ranges& rs, size_t& i, size_t end, int depth,
                  std::mt19937_64& rng, std::string& out) {
  while (i < end) {
    const auto [lo, hi] = rs[i];
    const int common = Common(lo, hi);
    const int choice = static_cast<int>(rng() % 4);
    if (choice == 0 && common > depth) {
      const int k = 1 + static_cast<int>(rng() % (common - depth));
      Put(out, k);
      PutBytes(out, lo, depth, depth + k);
      if (depth + k == 6) {  // a singleton: the push completes and pops itself
        ++i;
        continue;
      }
      size_t j = i + 1;
      const uint64_t key = Prefix(lo, depth + k);
      while (j < end && Prefix(rs[j].second, depth + k) == key &&
             rng() % 5 != 0)
        ++j;
      EmitRandomly(rs, i, j, depth + k, rng, out);
      Put(out, 0x50);
      continue;
    }
    if (choice == 1 && depth == 5) {
      const int start = lo & 0xFF;
      if ((hi & 0xFF) <= static_cast<uint64_t>(start) + 8) {
        int mask = 0;
        do {
          for (uint64_t v = std::max<uint64_t>(rs[i].first & 0xFF, start + 1);
               v <= (rs[i].second & 0xFF); ++v) {
            mask |= 1 << (v - start - 1);
          }
          ++i;
        } while (i < end &&
                 (rs[i].second & 0xFF) <= static_cast<uint64_t>(start) + 8 &&
                 rng() % 4 != 0);
        Put(out, 0x42);
        Put(out, start);
        Put(out, mask);
        continue;
      }
    }
    if (choice == 2 && lo == hi) {
      Put(out, 6 - depth);
      PutBytes(out, lo, depth, 6);
      ++i;
      continue;
    }
    Put(out, 0x52);
    PutBytes(out, lo, depth, 6);
    PutBytes(out, hi, depth, 6);
    ++i;
  }
}

}  // namespace

std::string EncodeRandomly(const Ranges& normalized, std::mt19937_64& rng) {
  // Split some ranges into adjacent pieces: still the same set.
  Ranges pieces;
  for (auto [lo, hi] : normalized) {
    while (lo < hi && rng() % 3 == 0) {
      const uint64_t cut = lo + rng() % (hi - lo);
      pieces.push_back({lo, cut});
      lo = cut + 1;
    }
    pieces.push_back({lo, hi});
  }
  std::string out;
  size_t i = 0;
  EmitRandomly(pieces, i, pieces.size(), 0, rng, out);
  Put(out, 0x00);
  return out;
}

}  // namespace ioreplication::testing
