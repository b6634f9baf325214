// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "ioreplication/replica.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "replica/change_number_source.h"
#include "replica/replica_impl.h"

namespace ioreplication {
namespace {

// Where the Replica keeps the last timestamp it handed out, so that a
// restarted process never stamps a change earlier than the last one.
constexpr char kClockState[] = "ioreplication/replica/clock";

std::string EncodeTicks(FileTime t) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>(t.ticks() >> (8 * i));
  return out;
}

FileTime DecodeTicks(const std::string& bytes) {
  uint64_t ticks = 0;
  for (size_t i = 0; i < bytes.size() && i < 8; ++i) {
    ticks |= uint64_t{static_cast<uint8_t>(bytes[i])} << (8 * i);
  }
  return FileTime::FromTicks(ticks);
}

void SetContent(ItemContent&& content, Item& item) {
  item.message_class = std::move(content.message_class);
  item.properties = std::move(content.properties);
  item.body = std::move(content.body);
  item.attachments = std::move(content.attachments);
}

}  // namespace

namespace replica_internal {

ReplicaImpl::ReplicaImpl(Store* store, ReplicaOptions options)
    : store_(store),
      options_(std::move(options)),
      clock_(options_.time_source
                 ? options_.time_source
                 : Clock::TimeSource([] { return absl::Now(); })),
      counters_(std::make_unique<ChangeNumberSource>(store, Guid(),
                                                     options_.counter_block)),
      keys_(std::make_unique<ChangeNumberSource>(store, Guid(),
                                                 options_.counter_block)) {}

ReplicaImpl::~ReplicaImpl() = default;

absl::Status ReplicaImpl::Init() {
  if (absl::Status s = CheckIdentity(); !s.ok()) return s;
  absl::StatusOr<std::optional<std::string>> clock =
      store_->GetSyncState(kClockState);
  if (!clock.ok()) return clock.status();
  if (clock->has_value()) clock_.Observe(DecodeTicks(**clock));
  return absl::OkStatus();
}

absl::Status ReplicaImpl::CheckIdentity() {
  absl::StatusOr<StoreIdentity> identity = store_->Identity();
  if (!identity.ok()) return identity.status();
  identity_ = *identity;
  counters_->Reset(identity_.replica);
  keys_->Reset(identity_.replica);
  absl::StatusOr<GlobCnt> high = store_->CounterHighWater();
  if (!high.ok()) return high.status();
  absl::StatusOr<GlobCnt> in_use = store_->MaxCounterInUse(identity_.replica);
  if (!in_use.ok()) return in_use.status();
  if (*in_use > *high) {
    return TakeNewIdentity(absl::StrCat(
        "the store's data uses counter ", in_use->value(), " of replica ",
        identity_.replica.ToString(), " but its counter stands at ",
        high->value(), ": it was restored or damaged"));
  }
  return absl::OkStatus();
}

absl::Status ReplicaImpl::TakeNewIdentity(std::string reason) {
  const StoreIdentity next{Guid::Random(), identity_.epoch + 1};
  if (absl::Status s = store_->Begin(); !s.ok()) return s;
  if (absl::Status s = store_->SetIdentity(next); !s.ok()) {
    (void)store_->Rollback();
    return s;
  }
  if (absl::Status s = store_->Commit(); !s.ok()) {
    (void)store_->Rollback();
    return s;
  }
  identity_ = next;
  identity_changed_ = std::move(reason);
  // The blocks at hand belonged to the old GUID.
  counters_->Reset(identity_.replica);
  keys_->Reset(identity_.replica);
  return absl::OkStatus();
}

absl::Status ReplicaImpl::MarkRestored() {
  return TakeNewIdentity("marked restored by the operator");
}

SourceKey ReplicaImpl::NextSourceKey() {
  // Transact reserved the keys this operation needs, so the block has them.
  return SourceKey(identity_.replica, keys_->Next().value().counter());
}

absl::Status ReplicaImpl::Stamp(ChangeNumber& change_key, Pcl& pcl,
                                FileTime& time) {
  // Above what the PCL records for this GUID (another handle on the same
  // store, or the importer, may have used counters above this handle's
  // block: the source then reserves a fresh block inside the transaction).
  absl::StatusOr<ChangeNumber> next = counters_->Next(&pcl);
  if (!next.ok()) return next.status();
  change_key = *next;
  if (absl::Status s = pcl.Raise(change_key); !s.ok()) return s;
  time = clock_.Now();
  return absl::OkStatus();
}

absl::Status ReplicaImpl::Wrote(absl::Status status) {
  if (status.ok()) ++writes_;
  return status;
}

absl::Status ReplicaImpl::Transact(uint64_t counters, uint64_t keys,
                                   const std::function<absl::Status()>& body) {
  if (in_batch_) {
    if (!batch_failure_.ok()) return batch_failure_;
    // Reserved inside the batch's transaction, and kept if it commits.
    if (absl::Status s = counters_->Reserve(counters); !s.ok()) return s;
    if (absl::Status s = keys_->Reserve(keys); !s.ok()) return s;
    writes_ = 0;
    absl::Status status = body();
    // A failed store write changes nothing, so only an operation that had
    // already written part of its change leaves the batch half done.
    if (!status.ok() && writes_ > 0) batch_failure_ = status;
    return status;
  }
  if (absl::Status s = counters_->Reserve(counters); !s.ok()) return s;
  if (absl::Status s = keys_->Reserve(keys); !s.ok()) return s;
  if (absl::Status s = store_->Begin(); !s.ok()) return s;
  return EndTransaction(body());
}

absl::Status ReplicaImpl::Batch(const std::function<absl::Status()>& body) {
  if (in_batch_) {
    return absl::FailedPreconditionError("Replica::Batch does not nest");
  }
  if (absl::Status s = store_->Begin(); !s.ok()) return s;
  in_batch_ = true;
  batch_failure_ = absl::OkStatus();
  absl::Status status = body();
  in_batch_ = false;
  if (status.ok()) status = batch_failure_;
  return EndTransaction(status);
}

absl::Status ReplicaImpl::EndTransaction(absl::Status status) {
  if (status.ok()) {
    status = store_->PutSyncState(kClockState, EncodeTicks(clock_.last()));
  }
  if (status.ok()) status = store_->Commit();
  if (!status.ok() && store_->InTransaction()) (void)store_->Rollback();
  counters_->Ended(status.ok());
  keys_->Ended(status.ok());
  return status;
}

absl::Status ReplicaImpl::CheckNameFree(const std::optional<SourceKey>& parent,
                                        std::string_view name,
                                        const SourceKey* except) {
  absl::StatusOr<std::vector<Folder>> siblings =
      store_->ListChildFolders(parent);
  if (!siblings.ok()) return siblings.status();
  for (const Folder& f : *siblings) {
    if (except != nullptr && f.source_key == *except) continue;
    if (absl::EqualsIgnoreCase(f.display_name,
                               absl::string_view(name.data(), name.size()))) {
      return absl::AlreadyExistsError(absl::StrCat(
          "a folder named \"", f.display_name, "\" already exists there"));
    }
  }
  return absl::OkStatus();
}

// ---- Folders ----

absl::Status ReplicaImpl::RequireFolder(const SourceKey& key,
                                        const char* role) {
  absl::StatusOr<Folder> folder = store_->GetFolder(key);
  if (absl::IsNotFound(folder.status())) {
    return absl::FailedPreconditionError(
        absl::StrCat(role, " ", key.ToString(), " does not exist"));
  }
  return folder.status();
}

absl::StatusOr<Folder> ReplicaImpl::InsertNewFolder(
    const std::optional<SourceKey>& parent, std::string_view name) {
  Folder folder;
  absl::Status status = Transact(1, 1, [&]() -> absl::Status {
    if (parent) {
      if (absl::Status s = RequireFolder(*parent, "parent folder"); !s.ok()) {
        return s;
      }
    } else {
      absl::StatusOr<std::vector<Folder>> roots =
          store_->ListChildFolders(std::nullopt);
      if (!roots.ok()) return roots.status();
      if (!roots->empty()) {
        return absl::AlreadyExistsError("the store already has a root folder");
      }
    }
    if (absl::Status s = ValidateFolderName(name); !s.ok()) return s;
    if (absl::Status s = CheckNameFree(parent, name); !s.ok()) return s;
    folder.source_key = NextSourceKey();
    folder.parent = parent;
    folder.display_name = std::string(name);
    if (absl::Status s =
            Stamp(folder.change_key, folder.pcl, folder.last_modified);
        !s.ok()) {
      return s;
    }
    return Wrote(store_->InsertFolder(folder));
  });
  if (!status.ok()) return status;
  return folder;
}

absl::StatusOr<Folder> ReplicaImpl::CreateRootFolder(std::string_view name) {
  return InsertNewFolder(std::nullopt, name);
}

absl::StatusOr<Folder> ReplicaImpl::CreateFolder(const SourceKey& parent,
                                                 std::string_view name) {
  return InsertNewFolder(parent, name);
}

absl::StatusOr<Folder> ReplicaImpl::ModifyFolder(
    const SourceKey& key, const std::function<absl::Status(Folder&)>& edit) {
  Folder folder;
  absl::Status status = Transact(1, 0, [&]() -> absl::Status {
    absl::StatusOr<Folder> current = store_->GetFolder(key);
    if (!current.ok()) return current.status();
    folder = *std::move(current);
    // Stamp before the edit, as in EditItem: the edit may move a value in.
    if (absl::Status s =
            Stamp(folder.change_key, folder.pcl, folder.last_modified);
        !s.ok()) {
      return s;
    }
    if (absl::Status s = edit(folder); !s.ok()) return s;
    return Wrote(store_->UpdateFolder(folder));
  });
  if (!status.ok()) return status;
  return folder;
}

absl::StatusOr<Folder> ReplicaImpl::RenameFolder(const SourceKey& key,
                                                 std::string_view name) {
  return ModifyFolder(key, [&](Folder& f) -> absl::Status {
    if (absl::Status s = ValidateFolderName(name); !s.ok()) return s;
    if (absl::Status s = CheckNameFree(f.parent, name, &key); !s.ok()) {
      return s;
    }
    f.display_name = std::string(name);
    return absl::OkStatus();
  });
}

absl::StatusOr<Folder> ReplicaImpl::MoveFolder(const SourceKey& key,
                                               const SourceKey& new_parent) {
  return ModifyFolder(key, [&](Folder& f) -> absl::Status {
    if (!f.parent.has_value()) {
      return absl::FailedPreconditionError("the root folder cannot move");
    }
    // Walk up from the new parent: meeting the folder itself is a cycle.
    std::optional<SourceKey> at = new_parent;
    while (at.has_value()) {
      if (*at == key) {
        return absl::InvalidArgumentError(absl::StrCat(
            "cannot move folder ", key.ToString(), " into its own subtree"));
      }
      absl::StatusOr<Folder> up = store_->GetFolder(*at);
      if (!up.ok()) {
        if (absl::IsNotFound(up.status())) {
          return absl::FailedPreconditionError(absl::StrCat(
              "parent folder ", at->ToString(), " does not exist"));
        }
        return up.status();
      }
      at = up->parent;
    }
    if (absl::Status s = CheckNameFree(new_parent, f.display_name, &key);
        !s.ok()) {
      return s;
    }
    f.parent = new_parent;
    return absl::OkStatus();
  });
}

absl::StatusOr<Folder> ReplicaImpl::SetFolderProperty(const SourceKey& key,
                                                      PropTag tag,
                                                      PropValue value) {
  return ModifyFolder(
      key, [&](Folder& f) { return f.properties.Set(tag, std::move(value)); });
}

absl::StatusOr<Folder> ReplicaImpl::RemoveFolderProperty(const SourceKey& key,
                                                         PropTag tag) {
  return ModifyFolder(key, [&](Folder& f) -> absl::Status {
    if (!f.properties.Remove(tag)) {
      return absl::NotFoundError(absl::StrCat(
          "folder ", key.ToString(), " has no property ", tag.ToString()));
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<Folder> ReplicaImpl::SetAclMember(const SourceKey& key,
                                                 std::string_view member,
                                                 uint32_t rights) {
  return ModifyFolder(key,
                      [&](Folder& f) { return f.acl.Set(member, rights); });
}

absl::StatusOr<Folder> ReplicaImpl::RemoveAclMember(const SourceKey& key,
                                                    std::string_view member) {
  return ModifyFolder(key, [&](Folder& f) -> absl::Status {
    if (!f.acl.Remove(member)) {
      return absl::NotFoundError(absl::StrCat("folder ", key.ToString(),
                                              " has no ACL entry for \"",
                                              std::string(member), "\""));
    }
    return absl::OkStatus();
  });
}

absl::Status ReplicaImpl::DeleteFolder(const SourceKey& key) {
  // One change number per object of the subtree, reserved inside the
  // transaction once the subtree is read (another handle may have grown it
  // since any count made before).
  return Transact(0, 0, [&]() -> absl::Status {
    absl::StatusOr<Folder> top = store_->GetFolder(key);
    if (!top.ok()) return top.status();
    if (!top->parent.has_value()) {
      return absl::FailedPreconditionError("the root folder cannot be deleted");
    }
    // Breadth-first: folders in the order found, so children come after
    // their parents; deleted in reverse.
    std::vector<Folder> folders = {*top};
    std::vector<Item> items;
    for (size_t i = 0; i < folders.size(); ++i) {
      absl::StatusOr<std::vector<Folder>> children =
          store_->ListChildFolders(folders[i].source_key);
      if (!children.ok()) return children.status();
      folders.insert(folders.end(), children->begin(), children->end());
      absl::StatusOr<std::vector<SourceKey>> keys =
          store_->ListItems(folders[i].source_key);
      if (!keys.ok()) return keys.status();
      for (const SourceKey& k : *keys) {
        absl::StatusOr<Item> item = store_->GetItem(k);
        if (!item.ok()) return item.status();
        items.push_back(*std::move(item));
      }
    }
    if (absl::Status s = counters_->Reserve(folders.size() + items.size());
        !s.ok()) {
      return s;
    }
    for (const Item& item : items) {
      Tombstone t{
          item.source_key, ObjectKind::kItem, item.folder, {}, item.pcl, {}};
      if (absl::Status s = Stamp(t.deletion_cn, t.pcl, t.deleted_at); !s.ok()) {
        return s;
      }
      if (absl::Status s = Wrote(store_->DeleteItem(item.source_key));
          !s.ok()) {
        return s;
      }
      if (absl::Status s = Wrote(store_->PutTombstone(t)); !s.ok()) return s;
    }
    for (auto f = folders.rbegin(); f != folders.rend(); ++f) {
      Tombstone t{
          f->source_key, ObjectKind::kFolder, *f->parent, {}, f->pcl, {}};
      if (absl::Status s = Stamp(t.deletion_cn, t.pcl, t.deleted_at); !s.ok()) {
        return s;
      }
      if (absl::Status s = Wrote(store_->DeleteFolder(f->source_key));
          !s.ok()) {
        return s;
      }
      if (absl::Status s = Wrote(store_->PutTombstone(t)); !s.ok()) return s;
    }
    return absl::OkStatus();
  });
}

// ---- Items ----

absl::StatusOr<Item> ReplicaImpl::CreateItem(const SourceKey& folder,
                                             ItemContent content) {
  Item item;
  absl::Status status = Transact(1, 1, [&]() -> absl::Status {
    if (absl::Status s = RequireFolder(folder, "folder"); !s.ok()) return s;
    item.source_key = NextSourceKey();
    item.folder = folder;
    if (absl::Status s = Stamp(item.change_key, item.pcl, item.last_modified);
        !s.ok()) {
      return s;
    }
    SetContent(std::move(content), item);
    return Wrote(store_->InsertItem(item));
  });
  if (!status.ok()) return status;
  return item;
}

absl::StatusOr<Item> ReplicaImpl::EditItem(
    const SourceKey& key, const std::function<void(Item&)>& edit) {
  Item item;
  absl::Status status = Transact(1, 0, [&]() -> absl::Status {
    absl::StatusOr<Item> current = store_->GetItem(key);
    if (!current.ok()) return current.status();
    item = *std::move(current);
    // Stamp first: it may ask Transact to run this body again with a fresh
    // counter block, and `edit` may move the new content in only once.
    if (absl::Status s = Stamp(item.change_key, item.pcl, item.last_modified);
        !s.ok()) {
      return s;
    }
    edit(item);
    return Wrote(store_->UpdateItem(item));
  });
  if (!status.ok()) return status;
  return item;
}

absl::StatusOr<Item> ReplicaImpl::ModifyItem(const SourceKey& key,
                                             ItemContent content) {
  return EditItem(key,
                  [&](Item& item) { SetContent(std::move(content), item); });
}

absl::StatusOr<Item> ReplicaImpl::MoveItem(const SourceKey& key,
                                           const SourceKey& new_folder) {
  return EditItem(key, [&](Item& item) { item.folder = new_folder; });
}

absl::Status ReplicaImpl::DeleteItem(const SourceKey& key) {
  return Transact(1, 0, [&]() -> absl::Status {
    absl::StatusOr<Item> item = store_->GetItem(key);
    if (!item.ok()) return item.status();
    Tombstone t{key, ObjectKind::kItem, item->folder, {}, item->pcl, {}};
    if (absl::Status s = Stamp(t.deletion_cn, t.pcl, t.deleted_at); !s.ok()) {
      return s;
    }
    if (absl::Status s = Wrote(store_->DeleteItem(key)); !s.ok()) return s;
    return Wrote(store_->PutTombstone(t));
  });
}

}  // namespace replica_internal

using replica_internal::ReplicaImpl;

absl::StatusOr<std::unique_ptr<Replica>> Replica::Open(Store* store,
                                                       ReplicaOptions options) {
  if (store == nullptr) return absl::InvalidArgumentError("store is null");
  if (options.counter_block == 0) {
    return absl::InvalidArgumentError("counter_block must be at least 1");
  }
  if (store->InTransaction()) {
    return absl::FailedPreconditionError(
        "the store has an open transaction; a Replica needs it idle");
  }
  auto impl = std::make_unique<ReplicaImpl>(store, std::move(options));
  if (absl::Status s = impl->Init(); !s.ok()) return s;
  return std::unique_ptr<Replica>(new Replica(std::move(impl)));
}

Replica::Replica(std::unique_ptr<ReplicaImpl> impl) : impl_(std::move(impl)) {}
Replica::~Replica() = default;

const StoreIdentity& Replica::identity() const { return impl_->identity(); }
const std::string& Replica::identity_changed() const {
  return impl_->identity_changed();
}
Store& Replica::store() { return impl_->store(); }

absl::Status Replica::MarkRestored() { return impl_->MarkRestored(); }

absl::StatusOr<Folder> Replica::CreateRootFolder(std::string_view name) {
  return impl_->CreateRootFolder(name);
}

absl::StatusOr<Folder> Replica::CreateFolder(const SourceKey& parent,
                                             std::string_view name) {
  return impl_->CreateFolder(parent, name);
}

absl::StatusOr<Folder> Replica::RenameFolder(const SourceKey& key,
                                             std::string_view name) {
  return impl_->RenameFolder(key, name);
}

absl::StatusOr<Folder> Replica::MoveFolder(const SourceKey& key,
                                           const SourceKey& new_parent) {
  return impl_->MoveFolder(key, new_parent);
}

absl::StatusOr<Folder> Replica::SetFolderProperty(const SourceKey& key,
                                                  PropTag tag,
                                                  PropValue value) {
  return impl_->SetFolderProperty(key, tag, std::move(value));
}

absl::StatusOr<Folder> Replica::RemoveFolderProperty(const SourceKey& key,
                                                     PropTag tag) {
  return impl_->RemoveFolderProperty(key, tag);
}

absl::StatusOr<Folder> Replica::SetAclMember(const SourceKey& key,
                                             std::string_view member,
                                             uint32_t rights) {
  return impl_->SetAclMember(key, member, rights);
}

absl::StatusOr<Folder> Replica::RemoveAclMember(const SourceKey& key,
                                                std::string_view member) {
  return impl_->RemoveAclMember(key, member);
}

absl::Status Replica::DeleteFolder(const SourceKey& key) {
  return impl_->DeleteFolder(key);
}

absl::StatusOr<Item> Replica::CreateItem(const SourceKey& folder,
                                         ItemContent content) {
  return impl_->CreateItem(folder, std::move(content));
}

absl::StatusOr<Item> Replica::ModifyItem(const SourceKey& key,
                                         ItemContent content) {
  return impl_->ModifyItem(key, std::move(content));
}

absl::StatusOr<Item> Replica::MoveItem(const SourceKey& key,
                                       const SourceKey& new_folder) {
  return impl_->MoveItem(key, new_folder);
}

absl::Status Replica::DeleteItem(const SourceKey& key) {
  return impl_->DeleteItem(key);
}

absl::Status Replica::Batch(const std::function<absl::Status()>& body) {
  return impl_->Batch(body);
}

}  // namespace ioreplication
