// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Exporter: the changes of one mapped folder tree that a destination has not
// seen, in batches.
//
// Given a source store, the mapped root folder and what the destination
// already has (CNSET seen, IDSET given), the exporter produces, in order:
//   1. hierarchy changes, parents before children;
//   2. item changes;
//   3. deletions (tombstones).
// Folders and items that left the mapped tree since the destination got them
// come out as scope exits (the destination removes its copies). A folder that
// entered the tree (moved in from outside) brings its whole subtree, items
// included, even those whose changes were seen (and passed over) while they
// were outside.
//
// It is a pure function of the store's content and the state. Each batch
// says which source local change numbers it covers (`consumed`), so the
// importer can record them with the batch. After the last batch, every local
// change number up to start_high_water() is covered except those the caller
// was told to retry (deferred ones: objects in blocked folders).
//
// Memory: the hierarchy changes are held at once (folders are few); items
// and tombstones stream in batches.

#ifndef IOREPLICATION_SRC_SYNC_EXPORTER_H_
#define IOREPLICATION_SRC_SYNC_EXPORTER_H_

#include <cstddef>
#include <deque>
#include <functional>
#include <optional>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "ioreplication/store.h"

namespace ioreplication::sync_internal {

// One entry of an export batch.
struct Outgoing {
  enum class Kind {
    kChange,     // apply this version (folder, item) or deletion (tombstone)
    kScopeExit,  // the object left the mapped tree: drop the copy
  };
  Kind kind = Kind::kChange;
  Change change;
};

struct ExportBatch {
  std::vector<Outgoing> entries;
  // Source local change numbers this batch covers: those of its entries and
  // of the changes it passed over (outside the tree, already pulled).
  GlobSet consumed;
  // Item content bytes in the batch.
  size_t bytes = 0;
};

struct ExportOptions {
  // As ChangeStreamOptions: entries per batch, and item bytes.
  size_t batch_size = 1000;
  size_t batch_bytes = 16 << 20;
  // Source folders whose changes and items must not be sent this pass
  // (e.g. the replication account's rights differ). They are not consumed.
  absl::flat_hash_set<SourceKey> blocked_folders;
  // Tombstones the source answers the destination with
  // (EchoState::answers), sent with the hierarchy's exits.
  std::vector<Tombstone> answers;
  // Source keys to send again whatever the state says (a verify repair):
  // folders as if they entered the tree (with their subtrees), items as
  // pulled ones.
  std::vector<SourceKey> resend;
};

class Exporter {
 public:
  // `source` must outlive the exporter. `exclude` is what the destination
  // has seen; `given` the source keys it holds.
  Exporter(Store* source, const SourceKey& root, GlobSet exclude, IdSet given,
           ExportOptions options);

  // Reads the source's high-water mark and the mapped tree, and collects the
  // hierarchy changes. Call once before Next().
  absl::Status Start();

  // The next batch; an empty batch when the export is complete.
  absl::StatusOr<ExportBatch> Next();

  // The importer could not apply the pulled item `key`: its stream entry is
  // not consumed, so the next pass sends it again.
  void Retry(const SourceKey& key);

  // The destination did not hold `folder` (sent in this pass's hierarchy)
  // although this direction's state said so: it lost it through another
  // session or direction (a scope exit relayed there). Its subtree is sent
  // too, folders and items, as for a folder that entered the tree. Only
  // during the hierarchy (before the batch that follows its last entries).
  absl::Status Pull(const SourceKey& folder);

  // True when the batch Next() last returned holds stream entries only
  // (items and deletions, each with its local change number): importing it
  // can then call neither Retry (only pulled entries are retried by key)
  // nor Pull (only during the hierarchy), so the next batch may be read
  // before it is imported.
  bool LastBatchStreamed() const { return last_batch_streamed_; }

  // The source's local change number high-water mark when Start() ran.
  GlobCnt start_high_water() const { return start_high_; }
  // Local change numbers held back (in blocked folders).
  const GlobSet& deferred() const { return deferred_; }

 private:
  enum class Phase { kHierarchy, kPulledItems, kItems, kDeletions, kDone };

  absl::Status CollectHierarchy();
  // Marks the folders of `frontier` and everything under them pulled (their
  // items go out in the pulled-items phase) and hands each subfolder found
  // to `on_child`.
  absl::Status PullSubtrees(std::vector<SourceKey> frontier,
                            const std::function<void(Folder)>& on_child);
  // True once `batch` holds batch_size entries or batch_bytes of content.
  bool Full(const ExportBatch& batch) const;
  absl::Status FillFromStream(uint32_t kind, ExportBatch& batch);
  absl::Status FillPulledItems(ExportBatch& batch);
  bool InTree(const SourceKey& folder) const { return tree_.contains(folder); }
  bool Given(const SourceKey& key) const {
    return given_.Contains(key.replica(), key.counter());
  }

  Store* source_;
  SourceKey root_;
  GlobSet exclude_;
  IdSet given_;
  ExportOptions options_;

  GlobCnt start_high_;
  // The mapped tree now: folder -> depth below the root.
  absl::flat_hash_map<SourceKey, int> tree_;
  // Folders that entered the tree (their items are pulled, not streamed).
  absl::flat_hash_set<SourceKey> pulled_folders_;
  absl::flat_hash_set<SourceKey> queued_;  // folders in the hierarchy
  std::vector<SourceKey> pull_queue_;  // folders whose items to pull
  std::deque<SourceKey> pull_items_;   // item keys of the folder being pulled
  std::deque<Outgoing> hierarchy_;
  GlobSet hierarchy_consumed_;
  GlobSet deferred_;
  absl::flat_hash_set<SourceKey> retry_keys_;
  Phase phase_ = Phase::kHierarchy;
  bool last_batch_streamed_ = false;
  GlobCnt stream_after_;
};

}  // namespace ioreplication::sync_internal

#endif  // IOREPLICATION_SRC_SYNC_EXPORTER_H_
