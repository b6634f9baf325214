// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// UTF-8 validation for text that arrives from outside (names, string
// properties, ACL members).

#ifndef IOREPLICATION_SRC_CORE_UTF8_H_
#define IOREPLICATION_SRC_CORE_UTF8_H_

#include <cstddef>
#include <string_view>

#include "absl/status/status.h"

namespace ioreplication::core_internal {

// OK when `text` is well-formed UTF-8 (RFC 3629: no overlong forms, no
// surrogates, nothing past U+10FFFF). Otherwise InvalidArgumentError
// "<what>: byte N: invalid UTF-8".
absl::Status ValidateUtf8(std::string_view text, std::string_view what);

// OK when `text` is well-formed UTF-8 without control characters (C0, DEL
// and C1, U+0080..U+009F): names and labels people read. Otherwise InvalidArgumentError
// "<what>: byte N: invalid UTF-8" or "<what>: byte N: control character".
absl::Status ValidateText(std::string_view text, std::string_view what);

// The number of code points in valid UTF-8 `text`.
size_t CodePointCount(std::string_view text);

}  // namespace ioreplication::core_internal

#endif  // IOREPLICATION_SRC_CORE_UTF8_H_
