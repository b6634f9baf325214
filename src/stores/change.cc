// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "ioreplication/store.h"
#include "stores/folder_digest.h"

namespace ioreplication {

absl::StatusOr<std::vector<ItemVersion>> Store::ListItemVersions(
    const SourceKey& folder) {
  absl::StatusOr<std::vector<SourceKey>> keys = ListItems(folder);
  if (!keys.ok()) return keys.status();
  std::vector<ItemVersion> out;
  out.reserve(keys->size());
  for (const SourceKey& key : *keys) {
    absl::StatusOr<Item> item = GetItem(key);
    if (!item.ok()) return item.status();
    out.push_back({key, item->change_key});
  }
  return out;
}

absl::StatusOr<FolderDigest> Store::GetFolderDigest(const SourceKey& folder) {
  absl::StatusOr<std::vector<ItemVersion>> versions = ListItemVersions(folder);
  if (!versions.ok()) return versions.status();
  return stores_internal::DigestOfVersions(*versions);
}

ChangeNumber Change::change_key() const {
  if (const auto* f = std::get_if<Folder>(&object)) return f->change_key;
  if (const auto* i = std::get_if<Item>(&object)) return i->change_key;
  return std::get<Tombstone>(object).deletion_cn;
}

const SourceKey& Change::source_key() const {
  if (const auto* f = std::get_if<Folder>(&object)) return f->source_key;
  if (const auto* i = std::get_if<Item>(&object)) return i->source_key;
  return std::get<Tombstone>(object).source_key;
}

}  // namespace ioreplication
