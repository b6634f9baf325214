// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// FolderDigest arithmetic (include/ioreplication/store.h has the
// definition): one item's term, adding and removing it, and the digest of a
// list of versions. Every store computes digests here, so that two stores of
// different kinds agree on them.

#ifndef IOREPLICATION_SRC_STORES_FOLDER_DIGEST_H_
#define IOREPLICATION_SRC_STORES_FOLDER_DIGEST_H_

#include <array>
#include <cstdint>
#include <vector>

#include "ioreplication/ids.h"
#include "ioreplication/store.h"

namespace ioreplication::stores_internal {

using DigestTerm = std::array<uint8_t, 32>;

// SHA-256(source key || change key), in their wire form.
DigestTerm ItemTerm(const SourceKey& key, const ChangeNumber& change_key);

// `sum` += `term` and `sum` -= `term`, modulo 2^256 (little-endian).
void AddTerm(DigestTerm& sum, const DigestTerm& term);
void SubtractTerm(DigestTerm& sum, const DigestTerm& term);

// The item (source key, change key) joins or leaves `digest`.
void AddItem(FolderDigest& digest, const SourceKey& key,
             const ChangeNumber& change_key);
void RemoveItem(FolderDigest& digest, const SourceKey& key,
                const ChangeNumber& change_key);

// The digest of the items `versions` lists (in any order).
FolderDigest DigestOfVersions(const std::vector<ItemVersion>& versions);

}  // namespace ioreplication::stores_internal

#endif  // IOREPLICATION_SRC_STORES_FOLDER_DIGEST_H_
