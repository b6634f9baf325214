// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Store: what a mail store implements to take part in replication.
//
// The replication engine keeps everything it knows about an organization's
// public folders in a Store: the folders, items and tombstones, the replica's
// identity and change-number counter, and named sync-state blobs. ioreplication
// ships stores (memory, SQLite; more later) and a host plugs its own in by
// implementing this interface (or, from C, the equivalent vtable).
//
// A store persists; it does not decide. Change numbers, change keys, PCLs and
// timestamps are set by the caller (the Replica for local changes, the
// importer for replicated ones), and the store keeps them exactly as given.
// What a store does check, so that bad input never reaches disk: object
// validity (ValidateFolderName, ValidateItem, the size limit), that a parent
// exists, and that a source key is used once.
//
// Local change numbers. Besides the change key (which says whose change a
// version is, and travels with it between organizations), every write of a
// folder, item or tombstone gets a *local change number* from the store: a
// 48-bit counter of the store's own, 1 for the first write, never reused,
// assigned inside the write's transaction so that local change numbers
// follow commit order (a transaction that commits later only ever has higher
// ones). This is MS-OXCFXICS's PidTagChangeNumber as opposed to
// PidTagChangeKey, and what the change stream is ordered by: a reader that
// has seen every change up to local change number N at one moment can never
// later meet an unseen change at or below N. (Change keys cannot give that:
// they come from blocks reserved in advance and from other organizations.)
//
// Contract for every method, unless its comment says otherwise:
//  - Threading: a Store object is used by one thread at a time, not
//    always the same one (a sync pass reads its source on a second thread
//    while it writes the destination) unless CallerThreadOnly() says so.
//    Different Store objects over the same data (e.g. two handles on one
//    SQLite file) may be used from different threads or processes.
//  - Transactions: writes (Insert*, Update*, Delete*, Put*, SetIdentity) are
//    made inside Begin()/Commit(); nothing they do is visible to other handles
//    before Commit(), and Rollback() undoes all of them. A write outside a
//    transaction is FailedPreconditionError. Reads work inside or outside one
//    and see the transaction's own writes.
//  - Errors: a failed write changes nothing (the transaction stays open and
//    usable). NotFoundError when a source key is absent, AlreadyExistsError
//    when it is taken, FailedPreconditionError for a missing parent,
//    InvalidArgumentError for invalid objects, ResourceExhaustedError past the
//    size limit, and DataLossError or UnavailableError for storage trouble.
//  - Ownership: arguments are borrowed for the call; results are owned by the
//    caller.

#ifndef IOREPLICATION_STORE_H_
#define IOREPLICATION_STORE_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "ioreplication/clock.h"
#include "ioreplication/export.h"
#include "ioreplication/folder.h"
#include "ioreplication/folder_path.h"
#include "ioreplication/globcnt.h"
#include "ioreplication/globset.h"
#include "ioreplication/guid.h"
#include "ioreplication/ids.h"
#include "ioreplication/idset.h"
#include "ioreplication/item.h"
#include "ioreplication/object_kind.h"
#include "ioreplication/tombstone.h"

namespace ioreplication {

// Who issues this store's new change numbers and source keys.
struct StoreIdentity {
  Guid replica;
  // Counts the GUIDs this store has had: 0 for the first, +1 each time it
  // takes a new one (after a restore from backup).
  uint32_t epoch = 0;

  friend bool operator==(const StoreIdentity& a,
                         const StoreIdentity& b) = default;
};

// An inclusive block of counter values reserved for one replica GUID.
struct CounterBlock {
  GlobCnt first;
  GlobCnt last;
};

// One entry of the change stream: the current version of a folder or item,
// or a tombstone.
struct Change {
  std::variant<Folder, Item, Tombstone> object;
  // The store's local change number of the write that made this version
  // (see "Local change numbers" on Store).
  GlobCnt local_cn;

  // The version's change key (a tombstone's deletion change number).
  ChangeNumber change_key() const;
  const SourceKey& source_key() const;
};

struct ChangeStreamOptions {
  // A batch ends after this many changes (SessionOptions::batch_size)...
  size_t batch_size = 1000;
  // ...or once it holds this many bytes of item content (at least one change
  // is always returned, however large; SessionOptions::batch_bytes).
  size_t batch_bytes = 16 << 20;
  // Only objects of these kinds (a set of KindBit values,
  // ioreplication/object_kind.h) are returned; the others are passed over
  // without being decoded.
  uint32_t kinds = kAllKinds;
};

// An item's identity and version, without its content.
struct ItemVersion {
  SourceKey source_key;
  ChangeNumber change_key;

  friend bool operator==(const ItemVersion& a, const ItemVersion& b) = default;
};

// A digest of the items of one folder, comparable across stores and
// replicas: how many items there are, and the sum (modulo 2^256, as a
// little-endian number) of SHA-256(source key bytes || change key bytes)
// over them, the keys in their wire form (MS-OXCDATA XID, 22 bytes each).
// A sum does not depend on order, so a store can keep it current as items
// are added, changed, moved and removed, and answer without reading the
// folder's items. Equal digests mean equal (source key, change key) sets but
// for a collision of SHA-256 sums, which chance does not produce; an
// adversary with many items could craft one (compare ListItemVersions where
// that matters).
struct FolderDigest {
  uint64_t items = 0;
  std::array<uint8_t, 32> sum{};

  friend bool operator==(const FolderDigest& a,
                         const FolderDigest& b) = default;
};

struct StoreCounts {
  uint64_t folders = 0;
  uint64_t items = 0;
  uint64_t tombstones = 0;
};

struct StoreOptions {
  // Largest Item::ByteSize() accepted.
  size_t max_item_size = 64 << 20;
  // The secret a store that authenticates opens with (a password, a token).
  // The built-in memory and SQLite stores take none and refuse one. Never
  // written to logs or error messages.
  std::string credential;
};

class IOREPL_EXPORT Store {
 public:
  virtual ~Store() = default;

  // ---- Identity and counters ----

  // The current identity. A new store has epoch 0 and a random GUID.
  virtual absl::StatusOr<StoreIdentity> Identity() = 0;

  // Replaces the identity (a write: needs a transaction). Counters are per
  // GUID: a new GUID starts with a fresh counter.
  virtual absl::Status SetIdentity(const StoreIdentity& identity) = 0;

  // Reserves `count` (>= 1) consecutive counter values for the current GUID,
  // above every value reserved before by any handle. Outside a transaction
  // the reservation is durable before this returns, so that no crash ever
  // hands the same value out twice; inside one it is a write of that
  // transaction, undone by Rollback() (so the values may be handed out
  // again: use them only for writes of the same transaction, or after it
  // committed). The first value ever reserved for a GUID is 1. Returns
  // OutOfRangeError when the 48-bit counter would overflow.
  virtual absl::StatusOr<CounterBlock> ReserveCounters(uint64_t count) = 0;

  // The highest counter value reserved so far for the current GUID (0 if
  // none).
  virtual absl::StatusOr<GlobCnt> CounterHighWater() = 0;

  // The highest counter of `replica` used by any stored change key, source
  // key or deletion change number (0 if none). A value above
  // CounterHighWater() for the current GUID means the counter went back: the
  // store was restored or damaged.
  virtual absl::StatusOr<GlobCnt> MaxCounterInUse(const Guid& replica) = 0;

  // ---- Transactions ----

  // Starts a transaction; FailedPreconditionError if one is open.
  virtual absl::Status Begin() = 0;
  // Makes the transaction's writes durable and visible, atomically.
  virtual absl::Status Commit() = 0;
  // Undoes the transaction's writes.
  virtual absl::Status Rollback() = 0;
  virtual bool InTransaction() const = 0;

  // ---- Folders ----

  virtual absl::StatusOr<Folder> GetFolder(const SourceKey& key) = 0;
  // Adds a folder. Its parent must be a stored folder (or absent, for the one
  // root); its source key must not be used by any folder, item or tombstone.
  virtual absl::Status InsertFolder(const Folder& folder) = 0;
  // Replaces a stored folder (same source key); the new parent must exist.
  virtual absl::Status UpdateFolder(const Folder& folder) = 0;
  // Removes a folder; FailedPreconditionError while it has children or items.
  virtual absl::Status DeleteFolder(const SourceKey& key) = 0;
  // The folders whose parent is `parent` (the root when nullopt), ordered by
  // source key.
  virtual absl::StatusOr<std::vector<Folder>> ListChildFolders(
      const std::optional<SourceKey>& parent) = 0;

  // ---- Items ----

  virtual absl::StatusOr<Item> GetItem(const SourceKey& key) = 0;
  // Adds an item to a stored folder; the source key must be unused.
  virtual absl::Status InsertItem(const Item& item) = 0;
  // Replaces a stored item (it may move to another stored folder).
  virtual absl::Status UpdateItem(const Item& item) = 0;
  virtual absl::Status DeleteItem(const SourceKey& key) = 0;
  // The source keys of the items in `folder`, ordered.
  virtual absl::StatusOr<std::vector<SourceKey>> ListItems(
      const SourceKey& folder) = 0;
  // The source key and change key of each item in `folder`, ordered by
  // source key: what comparing two replicas needs (Session::Verify), without
  // item content. The default reads each item (ListItems, GetItem); stores
  // that index change keys answer from the index.
  virtual absl::StatusOr<std::vector<ItemVersion>> ListItemVersions(
      const SourceKey& folder);
  // The digest of the items in `folder` (FolderDigest); an empty or unknown
  // folder has the zero digest. The default computes it from
  // ListItemVersions (cost proportional to the folder's items); the memory
  // and SQLite stores keep it as items change and answer at once.
  virtual absl::StatusOr<FolderDigest> GetFolderDigest(const SourceKey& folder);

  // ---- Tombstones ----

  virtual absl::StatusOr<Tombstone> GetTombstone(const SourceKey& key) = 0;
  // Adds or replaces the tombstone of a source key that no folder or item
  // uses.
  virtual absl::Status PutTombstone(const Tombstone& tombstone) = 0;
  virtual absl::Status DeleteTombstone(const SourceKey& key) = 0;

  // ---- The change stream ----

  // The current folders, items and tombstones of the kinds options.kinds
  // names whose local change number is above `after` and not in `exclude`,
  // in local change number order, at most one batch (see
  // ChangeStreamOptions). An empty result means the stream is exhausted.
  // Implementations use an index on local change number: the cost is
  // proportional to the changes passed over plus the number of gaps in
  // `exclude`, never to the size of the store.
  virtual absl::StatusOr<std::vector<Change>> ReadChanges(
      const GlobSet& exclude, GlobCnt after,
      const ChangeStreamOptions& options) = 0;

  // The highest local change number given to any write so far (0 for an
  // empty store), including writes of the open transaction. Within one
  // transaction each write gets the next value, so calling this after a
  // write tells the caller that write's local change number.
  virtual absl::StatusOr<GlobCnt> LocalCnHighWater() = 0;

  // ---- Tombstone retention ----

  // Removes the tombstones deleted before `deleted_before` (a write: needs a
  // transaction) and returns how many. The store records the highest local
  // change number among them as its tombstone horizon.
  virtual absl::StatusOr<uint64_t> PurgeTombstones(FileTime deleted_before) = 0;

  // The tombstone horizon: tombstones with a local change number at or below
  // it may have been purged (0 if none ever were). A reader whose knowledge
  // of the stream does not cover everything up to the horizon may have
  // missed deletions and must find them another way (by comparing what
  // exists).
  virtual absl::StatusOr<GlobCnt> TombstoneHorizon() = 0;

  // ---- Sync state ----

  // The blob stored under `name`, or nullopt.
  virtual absl::StatusOr<std::optional<std::string>> GetSyncState(
      std::string_view name) = 0;
  // Stores `blob` under `name` (a write: needs a transaction).
  virtual absl::Status PutSyncState(std::string_view name,
                                    std::string_view blob) = 0;

  // ---- Counts ----

  virtual absl::StatusOr<StoreCounts> Count() = 0;

  // ---- Threads ----

  // True when every call must come from the thread that called into the
  // library (a host store's callbacks are promised their caller's thread).
  // The library then never calls this store from a thread of its own.
  virtual bool CallerThreadOnly() const { return false; }
};

// Opens a store by URI:
//   memory:[NAME]  a new, empty in-memory store (NAME only labels it)
//   sqlite:PATH    the SQLite store in file PATH (created if missing)
//   host:NAME      a host's own store: valid in configurations, where it
//                  names a store given to Session::WithStores, but never
//                  opened here (FailedPreconditionError)
// Returns InvalidArgumentError for an unknown scheme or a malformed URI, and
// the store's own error when it cannot open.
IOREPL_EXPORT absl::StatusOr<std::unique_ptr<Store>> OpenStore(
    std::string_view uri, const StoreOptions& options = {});

// Checks `uri` without opening anything: a known scheme and a well-formed
// rest. A URI that holds a secret (anything RedactStoreUri would hide) is
// refused with a message that does not repeat it: secrets belong in a
// credential (StoreOptions::credential), not in URIs that end up in logs.
IOREPL_EXPORT absl::Status ValidateStoreUri(std::string_view uri);

// `uri` with every secret in it replaced by "***", for messages and logs.
// Every message of this library that shows a store URI shows it through
// this function. It hides:
//   - a password in the user part, with or without "//", whatever it holds
//     ("pg://alice:***@db/pf", "mysql:alice:***@db"); a user part with a '/'
//     in it is a file path, not a user;
//   - the value of a secret-named key=value pair in a query or connection
//     string, case-insensitively: password, passwd, pwd, pass, secret,
//     token, apikey, api_key, sslpassword ("pg://db/pf?password=***",
//     "pg:host=db password=***").
// Everything else is returned as written.
IOREPL_EXPORT std::string RedactStoreUri(std::string_view uri);

// True when stores of `uri`'s scheme open with a credential. None of the
// built-in schemes do.
IOREPL_EXPORT bool StoreTakesCredential(std::string_view uri);

// The folder at `path` (ioreplication/folder_path.h) from the store's root,
// or nullopt when a component does not exist (or the store has no root).
// Names compare ignoring case. SplitFolderPath's errors, and the store's.
// Cost: one ListChildFolders per component.
IOREPL_EXPORT absl::StatusOr<std::optional<Folder>> FindFolderByPath(
    Store& store, std::string_view path);

}  // namespace ioreplication

#endif  // IOREPLICATION_STORE_H_
