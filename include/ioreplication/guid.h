// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Guid: a 16-byte globally unique identifier, as replicas and namespaces use
// it.
//
// A Guid is kept in its *wire order*, the Windows serialization used by every
// MS-OXCFXICS structure: Data1 as a little-endian uint32, Data2 and Data3 as
// little-endian uint16s, then 8 raw bytes. Ordering compares those 16 bytes
// with memcmp semantics, because that is the order the specifications demand
// for PCL entries, IDSET groups and last-writer-wins tie breaks. Note that this
// is *not* the order of the text forms: {FF000000-...} sorts before
// {00112233-...} because its first wire byte is 0x00.
//
// Thread safety: a Guid is a value; const methods may be called concurrently.

#ifndef IOREPLICATION_GUID_H_
#define IOREPLICATION_GUID_H_

#include <array>
#include <bit>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/statusor.h"
#include "ioreplication/export.h"

namespace ioreplication {

class IOREPL_EXPORT Guid {
 public:
  static constexpr size_t kSize = 16;

  // The nil GUID (all zero bytes).
  constexpr Guid() = default;

  // Builds a Guid from its 16 wire-order bytes. Never fails.
  static Guid FromBytes(std::span<const uint8_t, kSize> wire_bytes);

  // Builds a Guid from a buffer that must hold exactly 16 bytes. Returns
  // DataLossError naming the size otherwise.
  [[nodiscard]] static absl::StatusOr<Guid> Decode(
      std::span<const uint8_t> wire_bytes);

  // Parses the canonical text form "{00112233-4455-6677-8899-AABBCCDDEEFF}".
  // Hex digits may be upper or lower case; the braces may be omitted. Returns
  // InvalidArgumentError naming the offending character otherwise.
  [[nodiscard]] static absl::StatusOr<Guid> Parse(std::string_view text);

  // A random (version 4) GUID from the operating system's entropy source.
  static Guid Random();

  // The canonical braced text form, upper-case hex digits.
  std::string ToString() const;

  // The 16 bytes in wire order.
  const std::array<uint8_t, kSize>& bytes() const { return bytes_; }

  // Appends the 16 wire-order bytes to `out`.
  void AppendTo(std::string* out) const;

  bool IsNil() const { return *this == Guid(); }

  friend bool operator==(const Guid& a, const Guid& b) {
    return std::memcmp(a.bytes_.data(), b.bytes_.data(), kSize) == 0;
  }

  // Byte-wise (memcmp) order of the wire bytes. Written as two big-endian
  // 64-bit loads so that PCL comparison stays branch-light and alloc-free.
  friend std::strong_ordering operator<=>(const Guid& a, const Guid& b) {
    const uint64_t ah = a.HighWord(), bh = b.HighWord();
    if (ah != bh) return ah <=> bh;
    return a.LowWord() <=> b.LowWord();
  }

  template <typename H>
  friend H AbslHashValue(H h, const Guid& g) {
    return H::combine(std::move(h), g.HighWord(), g.LowWord());
  }

 private:
  static uint64_t LoadBigEndian64(const uint8_t* p) {
    uint64_t v;
    std::memcpy(&v, p, sizeof(v));
    if constexpr (std::endian::native == std::endian::little) {
      v = __builtin_bswap64(v);
    }
    return v;
  }
  uint64_t HighWord() const { return LoadBigEndian64(bytes_.data()); }
  uint64_t LowWord() const { return LoadBigEndian64(bytes_.data() + 8); }

  std::array<uint8_t, kSize> bytes_{};
};

}  // namespace ioreplication

#endif  // IOREPLICATION_GUID_H_
