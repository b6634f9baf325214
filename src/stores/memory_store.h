// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// MemoryStore: the Store contract held in process memory, for tests and for
// hosts that embed replication without persistence. Transactions keep an undo
// log, so Rollback() costs what the transaction wrote, not the store's size.

#ifndef IOREPLICATION_SRC_STORES_MEMORY_STORE_H_
#define IOREPLICATION_SRC_STORES_MEMORY_STORE_H_

#include <functional>
#include <map>
#include <memory>
#include <utility>

#include "ioreplication/store.h"

namespace ioreplication::stores_internal {

class MemoryStore final : public Store {
 public:
  explicit MemoryStore(const StoreOptions& options);

  absl::StatusOr<StoreIdentity> Identity() override;
  absl::Status SetIdentity(const StoreIdentity& identity) override;
  absl::StatusOr<CounterBlock> ReserveCounters(uint64_t count) override;
  absl::StatusOr<GlobCnt> CounterHighWater() override;
  absl::StatusOr<GlobCnt> MaxCounterInUse(const Guid& replica) override;

  absl::Status Begin() override;
  absl::Status Commit() override;
  absl::Status Rollback() override;
  bool InTransaction() const override { return in_transaction_; }

  absl::StatusOr<Folder> GetFolder(const SourceKey& key) override;
  absl::Status InsertFolder(const Folder& folder) override;
  absl::Status UpdateFolder(const Folder& folder) override;
  absl::Status DeleteFolder(const SourceKey& key) override;
  absl::StatusOr<std::vector<Folder>> ListChildFolders(
      const std::optional<SourceKey>& parent) override;

  absl::StatusOr<Item> GetItem(const SourceKey& key) override;
  absl::Status InsertItem(const Item& item) override;
  absl::Status UpdateItem(const Item& item) override;
  absl::Status DeleteItem(const SourceKey& key) override;
  absl::StatusOr<std::vector<SourceKey>> ListItems(
      const SourceKey& folder) override;
  absl::StatusOr<std::vector<ItemVersion>> ListItemVersions(
      const SourceKey& folder) override;
  absl::StatusOr<FolderDigest> GetFolderDigest(const SourceKey& folder) override;

  absl::StatusOr<Tombstone> GetTombstone(const SourceKey& key) override;
  absl::Status PutTombstone(const Tombstone& tombstone) override;
  absl::Status DeleteTombstone(const SourceKey& key) override;

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
  enum class Kind { kFolder, kItem, kTombstone };

  bool IsKeyUsed(const SourceKey& key) const;
  // Records how to undo the write about to happen.
  void OnUndo(std::function<void()> undo) { undo_.push_back(std::move(undo)); }
  // The item (`key`, `change_key`) joins (`add`) or leaves the digest of
  // `folder`, undone on rollback.
  void ChangeDigest(const SourceKey& folder, const SourceKey& key,
                    const ChangeNumber& change_key, bool add);
  // Index maintenance, with undo.
  void IndexChange(const ChangeNumber& cn, Kind kind, const SourceKey& key);
  void UnindexChange(const ChangeNumber& cn, Kind kind, const SourceKey& key);
  // Gives the object under `key` the next local change number, with undo.
  void StampLocalCn(Kind kind, const SourceKey& key);
  // Drops the object's local change number (it is being deleted), with undo.
  void UnstampLocalCn(const SourceKey& key);

  StoreOptions options_;
  StoreIdentity identity_;
  std::map<Guid, uint64_t> counters_;  // high water per replica GUID

  std::map<SourceKey, Folder> folders_;
  std::map<SourceKey, Item> items_;
  // FolderDigest of each folder that holds items.
  std::map<SourceKey, FolderDigest> digests_;
  std::map<SourceKey, Tombstone> tombstones_;
  // The change-number index: every object and tombstone by its CN.
  std::multimap<ChangeNumber, std::pair<Kind, SourceKey>> by_cn_;
  std::map<std::string, std::string, std::less<>> sync_state_;
  // The local change stream: every object by its local change number.
  std::map<uint64_t, std::pair<Kind, SourceKey>> by_local_cn_;
  std::map<SourceKey, uint64_t> local_cn_of_;
  uint64_t local_cn_high_ = 0;
  uint64_t tombstone_horizon_ = 0;

  bool in_transaction_ = false;
  std::vector<std::function<void()>> undo_;
};

}  // namespace ioreplication::stores_internal

#endif  // IOREPLICATION_SRC_STORES_MEMORY_STORE_H_
