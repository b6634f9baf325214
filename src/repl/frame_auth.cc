// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "repl/frame_auth.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "exchange/exchange_file.h"

namespace ioreplication::repl_internal {
namespace {

constexpr size_t kEd25519SignatureSize = 64;

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// OpenSSL's last error, for a message (and its queue cleared).
std::string OpensslError() {
  const unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof(buf));
  return buf;
}

absl::StatusOr<std::string> RawPublicKey(EVP_PKEY* key) {
  std::string out(kEd25519KeySize, '\0');
  size_t n = out.size();
  if (EVP_PKEY_get_raw_public_key(
          key, reinterpret_cast<unsigned char*>(out.data()), &n) != 1 ||
      n != kEd25519KeySize) {
    return absl::InternalError(
        absl::StrCat("Ed25519 public key: ", OpensslError()));
  }
  return out;
}

}  // namespace

struct FrameAuth::Key {
  PkeyPtr pkey;
  bool is_private = false;
};

size_t AuthTagSize(uint8_t kind) {
  switch (kind) {
    case kAuthHmacSha256:
      return exchange_internal::kTagSize;
    case kAuthEd25519:
      return kEd25519SignatureSize;
    default:
      return 0;
  }
}

const char* AuthName(uint8_t kind) {
  switch (kind) {
    case kAuthHmacSha256:
      return "HMAC-SHA256";
    case kAuthEd25519:
      return "Ed25519";
    default:
      return "unknown";
  }
}

FrameAuth::FrameAuth(uint8_t kind, std::string secret, std::unique_ptr<Key> key)
    : kind_(kind), secret_(std::move(secret)), key_(std::move(key)) {}
FrameAuth::FrameAuth(FrameAuth&&) noexcept = default;
FrameAuth& FrameAuth::operator=(FrameAuth&&) noexcept = default;
FrameAuth::~FrameAuth() = default;

FrameAuth FrameAuth::Hmac(std::string key) {
  return FrameAuth(kAuthHmacSha256, std::move(key), nullptr);
}

absl::StatusOr<FrameAuth> FrameAuth::Ed25519Signer(std::string_view seed) {
  if (seed.size() != kEd25519KeySize) {
    return absl::InvalidArgumentError(absl::StrCat(
        "an Ed25519 private key is ", kEd25519KeySize, " bytes, not ",
        seed.size()));
  }
  auto key = std::make_unique<Key>();
  key->pkey.reset(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr,
                                               Bytes(seed), seed.size()));
  if (key->pkey == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("Ed25519 private key refused: ", OpensslError()));
  }
  key->is_private = true;
  return FrameAuth(kAuthEd25519, std::string(), std::move(key));
}

absl::StatusOr<FrameAuth> FrameAuth::Ed25519Verifier(std::string_view public_key) {
  if (public_key.size() != kEd25519KeySize) {
    return absl::InvalidArgumentError(absl::StrCat(
        "an Ed25519 public key is ", kEd25519KeySize, " bytes, not ",
        public_key.size()));
  }
  auto key = std::make_unique<Key>();
  key->pkey.reset(EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, Bytes(public_key), public_key.size()));
  if (key->pkey == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("Ed25519 public key refused: ", OpensslError()));
  }
  return FrameAuth(kAuthEd25519, std::string(), std::move(key));
}

bool FrameAuth::can_sign() const {
  return kind_ == kAuthHmacSha256 || (key_ != nullptr && key_->is_private);
}

absl::StatusOr<std::string> FrameAuth::Tag(std::string_view data) const {
  if (kind_ == kAuthHmacSha256) {
    exchange_internal::Tagger tagger(secret_);
    tagger.Update(data);
    return tagger.Final();
  }
  if (!can_sign()) {
    return absl::FailedPreconditionError(
        "an Ed25519 public key cannot sign");
  }
  MdCtxPtr ctx(EVP_MD_CTX_new());
  std::string sig(kEd25519SignatureSize, '\0');
  size_t n = sig.size();
  // Ed25519 signs the message itself (no separate digest: RFC 8032's
  // PureEdDSA), so the whole frame goes in one call.
  if (ctx == nullptr ||
      EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr,
                         key_->pkey.get()) != 1 ||
      EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()),
                     &n, Bytes(data), data.size()) != 1 ||
      n != kEd25519SignatureSize) {
    return absl::InternalError(absl::StrCat("Ed25519 signing: ", OpensslError()));
  }
  return sig;
}

bool FrameAuth::Check(std::string_view data, std::string_view tag) const {
  if (tag.size() != tag_size()) return false;
  if (kind_ == kAuthHmacSha256) {
    exchange_internal::Tagger tagger(secret_);
    tagger.Update(data);
    const std::string want = tagger.Final();
    return want.size() == tag.size() &&
           CRYPTO_memcmp(want.data(), tag.data(), tag.size()) == 0;
  }
  MdCtxPtr ctx(EVP_MD_CTX_new());
  const bool ok =
      ctx != nullptr &&
      EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr,
                           key_->pkey.get()) == 1 &&
      EVP_DigestVerify(ctx.get(), Bytes(tag), tag.size(), Bytes(data),
                       data.size()) == 1;
  ERR_clear_error();
  return ok;
}

absl::StatusOr<Ed25519KeyPair> NewEd25519KeyPair() {
  PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  if (key == nullptr) {
    return absl::InternalError(
        absl::StrCat("Ed25519 key generation: ", OpensslError()));
  }
  Ed25519KeyPair pair;
  pair.private_key.assign(kEd25519KeySize, '\0');
  size_t n = pair.private_key.size();
  if (EVP_PKEY_get_raw_private_key(
          key.get(), reinterpret_cast<unsigned char*>(pair.private_key.data()),
          &n) != 1 ||
      n != kEd25519KeySize) {
    return absl::InternalError(
        absl::StrCat("Ed25519 private key: ", OpensslError()));
  }
  absl::StatusOr<std::string> pub = RawPublicKey(key.get());
  if (!pub.ok()) return pub.status();
  pair.public_key = *std::move(pub);
  return pair;
}

absl::StatusOr<std::string> Ed25519PublicKeyOf(std::string_view seed) {
  if (seed.size() != kEd25519KeySize) {
    return absl::InvalidArgumentError(absl::StrCat(
        "an Ed25519 private key is ", kEd25519KeySize, " bytes, not ",
        seed.size()));
  }
  PkeyPtr key(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr,
                                           Bytes(seed), seed.size()));
  if (key == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("Ed25519 private key refused: ", OpensslError()));
  }
  return RawPublicKey(key.get());
}

}  // namespace ioreplication::repl_internal
