// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// ReplicaImpl: what a Replica is (ioreplication/replica.h, which documents
// each operation) and holds, kept out of the public header so that its
// state can change without changing the library's ABI (LevelDB's DB and
// DBImpl). Replica forwards every call here.

#ifndef IOREPLICATION_SRC_REPLICA_REPLICA_IMPL_H_
#define IOREPLICATION_SRC_REPLICA_REPLICA_IMPL_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "ioreplication/clock.h"
#include "ioreplication/replica.h"
#include "ioreplication/store.h"
#include "replica/change_number_source.h"

namespace ioreplication::replica_internal {

class ReplicaImpl {
 public:
  ReplicaImpl(Store* store, ReplicaOptions options);
  ReplicaImpl(const ReplicaImpl&) = delete;
  ReplicaImpl& operator=(const ReplicaImpl&) = delete;
  ~ReplicaImpl();

  // What Replica::Open does once its arguments are checked: the identity
  // check, and the clock's last reading.
  absl::Status Init();

  // The operations, as ioreplication/replica.h documents them.
  const StoreIdentity& identity() const { return identity_; }
  const std::string& identity_changed() const { return identity_changed_; }

  absl::Status MarkRestored();

  absl::StatusOr<Folder> CreateRootFolder(std::string_view name);
  absl::StatusOr<Folder> CreateFolder(const SourceKey& parent,
                                      std::string_view name);
  absl::StatusOr<Folder> RenameFolder(const SourceKey& key,
                                      std::string_view name);
  absl::StatusOr<Folder> MoveFolder(const SourceKey& key,
                                    const SourceKey& new_parent);
  absl::StatusOr<Folder> SetFolderProperty(const SourceKey& key, PropTag tag,
                                           PropValue value);
  absl::StatusOr<Folder> RemoveFolderProperty(const SourceKey& key,
                                              PropTag tag);
  absl::StatusOr<Folder> SetAclMember(const SourceKey& key,
                                      std::string_view member, uint32_t rights);
  absl::StatusOr<Folder> RemoveAclMember(const SourceKey& key,
                                         std::string_view member);
  absl::Status DeleteFolder(const SourceKey& key);

  absl::StatusOr<Item> CreateItem(const SourceKey& folder, ItemContent content);
  absl::StatusOr<Item> ModifyItem(const SourceKey& key, ItemContent content);
  absl::StatusOr<Item> MoveItem(const SourceKey& key,
                                const SourceKey& new_folder);
  absl::Status DeleteItem(const SourceKey& key);

  absl::Status Batch(const std::function<absl::Status()>& body);

  Store& store() { return *store_; }

 private:
  absl::Status CheckIdentity();
  absl::Status TakeNewIdentity(std::string reason);
  // Source keys come from a source of their own, so that the keys of
  // objects created one after another are consecutive: IDSETs of them stay
  // a few ranges instead of one per object.
  SourceKey NextSourceKey();
  // Stamps a local change on an object: fresh CN, change key, PCL, time.
  absl::Status Stamp(ChangeNumber& change_key, Pcl& pcl, FileTime& time);
  // Runs `body` in a transaction with `counters` change numbers and `keys`
  // source keys reserved ahead (more are reserved inside the transaction if
  // it needs them); commits on success and rolls back on failure.
  absl::Status Transact(uint64_t counters, uint64_t keys,
                        const std::function<absl::Status()>& body);
  absl::Status CheckNameFree(const std::optional<SourceKey>& parent,
                             std::string_view name,
                             const SourceKey* except = nullptr);
  // OK when `key` is a stored folder; FailedPreconditionError naming it as
  // `role` when it is not.
  absl::Status RequireFolder(const SourceKey& key, const char* role);
  // Creates a folder under `parent` (the root when nullopt).
  absl::StatusOr<Folder> InsertNewFolder(const std::optional<SourceKey>& parent,
                                         std::string_view name);
  // Reads, edits, stamps and writes back one folder or item.
  absl::StatusOr<Folder> ModifyFolder(
      const SourceKey& key, const std::function<absl::Status(Folder&)>& edit);
  absl::StatusOr<Item> EditItem(const SourceKey& key,
                                const std::function<void(Item&)>& edit);

  Store* store_;
  ReplicaOptions options_;
  Clock clock_;
  StoreIdentity identity_;
  std::string identity_changed_;
  // Ends the open transaction: commits it (with the clock's state) when
  // `status` is OK, else rolls it back; returns the outcome.
  absl::Status EndTransaction(absl::Status status);
  // Counts a store write of the running operation (when `status` is OK) and
  // passes `status` on: an operation that fails after one fails its batch.
  absl::Status Wrote(absl::Status status);

  // Change numbers and source keys of the store's GUID.
  std::unique_ptr<ChangeNumberSource> counters_;
  std::unique_ptr<ChangeNumberSource> keys_;
  // Inside Batch: its transaction is open; what failed it, if anything; and
  // the writes the running operation made.
  bool in_batch_ = false;
  absl::Status batch_failure_;
  uint64_t writes_ = 0;
};

}  // namespace ioreplication::replica_internal

#endif  // IOREPLICATION_SRC_REPLICA_REPLICA_IMPL_H_
