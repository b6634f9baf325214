// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// The frame around a replication message's body
// (docs/replication-messages.md):
//
//   "IOREPLM1"       8 bytes of magic
//   auth             1 byte: 1 HMAC-SHA256 with the sender's key, 2 an
//                    Ed25519 signature with the sender's private key
//   sender           16 bytes: the sender's member id
//   length           4 bytes, little-endian: the body's length
//   body             a ReplMessage (repl.proto)
//   tag              32 bytes (HMAC-SHA256) or 64 (Ed25519) over every byte
//                    before it
//
// The sender is in the clear so that the receiver can pick the key before
// it reads anything else; nothing of the body is parsed before the tag
// checks.

#ifndef IOREPLICATION_SRC_REPL_MESSAGE_FRAME_H_
#define IOREPLICATION_SRC_REPL_MESSAGE_FRAME_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "ioreplication/guid.h"
#include "ioreplication/v1/repl.pb.h"
#include "repl/frame_auth.h"

namespace ioreplication::repl_internal {

inline constexpr std::string_view kFrameMagic = "IOREPLM1";
inline constexpr size_t kFrameHeaderSize = 8 + 1 + 16 + 4;
// The largest tag (an Ed25519 signature): what a sender reserves.
inline constexpr size_t kFrameMaxTagSize = 64;
inline constexpr size_t kFrameOverhead = kFrameHeaderSize + kFrameMaxTagSize;

// The frame of `body` from `sender`, tagged by `auth` (which must be able
// to sign: FailedPreconditionError otherwise).
absl::StatusOr<std::string> SealMessage(const Guid& sender,
                                        const FrameAuth& auth,
                                        std::string_view body);

// What a frame says of itself, after checking only its shape.
struct FrameHeader {
  Guid sender;
  uint8_t auth = 0;
};
// DataLossError for anything shorter than a frame, with another magic, an
// unknown auth byte or a length that does not match; ResourceExhaustedError
// for a frame longer than `max_bytes`.
absl::StatusOr<FrameHeader> ReadFrameHeader(std::string_view frame,
                                            size_t max_bytes);

// The body of `frame` once its tag checks with `auth`: ReadFrameHeader's
// errors; PermissionDeniedError for a frame authenticated otherwise than
// `auth` (no downgrade from a signature to a shared key) or a wrong tag.
absl::StatusOr<std::string_view> OpenMessage(std::string_view frame,
                                             const FrameAuth& auth,
                                             size_t max_bytes);

// Parses and checks a body: a known format version and kind, GUIDs of 16
// bytes, a sender equal to the frame's, and every folder part's keys and
// sets well formed. DataLossError naming the field otherwise. The entries'
// records are decoded later, one at a time (DecodeEntry).
absl::StatusOr<v1::ReplMessage> ParseMessage(std::string_view body,
                                             const Guid& frame_sender);

}  // namespace ioreplication::repl_internal

#endif  // IOREPLICATION_SRC_REPL_MESSAGE_FRAME_H_
