// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "ioreplication/guid.h"

#include <algorithm>
#include <random>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace ioreplication {
namespace {

// Text positions of the 32 hex digits in "XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX"
// and the wire byte each pair of digits lands in: Data1..Data3 are
// little-endian on the wire, so their digits are read back to front.
constexpr int kWireByteOfPair[16] = {3, 2, 1,  0,  5,  4,  7,  6,
                                     8, 9, 10, 11, 12, 13, 14, 15};
constexpr size_t kUnbracedLength = 36;

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsDashPosition(size_t i) {
  return i == 8 || i == 13 || i == 18 || i == 23;
}

}  // namespace

Guid Guid::FromBytes(std::span<const uint8_t, kSize> wire_bytes) {
  Guid g;
  std::copy(wire_bytes.begin(), wire_bytes.end(), g.bytes_.begin());
  return g;
}

absl::StatusOr<Guid> Guid::Decode(std::span<const uint8_t> wire_bytes) {
  if (wire_bytes.size() != kSize) {
    return absl::DataLossError(absl::StrCat(
        "GUID: byte 0: expected 16 bytes, got ", wire_bytes.size()));
  }
  return FromBytes(wire_bytes.first<kSize>());
}

absl::StatusOr<Guid> Guid::Parse(std::string_view text) {
  const std::string_view original = text;
  size_t base = 0;
  if (!text.empty() && text.front() == '{') {
    if (text.size() < 2 || text.back() != '}') {
      return absl::InvalidArgumentError(absl::StrCat(
          "GUID \"", std::string(original), "\": missing closing '}'"));
    }
    text = text.substr(1, text.size() - 2);
    base = 1;
  }
  if (text.size() != kUnbracedLength) {
    return absl::InvalidArgumentError(absl::StrCat(
        "GUID \"", std::string(original),
        "\": expected the form {XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}"));
  }
  Guid g;
  int pair = 0;
  for (size_t i = 0; i < text.size();) {
    if (IsDashPosition(i)) {
      if (text[i] != '-') {
        return absl::InvalidArgumentError(
            absl::StrCat("GUID \"", std::string(original), "\": character ",
                         base + i, ": expected '-'"));
      }
      ++i;
      continue;
    }
    const int hi = HexValue(text[i]);
    const int lo = HexValue(text[i + 1]);
    if (hi < 0 || lo < 0) {
      const size_t bad = hi < 0 ? i : i + 1;
      return absl::InvalidArgumentError(
          absl::StrCat("GUID \"", std::string(original), "\": character ",
                       base + bad, ": not a hex digit"));
    }
    g.bytes_[kWireByteOfPair[pair++]] = static_cast<uint8_t>(hi << 4 | lo);
    i += 2;
  }
  return g;
}

Guid Guid::Random() {
  // std::random_device reads the kernel's CSPRNG on Linux.
  std::random_device device;
  Guid g;
  for (size_t i = 0; i < kSize; i += 4) {
    const uint32_t word = device();
    for (size_t j = 0; j < 4; ++j) g.bytes_[i + j] = (word >> (8 * j)) & 0xFF;
  }
  // RFC 4122 version 4: the version sits in the high nibble of Data3, whose
  // most significant byte is wire byte 7; the variant in wire byte 8.
  g.bytes_[7] = static_cast<uint8_t>((g.bytes_[7] & 0x0F) | 0x40);
  g.bytes_[8] = static_cast<uint8_t>((g.bytes_[8] & 0x3F) | 0x80);
  return g;
}

std::string Guid::ToString() const {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(kUnbracedLength + 2);
  out.push_back('{');
  for (int pair = 0; pair < 16; ++pair) {
    if (pair == 4 || pair == 6 || pair == 8 || pair == 10) out.push_back('-');
    const uint8_t b = bytes_[kWireByteOfPair[pair]];
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0xF]);
  }
  out.push_back('}');
  return out;
}

void Guid::AppendTo(std::string* out) const {
  out->append(reinterpret_cast<const char*>(bytes_.data()), kSize);
}

}  // namespace ioreplication
