// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// GlobCnt: the 48-bit global counter of MS-OXCFXICS section 2.2.2.5.
//
// Every replica numbers its objects and its changes with a GLOBCNT that only
// grows. On the wire it is 6 bytes, *big-endian* (most significant byte
// first), unlike every other integer in these formats. A GlobCnt value is
// always within 0..kMaxValue: the only ways to make one check the range, and
// arithmetic that would pass the maximum is an error, never a wrap.
//
// Thread safety: a GlobCnt is a value; const methods may be called
// concurrently.

#ifndef IOREPLICATION_GLOBCNT_H_
#define IOREPLICATION_GLOBCNT_H_

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "ioreplication/export.h"

namespace ioreplication {

class IOREPL_EXPORT GlobCnt {
 public:
  static constexpr size_t kSize = 6;
  static constexpr uint64_t kMaxValue = (uint64_t{1} << 48) - 1;

  // Zero.
  constexpr GlobCnt() = default;

  // Returns InvalidArgumentError when `value` does not fit in 48 bits.
  [[nodiscard]] static absl::StatusOr<GlobCnt> FromValue(uint64_t value);

  // The largest counter, 2^48 - 1.
  static constexpr GlobCnt Max() { return GlobCnt(kMaxValue); }

  // Reads the 6-byte big-endian wire form. Never fails.
  static GlobCnt FromBytes(std::span<const uint8_t, kSize> wire_bytes);

  // The 6-byte big-endian wire form.
  std::array<uint8_t, kSize> ToBytes() const;

  // Appends the 6-byte wire form to `out`.
  void AppendTo(std::string* out) const;

  // Returns this + n, or OutOfRangeError when the sum passes kMaxValue.
  [[nodiscard]] absl::StatusOr<GlobCnt> Add(uint64_t n) const;

  constexpr uint64_t value() const { return value_; }

  friend constexpr bool operator==(GlobCnt a, GlobCnt b) = default;
  friend constexpr std::strong_ordering operator<=>(GlobCnt a,
                                                    GlobCnt b) = default;

  template <typename H>
  friend H AbslHashValue(H h, GlobCnt c) {
    return H::combine(std::move(h), c.value_);
  }

 private:
  explicit constexpr GlobCnt(uint64_t value) : value_(value) {}

  uint64_t value_ = 0;
};

}  // namespace ioreplication

#endif  // IOREPLICATION_GLOBCNT_H_
