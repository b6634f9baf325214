// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// A store that forwards every call to another one, with a hook before each
// read and each write: the base of the test stores that fill up, fail or
// watch which thread calls them. A hook's error is returned instead of the
// call's (the inner store is not called).

#ifndef IOREPLICATION_TESTS_SYNC_FORWARDING_STORE_H_
#define IOREPLICATION_TESTS_SYNC_FORWARDING_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "ioreplication/store.h"

namespace ioreplication::testing_util {

class ForwardingStore : public Store {
 public:
  explicit ForwardingStore(Store* inner) : inner_(inner) {}

  absl::StatusOr<StoreIdentity> Identity() override {
    if (absl::Status s = BeforeRead(); !s.ok()) return s;
    return inner_->Identity();
  }
  absl::Status SetIdentity(const StoreIdentity& identity) override {
    if (absl::Status s = BeforeWrite(); !s.ok()) return s;
    return inner_->SetIdentity(identity);
  }
  absl::StatusOr<CounterBlock> ReserveCounters(uint64_t count) override {
    if (absl::Status s = BeforeWrite(); !s.ok()) return s;
    return inner_->ReserveCounters(count);
  }
  absl::StatusOr<GlobCnt> CounterHighWater() override {
    if (absl::Status s = BeforeRead(); !s.ok()) return s;
    return inner_->CounterHighWater();
  }
  absl::StatusOr<GlobCnt> MaxCounterInUse(const Guid& replica) override {
    if (absl::Status s = BeforeRead(); !s.ok()) return s;
    return inner_->MaxCounterInUse(replica);
  }
  absl::Status Begin() override {
    if (absl::Status s = BeforeRead(); !s.ok()) return s;
    return inner_->Begin();
  }
  absl::Status Commit() override {
    if (absl::Status s = BeforeWrite(); !s.ok()) return s;
    return inner_->Commit();
  }
  absl::Status Rollback() override { return inner_->Rollback(); }
  bool InTransaction() const override { return inner_->InTransaction(); }
  absl::StatusOr<Folder> GetFolder(const SourceKey& key) override {
    if (absl::Status s = BeforeRead(); !s.ok()) return s;
    return inner_->GetFolder(key);
  }
  absl::Status InsertFolder(const Folder& folder) override {
    if (absl::Status s = BeforeWrite(); !s.ok()) return s;
    return inner_->InsertFolder(folder);
  }
  absl::Status UpdateFolder(const Folder& folder) override {
    if (absl::Status s = BeforeWrite(); !s.ok()) return s;
    return inner_->UpdateFolder(folder);
  }
  absl::Status DeleteFolder(const SourceKey& key) override {
    if (absl::Status s = BeforeWrite(); !s.ok()) return s;
    return inner_->DeleteFolder(key);
  }
  absl::StatusOr<std::vector<Folder>> ListChildFolders(
      const std::optional<SourceKey>& parent) override {
    if (absl::Status s = BeforeRead(); !s.ok()) return s;
    return inner_->ListChildFolders(parent);
  }
  absl::StatusOr<Item> GetItem(const SourceKey& key) override {
    if (absl::Status s = BeforeRead(); !s.ok()) return s;
    return inner_->GetItem(key);
  }
  absl::Status InsertItem(const Item& item) override {
    if (absl::Status s = BeforeWrite(); !s.ok()) return s;
    return inner_->InsertItem(item);
  }
  absl::Status UpdateItem(const Item& item) override {
    if (absl::Status s = BeforeWrite(); !s.ok()) return s;
    return inner_->UpdateItem(item);
  }
  absl::Status DeleteItem(const SourceKey& key) override {
    if (absl::Status s = BeforeWrite(); !s.ok()) return s;
    return inner_->DeleteItem(key);
  }
  absl::StatusOr<std::vector<SourceKey>> ListItems(
      const SourceKey& folder) override {
    if (absl::Status s = BeforeRead(); !s.ok()) return s;
    return inner_->ListItems(folder);
  }
  absl::StatusOr<std::vector<ItemVersion>> ListItemVersions(
      const SourceKey& folder) override {
    if (absl::Status s = BeforeRead(); !s.ok()) return s;
    return inner_->ListItemVersions(folder);
  }
  absl::StatusOr<FolderDigest> GetFolderDigest(
      const SourceKey& folder) override {
    if (absl::Status s = BeforeRead(); !s.ok()) return s;
    return inner_->GetFolderDigest(folder);
  }
  absl::StatusOr<Tombstone> GetTombstone(const SourceKey& key) override {
    if (absl::Status s = BeforeRead(); !s.ok()) return s;
    return inner_->GetTombstone(key);
  }
  absl::Status PutTombstone(const Tombstone& tombstone) override {
    if (absl::Status s = BeforeWrite(); !s.ok()) return s;
    return inner_->PutTombstone(tombstone);
  }
  absl::Status DeleteTombstone(const SourceKey& key) override {
    if (absl::Status s = BeforeWrite(); !s.ok()) return s;
    return inner_->DeleteTombstone(key);
  }
  absl::StatusOr<std::vector<Change>> ReadChanges(
      const GlobSet& exclude, GlobCnt after,
      const ChangeStreamOptions& options) override {
    if (absl::Status s = BeforeRead(); !s.ok()) return s;
    return inner_->ReadChanges(exclude, after, options);
  }
  absl::StatusOr<GlobCnt> LocalCnHighWater() override {
    if (absl::Status s = BeforeRead(); !s.ok()) return s;
    return inner_->LocalCnHighWater();
  }
  absl::StatusOr<uint64_t> PurgeTombstones(FileTime deleted_before) override {
    if (absl::Status s = BeforeWrite(); !s.ok()) return s;
    return inner_->PurgeTombstones(deleted_before);
  }
  absl::StatusOr<GlobCnt> TombstoneHorizon() override {
    if (absl::Status s = BeforeRead(); !s.ok()) return s;
    return inner_->TombstoneHorizon();
  }
  absl::StatusOr<std::optional<std::string>> GetSyncState(
      std::string_view name) override {
    if (absl::Status s = BeforeRead(); !s.ok()) return s;
    return inner_->GetSyncState(name);
  }
  absl::Status PutSyncState(std::string_view name,
                            std::string_view blob) override {
    if (absl::Status s = BeforeWrite(); !s.ok()) return s;
    return inner_->PutSyncState(name, blob);
  }
  absl::StatusOr<StoreCounts> Count() override {
    if (absl::Status s = BeforeRead(); !s.ok()) return s;
    return inner_->Count();
  }
  bool CallerThreadOnly() const override { return inner_->CallerThreadOnly(); }

 protected:
  // Called before each read (and Begin) / each write (and Commit).
  virtual absl::Status BeforeRead() { return absl::OkStatus(); }
  virtual absl::Status BeforeWrite() { return absl::OkStatus(); }

  Store* inner() const { return inner_; }

 private:
  Store* inner_;
};

}  // namespace ioreplication::testing_util

#endif  // IOREPLICATION_TESTS_SYNC_FORWARDING_STORE_H_
