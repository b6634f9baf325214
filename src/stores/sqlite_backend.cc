// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "stores/sqlite_backend.h"

#include <filesystem>
#include <optional>
#include <string>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "core/byte_reader.h"
#include "stores/sqlite_db.h"
#include "stores/sqlite_schema.h"
#include "stores/store_backend.h"

namespace ioreplication::stores_internal {
namespace {

// Statements read records in these column orders.
constexpr char kHeaderColumns[] =
    "kind, source_key, parent, cn_replica, cn_counter, local_cn";
constexpr char kBodyColumns[] =
    "kind, source_key, parent, cn_replica, cn_counter, local_cn, record";

absl::StatusOr<SourceKey> KeyColumn(const Statement& q, int column) {
  absl::StatusOr<SourceKey> key =
      SourceKey::Decode(core_internal::AsBytes(q.ColumnBlob(column)));
  if (!key.ok()) return CorruptColumn("source key");
  return key;
}

// The row's header (columns in kHeaderColumns order).
absl::StatusOr<RecordHeader> HeaderOf(const Statement& q) {
  RecordHeader h;
  const int64_t kind = q.ColumnInt(0);
  if (kind < 0 || kind > 2) return CorruptColumn("kind");
  h.kind = static_cast<ObjectKind>(kind);
  absl::StatusOr<SourceKey> key = KeyColumn(q, 1);
  if (!key.ok()) return key.status();
  h.key = *key;
  if (!q.ColumnIsNull(2)) {
    absl::StatusOr<SourceKey> parent = KeyColumn(q, 2);
    if (!parent.ok()) return parent.status();
    h.parent = *parent;
  }
  absl::StatusOr<Guid> replica =
      Guid::Decode(core_internal::AsBytes(q.ColumnBlob(3)));
  absl::StatusOr<GlobCnt> counter =
      GlobCnt::FromValue(static_cast<uint64_t>(q.ColumnInt(4)));
  absl::StatusOr<GlobCnt> local_cn =
      GlobCnt::FromValue(static_cast<uint64_t>(q.ColumnInt(5)));
  if (!replica.ok() || !counter.ok()) return CorruptColumn("change key");
  if (!local_cn.ok() || q.ColumnInt(5) <= 0)
    return CorruptColumn("local change number");
  h.change_key = ChangeNumber(*replica, *counter);
  h.local_cn = *local_cn;
  return h;
}

class SqliteBackend final : public StoreBackend {
 public:
  explicit SqliteBackend(std::unique_ptr<Database> db) : db_(std::move(db)) {}
  ~SqliteBackend() override {
    sql_.reset();  // statements are finalized before the connection closes
  }

  absl::Status Configure();
  absl::Status Migrate() { return MigrateSqliteSchema(*db_); }
  absl::Status Prepare();

  absl::Status Begin() override { return sql_->begin.Run(); }
  absl::Status Commit() override { return sql_->commit.Run(); }
  absl::Status Rollback() override { return sql_->rollback.Run(); }

  absl::StatusOr<bool> Get(const SourceKey& key, RecordPart part,
                           RecordVisitor visit) override {
    Statement& q = sql_->get[part == RecordPart::kBody];
    q.Bind(1, key.Encode());
    bool found = false;
    absl::Status status =
        Visit(q, part, [&](const RecordHeader& h, std::string_view body) {
          found = true;
          return visit(h, body);
        });
    if (!status.ok()) return status;
    return found;
  }

  absl::Status Put(const RecordHeader& h, std::string_view body,
                   bool replace) override {
    Statement& q = replace ? sql_->update : sql_->insert;
    q.Bind(1, h.key.Encode()).Bind(2, static_cast<int64_t>(h.kind));
    if (h.parent) {
      q.Bind(3, h.parent->Encode());
    } else {
      q.BindNull(3);
    }
    return q.Bind(4, core_internal::AsString(h.change_key.replica().bytes()))
        .Bind(5, static_cast<int64_t>(h.change_key.counter().value()))
        .Bind(6, static_cast<int64_t>(h.size))
        .Bind(7, body)
        .Bind(8, static_cast<int64_t>(h.local_cn.value()))
        .Run();
  }

  absl::Status Remove(const SourceKey& key) override {
    return sql_->remove.Bind(1, key.Encode()).Run();
  }

  absl::Status ListChildren(const std::optional<SourceKey>& parent,
                            uint32_t kinds, RecordPart part, size_t limit,
                            RecordVisitor visit) override {
    Statement& q = sql_->children[part == RecordPart::kBody];
    if (parent) {
      q.Bind(1, parent->Encode());
    } else {
      q.BindNull(1);
    }
    // The kinds as values of the index's second column (-1 for none), so
    // that a folder's subfolders are found without passing over its items.
    for (int kind = 0; kind < 3; ++kind) {
      q.Bind(2 + kind, (kinds >> kind) & 1 ? int64_t{kind} : int64_t{-1});
    }
    q.Bind(5, limit == 0 ? -1 : static_cast<int64_t>(limit));
    return Visit(q, part, visit);
  }

  absl::Status ScanByLocalCn(uint64_t first, uint64_t last, uint32_t kinds,
                             RecordPart part, const ScanLimits& /*limits*/,
                             RecordVisitor visit) override {
    // One statement steps through the whole range; the visitor stops it.
    Statement& q = sql_->scan[part == RecordPart::kBody];
    q.Bind(1, static_cast<int64_t>(first))
        .Bind(2, static_cast<int64_t>(last))
        .Bind(3, int64_t{kinds});
    return Visit(q, part, visit);
  }

  absl::StatusOr<StoreCounts> Count() override {
    Statement& q = sql_->counts;
    StoreCounts counts;
    uint64_t* field[] = {&counts.folders, &counts.items, &counts.tombstones};
    absl::Status status = q.ForEachRow([&] {
      const int64_t kind = q.ColumnInt(0);
      if (kind < 0 || kind > 2) return CorruptColumn("kind");
      *field[kind] = static_cast<uint64_t>(q.ColumnInt(1));
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    return counts;
  }

  absl::StatusOr<std::optional<std::string>> GetValue(
      std::string_view name) override {
    Statement& q = sql_->get_value;
    q.BindText(1, name);
    absl::StatusOr<bool> row = q.Step();
    std::optional<std::string> value;
    if (row.ok() && *row) value = std::string(q.ColumnBlob(0));
    q.Reset();
    if (!row.ok()) return row.status();
    return value;
  }

  absl::Status PutValue(std::string_view name,
                        std::string_view value) override {
    return sql_->put_value.BindText(1, name).Bind(2, value).Run();
  }

  absl::Status DeleteValue(std::string_view name) override {
    return sql_->delete_value.BindText(1, name).Run();
  }

  absl::Status CheckIntegrity() override {
    absl::StatusOr<Statement> check = db_->Prepare("PRAGMA integrity_check");
    if (!check.ok()) return check.status();
    std::string report;
    absl::Status status = check->ForEachRow([&] {
      absl::StrAppend(&report, report.empty() ? "" : "; ",
                      std::string(check->ColumnBlob(0)));
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    if (report != "ok") {
      return absl::DataLossError(absl::StrCat("integrity_check: ", report));
    }
    return absl::OkStatus();
  }

 private:
  struct Statements {
    Statement begin, commit, rollback, insert, update, remove, counts;
    Statement get[2], children[2], scan[2];  // [0] headers, [1] with bodies
    Statement get_value, put_value, delete_value;
  };

  // Steps `q` to its end or until `visit` says stop, and resets it.
  absl::Status Visit(Statement& q, RecordPart part, RecordVisitor visit) {
    absl::Status status;
    while (status.ok()) {
      absl::StatusOr<bool> row = q.Step();
      if (!row.ok() || !*row) {
        status = row.status();
        break;
      }
      absl::StatusOr<RecordHeader> h = HeaderOf(q);
      if (!h.ok()) {
        status = h.status();
        break;
      }
      // The view of the body is valid until the next step.
      absl::StatusOr<bool> more =
          visit(*h, part == RecordPart::kBody ? q.ColumnBlob(6) : "");
      if (!more.ok() || !*more) {
        status = more.status();
        break;
      }
    }
    q.Reset();
    return status;
  }

  std::unique_ptr<Database> db_;
  std::unique_ptr<Statements> sql_;
};

absl::Status SqliteBackend::Configure() {
  // WAL lets readers run beside the writer; synchronous=FULL makes each
  // commit durable (counter reservations depend on it).
  if (absl::Status s = db_->Exec("PRAGMA busy_timeout = 10000;"); !s.ok()) {
    return s;
  }
  // Switching a new file to WAL takes an exclusive lock that the busy
  // timeout does not wait for: when several handles open a new file at once,
  // the others see "database is locked" and try again.
  absl::Status wal;
  for (int attempt = 0; attempt < 1000; ++attempt) {
    wal = db_->Exec("PRAGMA journal_mode = WAL;");
    if (!absl::IsUnavailable(wal)) break;
    absl::SleepFor(absl::Milliseconds(10));
  }
  if (!wal.ok()) return wal;
  return db_->Exec("PRAGMA synchronous = FULL;");
}

absl::Status SqliteBackend::Prepare() {
  sql_ = std::make_unique<Statements>();
  const std::string columns[2] = {kHeaderColumns, kBodyColumns};
  std::pair<Statement*, std::string> entries[] = {
      {&sql_->begin, "BEGIN IMMEDIATE"},
      {&sql_->commit, "COMMIT"},
      {&sql_->rollback, "ROLLBACK"},
      {&sql_->insert,
       "INSERT INTO objects (source_key, kind, parent, cn_replica, "
       "cn_counter, size, record, local_cn) "
       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"},
      {&sql_->update,
       "UPDATE objects SET kind = ?2, parent = ?3, cn_replica = ?4, "
       "cn_counter = ?5, size = ?6, record = ?7, local_cn = ?8 "
       "WHERE source_key = ?1"},
      {&sql_->remove, "DELETE FROM objects WHERE source_key = ?"},
      {&sql_->counts, "SELECT kind, count(*) FROM objects GROUP BY kind"},
      {&sql_->get_value, "SELECT value FROM named_values WHERE name = ?"},
      {&sql_->put_value,
       "INSERT INTO named_values (name, value) VALUES (?1, ?2) "
       "ON CONFLICT (name) DO UPDATE SET value = excluded.value"},
      {&sql_->delete_value, "DELETE FROM named_values WHERE name = ?"},
  };
  for (auto& [statement, text] : entries) {
    absl::StatusOr<Statement> s = db_->Prepare(text);
    if (!s.ok()) return s.status();
    *statement = std::move(*s);
  }
  for (int body = 0; body < 2; ++body) {
    // The kind test sits in WHERE, so rows of other kinds are passed over
    // without their records being read.
    std::pair<Statement*, std::string> reads[] = {
        {&sql_->get[body], absl::StrCat("SELECT ", columns[body],
                                        " FROM objects WHERE source_key = ?")},
        {&sql_->children[body],
         absl::StrCat("SELECT ", columns[body],
                      " FROM objects WHERE parent IS ?1 AND "
                      "kind IN (?2, ?3, ?4) LIMIT ?5")},
        {&sql_->scan[body],
         absl::StrCat("SELECT ", columns[body],
                      " FROM objects WHERE local_cn BETWEEN ?1 AND ?2 AND "
                      "((?3 >> kind) & 1) = 1 ORDER BY local_cn")},
    };
    for (auto& [statement, text] : reads) {
      absl::StatusOr<Statement> s = db_->Prepare(text);
      if (!s.ok()) return s.status();
      *statement = std::move(*s);
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<StoreKernel>> OpenSqliteStore(
    const std::string& path, const StoreOptions& options) {
  // SQLite says "unable to open database file" for a directory that does
  // not exist, as for one it may not write: tell the two apart.
  std::error_code error;
  const std::filesystem::path parent =
      std::filesystem::path(path).parent_path();
  if (!parent.empty() && !std::filesystem::is_directory(parent, error)) {
    return absl::NotFoundError(absl::StrCat(
        "SQLite store ", path, ": the directory ", parent.string(),
        std::filesystem::exists(parent, error) ? " is not a directory"
                                               : " does not exist"));
  }
  if (std::filesystem::is_directory(path, error)) {
    return absl::InvalidArgumentError(
        absl::StrCat("SQLite store ", path, " is a directory, not a file"));
  }
  absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(path);
  if (!db.ok()) return db.status();
  auto backend = std::make_unique<SqliteBackend>(std::move(*db));
  if (absl::Status s = backend->Configure(); !s.ok()) return s;
  if (absl::Status s = backend->Migrate(); !s.ok()) return s;
  if (absl::Status s = backend->Prepare(); !s.ok()) return s;
  return StoreKernel::Open(std::move(backend), options);
}

}  // namespace ioreplication::stores_internal
