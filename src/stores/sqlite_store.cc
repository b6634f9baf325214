// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "stores/sqlite_store.h"

#include <filesystem>
#include <system_error>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "core/byte_reader.h"
#include "stores/folder_digest.h"
#include "stores/record_codec.h"
#include "stores/sqlite_digest.h"
#include "stores/store_checks.h"

namespace ioreplication::stores_internal {
namespace {

// Migration i takes the schema from version i to i + 1. Never edit a shipped
// step: append a new one.
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
    // 2 -> 3: each folder's FolderDigest (computed here by
    // stores/sqlite_digest.h's aggregate, then kept by the store as items
    // change), so that verify reads one row per folder instead of every
    // item's.
    R"sql(
CREATE TABLE folder_digests (
  folder BLOB PRIMARY KEY,
  items INTEGER NOT NULL,
  sum BLOB NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO folder_digests (folder, items, sum)
SELECT parent, count(*),
  iorepl_digest_total(source_key, cn_replica, cn_counter)
FROM objects WHERE kind = 1 GROUP BY parent;
)sql",
};
constexpr int kMigrationCount = sizeof(kMigrations) / sizeof(kMigrations[0]);
static_assert(kMigrationCount == SqliteStore::kSchemaVersion);

std::string GuidBytes(const Guid& g) {
  return core_internal::AsString(g.bytes());
}

absl::StatusOr<SourceKey> KeyFromColumn(std::string_view bytes) {
  absl::StatusOr<SourceKey> key = SourceKey::Decode(
      {reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()});
  if (!key.ok()) {
    return absl::DataLossError(
        absl::StrCat("corrupt source key column: ", key.status().message()));
  }
  return key;
}

}  // namespace

struct SqliteStore::Statements {
  Statement begin, commit, rollback;
  Statement kind_of, record_of, insert_object, update_object, delete_object;
  Statement root_folder, has_children, child_folders, root_folders, items_in;
  Statement item_versions_in, folder_digest, set_digest, delete_digest;
  Statement changes, max_cn, max_key, counts, tombstones;
  Statement get_counter, set_counter, get_meta, set_meta;
  Statement get_sync, set_sync;
};

SqliteStore::SqliteStore(std::unique_ptr<Database> db,
                         const StoreOptions& options)
    : RecordStore(options), db_(std::move(db)) {}

SqliteStore::~SqliteStore() {
  // An open transaction is abandoned: SQLite rolls it back on close.
  sql_.reset();  // statements must be finalized before the connection closes
}

absl::StatusOr<std::unique_ptr<SqliteStore>> SqliteStore::Open(
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
  std::unique_ptr<SqliteStore> store(new SqliteStore(std::move(*db), options));
  // WAL lets readers run beside the writer; synchronous=FULL makes each
  // commit durable (counter reservations depend on it).
  if (absl::Status s = store->db_->Exec("PRAGMA busy_timeout = 10000;");
      !s.ok()) {
    return s;
  }
  // Switching a new file to WAL takes an exclusive lock that the busy
  // timeout does not wait for: when several handles open a new file at once,
  // the others see "database is locked" and try again.
  absl::Status wal;
  for (int attempt = 0; attempt < 1000; ++attempt) {
    wal = store->db_->Exec("PRAGMA journal_mode = WAL;");
    if (!absl::IsUnavailable(wal)) break;
    absl::SleepFor(absl::Milliseconds(10));
  }
  if (!wal.ok()) return wal;
  if (absl::Status s = store->db_->Exec("PRAGMA synchronous = FULL;");
      !s.ok()) {
    return s;
  }
  // The migration to schema version 3 and CheckIntegrity use them.
  if (absl::Status s = RegisterDigestFunctions(store->db_->handle());
      !s.ok()) {
    return s;
  }
  if (absl::Status s = store->Migrate(); !s.ok()) return s;
  if (absl::Status s = store->Prepare(); !s.ok()) return s;
  if (absl::Status s = store->LoadIdentity(); !s.ok()) return s;
  return store;
}

absl::Status SqliteStore::Migrate() {
  // The version is read again inside each step's write transaction: two
  // handles opening a new file at once must not both create the schema.
  auto read_version = [&]() -> absl::StatusOr<int64_t> {
    absl::StatusOr<Statement> version = db_->Prepare("PRAGMA user_version");
    if (!version.ok()) return version.status();
    absl::StatusOr<bool> row = version->Step();
    if (!row.ok()) return row.status();
    return version->ColumnInt(0);
  };
  absl::StatusOr<int64_t> first = read_version();
  if (!first.ok()) return first.status();
  for (int64_t v = *first; v < kSchemaVersion; ++v) {
    if (absl::Status s = db_->Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
    absl::Status status = [&]() -> absl::Status {
      absl::StatusOr<int64_t> current = read_version();
      if (!current.ok()) return current.status();
      if (*current > v) {
        v = *current - 1;  // another handle migrated meanwhile
        return absl::OkStatus();
      }
      if (*current == 0) {
        absl::StatusOr<Statement> tables =
            db_->Prepare("SELECT count(*) FROM sqlite_schema");
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
      if (absl::Status s = db_->Exec(absl::StrCat(
              kMigrations[v], "PRAGMA user_version = ", v + 1, ";"));
          !s.ok()) {
        return s;
      }
      if (v == 0) {
        // A new store: its first identity.
        absl::StatusOr<Statement> meta = db_->Prepare(
            "INSERT INTO meta (key, value) VALUES ('replica', ?), "
            "('epoch', 0)");
        if (!meta.ok()) return meta.status();
        meta->Bind(1, GuidBytes(Guid::Random()));
        if (absl::Status s = meta->Run(); !s.ok()) return s;
      }
      return absl::OkStatus();
    }();
    if (!status.ok()) {
      (void)db_->Exec("ROLLBACK");
      return status;
    }
    if (absl::Status s = db_->Exec("COMMIT"); !s.ok()) return s;
  }
  if (*first > kSchemaVersion) {
    return absl::FailedPreconditionError(absl::StrCat(
        "this SQLite store has schema version ", *first, ", newer than the ",
        kSchemaVersion,
        " this ioreplication understands; open it with a newer release"));
  }
  return absl::OkStatus();
}

absl::Status SqliteStore::Prepare() {
  sql_ = std::make_unique<Statements>();
  struct Entry {
    Statement* statement;
    const char* sql;
  } entries[] = {
      {&sql_->begin, "BEGIN IMMEDIATE"},
      {&sql_->commit, "COMMIT"},
      {&sql_->rollback, "ROLLBACK"},
      {&sql_->kind_of,
       "SELECT kind, parent, cn_replica, cn_counter FROM objects "
       "WHERE source_key = ?"},
      {&sql_->record_of,
       "SELECT kind, record FROM objects WHERE source_key = ?"},
      {&sql_->insert_object,
       "INSERT INTO objects (source_key, kind, parent, cn_replica, "
       "cn_counter, size, record, local_cn) "
       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"},
      {&sql_->update_object,
       "UPDATE objects SET kind = ?2, parent = ?3, cn_replica = ?4, "
       "cn_counter = ?5, size = ?6, record = ?7, local_cn = ?8 "
       "WHERE source_key = ?1"},
      {&sql_->delete_object, "DELETE FROM objects WHERE source_key = ?"},
      {&sql_->root_folder,
       "SELECT source_key FROM objects WHERE parent IS NULL AND kind = 0 "
       "LIMIT 1"},
      {&sql_->has_children,
       "SELECT kind FROM objects WHERE parent = ? AND kind IN (0, 1) LIMIT 1"},
      {&sql_->child_folders,
       "SELECT record FROM objects WHERE parent = ? AND kind = 0 "
       "ORDER BY source_key"},
      {&sql_->root_folders,
       "SELECT record FROM objects WHERE parent IS NULL AND kind = 0 "
       "ORDER BY source_key"},
      {&sql_->items_in,
       "SELECT source_key FROM objects WHERE parent = ? AND kind = 1 "
       "ORDER BY source_key"},
      // Change keys are columns: no record is read.
      {&sql_->item_versions_in,
       "SELECT source_key, cn_replica, cn_counter FROM objects "
       "WHERE parent = ? AND kind = 1 ORDER BY source_key"},
      {&sql_->folder_digest,
       "SELECT items, sum FROM folder_digests WHERE folder = ?"},
      {&sql_->set_digest,
       "INSERT INTO folder_digests (folder, items, sum) VALUES (?1, ?2, ?3) "
       "ON CONFLICT (folder) DO UPDATE SET items = excluded.items, "
       "sum = excluded.sum"},
      {&sql_->delete_digest, "DELETE FROM folder_digests WHERE folder = ?"},
      // The kind test sits in WHERE so that rows of other kinds are passed
      // over without their records being read.
      {&sql_->changes,
       "SELECT kind, record, local_cn, size FROM objects "
       "WHERE local_cn > ?1 AND ((?2 >> kind) & 1) = 1 "
       "ORDER BY local_cn LIMIT ?3"},
      {&sql_->tombstones,
       "SELECT source_key, record, local_cn FROM objects WHERE kind = 2"},
      {&sql_->max_cn,
       "SELECT max(cn_counter) FROM objects WHERE cn_replica = ?"},
      {&sql_->max_key,
       "SELECT max(source_key) FROM objects WHERE source_key BETWEEN ?1 AND "
       "?2"},
      {&sql_->counts, "SELECT kind, count(*) FROM objects GROUP BY kind"},
      {&sql_->get_counter, "SELECT high FROM counters WHERE replica = ?"},
      {&sql_->set_counter,
       "INSERT INTO counters (replica, high) VALUES (?1, ?2) "
       "ON CONFLICT (replica) DO UPDATE SET high = excluded.high"},
      {&sql_->get_meta, "SELECT value FROM meta WHERE key = ?"},
      {&sql_->set_meta,
       "INSERT INTO meta (key, value) VALUES (?1, ?2) "
       "ON CONFLICT (key) DO UPDATE SET value = excluded.value"},
      {&sql_->get_sync, "SELECT blob FROM sync_state WHERE name = ?"},
      {&sql_->set_sync,
       "INSERT INTO sync_state (name, blob) VALUES (?1, ?2) "
       "ON CONFLICT (name) DO UPDATE SET blob = excluded.blob"},
  };
  for (Entry& e : entries) {
    absl::StatusOr<Statement> s = db_->Prepare(e.sql);
    if (!s.ok()) return s.status();
    *e.statement = std::move(*s);
  }
  return absl::OkStatus();
}

absl::Status SqliteStore::LoadIdentity() {
  Statement& meta = sql_->get_meta;
  meta.BindText(1, "replica");
  absl::StatusOr<bool> row = meta.Step();
  if (!row.ok() || !*row) {
    meta.Reset();
    return row.ok() ? absl::DataLossError("store has no replica identity")
                    : row.status();
  }
  absl::StatusOr<Guid> guid =
      Guid::Decode(core_internal::AsBytes(std::string(meta.ColumnBlob(0))));
  meta.Reset();
  if (!guid.ok()) return absl::DataLossError("corrupt replica identity");
  meta.BindText(1, "epoch");
  row = meta.Step();
  const int64_t epoch = row.ok() && *row ? meta.ColumnInt(0) : -1;
  meta.Reset();
  if (epoch < 0 || epoch > UINT32_MAX) {
    return absl::DataLossError("corrupt replica epoch");
  }
  identity_ = StoreIdentity{*guid, static_cast<uint32_t>(epoch)};
  return absl::OkStatus();
}

absl::Status SqliteStore::CheckIntegrity() {
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
  absl::StatusOr<Statement> digests = db_->Prepare(
      "WITH computed AS ("
      "  SELECT parent AS folder, count(*) AS items,"
      "    iorepl_digest_total(source_key, cn_replica, cn_counter) AS sum"
      "  FROM objects WHERE kind = 1 GROUP BY parent) "
      "SELECT count(*) FROM computed "
      "FULL OUTER JOIN folder_digests AS kept USING (folder) "
      "WHERE computed.items IS NOT kept.items OR computed.sum IS NOT kept.sum");
  if (!digests.ok()) return digests.status();
  absl::StatusOr<bool> row = digests->Step();
  if (!row.ok()) return row.status();
  if (const int64_t wrong = digests->ColumnInt(0); wrong != 0) {
    return absl::DataLossError(absl::StrCat(
        "folder digests: ", wrong,
        " folders' kept digests differ from their items"));
  }
  return absl::OkStatus();
}

// ---- Identity and counters ----

absl::StatusOr<StoreIdentity> SqliteStore::Identity() { return identity_; }

absl::Status SqliteStore::SetIdentity(const StoreIdentity& identity) {
  if (absl::Status s = CheckInTransaction(in_transaction_, "SetIdentity");
      !s.ok()) {
    return s;
  }
  sql_->set_meta.BindText(1, "replica").Bind(2, GuidBytes(identity.replica));
  if (absl::Status s = sql_->set_meta.Run(); !s.ok()) return s;
  sql_->set_meta.BindText(1, "epoch").Bind(2, int64_t{identity.epoch});
  if (absl::Status s = sql_->set_meta.Run(); !s.ok()) return s;
  identity_ = identity;
  return absl::OkStatus();
}

absl::StatusOr<GlobCnt> SqliteStore::CounterHighWater() {
  Statement& get = sql_->get_counter;
  get.Bind(1, GuidBytes(identity_.replica));
  absl::StatusOr<bool> row = get.Step();
  const int64_t high = row.ok() && *row ? get.ColumnInt(0) : 0;
  get.Reset();
  if (!row.ok()) return row.status();
  absl::StatusOr<GlobCnt> value =
      GlobCnt::FromValue(static_cast<uint64_t>(high));
  if (!value.ok() || high < 0) return absl::DataLossError("corrupt counter");
  return value;
}

absl::StatusOr<CounterBlock> SqliteStore::ReserveCounters(uint64_t count) {
  if (in_transaction_) {
    return absl::FailedPreconditionError(
        "ReserveCounters must be called outside a transaction");
  }
  if (count == 0) {
    return absl::InvalidArgumentError("ReserveCounters needs count >= 1");
  }
  if (absl::Status s = sql_->begin.Run(); !s.ok()) return s;
  absl::StatusOr<GlobCnt> high = CounterHighWater();
  absl::Status status = high.status();
  if (status.ok() && count > GlobCnt::kMaxValue - high->value()) {
    status = absl::OutOfRangeError(
        absl::StrCat("the counter of replica ", identity_.replica.ToString(),
                     " is exhausted (high water ", high->value(), ")"));
  }
  if (status.ok()) {
    sql_->set_counter.Bind(1, GuidBytes(identity_.replica))
        .Bind(2, static_cast<int64_t>(high->value() + count));
    status = sql_->set_counter.Run();
  }
  if (status.ok()) status = sql_->commit.Run();
  if (!status.ok()) {
    (void)sql_->rollback.Run();
    return status;
  }
  return CounterBlock{*GlobCnt::FromValue(high->value() + 1),
                      *GlobCnt::FromValue(high->value() + count)};
}

absl::StatusOr<GlobCnt> SqliteStore::MaxCounterInUse(const Guid& replica) {
  uint64_t max = 0;
  Statement& cn = sql_->max_cn;
  cn.Bind(1, GuidBytes(replica));
  absl::StatusOr<bool> row = cn.Step();
  if (row.ok() && *row && !cn.ColumnIsNull(0)) {
    max = static_cast<uint64_t>(cn.ColumnInt(0));
  }
  cn.Reset();
  if (!row.ok()) return row.status();
  Statement& key = sql_->max_key;
  key.Bind(1, SourceKey(replica, GlobCnt()).Encode())
      .Bind(2, SourceKey(replica, GlobCnt::Max()).Encode());
  row = key.Step();
  if (row.ok() && *row && !key.ColumnIsNull(0)) {
    absl::StatusOr<SourceKey> k = KeyFromColumn(key.ColumnBlob(0));
    if (k.ok()) max = std::max(max, k->counter().value());
  }
  key.Reset();
  if (!row.ok()) return row.status();
  return GlobCnt::FromValue(max);
}

// ---- Transactions ----

absl::Status SqliteStore::Begin() {
  if (in_transaction_) {
    return absl::FailedPreconditionError("a transaction is already open");
  }
  if (absl::Status s = sql_->begin.Run(); !s.ok()) return s;
  in_transaction_ = true;
  digest_changes_.clear();
  return absl::OkStatus();
}

absl::Status SqliteStore::Commit() {
  if (!in_transaction_) {
    return absl::FailedPreconditionError("Commit without a transaction");
  }
  if (local_cn_loaded_) {
    sql_->set_meta.BindText(1, "local_cn")
        .Bind(2, static_cast<int64_t>(local_cn_high_));
    if (absl::Status s = sql_->set_meta.Run(); !s.ok()) return s;
  }
  if (absl::Status s = FlushDigests(); !s.ok()) return s;
  if (absl::Status s = sql_->commit.Run(); !s.ok()) return s;
  in_transaction_ = false;
  local_cn_loaded_ = false;
  return absl::OkStatus();
}

absl::Status SqliteStore::Rollback() {
  if (!in_transaction_) {
    return absl::FailedPreconditionError("Rollback without a transaction");
  }
  absl::Status s = sql_->rollback.Run();
  in_transaction_ = false;
  local_cn_loaded_ = false;
  digest_changes_.clear();
  // The identity may have changed inside the transaction.
  if (absl::Status reload = LoadIdentity(); s.ok()) s = reload;
  return s;
}

// ---- Record primitives (RecordStore) ----

absl::StatusOr<std::optional<RecordStore::Stored>> SqliteStore::Lookup(
    const SourceKey& key) {
  Statement& q = sql_->kind_of;
  q.Bind(1, key.Encode());
  absl::StatusOr<bool> row = q.Step();
  absl::StatusOr<std::optional<Stored>> stored = std::optional<Stored>();
  if (row.ok() && *row) {
    Stored found{static_cast<RecordKind>(q.ColumnInt(0)), !q.ColumnIsNull(1)};
    stored = found;
    if (found.kind == RecordKind::kItem && found.has_parent) {
      // An item's folder and change number: what keeping the folder
      // digests needs when it is replaced or removed.
      absl::StatusOr<SourceKey> parent = KeyFromColumn(q.ColumnBlob(1));
      absl::StatusOr<Guid> replica =
          Guid::Decode(core_internal::AsBytes(q.ColumnBlob(2)));
      absl::StatusOr<GlobCnt> counter =
          GlobCnt::FromValue(static_cast<uint64_t>(q.ColumnInt(3)));
      if (!parent.ok() || !replica.ok() || !counter.ok()) {
        stored = absl::DataLossError(
            absl::StrCat("corrupt columns of item ", key.ToString()));
      } else {
        found.parent = *parent;
        found.change_number = ChangeNumber(*replica, *counter);
        stored = found;
      }
    }
  }
  q.Reset();
  if (!row.ok()) return row.status();
  return stored;
}

absl::StatusOr<bool> SqliteStore::ReadRecord(
    const SourceKey& key, RecordKind kind,
    absl::FunctionRef<absl::Status(std::string_view)> use) {
  Statement& q = sql_->record_of;
  q.Bind(1, key.Encode());
  absl::StatusOr<bool> row = q.Step();
  bool found = false;
  absl::Status used;
  if (row.ok() && *row && q.ColumnInt(0) == static_cast<int64_t>(kind)) {
    found = true;
    used = use(q.ColumnBlob(1));  // the view is valid until Reset
  }
  q.Reset();
  if (!row.ok()) return row.status();
  if (!used.ok()) return used;
  return found;
}

absl::StatusOr<bool> SqliteStore::HasRoot() {
  Statement& root = sql_->root_folder;
  absl::StatusOr<bool> row = root.Step();
  const bool has_root = row.ok() && *row;
  root.Reset();
  if (!row.ok()) return row.status();
  return has_root;
}

absl::StatusOr<std::optional<RecordStore::RecordKind>> SqliteStore::AnyChild(
    const SourceKey& folder) {
  Statement& children = sql_->has_children;
  children.Bind(1, folder.Encode());
  absl::StatusOr<bool> row = children.Step();
  std::optional<RecordKind> child;
  if (row.ok() && *row) child = static_cast<RecordKind>(children.ColumnInt(0));
  children.Reset();
  if (!row.ok()) return row.status();
  return child;
}

absl::Status SqliteStore::WriteRecord(const SourceKey& key, RecordKind kind,
                                      const std::optional<SourceKey>& parent,
                                      const ChangeNumber& cn, size_t size,
                                      const std::string& body,
                                      const std::optional<Stored>& old) {
  Statement& q = old ? sql_->update_object : sql_->insert_object;
  q.Bind(1, key.Encode()).Bind(2, static_cast<int64_t>(kind));
  if (parent) {
    q.Bind(3, parent->Encode());
  } else {
    q.BindNull(3);
  }
  absl::StatusOr<GlobCnt> local_cn = NextLocalCn();
  if (!local_cn.ok()) return local_cn.status();
  q.Bind(4, GuidBytes(cn.replica()))
      .Bind(5, static_cast<int64_t>(cn.counter().value()))
      .Bind(6, static_cast<int64_t>(size))
      .Bind(7, body)
      .Bind(8, static_cast<int64_t>(local_cn->value()));
  absl::Status status = q.Run();
  // A failed write changes nothing, its local change number included.
  if (!status.ok()) {
    --local_cn_high_;
    return status;
  }
  if (old && old->kind == RecordKind::kItem && old->parent) {
    NoteDigest(*old->parent, key, old->change_number, false);
  }
  if (kind == RecordKind::kItem && parent) NoteDigest(*parent, key, cn, true);
  return absl::OkStatus();
}

absl::Status SqliteStore::RemoveRecord(const SourceKey& key,
                                       const Stored& old) {
  sql_->delete_object.Bind(1, key.Encode());
  if (absl::Status s = sql_->delete_object.Run(); !s.ok()) return s;
  if (old.kind == RecordKind::kItem && old.parent) {
    NoteDigest(*old.parent, key, old.change_number, false);
  }
  return absl::OkStatus();
}

// ---- Folder digests ----

void SqliteStore::NoteDigest(const SourceKey& folder, const SourceKey& key,
                             const ChangeNumber& cn, bool add) {
  DigestChange& change = digest_changes_[folder];
  const DigestTerm term = ItemTerm(key, cn);
  if (add) {
    ++change.items;
    AddTerm(change.sum, term);
  } else {
    --change.items;
    SubtractTerm(change.sum, term);
  }
}

absl::StatusOr<FolderDigest> SqliteStore::StoredDigest(
    const SourceKey& folder) {
  Statement& q = sql_->folder_digest;
  q.Bind(1, folder.Encode());
  absl::StatusOr<bool> row = q.Step();
  if (!row.ok()) {
    q.Reset();
    return row.status();
  }
  FolderDigest digest;
  if (*row) {
    const std::string_view sum = q.ColumnBlob(1);
    const int64_t items = q.ColumnInt(0);
    if (sum.size() != digest.sum.size() || items < 0) {
      q.Reset();
      return absl::DataLossError(absl::StrCat(
          "corrupt folder digest of folder ", folder.ToString()));
    }
    digest.items = static_cast<uint64_t>(items);
    std::copy(sum.begin(), sum.end(), digest.sum.begin());
  }
  q.Reset();
  return digest;
}

absl::Status SqliteStore::FlushDigests() {
  for (const auto& [folder, change] : digest_changes_) {
    absl::StatusOr<FolderDigest> digest = StoredDigest(folder);
    if (!digest.ok()) return digest.status();
    const int64_t items = static_cast<int64_t>(digest->items) + change.items;
    if (items < 0) {
      return absl::DataLossError(absl::StrCat(
          "folder digest of folder ", folder.ToString(),
          " counts fewer items than were removed"));
    }
    AddTerm(digest->sum, change.sum);
    if (items == 0) {
      sql_->delete_digest.Bind(1, folder.Encode());
      if (absl::Status s = sql_->delete_digest.Run(); !s.ok()) return s;
      continue;
    }
    sql_->set_digest.Bind(1, folder.Encode())
        .Bind(2, items)
        .Bind(3, core_internal::AsString(digest->sum));
    if (absl::Status s = sql_->set_digest.Run(); !s.ok()) return s;
  }
  digest_changes_.clear();
  return absl::OkStatus();
}

absl::StatusOr<int64_t> SqliteStore::MetaInt(const char* key) {
  Statement& meta = sql_->get_meta;
  meta.BindText(1, key);
  absl::StatusOr<bool> row = meta.Step();
  const int64_t value = row.ok() && *row ? meta.ColumnInt(0) : -1;
  meta.Reset();
  if (!row.ok()) return row.status();
  if (value < 0 || static_cast<uint64_t>(value) > GlobCnt::kMaxValue) {
    return absl::DataLossError(absl::StrCat("corrupt store metadata: ", key));
  }
  return value;
}

absl::StatusOr<GlobCnt> SqliteStore::NextLocalCn() {
  if (!local_cn_loaded_) {
    // BEGIN IMMEDIATE holds the write lock, so no other handle can move the
    // counter until this transaction ends: numbers follow commit order.
    absl::StatusOr<int64_t> high = MetaInt("local_cn");
    if (!high.ok()) return high.status();
    local_cn_high_ = static_cast<uint64_t>(*high);
    local_cn_loaded_ = true;
  }
  absl::StatusOr<GlobCnt> next = GlobCnt::FromValue(local_cn_high_ + 1);
  if (!next.ok()) {
    return absl::OutOfRangeError("the store's local change numbers ran out");
  }
  ++local_cn_high_;
  return next;
}

// ---- Listing ----

absl::StatusOr<std::vector<Folder>> SqliteStore::ListChildFolders(
    const std::optional<SourceKey>& parent) {
  Statement& q = parent ? sql_->child_folders : sql_->root_folders;
  if (parent) q.Bind(1, parent->Encode());
  std::vector<Folder> out;
  absl::Status status = q.ForEachRow([&]() -> absl::Status {
    absl::StatusOr<Folder> f = DecodeFolder(q.ColumnBlob(0));
    if (!f.ok()) return f.status();
    out.push_back(*std::move(f));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<std::vector<SourceKey>> SqliteStore::ListItems(
    const SourceKey& folder) {
  Statement& q = sql_->items_in;
  q.Bind(1, folder.Encode());
  std::vector<SourceKey> out;
  absl::Status status = q.ForEachRow([&]() -> absl::Status {
    absl::StatusOr<SourceKey> key = KeyFromColumn(q.ColumnBlob(0));
    if (!key.ok()) return key.status();
    out.push_back(*key);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<std::vector<ItemVersion>> SqliteStore::ListItemVersions(
    const SourceKey& folder) {
  Statement& q = sql_->item_versions_in;
  q.Bind(1, folder.Encode());
  std::vector<ItemVersion> out;
  absl::Status status = q.ForEachRow([&]() -> absl::Status {
    absl::StatusOr<SourceKey> key = KeyFromColumn(q.ColumnBlob(0));
    if (!key.ok()) return key.status();
    // Views of the row: nothing is copied per item.
    absl::StatusOr<Guid> replica =
        Guid::Decode(core_internal::AsBytes(q.ColumnBlob(1)));
    absl::StatusOr<GlobCnt> counter =
        GlobCnt::FromValue(static_cast<uint64_t>(q.ColumnInt(2)));
    if (!replica.ok() || !counter.ok()) {
      return absl::DataLossError(absl::StrCat(
          "corrupt change key column of item ", key->ToString()));
    }
    out.push_back({*key, ChangeNumber(*replica, *counter)});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<FolderDigest> SqliteStore::GetFolderDigest(
    const SourceKey& folder) {
  absl::StatusOr<FolderDigest> digest = StoredDigest(folder);
  if (!digest.ok()) return digest.status();
  // What this transaction changed, not yet written.
  if (auto it = digest_changes_.find(folder); it != digest_changes_.end()) {
    digest->items = static_cast<uint64_t>(
        static_cast<int64_t>(digest->items) + it->second.items);
    AddTerm(digest->sum, it->second.sum);
  }
  return digest;
}

// ---- Change stream ----

absl::StatusOr<std::vector<Change>> SqliteStore::ReadChanges(
    const GlobSet& exclude, GlobCnt after, const ChangeStreamOptions& options) {
  std::vector<Change> out;
  size_t bytes = 0;
  int64_t from = static_cast<int64_t>(after.value());
  Statement& q = sql_->changes;
  bool done = false;
  while (!done && out.size() < options.max_count &&
         (out.empty() || bytes < options.max_bytes)) {
    q.Bind(1, from)
        .Bind(2, int64_t{options.kinds})
        .Bind(3, static_cast<int64_t>(options.max_count - out.size()));
    bool any = false;
    bool jumped = false;
    while (out.size() < options.max_count &&
           (out.empty() || bytes < options.max_bytes)) {
      absl::StatusOr<bool> row = q.Step();
      if (!row.ok()) {
        q.Reset();
        return row.status();
      }
      if (!*row) break;
      any = true;
      const int64_t n = q.ColumnInt(2);
      absl::StatusOr<GlobCnt> local_cn =
          GlobCnt::FromValue(static_cast<uint64_t>(n));
      if (!local_cn.ok() || n <= 0) {
        q.Reset();
        return absl::DataLossError("corrupt local change number column");
      }
      from = n;
      if (std::optional<GlobRange> skip = ExcludedRange(exclude, *local_cn)) {
        // Restart the index scan just past the excluded range.
        from = static_cast<int64_t>(skip->high);
        jumped = true;
        break;
      }
      const int kind = static_cast<int>(q.ColumnInt(0));
      const std::string_view record = q.ColumnBlob(1);
      if (kind == kFolderKind) {
        absl::StatusOr<Folder> f = DecodeFolder(record);
        if (!f.ok()) return q.Reset(), f.status();
        out.push_back(Change{*std::move(f), *local_cn});
      } else if (kind == kItemKind) {
        absl::StatusOr<Item> i = DecodeItem(record);
        if (!i.ok()) return q.Reset(), i.status();
        bytes += static_cast<size_t>(q.ColumnInt(3));
        out.push_back(Change{*std::move(i), *local_cn});
      } else {
        absl::StatusOr<Tombstone> t = DecodeTombstone(record);
        if (!t.ok()) return q.Reset(), t.status();
        out.push_back(Change{*std::move(t), *local_cn});
      }
    }
    q.Reset();
    done = !any || (!jumped && out.size() < options.max_count &&
                    (out.empty() || bytes < options.max_bytes));
  }
  return out;
}

absl::StatusOr<GlobCnt> SqliteStore::LocalCnHighWater() {
  if (local_cn_loaded_) return *GlobCnt::FromValue(local_cn_high_);
  absl::StatusOr<int64_t> high = MetaInt("local_cn");
  if (!high.ok()) return high.status();
  return *GlobCnt::FromValue(static_cast<uint64_t>(*high));
}

// ---- Tombstone retention ----

absl::StatusOr<uint64_t> SqliteStore::PurgeTombstones(FileTime deleted_before) {
  if (absl::Status s = CheckInTransaction(in_transaction_, "PurgeTombstones");
      !s.ok()) {
    return s;
  }
  absl::StatusOr<int64_t> horizon = MetaInt("tombstone_horizon");
  if (!horizon.ok()) return horizon.status();
  std::vector<std::string> expired;
  int64_t high = *horizon;
  Statement& q = sql_->tombstones;
  absl::Status status = q.ForEachRow([&]() -> absl::Status {
    absl::StatusOr<Tombstone> t = DecodeTombstone(q.ColumnBlob(1));
    if (!t.ok()) return t.status();
    if (t->deleted_at < deleted_before) {
      expired.emplace_back(q.ColumnBlob(0));
      high = std::max(high, q.ColumnInt(2));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  for (const std::string& key : expired) {
    sql_->delete_object.Bind(1, key);
    if (absl::Status s = sql_->delete_object.Run(); !s.ok()) return s;
  }
  sql_->set_meta.BindText(1, "tombstone_horizon").Bind(2, high);
  if (absl::Status s = sql_->set_meta.Run(); !s.ok()) return s;
  return expired.size();
}

absl::StatusOr<GlobCnt> SqliteStore::TombstoneHorizon() {
  absl::StatusOr<int64_t> horizon = MetaInt("tombstone_horizon");
  if (!horizon.ok()) return horizon.status();
  return *GlobCnt::FromValue(static_cast<uint64_t>(*horizon));
}

// ---- Sync state and counts ----

absl::StatusOr<std::optional<std::string>> SqliteStore::GetSyncState(
    std::string_view name) {
  Statement& q = sql_->get_sync;
  q.BindText(1, name);
  absl::StatusOr<bool> row = q.Step();
  std::optional<std::string> blob;
  if (row.ok() && *row) blob = std::string(q.ColumnBlob(0));
  q.Reset();
  if (!row.ok()) return row.status();
  return blob;
}

absl::Status SqliteStore::PutSyncState(std::string_view name,
                                       std::string_view blob) {
  if (absl::Status s = CheckInTransaction(in_transaction_, "PutSyncState");
      !s.ok()) {
    return s;
  }
  sql_->set_sync.BindText(1, name).Bind(2, blob);
  return sql_->set_sync.Run();
}

absl::StatusOr<StoreCounts> SqliteStore::Count() {
  Statement& q = sql_->counts;
  StoreCounts counts;
  absl::Status status = q.ForEachRow([&] {
    const uint64_t n = static_cast<uint64_t>(q.ColumnInt(1));
    switch (q.ColumnInt(0)) {
      case kFolderKind:
        counts.folders = n;
        break;
      case kItemKind:
        counts.items = n;
        break;
      case kTombstoneKind:
        counts.tombstones = n;
        break;
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return counts;
}

}  // namespace ioreplication::stores_internal
