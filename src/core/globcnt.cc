// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "ioreplication/globcnt.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/byte_reader.h"

namespace ioreplication {

absl::StatusOr<GlobCnt> GlobCnt::FromValue(uint64_t value) {
  if (value > kMaxValue) {
    return absl::InvalidArgumentError(
        absl::StrCat("GLOBCNT ", value, " does not fit in 48 bits (maximum ",
                     kMaxValue, ")"));
  }
  return GlobCnt(value);
}

GlobCnt GlobCnt::FromBytes(std::span<const uint8_t, kSize> wire_bytes) {
  return GlobCnt(core_internal::LoadBigEndian(wire_bytes.data(), kSize));
}

std::array<uint8_t, GlobCnt::kSize> GlobCnt::ToBytes() const {
  std::array<uint8_t, kSize> out;
  for (size_t i = 0; i < kSize; ++i) {
    out[i] = static_cast<uint8_t>(value_ >> (8 * (kSize - 1 - i)));
  }
  return out;
}

void GlobCnt::AppendTo(std::string* out) const {
  core_internal::AppendBigEndian(value_, kSize, out);
}

absl::StatusOr<GlobCnt> GlobCnt::Add(uint64_t n) const {
  if (n > kMaxValue - value_) {
    return absl::OutOfRangeError(
        absl::StrCat("GLOBCNT overflow: ", value_, " + ", n,
                     " passes the 48-bit maximum ", kMaxValue));
  }
  return GlobCnt(value_ + n);
}

}  // namespace ioreplication
