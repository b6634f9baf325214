// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Checks shared by the fuzz targets. A failed check aborts, which libFuzzer
// reports as a crash with the input that caused it.

#ifndef IOREPLICATION_FUZZ_FUZZ_UTIL_H_
#define IOREPLICATION_FUZZ_FUZZ_UTIL_H_

#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>

#include "absl/status/status.h"

#define FUZZ_CHECK(cond)                                                    \
  do {                                                                      \
    if (!(cond)) {                                                          \
      std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, \
                   #cond);                                                  \
      std::abort();                                                         \
    }                                                                       \
  } while (0)

namespace ioreplication::fuzz {

inline std::span<const uint8_t> Bytes(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

// Rejections must be DataLoss errors that name a byte offset.
inline void CheckRejection(const absl::Status& status) {
  FUZZ_CHECK(status.code() == absl::StatusCode::kDataLoss);
  FUZZ_CHECK(std::string(status.message()).find(": byte ") !=
             std::string::npos);
}

}  // namespace ioreplication::fuzz

#endif  // IOREPLICATION_FUZZ_FUZZ_UTIL_H_
