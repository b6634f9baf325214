// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "stores/folder_digest.h"

#include <openssl/evp.h>

#include <memory>
#include <string>

namespace ioreplication::stores_internal {

namespace {

// One SHA-256 implementation fetched once, and one context per thread: a
// term is computed for every item written, so neither is looked up each
// time.
const EVP_MD* Sha256() {
  static const EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

}  // namespace

DigestTerm ItemTerm(const SourceKey& key, const ChangeNumber& change_key) {
  thread_local std::string bytes;
  bytes.clear();
  key.AppendTo(&bytes);
  change_key.AppendTo(&bytes);
  // Freed when its thread ends.
  thread_local const std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(
      EVP_MD_CTX_new(), EVP_MD_CTX_free);
  DigestTerm term{};
  unsigned int size = 0;
  // SHA-256 over a few bytes cannot fail once OpenSSL is loaded.
  EVP_DigestInit_ex(ctx.get(), Sha256(), nullptr);
  EVP_DigestUpdate(ctx.get(), bytes.data(), bytes.size());
  EVP_DigestFinal_ex(ctx.get(), term.data(), &size);
  return term;
}

void AddTerm(DigestTerm& sum, const DigestTerm& term) {
  unsigned carry = 0;
  for (size_t i = 0; i < sum.size(); ++i) {
    const unsigned v = unsigned{sum[i]} + term[i] + carry;
    sum[i] = static_cast<uint8_t>(v);
    carry = v >> 8;
  }
}

void SubtractTerm(DigestTerm& sum, const DigestTerm& term) {
  unsigned borrow = 0;
  for (size_t i = 0; i < sum.size(); ++i) {
    const unsigned subtrahend = unsigned{term[i]} + borrow;
    borrow = sum[i] < subtrahend ? 1 : 0;
    sum[i] =
        static_cast<uint8_t>(unsigned{sum[i]} + (borrow << 8) - subtrahend);
  }
}

void AddItem(FolderDigest& digest, const SourceKey& key,
             const ChangeNumber& change_key) {
  ++digest.items;
  AddTerm(digest.sum, ItemTerm(key, change_key));
}

void RemoveItem(FolderDigest& digest, const SourceKey& key,
                const ChangeNumber& change_key) {
  --digest.items;
  SubtractTerm(digest.sum, ItemTerm(key, change_key));
}

FolderDigest DigestOfVersions(const std::vector<ItemVersion>& versions) {
  FolderDigest digest;
  for (const ItemVersion& v : versions) {
    AddItem(digest, v.source_key, v.change_key);
  }
  return digest;
}

}  // namespace ioreplication::stores_internal
