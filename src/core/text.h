// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Small strict parsers for the text forms of core types.

#ifndef IOREPLICATION_SRC_CORE_TEXT_H_
#define IOREPLICATION_SRC_CORE_TEXT_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace ioreplication::core_internal {

// `text` without leading and trailing spaces and tabs.
std::string_view Trim(std::string_view text);

// Debian's Abseil has its own string_view; StrCat and friends need it.
inline absl::string_view Sv(std::string_view s) { return {s.data(), s.size()}; }

// A decimal number that fits in 48 bits: digits only (no sign, no spaces).
// The error says what was wrong, without context.
absl::StatusOr<uint64_t> ParseGlobCntText(std::string_view text);

// A decimal number within [0, max]; nothing else.
absl::StatusOr<uint64_t> ParseDecimal(std::string_view text, uint64_t max);

// Hex text, two digits a byte, with an optional "0x" or "0X" prefix. Errors
// name the character position within `text`.
absl::StatusOr<std::string> ParseHex(std::string_view text);

// Lower-case hex, two digits a byte.
std::string ToHex(std::string_view bytes);

}  // namespace ioreplication::core_internal

#endif  // IOREPLICATION_SRC_CORE_TEXT_H_
