// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Helpers for the core tests: compact constructors for values whose real
// constructors validate, and hex byte strings.

#ifndef IOREPLICATION_TESTS_CORE_TEST_UTIL_H_
#define IOREPLICATION_TESTS_CORE_TEST_UTIL_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "absl/strings/str_replace.h"
#include "core/byte_reader.h"
#include "core/text.h"
#include "gtest/gtest.h"
#include "ioreplication/globcnt.h"
#include "ioreplication/guid.h"
#include "ioreplication/xid.h"

namespace ioreplication::testing {

// A GlobCnt that the test knows to be in range.
inline GlobCnt GC(uint64_t v) { return GlobCnt::FromValue(v).value(); }

// Bytes from hex; spaces are ignored so vectors can be written byte by byte.
inline std::string Hex(std::string_view spaced) {
  return core_internal::ParseHex(
             absl::StrReplaceAll(std::string(spaced), {{" ", ""}}))
      .value();
}

inline std::string ToHex(const std::string& bytes) {
  return core_internal::ToHex(bytes);
}

inline std::span<const uint8_t> Span(const std::string& bytes) {
  return core_internal::AsBytes(bytes);
}

inline Guid G(std::string_view text) { return Guid::Parse(text).value(); }

// A GUID whose 16 wire bytes are all `b`.
inline Guid FilledGuid(uint8_t b) {
  std::array<uint8_t, 16> bytes;
  bytes.fill(b);
  return Guid::FromBytes(bytes);
}

inline Xid X(const Guid& g, uint64_t local_id, size_t size = 6) {
  return Xid::Create(g, local_id, size).value();
}

}  // namespace ioreplication::testing

#endif  // IOREPLICATION_TESTS_CORE_TEST_UTIL_H_
