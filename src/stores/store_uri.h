// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// What a store URI names, independent of how it is spelled.

#ifndef IOREPLICATION_SRC_STORES_STORE_URI_H_
#define IOREPLICATION_SRC_STORES_STORE_URI_H_

#include <string>
#include <string_view>

namespace ioreplication::stores_internal {

// True when RedactStoreUri would hide something in `uri`: a password in its
// user part or a secret-valued key=value pair.
bool StoreUriHoldsSecret(std::string_view uri);

// A spelling of `uri` that is equal for two URIs exactly when they open the
// same store: for sqlite:, the scheme and the file's absolute path with "."
// and ".." removed and every symbolic link that exists resolved (so
// "sqlite:x.db", "sqlite:./x.db" and a link to x.db are one store, whether
// or not the file exists yet). Other URIs are returned unchanged. Never
// fails: a path that cannot be resolved stays as written.
std::string CanonicalStoreUri(std::string_view uri);

}  // namespace ioreplication::stores_internal

#endif  // IOREPLICATION_SRC_STORES_STORE_URI_H_
