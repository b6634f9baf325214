// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// SqliteStore: the embedded default store, one SQLite database file per
// organization.
//
// Layout (schema version 3): one `objects` table holds folders, items and
// tombstones, each as a protobuf record (store_records.proto) beside the
// columns the store queries: source key (unique), kind, parent, change number
// (indexed, for the change stream) and size. `counters` keeps the reserved
// high-water mark per replica GUID, `meta` the identity, `sync_state` named
// blobs, `folder_digests` each folder's FolderDigest (kept by the store as
// items change: a transaction's changes are summed in memory and written at
// commit, one row per folder touched). The file runs in WAL mode with
// synchronous=FULL, so a committed transaction survives a crash or power
// loss. PRAGMA user_version holds the schema version: older files are
// migrated forward on open, newer ones are refused.

#ifndef IOREPLICATION_SRC_STORES_SQLITE_STORE_H_
#define IOREPLICATION_SRC_STORES_SQLITE_STORE_H_

#include <array>
#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"

#include "ioreplication/store.h"
#include "stores/record_store.h"
#include "stores/sqlite_db.h"

namespace ioreplication::stores_internal {

class SqliteStore final : public RecordStore {
 public:
  // The schema version this code writes and reads.
  static constexpr int kSchemaVersion = 3;

  // Opens or creates the store in file `path`.
  static absl::StatusOr<std::unique_ptr<SqliteStore>> Open(
      const std::string& path, const StoreOptions& options);

  ~SqliteStore() override;

  // PRAGMA integrity_check, then every folder's kept FolderDigest against
  // one computed from its item rows: OK when both agree.
  absl::Status CheckIntegrity();

  absl::StatusOr<StoreIdentity> Identity() override;
  absl::Status SetIdentity(const StoreIdentity& identity) override;
  absl::StatusOr<CounterBlock> ReserveCounters(uint64_t count) override;
  absl::StatusOr<GlobCnt> CounterHighWater() override;
  absl::StatusOr<GlobCnt> MaxCounterInUse(const Guid& replica) override;

  absl::Status Begin() override;
  absl::Status Commit() override;
  absl::Status Rollback() override;
  bool InTransaction() const override { return in_transaction_; }

  // Object reads and writes: RecordStore, over the primitives below.
  absl::StatusOr<std::vector<Folder>> ListChildFolders(
      const std::optional<SourceKey>& parent) override;
  absl::StatusOr<std::vector<SourceKey>> ListItems(
      const SourceKey& folder) override;
  absl::StatusOr<std::vector<ItemVersion>> ListItemVersions(
      const SourceKey& folder) override;
  absl::StatusOr<FolderDigest> GetFolderDigest(const SourceKey& folder) override;

  absl::StatusOr<std::vector<Change>> ReadChanges(
      const GlobSet& exclude, GlobCnt after,
      const ChangeStreamOptions& options) override;
  absl::StatusOr<GlobCnt> LocalCnHighWater() override;

  absl::StatusOr<uint64_t> PurgeTombstones(FileTime deleted_before) override;
  absl::StatusOr<GlobCnt> TombstoneHorizon() override;

  absl::StatusOr<std::optional<std::string>> GetSyncState(
      std::string_view name) override;
  absl::Status PutSyncState(std::string_view name,
                            std::string_view blob) override;

  absl::StatusOr<StoreCounts> Count() override;

 private:
  // The `kind` column holds RecordKind's values.
  enum Kind : int {
    kFolderKind = static_cast<int>(RecordKind::kFolder),
    kItemKind = static_cast<int>(RecordKind::kItem),
    kTombstoneKind = static_cast<int>(RecordKind::kTombstone)
  };
  struct Statements;

  SqliteStore(std::unique_ptr<Database> db, const StoreOptions& options);
  absl::Status Migrate();
  absl::Status Prepare();
  absl::Status LoadIdentity();

  // RecordStore's primitives.
  absl::StatusOr<std::optional<Stored>> Lookup(const SourceKey& key) override;
  absl::StatusOr<bool> ReadRecord(
      const SourceKey& key, RecordKind kind,
      absl::FunctionRef<absl::Status(std::string_view)> use) override;
  absl::StatusOr<bool> HasRoot() override;
  absl::StatusOr<std::optional<RecordKind>> AnyChild(
      const SourceKey& folder) override;
  absl::Status WriteRecord(const SourceKey& key, RecordKind kind,
                           const std::optional<SourceKey>& parent,
                           const ChangeNumber& cn, size_t size,
                           const std::string& body,
                           const std::optional<Stored>& old) override;
  absl::Status RemoveRecord(const SourceKey& key, const Stored& old) override;
  // The item (`key`, `cn`) joins (`add`) or leaves the pending change of
  // the digest of `folder`.
  void NoteDigest(const SourceKey& folder, const SourceKey& key,
                  const ChangeNumber& cn, bool add);
  // The digest row of `folder` as committed.
  absl::StatusOr<FolderDigest> StoredDigest(const SourceKey& folder);
  // Writes the pending digest changes (inside the transaction, at commit).
  absl::Status FlushDigests();
  // A non-negative 48-bit integer from the meta table.
  absl::StatusOr<int64_t> MetaInt(const char* key);
  // The local change number for the next write of this transaction.
  absl::StatusOr<GlobCnt> NextLocalCn();

  std::unique_ptr<Database> db_;
  std::unique_ptr<Statements> sql_;
  StoreIdentity identity_;
  bool in_transaction_ = false;
  // The local change number counter, read at the transaction's first write
  // and written back at commit.
  bool local_cn_loaded_ = false;
  uint64_t local_cn_high_ = 0;
  // What this transaction changed of each folder's digest: items added
  // minus removed, and the sum of their terms (modulo 2^256).
  struct DigestChange {
    int64_t items = 0;
    std::array<uint8_t, 32> sum{};
  };
  absl::flat_hash_map<SourceKey, DigestChange> digest_changes_;
};

}  // namespace ioreplication::stores_internal

#endif  // IOREPLICATION_SRC_STORES_SQLITE_STORE_H_
