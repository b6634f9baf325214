// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Checks every built-in store makes before it writes, so that each store
// rejects bad input the same way and with the same messages.

#ifndef IOREPLICATION_SRC_STORES_STORE_CHECKS_H_
#define IOREPLICATION_SRC_STORES_STORE_CHECKS_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "ioreplication/store.h"

namespace ioreplication::stores_internal {

// FailedPreconditionError unless a transaction is open.
absl::Status CheckInTransaction(bool in_transaction, const char* operation);

// The folder's own fields: its name.
absl::Status CheckFolder(const Folder& folder);

// The item's own fields and its size against the limit.
absl::Status CheckItem(const Item& item, const StoreOptions& options);

// The range of `exclude` that holds `local_cn`, if any: the change stream
// skips to just past its end.
std::optional<GlobRange> ExcludedRange(const GlobSet& exclude,
                                       GlobCnt local_cn);

// Error builders with one wording for all stores.
absl::Status NotFound(const char* what, const SourceKey& key);
absl::Status KeyInUseError(const SourceKey& key);
absl::Status MissingParent(const char* what, const SourceKey& parent);

}  // namespace ioreplication::stores_internal

#endif  // IOREPLICATION_SRC_STORES_STORE_CHECKS_H_
