// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// The SQLite backend's schema and its forward migrations. PRAGMA
// user_version holds a file's schema version; each migration step runs in
// a write transaction of its own and reads the version again inside it, so
// that handles opening one file at once migrate it once.

#ifndef IOREPLICATION_SRC_STORES_SQLITE_SCHEMA_H_
#define IOREPLICATION_SRC_STORES_SQLITE_SCHEMA_H_

#include "absl/status/status.h"
#include "stores/sqlite_db.h"

namespace ioreplication::stores_internal {

// The schema version this code writes and reads.
inline constexpr int kSqliteSchemaVersion = 4;

// Brings `db` to kSqliteSchemaVersion. FailedPreconditionError for a file of
// a newer version and for an SQLite database that is not a store.
absl::Status MigrateSqliteSchema(Database& db);

}  // namespace ioreplication::stores_internal

#endif  // IOREPLICATION_SRC_STORES_SQLITE_SCHEMA_H_
