// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Free/busy month blocks (MS-OXOPFFB): no crash; a refusal is a DataLoss
// error; whatever decodes (the looser forms real servers write included)
// re-encodes to a canonical form that decodes to the same intervals and
// encodes to itself, and a message holding it reads back the same.
//
// Input: a count byte n (mod 8), n little-endian int32 month keys, then for
// each month a length byte and that many block bytes.

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_util.h"
#include "ioreplication/freebusy.h"

using namespace ioreplication;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  size_t at = 0;
  if (size == 0) return 0;
  const size_t n = data[at++] % 8;
  std::vector<int32_t> months;
  for (size_t i = 0; i < n && at + 4 <= size; ++i, at += 4) {
    months.push_back(static_cast<int32_t>(
        uint32_t{data[at]} | uint32_t{data[at + 1]} << 8 |
        uint32_t{data[at + 2]} << 16 | uint32_t{data[at + 3]} << 24));
  }
  std::vector<std::string> blocks;
  while (at < size && blocks.size() < 8) {
    const size_t len = data[at++];
    const size_t take = std::min(len, size - at);
    blocks.emplace_back(reinterpret_cast<const char*>(data + at), take);
    at += take;
  }

  absl::StatusOr<std::vector<FreeBusyInterval>> decoded =
      DecodeFreeBusyMonths(months, blocks, "Busy");
  if (!decoded.ok()) {
    FUZZ_CHECK(decoded.status().code() == absl::StatusCode::kDataLoss);
    return 0;
  }
  FUZZ_CHECK(NormalizeFreeBusyIntervals(*decoded) == *decoded);
  absl::StatusOr<FreeBusyMonths> encoded = EncodeFreeBusyMonths(*decoded);
  FUZZ_CHECK(encoded.ok());
  // The canonical form: it decodes to the same intervals and encodes to
  // itself, and keeps only months of the input (those left without time,
  // Evolution's empty values and Kopano's [0, 0], go).
  absl::StatusOr<std::vector<FreeBusyInterval>> again =
      DecodeFreeBusyMonths(encoded->months, encoded->blocks, "Busy");
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(*again == *decoded);
  absl::StatusOr<FreeBusyMonths> twice = EncodeFreeBusyMonths(*again);
  FUZZ_CHECK(twice.ok());
  FUZZ_CHECK(*twice == *encoded);
  for (int32_t month : encoded->months) {
    FUZZ_CHECK(std::find(months.begin(), months.end(), month) != months.end());
  }

  FreeBusyMessage message;
  message.smtp_address = "fuzz@example.com";
  message.busy = *decoded;
  message.publish_end = kFreeBusyMaxMinute;
  PropertyBag bag;
  FUZZ_CHECK(WriteFreeBusyProperties(message, &bag).ok());
  absl::StatusOr<FreeBusyMessage> back = ReadFreeBusyProperties(bag);
  FUZZ_CHECK(back.ok());
  FUZZ_CHECK(*back == message);
  return 0;
}
