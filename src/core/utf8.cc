// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "core/utf8.h"

#include <cstdint>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace ioreplication::core_internal {

absl::Status ValidateUtf8(std::string_view text, std::string_view what) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    // ASCII, 32 and then eight bytes at a time: item bodies are mostly
    // ASCII, and this runs on every item a store writes or reads (a third
    // of a full sync's library time went to it one word at a time).
    while (i + 32 <= n) {
      uint64_t words[4];
      std::memcpy(words, p + i, 32);
      if (((words[0] | words[1] | words[2] | words[3]) &
           0x8080808080808080u) != 0) {
        break;
      }
      i += 32;
    }
    while (i + 8 <= n) {
      uint64_t word;
      std::memcpy(&word, p + i, 8);
      if ((word & 0x8080808080808080u) != 0) break;
      i += 8;
    }
    if (i >= n) break;
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the 2nd byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;  // no overlong forms
      if (c == 0xED) hi = 0x9F;  // no surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;  // no overlong forms
      if (c == 0xF4) hi = 0x8F;  // nothing past U+10FFFF
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat(std::string(what), ": byte ", i, ": invalid UTF-8"));
    }
    bool ok = i + len <= n && p[i + 1] >= lo && p[i + 1] <= hi;
    for (size_t k = 2; ok && k < len; ++k) ok = (p[i + k] & 0xC0) == 0x80;
    if (!ok) {
      return absl::InvalidArgumentError(
          absl::StrCat(std::string(what), ": byte ", i, ": invalid UTF-8"));
    }
    i += len;
  }
  return absl::OkStatus();
}

absl::Status ValidateText(std::string_view text, std::string_view what) {
  if (absl::Status s = ValidateUtf8(text, what); !s.ok()) return s;
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    // C0 and DEL, and C1 (U+0080..U+009F, encoded C2 80..C2 9F): the input
    // is valid UTF-8 here, so a C2 byte always has a continuation byte.
    const bool c1 = c == 0xC2 && (static_cast<unsigned char>(text[i + 1]) &
                                  0xE0) == 0x80;
    if (c < 0x20 || c == 0x7F || c1) {
      return absl::InvalidArgumentError(
          absl::StrCat(std::string(what), ": byte ", i, ": control character"));
    }
  }
  return absl::OkStatus();
}

size_t CodePointCount(std::string_view text) {
  size_t count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80;
  return count;
}

}  // namespace ioreplication::core_internal
