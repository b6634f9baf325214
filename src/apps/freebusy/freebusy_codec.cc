// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// The per-month block encoding of MS-OXOPFFB's free/busy properties
// (SPEC-NOTES.md 5.3), and the interval arithmetic it rests on.

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "core/text.h"
#include "ioreplication/freebusy.h"

namespace ioreplication {
namespace {

// 1601-01-01 00:00, the origin of free/busy minutes.
constexpr absl::CivilMinute kOrigin(1601, 1, 1, 0, 0);
constexpr uint64_t kTicksPerMinute = 60 * FileTime::kTicksPerSecond;

// The last year a month key may name: the year of kFreeBusyMaxMinute.
constexpr int kMaxYear = 5684;

int64_t MinuteOf(absl::CivilMinute m) { return m - kOrigin; }

int64_t MonthStart(absl::CivilMonth month) {
  return MinuteOf(absl::CivilMinute(month));
}

int64_t MonthLength(absl::CivilMonth month) {
  return MonthStart(month + 1) - MonthStart(month);
}

void AppendUint16(uint16_t v, std::string* out) {
  out->push_back(static_cast<char>(v & 0xFF));
  out->push_back(static_cast<char>(v >> 8));
}

uint16_t ReadUint16(const std::string& s, size_t at) {
  return static_cast<uint16_t>(static_cast<uint8_t>(s[at]) |
                               static_cast<uint8_t>(s[at + 1]) << 8);
}

}  // namespace

// FILETIME already counts from 1601 and rounds down.
int64_t FreeBusyMinutes(absl::Time t) {
  return static_cast<int64_t>(FileTime::FromAbslTime(t).ticks() /
                              kTicksPerMinute);
}

int64_t FreeBusyMinutesCeil(absl::Time t) {
  const int64_t floor = FreeBusyMinutes(t);
  return FromFreeBusyMinutes(floor) == t ? floor : floor + 1;
}

absl::Time FromFreeBusyMinutes(int64_t minutes) {
  return FileTime::FromTicks(
             static_cast<uint64_t>(std::max<int64_t>(minutes, 0)) *
             kTicksPerMinute)
      .ToAbslTime();
}

std::vector<FreeBusyInterval> NormalizeFreeBusyIntervals(
    std::vector<FreeBusyInterval> intervals) {
  std::erase_if(intervals,
                [](const FreeBusyInterval& i) { return i.end <= i.start; });
  std::sort(intervals.begin(), intervals.end(),
            [](const FreeBusyInterval& a, const FreeBusyInterval& b) {
              return a.start < b.start;
            });
  std::vector<FreeBusyInterval> out;
  out.reserve(intervals.size());
  for (const FreeBusyInterval& i : intervals) {
    if (!out.empty() && i.start <= out.back().end) {
      out.back().end = std::max(out.back().end, i.end);
    } else {
      out.push_back(i);
    }
  }
  return out;
}

absl::StatusOr<FreeBusyMonths> EncodeFreeBusyMonths(
    std::span<const FreeBusyInterval> intervals) {
  for (const FreeBusyInterval& i : intervals) {
    if (i.start > i.end || i.start < 0 || i.end > kFreeBusyMaxMinute) {
      return absl::InvalidArgumentError(
          absl::StrCat("free/busy interval [", i.start, ", ", i.end,
                       ") is reversed or outside 1601-01-01 .. minute ",
                       kFreeBusyMaxMinute));
    }
  }
  const std::vector<FreeBusyInterval> normal = NormalizeFreeBusyIntervals(
      std::vector<FreeBusyInterval>(intervals.begin(), intervals.end()));
  FreeBusyMonths out;
  for (const FreeBusyInterval& i : normal) {
    int64_t start = i.start;
    while (start < i.end) {
      const absl::CivilMonth month(kOrigin + start);
      const int64_t month_start = MonthStart(month);
      const int64_t piece_end = std::min(i.end, MonthStart(month + 1));
      const int32_t key =
          static_cast<int32_t>(month.year() * 16 + month.month());
      if (out.months.empty() || out.months.back() != key) {
        out.months.push_back(key);
        out.blocks.emplace_back();
      }
      // Both fit: a month has at most 31 * 1440 = 44640 minutes.
      AppendUint16(static_cast<uint16_t>(start - month_start),
                   &out.blocks.back());
      AppendUint16(static_cast<uint16_t>(piece_end - month_start),
                   &out.blocks.back());
      start = piece_end;
    }
  }
  return out;
}

absl::StatusOr<std::vector<FreeBusyInterval>> DecodeFreeBusyMonths(
    std::span<const int32_t> months, std::span<const std::string> blocks,
    std::string_view kind) {
  if (months.size() != blocks.size()) {
    return absl::DataLossError(absl::StrCat(
        "free/busy ", core_internal::Sv(kind), ": ", months.size(),
        " months but ", blocks.size(), " block values (they go in pairs)"));
  }
  std::vector<FreeBusyInterval> out;
  for (size_t m = 0; m < months.size(); ++m) {
    const int32_t key = months[m];
    const int year = key / 16;
    const int month_of_year = key % 16;
    const auto where = [&] {
      return absl::StrFormat("free/busy %s: month value %d (index %d)",
                             core_internal::Sv(kind), key, m);
    };
    if (key <= 0 || year < 1601 || year > kMaxYear || month_of_year < 1 ||
        month_of_year > 12) {
      return absl::DataLossError(absl::StrCat(
          where(), ": not year * 16 + month for a month of 1601 .. ",
          kMaxYear));
    }
    if (m > 0 && key <= months[m - 1]) {
      return absl::DataLossError(absl::StrCat(
          where(), ": months must ascend, and it follows ", months[m - 1]));
    }
    const absl::CivilMonth month(year, month_of_year);
    const int64_t month_start = MonthStart(month);
    const int64_t month_length = MonthLength(month);
    const std::string& value = blocks[m];
    // Evolution writes an empty value for every month between the first and
    // the last event: such a month simply has no blocks.
    if (value.size() % 4 != 0) {
      return absl::DataLossError(
          absl::StrCat(where(), ": its block value has ", value.size(),
                       " bytes, not a multiple of 4"));
    }
    int64_t previous_start = -1;
    for (size_t at = 0; at < value.size(); at += 4) {
      const int64_t start = ReadUint16(value, at);
      const int64_t end = ReadUint16(value, at + 2);
      const size_t block = at / 4;
      if (start > end || end > month_length) {
        return absl::DataLossError(absl::StrFormat(
            "%s: block %d: [%d, %d) is reversed or past the month's %d "
            "minutes",
            where(), block, start, end, month_length));
      }
      // Kopano writes [0, 0] for an event that ends at 00:00 on the 1st. An
      // empty block holds no time: drop it.
      if (start == end) continue;
      if (start < previous_start) {
        return absl::DataLossError(absl::StrFormat(
            "%s: block %d: starts at %d, before the previous block's start %d "
            "(blocks must ascend)",
            where(), block, start, previous_start));
      }
      previous_start = start;
      const int64_t abs_start = month_start + start;
      const int64_t abs_end = month_start + end;
      if (abs_end > kFreeBusyMaxMinute) {
        return absl::DataLossError(absl::StrFormat(
            "%s: block %d: ends after minute %d, the last a free/busy time "
            "can name",
            where(), block, kFreeBusyMaxMinute));
      }
      // Blocks that touch or overlap are one interval: Kopano leaves
      // back-to-back meetings as touching blocks, and an interval that
      // crosses a month boundary is one block in each month.
      if (!out.empty() && abs_start <= out.back().end) {
        out.back().end = std::max(out.back().end, abs_end);
      } else {
        out.push_back({abs_start, abs_end});
      }
    }
  }
  return out;
}

}  // namespace ioreplication
