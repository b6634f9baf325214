// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Replica: the one place local changes are made.
//
// Every create, modify, move or delete of a folder or item, and every ACL
// edit, made by this organization goes through a Replica. Each runs in one
// store transaction and does the bookkeeping replication depends on
// (DESIGN.md invariants 1, 5, 6):
//   - allocates a fresh change number from the store's counter (reserved in
//     blocks, durably, before use, so that no crash reuses a number),
//   - sets the object's change key to it and raises its PCL,
//   - stamps the last-modification time from a clock that never goes back,
//   - writes tombstones for deletions (a folder's whole subtree),
//   - rejects a missing parent, a name clash under one parent (compared
//     case-insensitively, as public folder names are) and cycles in moves.
// Changes replicated in from other organizations do not go through here:
// they keep their own change keys and PCLs (the sync engine's importer).
//
// Replica identity: when opened, a store whose data uses counter values
// above its reserved high-water mark (its counter went back: a restore from
// backup or damage), or one an operator marks restored (MarkRestored), takes a
// new random replica GUID and the next epoch, so that its new change numbers
// can never collide with ones issued before.
//
// Thread safety: one thread at a time, like the Store it wraps.

#ifndef IOREPLICATION_REPLICA_H_
#define IOREPLICATION_REPLICA_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "ioreplication/clock.h"
#include "ioreplication/export.h"
#include "ioreplication/store.h"

namespace ioreplication {

namespace replica_internal {
class ReplicaImpl;
}  // namespace replica_internal

struct ReplicaOptions {
  // Counter values reserved per trip to the store. Values reserved and not
  // used when the Replica closes are skipped, never reused.
  uint64_t counter_block = 256;
  // Wall-clock source; tests inject their own.
  Clock::TimeSource time_source;
};

// The content of an item, as a local author writes it.
struct ItemContent {
  std::string message_class = "IPM.Post";
  PropertyBag properties;
  std::string body;
  std::vector<Attachment> attachments;
};

class IOREPL_EXPORT Replica {
 public:
  // Opens a Replica over `store`, which must outlive it and which it uses
  // exclusively. Takes a new identity first if the store's counter is behind
  // its data (see the file comment); identity_changed() then says why.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<Replica>> Open(
      Store* store, ReplicaOptions options = {});

  Replica(const Replica&) = delete;
  Replica& operator=(const Replica&) = delete;
  ~Replica();

  const StoreIdentity& identity() const;
  // Why Open() gave the store a new identity; empty if it did not.
  const std::string& identity_changed() const;

  // The operator's statement that the store was restored from a backup:
  // takes a new replica GUID and the next epoch now.
  absl::Status MarkRestored();

  // ---- Folders ----

  // Creates the root of the store's public folder tree (once).
  absl::StatusOr<Folder> CreateRootFolder(std::string_view name);
  // Creates a folder under `parent`.
  absl::StatusOr<Folder> CreateFolder(const SourceKey& parent,
                                      std::string_view name);
  absl::StatusOr<Folder> RenameFolder(const SourceKey& key,
                                      std::string_view name);
  // Moves a folder under `new_parent`; InvalidArgumentError for a move into
  // its own subtree, FailedPreconditionError for the root.
  absl::StatusOr<Folder> MoveFolder(const SourceKey& key,
                                    const SourceKey& new_parent);
  // Sets one property of a folder.
  absl::StatusOr<Folder> SetFolderProperty(const SourceKey& key, PropTag tag,
                                           PropValue value);
  // Removes one property of a folder; NotFoundError when it has none.
  absl::StatusOr<Folder> RemoveFolderProperty(const SourceKey& key,
                                              PropTag tag);
  // Grants `member` exactly `rights` (0 keeps the member listed with no
  // rights); RemoveAclMember drops the member.
  absl::StatusOr<Folder> SetAclMember(const SourceKey& key,
                                      std::string_view member, uint32_t rights);
  absl::StatusOr<Folder> RemoveAclMember(const SourceKey& key,
                                         std::string_view member);
  // Deletes a folder with its whole subtree and items, leaving a tombstone
  // for each. The root cannot be deleted.
  absl::Status DeleteFolder(const SourceKey& key);

  // ---- Items ----

  absl::StatusOr<Item> CreateItem(const SourceKey& folder, ItemContent content);
  // Replaces an item's content.
  absl::StatusOr<Item> ModifyItem(const SourceKey& key, ItemContent content);
  absl::StatusOr<Item> MoveItem(const SourceKey& key,
                                const SourceKey& new_folder);
  absl::Status DeleteItem(const SourceKey& key);

  // ---- Many changes at once ----

  // Runs `body`, in which this Replica's operations join one transaction of
  // the store instead of taking one each: one commit (one fsync) for all of
  // them, change numbers reserved as they are needed. For hosts that publish
  // or import many objects (free/busy messages, recipient lists). Commits
  // when `body` returns OK; rolls everything back when it returns an error.
  // An operation that fails before it writes anything (NotFoundError for an
  // item that is gone, InvalidArgumentError for bad content) fails alone:
  // `body` sees its error and may go on. One that fails after writing part
  // of its change (a store error between the deletion and the tombstone of
  // DeleteItem) fails the batch: every later operation returns its error,
  // and Batch rolls back and returns it. MarkRestored cannot run inside a
  // batch, and batches do not nest (FailedPreconditionError).
  absl::Status Batch(const std::function<absl::Status()>& body);

  Store& store();

 private:
  explicit Replica(std::unique_ptr<replica_internal::ReplicaImpl> impl);

  // The store, options, clock, identity, change-number sources and batch
  // state (src/replica/replica_impl.h).
  std::unique_ptr<replica_internal::ReplicaImpl> impl_;
};

}  // namespace ioreplication

#endif  // IOREPLICATION_REPLICA_H_
