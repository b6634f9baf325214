// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "sync/exporter.h"

#include <algorithm>

#include "sync/folder_tree.h"

namespace ioreplication::sync_internal {

Exporter::Exporter(Store* source, const SourceKey& root, GlobSet exclude,
                   IdSet given, ExportOptions options)
    : source_(source),
      root_(root),
      exclude_(std::move(exclude)),
      given_(std::move(given)),
      options_(std::move(options)) {}

absl::Status Exporter::Start() {
  absl::StatusOr<GlobCnt> high = source_->LocalCnHighWater();
  if (!high.ok()) return high.status();
  start_high_ = *high;
  absl::StatusOr<absl::flat_hash_map<SourceKey, int>> tree =
      SubtreeDepths(*source_, root_);
  if (!tree.ok()) return tree.status();
  tree_ = *std::move(tree);
  return CollectHierarchy();
}

absl::Status Exporter::CollectHierarchy() {
  // On a first sync (nothing seen) the streams hold everything; afterwards a
  // folder the destination does not hold may bring items whose changes were
  // seen while it was outside the tree, so its subtree is pulled.
  const bool incremental = !exclude_.empty();
  absl::flat_hash_map<SourceKey, Change> changed;
  std::vector<Outgoing> exits;
  std::vector<Outgoing> gone;  // tombstones of resent keys
  std::vector<SourceKey> entering;
  ChangeStreamOptions options;
  options.kinds = KindBit(ObjectKind::kFolder);
  GlobCnt after;
  while (true) {
    absl::StatusOr<std::vector<Change>> batch =
        source_->ReadChanges(exclude_, after, options);
    if (!batch.ok()) return batch.status();
    if (batch->empty()) break;
    for (Change& c : *batch) {
      after = c.local_cn;
      const SourceKey key = c.source_key();
      if (key == root_) {
        // The mapped root's own changes stay at the source: the destination
        // root is a folder of the destination's own.
        hierarchy_consumed_.Insert(c.local_cn);
      } else if (InTree(key)) {
        if (options_.blocked_folders.contains(key)) {
          deferred_.Insert(c.local_cn);
          continue;
        }
        if (incremental && !Given(key)) entering.push_back(key);
        changed.emplace(key, std::move(c));
      } else {
        hierarchy_consumed_.Insert(c.local_cn);
        if (Given(key)) exits.push_back({Outgoing::Kind::kScopeExit, c});
      }
    }
  }
  // A folder of the tree the destination does not hold, with nothing in
  // this pass's stream: its changes were consumed while it (or a folder
  // above it) was outside the tree, and it came back by a move made
  // elsewhere. It enters now, with its subtree.
  if (incremental) {
    for (const auto& [key, depth] : tree_) {
      if (key == root_ || Given(key) || changed.contains(key) ||
          options_.blocked_folders.contains(key)) {
        continue;
      }
      absl::StatusOr<Folder> folder = source_->GetFolder(key);
      if (!folder.ok()) return folder.status();
      entering.push_back(key);
      changed.try_emplace(key, Change{*std::move(folder), GlobCnt()});
    }
  }
  // A repair's keys: folders enter again, items are pulled.
  for (const SourceKey& key : options_.resend) {
    absl::StatusOr<Folder> folder = source_->GetFolder(key);
    if (folder.ok()) {
      if (key == root_ || !InTree(key)) continue;
      entering.push_back(key);
      changed.try_emplace(key, Change{*std::move(folder), GlobCnt()});
      continue;
    }
    if (!absl::IsNotFound(folder.status())) return folder.status();
    absl::StatusOr<Item> item = source_->GetItem(key);
    if (item.ok()) {
      if (InTree(item->folder)) pull_items_.push_back(key);
      continue;
    }
    if (!absl::IsNotFound(item.status())) return item.status();
    // Gone here: its tombstone, which the destination (holding a copy it
    // asked about) may never have been sent.
    absl::StatusOr<Tombstone> tombstone = source_->GetTombstone(key);
    if (absl::IsNotFound(tombstone.status())) continue;
    if (!tombstone.ok()) return tombstone.status();
    gone.push_back(
        {Outgoing::Kind::kChange, Change{*std::move(tombstone), GlobCnt()}});
  }
  // Entering folders bring their subtrees (descendants are in the tree).
  // A pulled folder has no local change number here (0): it is not consumed
  // by this entry, its own stream entry (if any) is.
  if (absl::Status s = PullSubtrees(
          std::move(entering),
          [&](Folder child) {
            const SourceKey key = child.source_key;
            changed.try_emplace(key, Change{std::move(child), GlobCnt()});
          });
      !s.ok()) {
    return s;
  }
  std::vector<Change> ordered;
  ordered.reserve(changed.size());
  for (auto& [key, change] : changed) ordered.push_back(std::move(change));
  // Parents before children: by depth in the tree, then stream order.
  std::sort(ordered.begin(), ordered.end(),
            [&](const Change& a, const Change& b) {
              const int da = tree_.at(a.source_key());
              const int db = tree_.at(b.source_key());
              if (da != db) return da < db;
              if (a.local_cn != b.local_cn) return a.local_cn < b.local_cn;
              return a.source_key() < b.source_key();
            });
  for (Change& c : ordered) {
    queued_.insert(c.source_key());
    hierarchy_.push_back({Outgoing::Kind::kChange, std::move(c)});
  }
  // Scope exits last: folders moved out from under a leaving folder have
  // been moved at the destination by then. Then the tombstones of resent
  // keys, items before folders.
  for (Outgoing& exit : exits) hierarchy_.push_back(std::move(exit));
  std::stable_partition(gone.begin(), gone.end(), [](const Outgoing& o) {
    return std::get<Tombstone>(o.change.object).kind == ObjectKind::kItem;
  });
  for (Outgoing& tombstone : gone) hierarchy_.push_back(std::move(tombstone));
  for (const Tombstone& answer : options_.answers) {
    hierarchy_.push_back({Outgoing::Kind::kChange, Change{answer, GlobCnt()}});
  }
  return absl::OkStatus();
}

bool Exporter::Full(const ExportBatch& batch) const {
  return batch.entries.size() >= options_.batch_size ||
         (!batch.entries.empty() && batch.bytes >= options_.batch_bytes);
}

void Exporter::Retry(const SourceKey& key) { retry_keys_.insert(key); }

absl::Status Exporter::Pull(const SourceKey& folder) {
  // A first sync streams everything; past the hierarchy no folder arrives.
  if (exclude_.empty() || phase_ != Phase::kHierarchy) return absl::OkStatus();
  // Each child after its parent, which is already sent: parents stay first.
  return PullSubtrees({folder}, [&](Folder child) {
    if (queued_.insert(child.source_key).second) {
      hierarchy_.push_back(
          {Outgoing::Kind::kChange, Change{std::move(child), GlobCnt()}});
    }
  });
}

absl::Status Exporter::PullSubtrees(
    std::vector<SourceKey> frontier,
    const std::function<void(Folder)>& on_child) {
  while (!frontier.empty()) {
    const SourceKey key = frontier.back();
    frontier.pop_back();
    if (!pulled_folders_.insert(key).second) continue;
    pull_queue_.push_back(key);
    absl::StatusOr<std::vector<Folder>> children =
        source_->ListChildFolders(key);
    if (!children.ok()) return children.status();
    for (Folder& child : *children) {
      if (options_.blocked_folders.contains(child.source_key)) continue;
      frontier.push_back(child.source_key);
      on_child(std::move(child));
    }
  }
  return absl::OkStatus();
}

absl::Status Exporter::FillPulledItems(ExportBatch& batch) {
  while (!Full(batch)) {
    if (pull_items_.empty()) {
      if (pull_queue_.empty()) return absl::OkStatus();
      absl::StatusOr<std::vector<SourceKey>> keys =
          source_->ListItems(pull_queue_.back());
      pull_queue_.pop_back();
      if (!keys.ok()) return keys.status();
      pull_items_.assign(keys->begin(), keys->end());
      continue;
    }
    absl::StatusOr<Item> item = source_->GetItem(pull_items_.front());
    pull_items_.pop_front();
    if (absl::IsNotFound(item.status())) continue;  // deleted meanwhile
    if (!item.ok()) return item.status();
    batch.bytes += item->ByteSize();
    batch.entries.push_back(
        {Outgoing::Kind::kChange, Change{*std::move(item), GlobCnt()}});
  }
  return absl::OkStatus();
}

absl::Status Exporter::FillFromStream(uint32_t kind, ExportBatch& batch) {
  while (!Full(batch)) {
    ChangeStreamOptions options;
    options.kinds = kind;
    options.batch_size = options_.batch_size - batch.entries.size();
    options.batch_bytes =
        options_.batch_bytes > batch.bytes ? options_.batch_bytes - batch.bytes : 1;
    absl::StatusOr<std::vector<Change>> changes =
        source_->ReadChanges(exclude_, stream_after_, options);
    if (!changes.ok()) return changes.status();
    if (changes->empty()) {
      stream_after_ = GlobCnt();
      phase_ =
          kind == KindBit(ObjectKind::kItem) ? Phase::kDeletions : Phase::kDone;
      return absl::OkStatus();
    }
    for (Change& c : *changes) {
      stream_after_ = c.local_cn;
      if (const Item* item = std::get_if<Item>(&c.object)) {
        const SourceKey& folder = item->folder;
        if (!InTree(folder)) {
          batch.consumed.Insert(c.local_cn);
          if (Given(item->source_key)) {
            batch.entries.push_back({Outgoing::Kind::kScopeExit, std::move(c)});
          }
        } else if (options_.blocked_folders.contains(folder)) {
          deferred_.Insert(c.local_cn);
        } else if (pulled_folders_.contains(folder) &&
                   c.local_cn <= start_high_) {
          // Sent with its folder's subtree already.
          if (!retry_keys_.contains(item->source_key)) {
            batch.consumed.Insert(c.local_cn);
          }
        } else {
          batch.consumed.Insert(c.local_cn);
          batch.bytes += item->ByteSize();
          batch.entries.push_back({Outgoing::Kind::kChange, std::move(c)});
        }
      } else if (const Tombstone* t = std::get_if<Tombstone>(&c.object)) {
        if (options_.blocked_folders.contains(t->parent)) {
          deferred_.Insert(c.local_cn);
          continue;
        }
        batch.consumed.Insert(c.local_cn);
        // Deletions of what the destination holds, or of anything that was
        // in the tree (the destination may have it from another peer).
        if (Given(t->source_key) || InTree(t->parent)) {
          batch.entries.push_back({Outgoing::Kind::kChange, std::move(c)});
        }
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<ExportBatch> Exporter::Next() {
  ExportBatch batch;
  last_batch_streamed_ = phase_ >= Phase::kItems;
  while (!Full(batch) && phase_ != Phase::kDone) {
    switch (phase_) {
      case Phase::kHierarchy:
        while (!Full(batch) && !hierarchy_.empty()) {
          Outgoing& next = hierarchy_.front();
          if (next.change.local_cn != GlobCnt()) {
            batch.consumed.Insert(next.change.local_cn);
          }
          batch.entries.push_back(std::move(next));
          hierarchy_.pop_front();
        }
        // An incremental pass ends the phase in the call after its last
        // entries went out, so that what their import asked to pull (Pull)
        // is in by then. A first sync pulls nothing.
        if (!batch.entries.empty() && !exclude_.empty()) return batch;
        if (hierarchy_.empty()) {
          batch.consumed.UnionWith(hierarchy_consumed_);
          hierarchy_consumed_.clear();
          phase_ = Phase::kPulledItems;
        }
        break;
      case Phase::kPulledItems:
        if (absl::Status s = FillPulledItems(batch); !s.ok()) return s;
        if (pull_items_.empty() && pull_queue_.empty()) phase_ = Phase::kItems;
        break;
      case Phase::kItems:
        if (absl::Status s = FillFromStream(KindBit(ObjectKind::kItem), batch);
            !s.ok()) {
          return s;
        }
        break;
      case Phase::kDeletions:
        if (absl::Status s =
                FillFromStream(KindBit(ObjectKind::kTombstone), batch);
            !s.ok()) {
          return s;
        }
        break;
      case Phase::kDone:
        break;
    }
  }
  return batch;
}

}  // namespace ioreplication::sync_internal
