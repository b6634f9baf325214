// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "stores/sqlite_schema.h"

#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "core/byte_reader.h"
#include "ioreplication/guid.h"
#include "stores/kernel_values.h"

namespace ioreplication::stores_internal {
namespace {

// Migration i takes the schema from version i to i + 1, SQL or, where SQL
// cannot say it, code (MigrateToNamedValues). Append steps; never change
// what a shipped step leaves behind.
constexpr const char* kMigrations[] = {
    // 0 -> 1: the first schema.
    R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY, value ANY) STRICT;
CREATE TABLE counters (
  replica BLOB PRIMARY KEY,
  high INTEGER NOT NULL
) STRICT;
CREATE TABLE objects (
  id INTEGER PRIMARY KEY,
  source_key BLOB NOT NULL UNIQUE,
  kind INTEGER NOT NULL,
  parent BLOB,
  cn_replica BLOB NOT NULL,
  cn_counter INTEGER NOT NULL,
  size INTEGER NOT NULL,
  record BLOB NOT NULL
) STRICT;
CREATE INDEX objects_by_cn ON objects (cn_replica, cn_counter);
CREATE INDEX objects_by_parent ON objects (parent, kind, source_key);
CREATE TABLE sync_state (name TEXT PRIMARY KEY, blob BLOB NOT NULL) STRICT;
)sql",
    // 1 -> 2: local change numbers order the change stream (existing rows
    // are numbered in their old change-key order); tombstone retention.
    R"sql(
ALTER TABLE objects ADD COLUMN local_cn INTEGER NOT NULL DEFAULT 0;
UPDATE objects SET local_cn = r.n FROM (
  SELECT id, row_number() OVER (ORDER BY cn_replica, cn_counter) AS n
  FROM objects) AS r WHERE r.id = objects.id;
CREATE UNIQUE INDEX objects_by_local_cn ON objects (local_cn);
INSERT INTO meta (key, value) VALUES
  ('local_cn', (SELECT count(*) FROM objects)), ('tombstone_horizon', 0);
)sql",
    // 2 -> 3: a table of folder digests. It shipped filled; step 4 drops it
    // (the kernel keeps digests now), so it is created empty.
    R"sql(
CREATE TABLE folder_digests (
  folder BLOB PRIMARY KEY,
  items INTEGER NOT NULL,
  sum BLOB NOT NULL
) STRICT, WITHOUT ROWID;
)sql",
    // 3 -> 4: the kernel's named values (MigrateToNamedValues).
    nullptr,
};
constexpr int kMigrationCount = sizeof(kMigrations) / sizeof(kMigrations[0]);
static_assert(kMigrationCount == kSqliteSchemaVersion);

// Schema 3 -> 4: meta, counters and sync_state become the kernel's named
// values; folder_digests and the change-key index go (the kernel recomputes
// digests and counters in use once, at the first open).
absl::Status MigrateToNamedValues(Database& db) {
  namespace kv = kernel_values;
  if (absl::Status s =
          db.Exec("CREATE TABLE named_values (name TEXT PRIMARY KEY, "
                  "value BLOB NOT NULL) STRICT, WITHOUT ROWID;");
      !s.ok()) {
    return s;
  }
  absl::StatusOr<Statement> put = db.Prepare(
      "INSERT OR REPLACE INTO named_values (name, value) VALUES (?1, ?2)");
  if (!put.ok()) return put.status();
  auto each = [&](const char* sql, auto&& row) -> absl::Status {
    absl::StatusOr<Statement> q = db.Prepare(sql);
    if (!q.ok()) return q.status();
    return q->ForEachRow([&] { return row(*q); });
  };
  std::optional<Guid> replica;
  int64_t epoch = 0;
  absl::Status status =
      each("SELECT key, value FROM meta", [&](Statement& q) -> absl::Status {
        const std::string key(q.ColumnBlob(0));
        if (key == "replica") {
          absl::StatusOr<Guid> g =
              Guid::Decode(core_internal::AsBytes(q.ColumnBlob(1)));
          if (!g.ok()) return absl::DataLossError("corrupt replica identity");
          replica = *g;
        } else if (key == "epoch") {
          epoch = q.ColumnInt(1);
        } else if (key == kv::kLocalCn || key == kv::kHorizon) {
          return put->BindText(1, key)
              .Bind(2, kv::U64Value(static_cast<uint64_t>(q.ColumnInt(1))))
              .Run();
        }
        return absl::OkStatus();
      });
  if (status.ok() && replica) {
    if (epoch < 0 || epoch > UINT32_MAX) {
      return absl::DataLossError("corrupt replica epoch");
    }
    status =
        put->BindText(1, kv::kIdentity)
            .Bind(2,
                  kv::IdentityValue({*replica, static_cast<uint32_t>(epoch)}))
            .Run();
  }
  if (status.ok()) {
    status =
        each("SELECT replica, high FROM counters",
             [&](Statement& q) -> absl::Status {
               absl::StatusOr<Guid> g =
                   Guid::Decode(core_internal::AsBytes(q.ColumnBlob(0)));
               if (!g.ok()) return CorruptColumn("counter replica");
               return put->BindText(1, kv::CounterName(*g))
                   .Bind(2, kv::U64Value(static_cast<uint64_t>(q.ColumnInt(1))))
                   .Run();
             });
  }
  if (status.ok()) {
    status = each("SELECT name, blob FROM sync_state",
                  [&](Statement& q) -> absl::Status {
                    return put->BindText(1, kv::SyncStateName(q.ColumnBlob(0)))
                        .Bind(2, q.ColumnBlob(1))
                        .Run();
                  });
  }
  if (!status.ok()) return status;
  return db.Exec(
      "DROP TABLE meta; DROP TABLE counters; DROP TABLE sync_state; "
      "DROP TABLE folder_digests; DROP INDEX objects_by_cn;");
}

}  // namespace

absl::Status MigrateSqliteSchema(Database& db) {
  // The version is read again inside each step's write transaction: two
  // handles opening a new file at once must not both create the schema.
  auto read_version = [&]() -> absl::StatusOr<int64_t> {
    absl::StatusOr<Statement> version = db.Prepare("PRAGMA user_version");
    if (!version.ok()) return version.status();
    absl::StatusOr<bool> row = version->Step();
    if (!row.ok()) return row.status();
    return version->ColumnInt(0);
  };
  absl::StatusOr<int64_t> first = read_version();
  if (!first.ok()) return first.status();
  for (int64_t v = *first; v < kSqliteSchemaVersion; ++v) {
    if (absl::Status s = db.Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
    absl::Status status = [&]() -> absl::Status {
      absl::StatusOr<int64_t> current = read_version();
      if (!current.ok()) return current.status();
      if (*current > v) {
        v = *current - 1;  // another handle migrated meanwhile
        return absl::OkStatus();
      }
      if (*current == 0) {
        absl::StatusOr<Statement> tables =
            db.Prepare("SELECT count(*) FROM sqlite_schema");
        if (!tables.ok()) return tables.status();
        if (absl::StatusOr<bool> r = tables->Step(); !r.ok()) {
          return r.status();
        }
        if (tables->ColumnInt(0) != 0) {
          return absl::FailedPreconditionError(
              "the file is an SQLite database but not an ioreplication store "
              "(it has tables and no schema version)");
        }
      }
      if (absl::Status s = kMigrations[v] != nullptr ? db.Exec(kMigrations[v])
                                                     : MigrateToNamedValues(db);
          !s.ok()) {
        return s;
      }
      return db.Exec(absl::StrCat("PRAGMA user_version = ", v + 1, ";"));
    }();
    if (!status.ok()) {
      (void)db.Exec("ROLLBACK");
      return status;
    }
    if (absl::Status s = db.Exec("COMMIT"); !s.ok()) return s;
  }
  if (*first > kSqliteSchemaVersion) {
    return absl::FailedPreconditionError(absl::StrCat(
        "this SQLite store has schema version ", *first, ", newer than the ",
        kSqliteSchemaVersion,
        " this ioreplication understands; open it with a newer release"));
  }
  return absl::OkStatus();
}

}  // namespace ioreplication::stores_internal
