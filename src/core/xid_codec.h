// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Reading XIDs out of a larger structure (a PCL), with offsets relative to it.

#ifndef IOREPLICATION_SRC_CORE_XID_CODEC_H_
#define IOREPLICATION_SRC_CORE_XID_CODEC_H_

#include "absl/status/statusor.h"
#include "core/byte_reader.h"
#include "ioreplication/xid.h"

namespace ioreplication::core_internal {

// Reads one SizedXid (size byte 17..24, then the XID) from `in`. On error
// nothing useful is consumed and the message names the offending byte.
absl::StatusOr<Xid> ReadSizedXid(ByteReader& in);

// Builds an XID from `size` (17..24) wire bytes at `p`; the size is checked by
// the caller.
Xid XidFromWire(const uint8_t* p, size_t size);

}  // namespace ioreplication::core_internal

#endif  // IOREPLICATION_SRC_CORE_XID_CODEC_H_
