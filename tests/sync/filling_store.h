// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// A store that fills up: it forwards to another store and, once armed,
// lets a given number of transactions commit and then fails every commit
// and write with ResourceExhaustedError, as SQLite does when the disk is
// full. For tests of what a pass or an import reports, and keeps, when the
// destination runs out of space midway.

#ifndef IOREPLICATION_TESTS_SYNC_FILLING_STORE_H_
#define IOREPLICATION_TESTS_SYNC_FILLING_STORE_H_

#include <cstdint>
#include <optional>

#include "ioreplication/store.h"

namespace ioreplication::testing_util {

class FillingStore : public Store {
 public:
  explicit FillingStore(Store* inner) : inner_(inner) {}

  // After `commits` more commits, the disk is full.
  void FullAfter(uint64_t commits) { left_ = commits; }
  bool full() const { return left_.has_value() && *left_ == 0; }

  absl::StatusOr<StoreIdentity> Identity() override {
    return inner_->Identity();
  }
  absl::Status SetIdentity(const StoreIdentity& identity) override {
    if (full()) return Full();
    return inner_->SetIdentity(identity);
  }
  absl::StatusOr<CounterBlock> ReserveCounters(uint64_t count) override {
    if (full()) return Full();
    return inner_->ReserveCounters(count);
  }
  absl::StatusOr<GlobCnt> CounterHighWater() override {
    return inner_->CounterHighWater();
  }
  absl::StatusOr<GlobCnt> MaxCounterInUse(const Guid& replica) override {
    return inner_->MaxCounterInUse(replica);
  }
  absl::Status Begin() override { return inner_->Begin(); }
  absl::Status Commit() override {
    if (full()) {
      (void)inner_->Rollback();
      return Full();
    }
    if (left_.has_value()) --*left_;
    return inner_->Commit();
  }
  absl::Status Rollback() override { return inner_->Rollback(); }
  bool InTransaction() const override { return inner_->InTransaction(); }
  absl::StatusOr<Folder> GetFolder(const SourceKey& key) override {
    return inner_->GetFolder(key);
  }
  absl::Status InsertFolder(const Folder& folder) override {
    if (full()) return Full();
    return inner_->InsertFolder(folder);
  }
  absl::Status UpdateFolder(const Folder& folder) override {
    if (full()) return Full();
    return inner_->UpdateFolder(folder);
  }
  absl::Status DeleteFolder(const SourceKey& key) override {
    if (full()) return Full();
    return inner_->DeleteFolder(key);
  }
  absl::StatusOr<std::vector<Folder>> ListChildFolders(
      const std::optional<SourceKey>& parent) override {
    return inner_->ListChildFolders(parent);
  }
  absl::StatusOr<Item> GetItem(const SourceKey& key) override {
    return inner_->GetItem(key);
  }
  absl::Status InsertItem(const Item& item) override {
    if (full()) return Full();
    return inner_->InsertItem(item);
  }
  absl::Status UpdateItem(const Item& item) override {
    if (full()) return Full();
    return inner_->UpdateItem(item);
  }
  absl::Status DeleteItem(const SourceKey& key) override {
    if (full()) return Full();
    return inner_->DeleteItem(key);
  }
  absl::StatusOr<std::vector<SourceKey>> ListItems(
      const SourceKey& folder) override {
    return inner_->ListItems(folder);
  }
  absl::StatusOr<std::vector<ItemVersion>> ListItemVersions(
      const SourceKey& folder) override {
    return inner_->ListItemVersions(folder);
  }
  absl::StatusOr<FolderDigest> GetFolderDigest(
      const SourceKey& folder) override {
    return inner_->GetFolderDigest(folder);
  }
  absl::StatusOr<Tombstone> GetTombstone(const SourceKey& key) override {
    return inner_->GetTombstone(key);
  }
  absl::Status PutTombstone(const Tombstone& tombstone) override {
    if (full()) return Full();
    return inner_->PutTombstone(tombstone);
  }
  absl::Status DeleteTombstone(const SourceKey& key) override {
    if (full()) return Full();
    return inner_->DeleteTombstone(key);
  }
  absl::StatusOr<std::vector<Change>> ReadChanges(
      const GlobSet& exclude, GlobCnt after,
      const ChangeStreamOptions& options) override {
    return inner_->ReadChanges(exclude, after, options);
  }
  absl::StatusOr<GlobCnt> LocalCnHighWater() override {
    return inner_->LocalCnHighWater();
  }
  absl::StatusOr<uint64_t> PurgeTombstones(FileTime deleted_before) override {
    if (full()) return Full();
    return inner_->PurgeTombstones(deleted_before);
  }
  absl::StatusOr<GlobCnt> TombstoneHorizon() override {
    return inner_->TombstoneHorizon();
  }
  absl::StatusOr<std::optional<std::string>> GetSyncState(
      std::string_view name) override {
    return inner_->GetSyncState(name);
  }
  absl::Status PutSyncState(std::string_view name,
                            std::string_view blob) override {
    if (full()) return Full();
    return inner_->PutSyncState(name, blob);
  }
  absl::StatusOr<StoreCounts> Count() override { return inner_->Count(); }

 private:
  static absl::Status Full() {
    return absl::ResourceExhaustedError("database or disk is full");
  }

  Store* inner_;
  std::optional<uint64_t> left_;
};

}  // namespace ioreplication::testing_util

#endif  // IOREPLICATION_TESTS_SYNC_FILLING_STORE_H_
