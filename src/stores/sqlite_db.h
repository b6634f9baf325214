// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// A thin RAII layer over the SQLite C API: a connection and prepared
// statements that turn SQLite result codes into absl::Status.

#ifndef IOREPLICATION_SRC_STORES_SQLITE_DB_H_
#define IOREPLICATION_SRC_STORES_SQLITE_DB_H_

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace ioreplication::stores_internal {

// A status for SQLite result code `rc` on `db`, with SQLite's message.
absl::Status SqliteError(sqlite3* db, int rc, std::string_view context);

// DataLossError for a column of a store's row that does not decode (`what`:
// "source key", "kind", ...).
absl::Status CorruptColumn(std::string_view what);

class Statement {
 public:
  Statement() = default;
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Statement(Statement&& other) noexcept { *this = std::move(other); }
  Statement& operator=(Statement&& other) noexcept;
  ~Statement();

  // Binding (1-based, as in SQLite). Text and blobs are copied by SQLite only
  // when asked to; these bind them transiently (copied).
  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, std::string_view blob);  // as a BLOB
  Statement& BindText(int index, std::string_view text);
  Statement& BindNull(int index);

  // Runs one step: true when a row is available, false when done.
  absl::StatusOr<bool> Step();
  // Steps to the end, expecting no rows.
  absl::Status Run();
  // Steps through every row, calling `row` for each; stops at the first
  // error (from SQLite or from `row`). Always resets the statement.
  absl::Status ForEachRow(const std::function<absl::Status()>& row);
  // Resets for reuse and clears the bindings.
  void Reset();

  int64_t ColumnInt(int column) const;
  std::string_view ColumnBlob(int column) const;
  bool ColumnIsNull(int column) const;

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

class Database {
 public:
  // Opens (creating if missing) the database file at `path`.
  static absl::StatusOr<std::unique_ptr<Database>> Open(
      const std::string& path);
  ~Database();

  // Runs SQL with no results (may hold several statements).
  absl::Status Exec(std::string_view sql);
  // Prepares one statement.
  absl::StatusOr<Statement> Prepare(std::string_view sql);

  sqlite3* handle() const { return db_; }

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  sqlite3* db_;
};

}  // namespace ioreplication::stores_internal

#endif  // IOREPLICATION_SRC_STORES_SQLITE_DB_H_
