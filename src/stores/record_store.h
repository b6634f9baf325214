// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// RecordStore: the Store contract's object rules, written once for every
// store that keeps folders, items and tombstones as encoded records keyed by
// source key (SqliteStore over SQL, and host stores over the C ABI's
// vtable).
//
// The rules: writes only inside a transaction; validation (store_checks.h);
// a source key holds one object; parents exist; one root; an update cannot
// turn a folder into the root or back; a folder is deleted only when empty;
// a tombstone replaces only a tombstone. A subclass provides the record
// primitives below, each a plain read or write of its table, and keeps
// everything else (identity, counters, change streams, sync state).

#ifndef IOREPLICATION_SRC_STORES_RECORD_STORE_H_
#define IOREPLICATION_SRC_STORES_RECORD_STORE_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "ioreplication/store.h"

namespace ioreplication::stores_internal {

// The kinds of record. SqliteStore's `kind` column holds these values.
enum class RecordKind { kFolder = 0, kItem = 1, kTombstone = 2 };

class RecordStore : public Store {
 public:
  using RecordKind = stores_internal::RecordKind;

  absl::StatusOr<Folder> GetFolder(const SourceKey& key) final;
  absl::Status InsertFolder(const Folder& folder) final;
  absl::Status UpdateFolder(const Folder& folder) final;
  absl::Status DeleteFolder(const SourceKey& key) final;

  absl::StatusOr<Item> GetItem(const SourceKey& key) final;
  absl::Status InsertItem(const Item& item) final;
  absl::Status UpdateItem(const Item& item) final;
  absl::Status DeleteItem(const SourceKey& key) final;

  absl::StatusOr<Tombstone> GetTombstone(const SourceKey& key) final;
  absl::Status PutTombstone(const Tombstone& tombstone) final;
  absl::Status DeleteTombstone(const SourceKey& key) final;

 protected:
  // What a key holds. A backend that keeps folder digests (SqliteStore)
  // also fills in the record's parent and change number, which it needs
  // when the record is replaced or removed; others may leave them empty.
  struct Stored {
    RecordKind kind;
    bool has_parent;
    std::optional<SourceKey> parent = std::nullopt;
    ChangeNumber change_number = ChangeNumber();
  };

  explicit RecordStore(const StoreOptions& options) : options_(options) {}

  const StoreOptions& options() const { return options_; }

  // ---- Primitives ----

  // What is stored under `key`, or nullopt. Reads no record body.
  virtual absl::StatusOr<std::optional<Stored>> Lookup(
      const SourceKey& key) = 0;
  // Calls `use` with the body of the record under `key` when it is of
  // `kind` (the view is valid during the call) and returns true; false when
  // there is no such record.
  virtual absl::StatusOr<bool> ReadRecord(
      const SourceKey& key, RecordKind kind,
      absl::FunctionRef<absl::Status(std::string_view)> use) = 0;
  // Whether a folder without a parent is stored.
  virtual absl::StatusOr<bool> HasRoot() = 0;
  // The kind of any one folder or item whose parent is `folder`, or nullopt.
  virtual absl::StatusOr<std::optional<RecordKind>> AnyChild(
      const SourceKey& folder) = 0;
  // Stores the record, inserting it (`old` empty) or replacing the one
  // under `key` (`old` is what Lookup said of it), with the store's next
  // local change number. `cn` is the object's change number, `size` its
  // content bytes. A failure changes nothing.
  virtual absl::Status WriteRecord(const SourceKey& key, RecordKind kind,
                                   const std::optional<SourceKey>& parent,
                                   const ChangeNumber& cn, size_t size,
                                   const std::string& body,
                                   const std::optional<Stored>& old) = 0;
  // Removes the record under `key`, of which Lookup said `old`.
  virtual absl::Status RemoveRecord(const SourceKey& key,
                                    const Stored& old) = 0;

 private:
  absl::Status CheckFolderExists(const SourceKey& key, const char* what);
  // Removes the record under `key` when it is of `kind` (a folder only when
  // empty).
  absl::Status DeleteOfKind(const SourceKey& key, RecordKind kind,
                            const char* what, const char* operation);
  template <typename T>
  absl::StatusOr<T> Decoded(const SourceKey& key, RecordKind kind,
                            const char* what,
                            absl::StatusOr<T> (*decode)(std::string_view));

  StoreOptions options_;
};

}  // namespace ioreplication::stores_internal

#endif  // IOREPLICATION_SRC_STORES_RECORD_STORE_H_
