// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Session::ListConflicts and Session::ResolveConflict: the conflict items
// keep_both left (include/ioreplication/conflict.h), and an owner's choice
// about one, made as local changes so that it replicates.

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "ioreplication/replica.h"
#include "ioreplication/session.h"
#include "session/session_state.h"
#include "sync/conflict_resolver.h"
#include "sync/folder_tree.h"

namespace ioreplication {
namespace {

bool InConflict(const Item& item) {
  const PropValue* v = item.properties.Get(kPropInConflict);
  const bool* flag = v != nullptr ? std::get_if<bool>(v) : nullptr;
  return flag != nullptr && *flag;
}

std::optional<SourceKey> LinkedKey(const Item& item) {
  const PropValue* v = item.properties.Get(kPropConflictEntryId);
  const Bytes* bytes = v != nullptr ? std::get_if<Bytes>(v) : nullptr;
  if (bytes == nullptr) return std::nullopt;
  absl::StatusOr<SourceKey> key = SourceKey::Decode(
      {reinterpret_cast<const uint8_t*>(bytes->data.data()),
       bytes->data.size()});
  if (!key.ok()) return std::nullopt;
  return *key;
}

ItemContent ContentOf(const Item& item) {
  return ItemContent{item.message_class, item.properties, item.body,
                     item.attachments};
}

}  // namespace

absl::StatusOr<std::vector<Session::Conflict>> Session::ListConflicts() {
  std::vector<Conflict> out;
  std::vector<std::pair<Store*, std::string>> stores = {
      {state_->publisher, state_->config.publisher}};
  for (size_t i = 0; i < state_->subscribers.size(); ++i) {
    stores.emplace_back(state_->subscribers[i], state_->config.subscribers[i]);
  }
  for (const FolderMapping& mapping : state_->config.mappings) {
    for (size_t s = 0; s < stores.size(); ++s) {
      Store& store = *stores[s].first;
      const std::string& root_path =
          s == 0 ? mapping.publisher_path : mapping.subscriber_path;
      absl::StatusOr<std::optional<Folder>> root =
          FindFolderByPath(store, root_path);
      if (!root.ok()) return root.status();
      if (!root->has_value()) continue;
      absl::StatusOr<absl::flat_hash_map<SourceKey, int>> tree =
          sync_internal::SubtreeDepths(store, (*root)->source_key);
      if (!tree.ok()) return tree.status();
      std::vector<SourceKey> folders;
      for (const auto& [key, depth] : *tree) folders.push_back(key);
      std::sort(folders.begin(), folders.end());
      for (const SourceKey& folder : folders) {
        absl::StatusOr<std::vector<SourceKey>> items = store.ListItems(folder);
        if (!items.ok()) return items.status();
        for (const SourceKey& key : *items) {
          absl::StatusOr<Item> loser = store.GetItem(key);
          if (!loser.ok()) return loser.status();
          if (!InConflict(*loser)) continue;
          Conflict c;
          c.store = stores[s].second;
          c.mapping = absl::StrCat(mapping.publisher_path, " -> ",
                                   mapping.subscriber_path);
          c.conflict_item = *loser;
          if (std::optional<SourceKey> linked = LinkedKey(*loser)) {
            absl::StatusOr<Item> winner = store.GetItem(*linked);
            if (winner.ok()) c.item = *std::move(winner);
            if (!winner.ok() && !absl::IsNotFound(winner.status())) {
              return winner.status();
            }
          }
          out.push_back(std::move(c));
        }
      }
    }
  }
  return out;
}

absl::Status Session::ResolveConflict(const SourceKey& conflict_item,
                                      ConflictResolution how) {
  // The first store of the session that holds the conflict item; the
  // resolution replicates from there.
  std::vector<Store*> stores = {state_->publisher};
  stores.insert(stores.end(), state_->subscribers.begin(), state_->subscribers.end());
  for (Store* store : stores) {
    absl::StatusOr<Item> loser = store->GetItem(conflict_item);
    if (absl::IsNotFound(loser.status())) continue;
    if (!loser.ok()) return loser.status();
    if (!InConflict(*loser)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "item ", conflict_item.ToString(), " is not a conflict item"));
    }
    absl::StatusOr<std::unique_ptr<Replica>> replica = Replica::Open(store);
    if (!replica.ok()) return replica.status();
    const std::optional<SourceKey> linked = LinkedKey(*loser);
    switch (how) {
      case ConflictResolution::kKeepMine:
        break;
      case ConflictResolution::kKeepTheirs: {
        if (!linked.has_value()) {
          return absl::FailedPreconditionError(absl::StrCat(
              "conflict item ", conflict_item.ToString(),
              " names no item to replace"));
        }
        ItemContent theirs = ContentOf(*loser);
        theirs.properties.Remove(kPropInConflict);
        theirs.properties.Remove(kPropConflictEntryId);
        absl::StatusOr<Item> replaced =
            (*replica)->ModifyItem(*linked, std::move(theirs));
        if (!replaced.ok()) return replaced.status();
        break;
      }
      case ConflictResolution::kKeepBoth: {
        // The losing version stays, as an ordinary item of its own.
        ItemContent kept = ContentOf(*loser);
        kept.properties.Remove(kPropInConflict);
        kept.properties.Remove(kPropConflictEntryId);
        absl::StatusOr<Item> modified =
            (*replica)->ModifyItem(conflict_item, std::move(kept));
        if (!modified.ok()) return modified.status();
        break;
      }
    }
    if (how != ConflictResolution::kKeepBoth) {
      if (absl::Status s = (*replica)->DeleteItem(conflict_item); !s.ok()) {
        return s;
      }
    }
    // The notice has served its purpose (it may be gone already).
    const SourceKey notice =
        sync_internal::NoticeKeyOfConflictItem(conflict_item);
    absl::Status deleted = (*replica)->DeleteItem(notice);
    if (!deleted.ok() && !absl::IsNotFound(deleted) &&
        !absl::IsFailedPrecondition(deleted)) {
      return deleted;
    }
    return absl::OkStatus();
  }
  return absl::NotFoundError(absl::StrCat("no store of session '",
                                          state_->config.name, "' holds item ",
                                          conflict_item.ToString()));
}

}  // namespace ioreplication
