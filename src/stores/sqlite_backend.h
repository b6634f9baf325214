// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// The SQLite backend: the embedded default store, one SQLite database file
// per organization, as a StoreKernel backend (stores/store_backend.h).
//
// Layout (schema version 4): `objects` holds folders, items and tombstones,
// each as a protobuf record (store_records.proto) beside the columns the
// backend queries: source key (unique), kind, parent (indexed with kind and
// key), change key, local change number (unique index: the change stream)
// and size. `named_values` holds the kernel's named values. The file runs in
// WAL mode with synchronous=FULL, so a committed transaction survives a crash
// or power loss. PRAGMA user_version holds the schema version: older files
// are migrated forward on open, newer ones are refused.

#ifndef IOREPLICATION_SRC_STORES_SQLITE_BACKEND_H_
#define IOREPLICATION_SRC_STORES_SQLITE_BACKEND_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "ioreplication/store.h"
#include "stores/sqlite_schema.h"  // kSqliteSchemaVersion
#include "stores/store_kernel.h"

namespace ioreplication::stores_internal {

// Opens or creates the SQLite store in file `path`.
absl::StatusOr<std::unique_ptr<StoreKernel>> OpenSqliteStore(
    const std::string& path, const StoreOptions& options);

}  // namespace ioreplication::stores_internal

#endif  // IOREPLICATION_SRC_STORES_SQLITE_BACKEND_H_
