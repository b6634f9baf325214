// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// The GLOBSET command codec, shared by GlobSet and the IDSET forms.

#ifndef IOREPLICATION_SRC_CORE_GLOBSET_CODEC_H_
#define IOREPLICATION_SRC_CORE_GLOBSET_CODEC_H_

#include <cstdint>

#include "absl/status/status.h"
#include "core/byte_reader.h"
#include "ioreplication/globset.h"

namespace ioreplication {

// GLOBSET command bytes (MS-OXCFXICS section 2.2.2.6). Push is 0x01..0x06,
// its value being the number of bytes pushed.
inline constexpr uint8_t kGlobSetEnd = 0x00;
inline constexpr uint8_t kGlobSetBitmask = 0x42;
inline constexpr uint8_t kGlobSetPop = 0x50;
inline constexpr uint8_t kGlobSetRange = 0x52;

class GlobSetDecoder {
 public:
  // Reads one GLOBSET, End command included, from `in` and adds its members
  // to `out`. On error `out` may hold part of the input: callers decode
  // into a scratch set and drop it on error.
  static absl::Status Decode(core_internal::ByteReader& in, GlobSet& out);
};

}  // namespace ioreplication

#endif  // IOREPLICATION_SRC_CORE_GLOBSET_CODEC_H_
