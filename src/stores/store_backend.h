// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// StoreBackend: the primitives a store is made of. StoreKernel
// (stores/store_kernel.h) is the one implementation of the Store contract;
// it runs over a backend, which keeps three things and decides nothing:
//
//  1. Records keyed by source key. A record is a folder, an item or a
//     tombstone: a RecordHeader (kind, key, parent, change key, local change
//     number) and an encoded body the backend never looks into. Besides the
//     key, the backend answers two ordered questions: the records of a parent
//     (ListChildren) and the records in local change number order
//     (ScanByLocalCn), each through an index so that the cost is what is
//     returned, not the table size.
//  2. Named values: blobs by name (identity, counters, sync states, folder
//     digests; the kernel chooses the names, stores/store_kernel.cc lists
//     them).
//  3. Transactions over both. Begin must exclude other writers of the same
//     data until Commit or Rollback (SQLite's BEGIN IMMEDIATE); Commit is
//     durable and atomic; Rollback undoes every write since Begin. Reads see
//     the open transaction's writes, and also happen outside transactions.
//
// The kernel checks everything before it writes (validity, unique keys,
// parents, empty folders) and calls Put and Remove only inside a
// transaction, so a backend checks nothing but its own storage. A failed
// write must change nothing. docs/stores.md walks through writing one; a
// backend is done when tests/stores/store_conformance_test.cc passes on it.
//
// The host vtable (include/iorepl/host_store.h) has this shape, so a host's
// C store is one more backend (capi/host_backend.cc).

#ifndef IOREPLICATION_SRC_STORES_STORE_BACKEND_H_
#define IOREPLICATION_SRC_STORES_STORE_BACKEND_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "ioreplication/globcnt.h"
#include "ioreplication/ids.h"
#include "ioreplication/store.h"

namespace ioreplication::stores_internal {

// What a read needs of a record besides its header's kind, key, parent and
// local change number.
enum class RecordPart {
  kHeader,     // nothing more
  kChangeKey,  // the change key too
  kBody,       // the change key and the body
};

// What a backend keeps of a record besides its body.
struct RecordHeader {
  ObjectKind kind = ObjectKind::kFolder;  // its value is the SQLite column's
  SourceKey key;
  // The folder holding an item, a folder's parent, the folder a deleted
  // object was in. Empty for the root folder (and a tombstone of unknown
  // folder).
  std::optional<SourceKey> parent;
  // The folder's or item's change key, a tombstone's deletion change
  // number. Read only with RecordPart::kChangeKey or kBody.
  ChangeNumber change_key;
  // The store's local change number of the write that made the record.
  GlobCnt local_cn;
  // An item's content bytes (Item::ByteSize), 0 for the others. Given on
  // writes, for backends that keep it; reads need not fill it.
  size_t size = 0;
};

// Called for each record a read finds; `body` is valid during the call and
// empty unless the read asked for RecordPart::kBody. Returns false to stop
// the read, or an error to fail it.
using RecordVisitor = absl::FunctionRef<absl::StatusOr<bool>(
    const RecordHeader& header, std::string_view body)>;

// Where a scan may stop early: after `max_count` records, or once the
// bodies returned reach `max_bytes` (after at least one). A hint for
// backends that fetch in pages; the visitor decides where a read ends.
struct ScanLimits {
  size_t max_count = SIZE_MAX;
  size_t max_bytes = SIZE_MAX;
};

class StoreBackend {
 public:
  virtual ~StoreBackend() = default;

  // ---- Transactions ----
  virtual absl::Status Begin() = 0;
  virtual absl::Status Commit() = 0;
  virtual absl::Status Rollback() = 0;

  // ---- Records ----

  // Calls `visit` with the record under `key` and returns true, or returns
  // false when there is none.
  virtual absl::StatusOr<bool> Get(const SourceKey& key, RecordPart part,
                                   RecordVisitor visit) = 0;
  // Stores a record under header.key: a new one (`replace` false: the key is
  // unused) or in place of the one there (`replace` true).
  virtual absl::Status Put(const RecordHeader& header, std::string_view body,
                           bool replace) = 0;
  // Removes the record under `key` (there is one).
  virtual absl::Status Remove(const SourceKey& key) = 0;

  // Visits the records whose parent is `parent` (nullopt: the records
  // without one) and whose kind is in `kinds` (a set of KindBit values), in any
  // order, at most `limit` of them (0: all).
  virtual absl::Status ListChildren(const std::optional<SourceKey>& parent,
                                    uint32_t kinds, RecordPart part,
                                    size_t limit, RecordVisitor visit) = 0;
  // Visits the records with first <= local_cn <= last whose kind is in
  // `kinds`, in ascending local change number order.
  virtual absl::Status ScanByLocalCn(uint64_t first, uint64_t last,
                                     uint32_t kinds, RecordPart part,
                                     const ScanLimits& limits,
                                     RecordVisitor visit) = 0;
  // How many records of each kind there are.
  virtual absl::StatusOr<StoreCounts> Count() = 0;

  // ---- Named values ----

  // The value under `name` (no NUL bytes in it), or nullopt.
  virtual absl::StatusOr<std::optional<std::string>> GetValue(
      std::string_view name) = 0;
  // Stores a value under `name`, inserting or replacing (in a transaction).
  virtual absl::Status PutValue(std::string_view name,
                                std::string_view value) = 0;
  // Removes the value under `name` if there is one (in a transaction). A
  // backend that cannot remove values may store an empty one: the kernel
  // only removes values it reads an empty value of as absent.
  virtual absl::Status DeleteValue(std::string_view name) = 0;

  // ---- Checks ----

  // The backend's own consistency check (e.g. SQLite's integrity_check); the
  // kernel adds its own (StoreKernel::CheckIntegrity).
  virtual absl::Status CheckIntegrity() { return absl::OkStatus(); }

  // Store::CallerThreadOnly: true when the backend's calls must stay on the
  // thread that called the library.
  virtual bool CallerThreadOnly() const { return false; }
};

}  // namespace ioreplication::stores_internal

#endif  // IOREPLICATION_SRC_STORES_STORE_BACKEND_H_
