// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// StoreKernel: the one implementation of the Store contract
// (include/ioreplication/store.h), over a StoreBackend's records, named
// values and transactions (stores/store_backend.h). Every store is a kernel
// over a backend: memory, SQLite, and a host's C vtable.
//
// The kernel keeps, the same way for every backend:
//  - the object rules: writes only inside a transaction, validation
//    (store_checks.h), one object per source key, parents that exist, one
//    root, folders deleted only when empty, tombstones replacing only
//    tombstones;
//  - local change numbers: the value "local_cn" read at a transaction's first
//    write (the backend's writer lock holds it until the end, so numbers
//    follow commit order) and written at commit;
//  - the identity ("identity") and counter reservations ("counter/GUID");
//  - MaxCounterInUse, kept incrementally ("in_use/GUID", raised at commit);
//    unlike a scan it never goes down when an object is deleted, which only
//    makes the restore check more careful;
//  - each folder's FolderDigest ("digest/KEY"), a transaction's changes
//    summed in memory and written at commit, one value per folder touched;
//  - the tombstone horizon and purge, sync states ("sync/NAME"), and the
//    change stream over the backend's scan by local change number.
//
// A backend that held records before the kernel kept digests (a host table
// of an earlier release, an SQLite file migrated from schema 3) has them
// computed once, when it is first opened ("kernel_format").

#ifndef IOREPLICATION_SRC_STORES_STORE_KERNEL_H_
#define IOREPLICATION_SRC_STORES_STORE_KERNEL_H_

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "ioreplication/store.h"
#include "stores/store_backend.h"

namespace ioreplication::stores_internal {

class StoreKernel final : public Store {
 public:
  // A store over `backend`: loads its identity, or gives a new backend one
  // (in a transaction of its own, so that two handles opening one new table
  // agree), and brings an older backend's kept values up to date.
  static absl::StatusOr<std::unique_ptr<StoreKernel>> Open(
      std::unique_ptr<StoreBackend> backend, const StoreOptions& options);

  ~StoreKernel() override;

  // The backend's own check, then every folder's kept FolderDigest against
  // one computed from its items: OK when all agree. Reads the whole store.
  absl::Status CheckIntegrity();

  absl::StatusOr<StoreIdentity> Identity() override { return identity_; }
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
  absl::StatusOr<FolderDigest> GetFolderDigest(
      const SourceKey& folder) override;

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
  bool CallerThreadOnly() const override;

 private:
  // What one transaction changed of a folder's digest: items added minus
  // removed, and the sum of their terms (modulo 2^256).
  struct DigestChange {
    int64_t items = 0;
    std::array<uint8_t, 32> sum{};
  };

  StoreKernel(std::unique_ptr<StoreBackend> backend,
              const StoreOptions& options);
  absl::Status Init();
  absl::Status LoadIdentity();
  // Computes what an older backend lacks (digests, counters in use).
  absl::Status Upgrade();

  // The header of the record under `key` (with its change key when `part`
  // asks for it), or nullopt.
  // True when this transaction found `key` not stored (and has not written
  // it since); NoteAbsent records such a miss.
  bool KnownAbsent(const SourceKey& key) const;
  void NoteAbsent(const SourceKey& key);
  absl::StatusOr<std::optional<RecordHeader>> Lookup(const SourceKey& key,
                                                     RecordPart part);
  absl::Status CheckFolderExists(const SourceKey& key, const char* what);
  // Writes a record in place of `old` (or as a new one), with the next local
  // change number, and notes what it changes of digests and counters.
  absl::Status Write(RecordHeader header, const std::string& body,
                     const std::optional<RecordHeader>& old);
  // Removes the record under `key` when it is of `kind` (a folder only when
  // empty).
  absl::Status DeleteOfKind(const SourceKey& key, ObjectKind kind,
                            const char* what, const char* operation);
  template <typename T>
  absl::StatusOr<T> Decoded(const SourceKey& key, ObjectKind kind,
                            const char* what,
                            absl::StatusOr<T> (*decode)(std::string_view));

  absl::StatusOr<uint64_t> GetCounterValue(std::string_view name);
  absl::StatusOr<GlobCnt> NextLocalCn();
  void NoteInUse(const Guid& replica, GlobCnt counter);
  void NoteDigest(const SourceKey& folder, const SourceKey& key,
                  const ChangeNumber& change_key, bool add);
  // The digest of `folder` as committed.
  absl::StatusOr<FolderDigest> StoredDigest(const SourceKey& folder);
  // Writes the transaction's digest and counter changes (at commit).
  absl::Status FlushKept();
  void ForgetTransaction();

  std::unique_ptr<StoreBackend> backend_;
  StoreOptions options_;
  StoreIdentity identity_;
  bool in_transaction_ = false;
  // The local change number counter, read at the transaction's first write
  // and written back at commit.
  bool local_cn_loaded_ = false;
  uint64_t local_cn_high_ = 0;
  absl::flat_hash_map<SourceKey, DigestChange> digest_changes_;
  // The highest counter per GUID this transaction stored.
  absl::flat_hash_map<Guid, uint64_t> in_use_;
  // Folders this transaction found stored (CheckFolderExists).
  absl::flat_hash_set<SourceKey> folders_found_;
  // Keys this transaction found not stored and has not written since: the
  // importer asks for an item, then a tombstone of the key, and the insert
  // checks the key is free, one backend lookup instead of three.
  absl::flat_hash_set<SourceKey> absent_;
};

}  // namespace ioreplication::stores_internal

#endif  // IOREPLICATION_SRC_STORES_STORE_KERNEL_H_
