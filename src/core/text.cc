// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "core/text.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "ioreplication/globcnt.h"

namespace ioreplication::core_internal {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A character as an error message may quote it: printable ASCII as itself,
// anything else as \xNN, so that a message stays on one line.
std::string Quoted(char c) {
  const unsigned char u = static_cast<unsigned char>(c);
  if (u >= 0x20 && u < 0x7F) return std::string("'") + c + "'";
  return absl::StrCat("'\\x", absl::Hex(u, absl::kZeroPad2), "'");
}

}  // namespace

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

absl::StatusOr<uint64_t> ParseDecimal(std::string_view text, uint64_t max) {
  if (text.empty()) return absl::InvalidArgumentError("expected a number");
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') {
      return absl::InvalidArgumentError(
          absl::StrCat(Quoted(c), " is not a decimal digit"));
    }
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (value > (max - digit) / 10) {
      return absl::InvalidArgumentError(
          absl::StrCat(std::string(text), " is larger than the maximum ", max));
    }
    value = value * 10 + digit;
  }
  return value;
}

absl::StatusOr<uint64_t> ParseGlobCntText(std::string_view text) {
  return ParseDecimal(text, GlobCnt::kMaxValue);
}

absl::StatusOr<std::string> ParseHex(std::string_view text) {
  size_t base = 0;
  if (text.size() >= 2 && text[0] == '0' &&
      (text[1] == 'x' || text[1] == 'X')) {
    base = 2;
  }
  const std::string_view digits = text.substr(base);
  std::string out;
  out.reserve(digits.size() / 2);
  for (size_t i = 0; i < digits.size(); i += 2) {
    const int hi = HexDigit(digits[i]);
    if (hi < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("hex: character ", base + i, ": ", Quoted(digits[i]),
                       " is not a hex digit"));
    }
    if (i + 1 == digits.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat("hex: character ", base + i,
                       ": odd number of hex digits (a byte is two digits)"));
    }
    const int lo = HexDigit(digits[i + 1]);
    if (lo < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("hex: character ", base + i + 1, ": ",
                       Quoted(digits[i + 1]), " is not a hex digit"));
    }
    out.push_back(static_cast<char>(hi << 4 | lo));
  }
  return out;
}

std::string ToHex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0xF]);
  }
  return out;
}

}  // namespace ioreplication::core_internal
