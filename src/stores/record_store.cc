// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "stores/record_store.h"

#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "stores/record_codec.h"
#include "stores/store_checks.h"

namespace ioreplication::stores_internal {

template <typename T>
absl::StatusOr<T> RecordStore::Decoded(
    const SourceKey& key, RecordKind kind, const char* what,
    absl::StatusOr<T> (*decode)(std::string_view)) {
  std::optional<absl::StatusOr<T>> value;
  absl::StatusOr<bool> found =
      ReadRecord(key, kind, [&](std::string_view body) {
        value = decode(body);
        return absl::OkStatus();
      });
  if (!found.ok()) return found.status();
  if (!*found) return NotFound(what, key);
  return *std::move(value);
}

absl::Status RecordStore::CheckFolderExists(const SourceKey& key,
                                            const char* what) {
  absl::StatusOr<std::optional<Stored>> stored = Lookup(key);
  if (!stored.ok()) return stored.status();
  if (!*stored || (*stored)->kind != RecordKind::kFolder) {
    return MissingParent(what, key);
  }
  return absl::OkStatus();
}

absl::Status RecordStore::DeleteOfKind(const SourceKey& key, RecordKind kind,
                                       const char* what,
                                       const char* operation) {
  if (absl::Status s = CheckInTransaction(InTransaction(), operation);
      !s.ok()) {
    return s;
  }
  absl::StatusOr<std::optional<Stored>> stored = Lookup(key);
  if (!stored.ok()) return stored.status();
  if (!*stored || (*stored)->kind != kind) return NotFound(what, key);
  if (kind == RecordKind::kFolder) {
    absl::StatusOr<std::optional<RecordKind>> child = AnyChild(key);
    if (!child.ok()) return child.status();
    if (*child) {
      return absl::FailedPreconditionError(absl::StrCat(
          "folder ", key.ToString(), " still has ",
          **child == RecordKind::kFolder ? "subfolders" : "items"));
    }
  }
  return RemoveRecord(key, **stored);
}

// ---- Folders ----

absl::StatusOr<Folder> RecordStore::GetFolder(const SourceKey& key) {
  return Decoded<Folder>(key, RecordKind::kFolder, "folder", DecodeFolder);
}

absl::Status RecordStore::InsertFolder(const Folder& folder) {
  if (absl::Status s = CheckInTransaction(InTransaction(), "InsertFolder");
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckFolder(folder); !s.ok()) return s;
  absl::StatusOr<std::optional<Stored>> existing = Lookup(folder.source_key);
  if (!existing.ok()) return existing.status();
  if (*existing) return KeyInUseError(folder.source_key);
  if (folder.parent) {
    if (absl::Status s = CheckFolderExists(*folder.parent, "folder"); !s.ok()) {
      return s;
    }
  } else {
    absl::StatusOr<bool> has_root = HasRoot();
    if (!has_root.ok()) return has_root.status();
    if (*has_root) {
      return absl::FailedPreconditionError(
          "the store already has a root folder");
    }
  }
  return WriteRecord(folder.source_key, RecordKind::kFolder, folder.parent,
                     folder.change_key, 0, EncodeFolder(folder), std::nullopt);
}

absl::Status RecordStore::UpdateFolder(const Folder& folder) {
  if (absl::Status s = CheckInTransaction(InTransaction(), "UpdateFolder");
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckFolder(folder); !s.ok()) return s;
  absl::StatusOr<std::optional<Stored>> old = Lookup(folder.source_key);
  if (!old.ok()) return old.status();
  if (!*old || (*old)->kind != RecordKind::kFolder) {
    return NotFound("folder", folder.source_key);
  }
  if (folder.parent.has_value() != (*old)->has_parent) {
    return absl::FailedPreconditionError(
        "an update cannot make a folder the root or the root a subfolder");
  }
  if (folder.parent) {
    if (absl::Status s = CheckFolderExists(*folder.parent, "folder"); !s.ok()) {
      return s;
    }
  }
  return WriteRecord(folder.source_key, RecordKind::kFolder, folder.parent,
                     folder.change_key, 0, EncodeFolder(folder), *old);
}

absl::Status RecordStore::DeleteFolder(const SourceKey& key) {
  return DeleteOfKind(key, RecordKind::kFolder, "folder", "DeleteFolder");
}

// ---- Items ----

absl::StatusOr<Item> RecordStore::GetItem(const SourceKey& key) {
  return Decoded<Item>(key, RecordKind::kItem, "item", DecodeItem);
}

absl::Status RecordStore::InsertItem(const Item& item) {
  if (absl::Status s = CheckInTransaction(InTransaction(), "InsertItem");
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckItem(item, options_); !s.ok()) return s;
  absl::StatusOr<std::optional<Stored>> existing = Lookup(item.source_key);
  if (!existing.ok()) return existing.status();
  if (*existing) return KeyInUseError(item.source_key);
  if (absl::Status s = CheckFolderExists(item.folder, "item"); !s.ok()) {
    return s;
  }
  return WriteRecord(item.source_key, RecordKind::kItem, item.folder,
                     item.change_key, item.ByteSize(), EncodeItem(item),
                     std::nullopt);
}

absl::Status RecordStore::UpdateItem(const Item& item) {
  if (absl::Status s = CheckInTransaction(InTransaction(), "UpdateItem");
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckItem(item, options_); !s.ok()) return s;
  absl::StatusOr<std::optional<Stored>> existing = Lookup(item.source_key);
  if (!existing.ok()) return existing.status();
  if (!*existing || (*existing)->kind != RecordKind::kItem) {
    return NotFound("item", item.source_key);
  }
  if (absl::Status s = CheckFolderExists(item.folder, "item"); !s.ok()) {
    return s;
  }
  return WriteRecord(item.source_key, RecordKind::kItem, item.folder,
                     item.change_key, item.ByteSize(), EncodeItem(item),
                     *existing);
}

absl::Status RecordStore::DeleteItem(const SourceKey& key) {
  return DeleteOfKind(key, RecordKind::kItem, "item", "DeleteItem");
}

// ---- Tombstones ----

absl::StatusOr<Tombstone> RecordStore::GetTombstone(const SourceKey& key) {
  return Decoded<Tombstone>(key, RecordKind::kTombstone, "tombstone",
                            DecodeTombstone);
}

absl::Status RecordStore::PutTombstone(const Tombstone& tombstone) {
  if (absl::Status s = CheckInTransaction(InTransaction(), "PutTombstone");
      !s.ok()) {
    return s;
  }
  absl::StatusOr<std::optional<Stored>> existing = Lookup(tombstone.source_key);
  if (!existing.ok()) return existing.status();
  if (*existing && (*existing)->kind != RecordKind::kTombstone) {
    return KeyInUseError(tombstone.source_key);
  }
  return WriteRecord(tombstone.source_key, RecordKind::kTombstone,
                     tombstone.parent, tombstone.deletion_cn, 0,
                     EncodeTombstone(tombstone), *existing);
}

absl::Status RecordStore::DeleteTombstone(const SourceKey& key) {
  return DeleteOfKind(key, RecordKind::kTombstone, "tombstone",
                      "DeleteTombstone");
}

}  // namespace ioreplication::stores_internal
