// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// How a replication message's frame is authenticated (message_frame.h):
// HMAC-SHA256 with a key every member holds, or an Ed25519 signature with a
// private key only the sender holds (RFC 8032, through OpenSSL), checked
// with its public key from the group's config.

#ifndef IOREPLICATION_SRC_REPL_FRAME_AUTH_H_
#define IOREPLICATION_SRC_REPL_FRAME_AUTH_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace ioreplication::repl_internal {

inline constexpr uint8_t kAuthHmacSha256 = 1;
inline constexpr uint8_t kAuthEd25519 = 2;
inline constexpr size_t kEd25519KeySize = 32;

// The tag's size for an auth kind (0 for an unknown one).
size_t AuthTagSize(uint8_t kind);
// "HMAC-SHA256", "Ed25519" or "unknown".
const char* AuthName(uint8_t kind);

// One member's authenticator: able to make tags (HMAC, or an Ed25519
// private key) or only to check them (an Ed25519 public key). Cheap to move;
// the OpenSSL key is parsed once.
class FrameAuth {
 public:
  // HMAC-SHA256 with `key`, both ways.
  static FrameAuth Hmac(std::string key);
  // Signs (and checks) with the Ed25519 private key `seed` (32 raw bytes).
  // InvalidArgumentError for another size or a key OpenSSL refuses.
  static absl::StatusOr<FrameAuth> Ed25519Signer(std::string_view seed);
  // Checks with the Ed25519 public key `key` (32 raw bytes).
  static absl::StatusOr<FrameAuth> Ed25519Verifier(std::string_view key);

  FrameAuth(FrameAuth&&) noexcept;
  FrameAuth& operator=(FrameAuth&&) noexcept;
  ~FrameAuth();

  uint8_t kind() const { return kind_; }
  size_t tag_size() const { return AuthTagSize(kind_); }
  bool can_sign() const;

  // The tag of `data`; FailedPreconditionError for a verifier.
  absl::StatusOr<std::string> Tag(std::string_view data) const;
  // Whether `tag` is `data`'s (HMAC compared in constant time).
  bool Check(std::string_view data, std::string_view tag) const;

 private:
  struct Key;
  FrameAuth(uint8_t kind, std::string secret, std::unique_ptr<Key> key);
  uint8_t kind_;
  std::string secret_;  // the HMAC key
  std::unique_ptr<Key> key_;  // the Ed25519 key
};

// A fresh Ed25519 key pair, raw 32 bytes each (OpenSSL's generator).
struct Ed25519KeyPair {
  std::string private_key;
  std::string public_key;
};
absl::StatusOr<Ed25519KeyPair> NewEd25519KeyPair();
// The public half of the private key `seed`.
absl::StatusOr<std::string> Ed25519PublicKeyOf(std::string_view seed);

}  // namespace ioreplication::repl_internal

#endif  // IOREPLICATION_SRC_REPL_FRAME_AUTH_H_
