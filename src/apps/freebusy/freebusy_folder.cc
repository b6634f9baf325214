// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include <functional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/text.h"
#include "ioreplication/folder_path.h"
#include "ioreplication/freebusy_store.h"
#include "ioreplication/prop_tags.h"
#include "ioreplication/recipient.h"
#include "sync/folder_tree.h"

namespace ioreplication {
namespace {

bool IsFreeBusyMessage(const Item& item) {
  return absl::EqualsIgnoreCase(item.message_class,
                                core_internal::Sv(kFreeBusyMessageClass));
}

const std::string* SmtpOf(const Item& item) {
  const PropValue* v = item.properties.Get(kPropSmtpAddress);
  return v != nullptr ? std::get_if<std::string>(v) : nullptr;
}

}  // namespace

absl::StatusOr<std::string> FreeBusySiteFolderName(std::string_view legacy_dn) {
  const std::string lower = absl::AsciiStrToLower(core_internal::Sv(legacy_dn));
  const size_t cn = lower.find("/cn=");
  if (legacy_dn.empty() || legacy_dn.front() != '/' || cn == 0 ||
      cn == std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "legacy DN \"", core_internal::Sv(legacy_dn),
        "\" has no site part (expected /o=Org/ou=Site/cn=Recipients/cn=...)"));
  }
  return absl::StrCat("EX:", core_internal::Sv(legacy_dn.substr(0, cn)));
}

std::string FreeBusySiteFolderPath(std::string_view site_name,
                                   std::string_view root) {
  return ChildFolderPath(root, site_name);
}

absl::StatusOr<std::unique_ptr<FreeBusyFolder>> FreeBusyFolder::Open(
    Store* store, std::string_view path) {
  absl::StatusOr<Folder> folder = sync_internal::EnsureFolderPath(*store, path);
  if (!folder.ok()) return folder.status();
  absl::StatusOr<std::unique_ptr<Replica>> replica = Replica::Open(store);
  if (!replica.ok()) return replica.status();
  std::unique_ptr<FreeBusyFolder> out(
      new FreeBusyFolder(store, *std::move(replica), *std::move(folder)));
  absl::StatusOr<std::vector<SourceKey>> keys =
      store->ListItems(out->folder_.source_key);
  if (!keys.ok()) return keys.status();
  for (const SourceKey& key : *keys) {
    absl::StatusOr<Item> item = store->GetItem(key);
    if (!item.ok()) return item.status();
    const std::string* smtp = SmtpOf(*item);
    if (!IsFreeBusyMessage(*item) || smtp == nullptr) continue;
    out->by_address_.emplace(SmtpAddressKey(*smtp), key);
  }
  return out;
}

absl::StatusOr<Item> FreeBusyFolder::Put(const FreeBusyMessage& message) {
  if (absl::Status s = ValidateSmtpAddress(message.smtp_address); !s.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("free/busy message: ", s.message()));
  }
  ItemContent content;
  content.message_class = std::string(kFreeBusyMessageClass);
  if (absl::Status s = WriteFreeBusyProperties(message, &content.properties);
      !s.ok()) {
    return s;
  }
  const std::string key = SmtpAddressKey(message.smtp_address);
  if (auto it = by_address_.find(key); it != by_address_.end()) {
    absl::StatusOr<Item> modified =
        replica_->ModifyItem(it->second, std::move(content));
    // Deleted behind our back: create it again below.
    if (!absl::IsNotFound(modified.status())) return modified;
    by_address_.erase(it);
  }
  absl::StatusOr<Item> created =
      replica_->CreateItem(folder_.source_key, std::move(content));
  if (created.ok()) by_address_.emplace(key, created->source_key);
  return created;
}

absl::Status FreeBusyFolder::Batch(const std::function<absl::Status()>& body) {
  const absl::flat_hash_map<std::string, SourceKey> before = by_address_;
  absl::Status status = replica_->Batch(body);
  if (!status.ok()) by_address_ = before;  // its writes were rolled back
  return status;
}

absl::Status FreeBusyFolder::Remove(std::string_view smtp_address) {
  auto it = by_address_.find(SmtpAddressKey(smtp_address));
  if (it == by_address_.end()) {
    return absl::NotFoundError(absl::StrCat(
        "no free/busy message for ", core_internal::Sv(smtp_address),
        " in folder \"", folder_.display_name, "\""));
  }
  absl::Status s = replica_->DeleteItem(it->second);
  if (s.ok() || absl::IsNotFound(s)) by_address_.erase(it);
  return s;
}

namespace {

// Calls `visit` with each free/busy item of the tree at `root_path` and its
// folder's path, depth first; stops at the first error `visit` returns.
absl::Status ForEachFreeBusyItem(
    Store& store, std::string_view root_path,
    const std::function<absl::Status(const std::string&, Item&)>& visit) {
  absl::StatusOr<std::optional<Folder>> root =
      FindFolderByPath(store, root_path);
  if (!root.ok()) return root.status();
  if (!root->has_value()) {
    return absl::NotFoundError(absl::StrCat(
        "the store has no free/busy folder ", core_internal::Sv(root_path)));
  }
  std::vector<std::pair<SourceKey, std::string>> stack = {
      {(*root)->source_key, std::string(root_path)}};
  while (!stack.empty()) {
    auto [folder, path] = std::move(stack.back());
    stack.pop_back();
    absl::StatusOr<std::vector<SourceKey>> keys = store.ListItems(folder);
    if (!keys.ok()) return keys.status();
    for (const SourceKey& key : *keys) {
      absl::StatusOr<Item> item = store.GetItem(key);
      if (!item.ok()) return item.status();
      if (!IsFreeBusyMessage(*item)) continue;
      if (absl::Status s = visit(path, *item); !s.ok()) return s;
    }
    absl::StatusOr<std::vector<Folder>> children =
        store.ListChildFolders(folder);
    if (!children.ok()) return children.status();
    for (auto it = children->rbegin(); it != children->rend(); ++it) {
      stack.emplace_back(it->source_key,
                         ChildFolderPath(path, it->display_name));
    }
  }
  return absl::OkStatus();
}

StoredFreeBusy Stored(const std::string& path, const Item& item) {
  const std::string* smtp = SmtpOf(item);
  return {path, item.source_key, smtp != nullptr ? *smtp : std::string(),
          ReadFreeBusyProperties(item.properties)};
}

}  // namespace

absl::StatusOr<std::vector<StoredFreeBusy>> ListFreeBusyMessages(
    Store& store, std::string_view root_path) {
  std::vector<StoredFreeBusy> found;
  absl::Status s = ForEachFreeBusyItem(
      store, root_path, [&](const std::string& path, Item& item) {
        found.push_back(Stored(path, item));
        return absl::OkStatus();
      });
  if (!s.ok()) return s;
  return found;
}

absl::StatusOr<StoredFreeBusy> FindFreeBusyMessage(
    Store& store, std::string_view smtp_address, std::string_view root_path) {
  const std::string wanted = SmtpAddressKey(smtp_address);
  std::optional<StoredFreeBusy> match;
  // Matched on the address property first: only the user's message is
  // decoded.
  absl::Status s = ForEachFreeBusyItem(
      store, root_path, [&](const std::string& path, Item& item) {
        const std::string* smtp = SmtpOf(item);
        if (match.has_value() || smtp == nullptr ||
            SmtpAddressKey(*smtp) != wanted) {
          return absl::OkStatus();
        }
        match = Stored(path, item);
        return absl::OkStatus();
      });
  if (!s.ok()) return s;
  if (!match.has_value()) {
    return absl::NotFoundError(absl::StrCat(
        "no free/busy message for ", core_internal::Sv(smtp_address), " under ",
        core_internal::Sv(root_path)));
  }
  return *std::move(match);
}

}  // namespace ioreplication
