// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// The SQL function with which SqliteStore computes folder digests from its
// item rows (stores/folder_digest.h's arithmetic, like every other store):
// when the schema migration first fills the folder_digests table, and when
// CheckIntegrity recomputes every digest to compare with the kept ones.
//   iorepl_digest_total(source_key, cn_replica, cn_counter)  (aggregate)
// A row whose columns do not decode makes the statement fail.

#ifndef IOREPLICATION_SRC_STORES_SQLITE_DIGEST_H_
#define IOREPLICATION_SRC_STORES_SQLITE_DIGEST_H_

#include <sqlite3.h>

#include "absl/status/status.h"

namespace ioreplication::stores_internal {

// Registers the functions on `db`.
absl::Status RegisterDigestFunctions(sqlite3* db);

}  // namespace ioreplication::stores_internal

#endif  // IOREPLICATION_SRC_STORES_SQLITE_DIGEST_H_
