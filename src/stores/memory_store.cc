// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "stores/memory_store.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "stores/folder_digest.h"
#include "stores/store_checks.h"

namespace ioreplication::stores_internal {

MemoryStore::MemoryStore(const StoreOptions& options)
    : options_(options), identity_{Guid::Random(), 0} {}

// ---- Identity and counters ----

absl::StatusOr<StoreIdentity> MemoryStore::Identity() { return identity_; }

absl::Status MemoryStore::SetIdentity(const StoreIdentity& identity) {
  if (absl::Status s = CheckInTransaction(in_transaction_, "SetIdentity");
      !s.ok()) {
    return s;
  }
  OnUndo([this, old = identity_] { identity_ = old; });
  identity_ = identity;
  return absl::OkStatus();
}

absl::StatusOr<CounterBlock> MemoryStore::ReserveCounters(uint64_t count) {
  if (in_transaction_) {
    return absl::FailedPreconditionError(
        "ReserveCounters must be called outside a transaction");
  }
  if (count == 0) {
    return absl::InvalidArgumentError("ReserveCounters needs count >= 1");
  }
  uint64_t& high = counters_[identity_.replica];
  if (count > GlobCnt::kMaxValue - high) {
    return absl::OutOfRangeError(
        absl::StrCat("the counter of replica ", identity_.replica.ToString(),
                     " is exhausted (high water ", high, ")"));
  }
  const uint64_t first = high + 1;
  high += count;
  return CounterBlock{*GlobCnt::FromValue(first), *GlobCnt::FromValue(high)};
}

absl::StatusOr<GlobCnt> MemoryStore::CounterHighWater() {
  auto it = counters_.find(identity_.replica);
  return *GlobCnt::FromValue(it == counters_.end() ? 0 : it->second);
}

absl::StatusOr<GlobCnt> MemoryStore::MaxCounterInUse(const Guid& replica) {
  uint64_t max = 0;
  // The last entry at or below (replica, max) in each ordered map.
  const ChangeNumber cn_bound(replica, GlobCnt::Max());
  auto cn = by_cn_.upper_bound(cn_bound);
  if (cn != by_cn_.begin() && std::prev(cn)->first.replica() == replica) {
    max = std::max(max, std::prev(cn)->first.counter().value());
  }
  const SourceKey key_bound(replica, GlobCnt::Max());
  auto check = [&](const auto& map) {
    auto it = map.upper_bound(key_bound);
    if (it != map.begin() && std::prev(it)->first.replica() == replica) {
      max = std::max(max, std::prev(it)->first.counter().value());
    }
  };
  check(folders_);
  check(items_);
  check(tombstones_);
  return *GlobCnt::FromValue(max);
}

// ---- Transactions ----

absl::Status MemoryStore::Begin() {
  if (in_transaction_) {
    return absl::FailedPreconditionError("a transaction is already open");
  }
  in_transaction_ = true;
  undo_.clear();
  return absl::OkStatus();
}

absl::Status MemoryStore::Commit() {
  if (!in_transaction_) {
    return absl::FailedPreconditionError("Commit without a transaction");
  }
  in_transaction_ = false;
  undo_.clear();
  return absl::OkStatus();
}

absl::Status MemoryStore::Rollback() {
  if (!in_transaction_) {
    return absl::FailedPreconditionError("Rollback without a transaction");
  }
  for (auto it = undo_.rbegin(); it != undo_.rend(); ++it) (*it)();
  undo_.clear();
  in_transaction_ = false;
  return absl::OkStatus();
}

// ---- Helpers ----

bool MemoryStore::IsKeyUsed(const SourceKey& key) const {
  return folders_.count(key) || items_.count(key) || tombstones_.count(key);
}

void MemoryStore::IndexChange(const ChangeNumber& cn, Kind kind,
                              const SourceKey& key) {
  by_cn_.emplace(cn, std::make_pair(kind, key));
  OnUndo([this, cn, kind, key] {
    auto [b, e] = by_cn_.equal_range(cn);
    for (auto it = b; it != e; ++it) {
      if (it->second == std::make_pair(kind, key)) {
        by_cn_.erase(it);
        return;
      }
    }
  });
}

void MemoryStore::StampLocalCn(Kind kind, const SourceKey& key) {
  UnstampLocalCn(key);
  const uint64_t cn = ++local_cn_high_;
  by_local_cn_.emplace(cn, std::make_pair(kind, key));
  local_cn_of_[key] = cn;
  OnUndo([this, cn, key] {
    by_local_cn_.erase(cn);
    local_cn_of_.erase(key);
    --local_cn_high_;
  });
}

void MemoryStore::UnstampLocalCn(const SourceKey& key) {
  auto it = local_cn_of_.find(key);
  if (it == local_cn_of_.end()) return;
  const uint64_t cn = it->second;
  auto entry = by_local_cn_.find(cn);
  OnUndo([this, cn, key, value = entry->second] {
    by_local_cn_.emplace(cn, value);
    local_cn_of_[key] = cn;
  });
  by_local_cn_.erase(entry);
  local_cn_of_.erase(it);
}

void MemoryStore::UnindexChange(const ChangeNumber& cn, Kind kind,
                                const SourceKey& key) {
  auto [b, e] = by_cn_.equal_range(cn);
  for (auto it = b; it != e; ++it) {
    if (it->second == std::make_pair(kind, key)) {
      by_cn_.erase(it);
      OnUndo([this, cn, kind, key] {
        by_cn_.emplace(cn, std::make_pair(kind, key));
      });
      return;
    }
  }
}

// ---- Folders ----

absl::StatusOr<Folder> MemoryStore::GetFolder(const SourceKey& key) {
  auto it = folders_.find(key);
  if (it == folders_.end()) return NotFound("folder", key);
  return it->second;
}

absl::Status MemoryStore::InsertFolder(const Folder& folder) {
  if (absl::Status s = CheckInTransaction(in_transaction_, "InsertFolder");
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckFolder(folder); !s.ok()) return s;
  if (IsKeyUsed(folder.source_key)) return KeyInUseError(folder.source_key);
  if (folder.parent.has_value()) {
    if (!folders_.count(*folder.parent)) {
      return MissingParent("folder", *folder.parent);
    }
  } else {
    for (const auto& [key, f] : folders_) {
      if (!f.parent.has_value()) {
        return absl::FailedPreconditionError(absl::StrCat(
            "the store already has a root folder, ", key.ToString()));
      }
    }
  }
  folders_.emplace(folder.source_key, folder);
  OnUndo([this, key = folder.source_key] { folders_.erase(key); });
  IndexChange(folder.change_key, Kind::kFolder, folder.source_key);
  StampLocalCn(Kind::kFolder, folder.source_key);
  return absl::OkStatus();
}

absl::Status MemoryStore::UpdateFolder(const Folder& folder) {
  if (absl::Status s = CheckInTransaction(in_transaction_, "UpdateFolder");
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckFolder(folder); !s.ok()) return s;
  auto it = folders_.find(folder.source_key);
  if (it == folders_.end()) return NotFound("folder", folder.source_key);
  if (folder.parent.has_value() != it->second.parent.has_value()) {
    return absl::FailedPreconditionError(
        "an update cannot make a folder the root or the root a subfolder");
  }
  if (folder.parent.has_value() && !folders_.count(*folder.parent)) {
    return MissingParent("folder", *folder.parent);
  }
  UnindexChange(it->second.change_key, Kind::kFolder, folder.source_key);
  OnUndo([this, old = it->second] { folders_[old.source_key] = old; });
  it->second = folder;
  IndexChange(folder.change_key, Kind::kFolder, folder.source_key);
  StampLocalCn(Kind::kFolder, folder.source_key);
  return absl::OkStatus();
}

absl::Status MemoryStore::DeleteFolder(const SourceKey& key) {
  if (absl::Status s = CheckInTransaction(in_transaction_, "DeleteFolder");
      !s.ok()) {
    return s;
  }
  auto it = folders_.find(key);
  if (it == folders_.end()) return NotFound("folder", key);
  for (const auto& [k, f] : folders_) {
    if (f.parent == key) {
      return absl::FailedPreconditionError(
          absl::StrCat("folder ", key.ToString(), " still has subfolders"));
    }
  }
  for (const auto& [k, i] : items_) {
    if (i.folder == key) {
      return absl::FailedPreconditionError(
          absl::StrCat("folder ", key.ToString(), " still has items"));
    }
  }
  UnindexChange(it->second.change_key, Kind::kFolder, key);
  UnstampLocalCn(key);
  OnUndo([this, old = it->second] { folders_.emplace(old.source_key, old); });
  folders_.erase(it);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Folder>> MemoryStore::ListChildFolders(
    const std::optional<SourceKey>& parent) {
  std::vector<Folder> out;
  for (const auto& [key, f] : folders_) {
    if (f.parent == parent) out.push_back(f);
  }
  return out;
}

// ---- Items ----

absl::StatusOr<Item> MemoryStore::GetItem(const SourceKey& key) {
  auto it = items_.find(key);
  if (it == items_.end()) return NotFound("item", key);
  return it->second;
}

absl::Status MemoryStore::InsertItem(const Item& item) {
  if (absl::Status s = CheckInTransaction(in_transaction_, "InsertItem");
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckItem(item, options_); !s.ok()) return s;
  if (IsKeyUsed(item.source_key)) return KeyInUseError(item.source_key);
  if (!folders_.count(item.folder)) return MissingParent("item", item.folder);
  items_.emplace(item.source_key, item);
  OnUndo([this, key = item.source_key] { items_.erase(key); });
  ChangeDigest(item.folder, item.source_key, item.change_key, true);
  IndexChange(item.change_key, Kind::kItem, item.source_key);
  StampLocalCn(Kind::kItem, item.source_key);
  return absl::OkStatus();
}

absl::Status MemoryStore::UpdateItem(const Item& item) {
  if (absl::Status s = CheckInTransaction(in_transaction_, "UpdateItem");
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckItem(item, options_); !s.ok()) return s;
  auto it = items_.find(item.source_key);
  if (it == items_.end()) return NotFound("item", item.source_key);
  if (!folders_.count(item.folder)) return MissingParent("item", item.folder);
  UnindexChange(it->second.change_key, Kind::kItem, item.source_key);
  ChangeDigest(it->second.folder, item.source_key, it->second.change_key,
               false);
  ChangeDigest(item.folder, item.source_key, item.change_key, true);
  OnUndo([this, old = it->second] { items_[old.source_key] = old; });
  it->second = item;
  IndexChange(item.change_key, Kind::kItem, item.source_key);
  StampLocalCn(Kind::kItem, item.source_key);
  return absl::OkStatus();
}

absl::Status MemoryStore::DeleteItem(const SourceKey& key) {
  if (absl::Status s = CheckInTransaction(in_transaction_, "DeleteItem");
      !s.ok()) {
    return s;
  }
  auto it = items_.find(key);
  if (it == items_.end()) return NotFound("item", key);
  UnindexChange(it->second.change_key, Kind::kItem, key);
  ChangeDigest(it->second.folder, key, it->second.change_key, false);
  UnstampLocalCn(key);
  OnUndo([this, old = it->second] { items_.emplace(old.source_key, old); });
  items_.erase(it);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<SourceKey>> MemoryStore::ListItems(
    const SourceKey& folder) {
  std::vector<SourceKey> out;
  for (const auto& [key, i] : items_) {
    if (i.folder == folder) out.push_back(key);
  }
  return out;
}

absl::StatusOr<std::vector<ItemVersion>> MemoryStore::ListItemVersions(
    const SourceKey& folder) {
  std::vector<ItemVersion> out;
  for (const auto& [key, i] : items_) {
    if (i.folder == folder) out.push_back({key, i.change_key});
  }
  std::sort(out.begin(), out.end(),
            [](const ItemVersion& a, const ItemVersion& b) {
              return a.source_key < b.source_key;
            });
  return out;
}

absl::StatusOr<FolderDigest> MemoryStore::GetFolderDigest(
    const SourceKey& folder) {
  auto it = digests_.find(folder);
  return it == digests_.end() ? FolderDigest() : it->second;
}

void MemoryStore::ChangeDigest(const SourceKey& folder, const SourceKey& key,
                               const ChangeNumber& change_key, bool add) {
  auto apply = [this, folder, key, change_key](bool adding) {
    FolderDigest& digest = digests_[folder];
    if (adding) {
      AddItem(digest, key, change_key);
    } else {
      RemoveItem(digest, key, change_key);
    }
    if (digest.items == 0) digests_.erase(folder);
  };
  apply(add);
  OnUndo([apply, add] { apply(!add); });
}

// ---- Tombstones ----

absl::StatusOr<Tombstone> MemoryStore::GetTombstone(const SourceKey& key) {
  auto it = tombstones_.find(key);
  if (it == tombstones_.end()) return NotFound("tombstone", key);
  return it->second;
}

absl::Status MemoryStore::PutTombstone(const Tombstone& tombstone) {
  if (absl::Status s = CheckInTransaction(in_transaction_, "PutTombstone");
      !s.ok()) {
    return s;
  }
  const SourceKey& key = tombstone.source_key;
  if (folders_.count(key) || items_.count(key)) return KeyInUseError(key);
  auto it = tombstones_.find(key);
  if (it != tombstones_.end()) {
    UnindexChange(it->second.deletion_cn, Kind::kTombstone, key);
    OnUndo([this, old = it->second] { tombstones_[old.source_key] = old; });
    it->second = tombstone;
  } else {
    tombstones_.emplace(key, tombstone);
    OnUndo([this, key] { tombstones_.erase(key); });
  }
  IndexChange(tombstone.deletion_cn, Kind::kTombstone, key);
  StampLocalCn(Kind::kTombstone, key);
  return absl::OkStatus();
}

absl::Status MemoryStore::DeleteTombstone(const SourceKey& key) {
  if (absl::Status s = CheckInTransaction(in_transaction_, "DeleteTombstone");
      !s.ok()) {
    return s;
  }
  auto it = tombstones_.find(key);
  if (it == tombstones_.end()) return NotFound("tombstone", key);
  UnindexChange(it->second.deletion_cn, Kind::kTombstone, key);
  UnstampLocalCn(key);
  OnUndo(
      [this, old = it->second] { tombstones_.emplace(old.source_key, old); });
  tombstones_.erase(it);
  return absl::OkStatus();
}

// ---- Change stream ----

absl::StatusOr<std::vector<Change>> MemoryStore::ReadChanges(
    const GlobSet& exclude, GlobCnt after, const ChangeStreamOptions& options) {
  std::vector<Change> out;
  size_t bytes = 0;
  auto it = by_local_cn_.upper_bound(after.value());
  while (it != by_local_cn_.end() && out.size() < options.max_count &&
         (out.empty() || bytes < options.max_bytes)) {
    const GlobCnt local_cn = *GlobCnt::FromValue(it->first);
    if (std::optional<GlobRange> skip = ExcludedRange(exclude, local_cn)) {
      // Jump over the whole excluded range in one index lookup.
      it = by_local_cn_.upper_bound(skip->high);
      continue;
    }
    const auto& [kind, key] = it->second;
    switch (kind) {
      case Kind::kFolder:
        if (options.kinds & kFolderChanges) {
          out.push_back(Change{folders_.at(key), local_cn});
        }
        break;
      case Kind::kItem:
        if (options.kinds & kItemChanges) {
          const Item& item = items_.at(key);
          bytes += item.ByteSize();
          out.push_back(Change{item, local_cn});
        }
        break;
      case Kind::kTombstone:
        if (options.kinds & kTombstoneChanges) {
          out.push_back(Change{tombstones_.at(key), local_cn});
        }
        break;
    }
    ++it;
  }
  return out;
}

absl::StatusOr<GlobCnt> MemoryStore::LocalCnHighWater() {
  return *GlobCnt::FromValue(local_cn_high_);
}

// ---- Tombstone retention ----

absl::StatusOr<uint64_t> MemoryStore::PurgeTombstones(FileTime deleted_before) {
  if (absl::Status s = CheckInTransaction(in_transaction_, "PurgeTombstones");
      !s.ok()) {
    return s;
  }
  std::vector<SourceKey> expired;
  for (const auto& [key, t] : tombstones_) {
    if (t.deleted_at < deleted_before) expired.push_back(key);
  }
  uint64_t horizon = tombstone_horizon_;
  for (const SourceKey& key : expired) {
    horizon = std::max(horizon, local_cn_of_.at(key));
    if (absl::Status s = DeleteTombstone(key); !s.ok()) return s;
  }
  OnUndo([this, old = tombstone_horizon_] { tombstone_horizon_ = old; });
  tombstone_horizon_ = horizon;
  return expired.size();
}

absl::StatusOr<GlobCnt> MemoryStore::TombstoneHorizon() {
  return *GlobCnt::FromValue(tombstone_horizon_);
}

// ---- Sync state and counts ----

absl::StatusOr<std::optional<std::string>> MemoryStore::GetSyncState(
    std::string_view name) {
  auto it = sync_state_.find(name);
  if (it == sync_state_.end()) return std::nullopt;
  return it->second;
}

absl::Status MemoryStore::PutSyncState(std::string_view name,
                                       std::string_view blob) {
  if (absl::Status s = CheckInTransaction(in_transaction_, "PutSyncState");
      !s.ok()) {
    return s;
  }
  auto it = sync_state_.find(name);
  if (it != sync_state_.end()) {
    OnUndo(
        [this, key = it->first, old = it->second] { sync_state_[key] = old; });
    it->second = std::string(blob);
  } else {
    sync_state_.emplace(std::string(name), std::string(blob));
    OnUndo([this, key = std::string(name)] { sync_state_.erase(key); });
  }
  return absl::OkStatus();
}

absl::StatusOr<StoreCounts> MemoryStore::Count() {
  return StoreCounts{folders_.size(), items_.size(), tombstones_.size()};
}

}  // namespace ioreplication::stores_internal
