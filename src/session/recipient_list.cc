// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// The recipient list in a store: one contact item per recipient in a folder.

#include "ioreplication/recipient_list.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/text.h"
#include "ioreplication/folder_path.h"
#include "ioreplication/prop_tags.h"
#include "ioreplication/recipient.h"
#include "ioreplication/replica.h"
#include "model/recipient_checks.h"
#include "sync/folder_tree.h"

namespace ioreplication {
namespace {

const std::string* StringProp(const Item& item, PropTag tag) {
  const PropValue* v = item.properties.Get(tag);
  return v != nullptr ? std::get_if<std::string>(v) : nullptr;
}

bool IsContact(const Item& item) {
  const absl::string_view contact = core_internal::Sv(kRecipientMessageClass);
  return absl::EqualsIgnoreCase(item.message_class, contact) ||
         absl::StartsWithIgnoreCase(item.message_class,
                                    absl::StrCat(contact, "."));
}

// The recipient an item holds, if it is a contact with a valid address.
std::optional<Recipient> RecipientOf(const Item& item) {
  if (!IsContact(item)) return std::nullopt;
  const std::string* address = StringProp(item, kPropSmtpAddress);
  if (address == nullptr || !ValidateSmtpAddress(*address).ok()) {
    return std::nullopt;
  }
  const std::string* name = StringProp(item, kPropDisplayName);
  return Recipient{*address, name != nullptr ? *name : std::string()};
}

ItemContent ContactContent(const Recipient& r) {
  ItemContent content;
  content.message_class = std::string(kRecipientMessageClass);
  // Set cannot fail: the tags are string tags and the values strings.
  (void)content.properties.Set(kPropSmtpAddress, r.smtp_address);
  (void)content.properties.Set(kPropDisplayName, r.display_name);
  (void)content.properties.Set(
      kPropSubject, r.display_name.empty() ? r.smtp_address : r.display_name);
  return content;
}

struct Listed {
  SourceKey key;
  Recipient recipient;
};

// The contacts in `folder`, each with its item's key.
absl::StatusOr<std::vector<Listed>> ListContacts(Store& store,
                                                 const SourceKey& folder) {
  absl::StatusOr<std::vector<SourceKey>> keys = store.ListItems(folder);
  if (!keys.ok()) return keys.status();
  std::vector<Listed> listed;
  listed.reserve(keys->size());
  for (const SourceKey& key : *keys) {
    absl::StatusOr<Item> item = store.GetItem(key);
    if (absl::IsNotFound(item.status())) continue;
    if (!item.ok()) return item.status();
    if (std::optional<Recipient> r = RecipientOf(*item)) {
      listed.push_back({key, *std::move(r)});
    }
  }
  return listed;
}

// The contacts of the folder at `path`; NotFoundError when there is none.
absl::StatusOr<std::vector<Listed>> ContactsAt(Store& store,
                                               std::string_view path) {
  absl::StatusOr<std::optional<Folder>> folder = FindFolderByPath(store, path);
  if (!folder.ok()) return folder.status();
  if (!folder->has_value()) {
    return absl::NotFoundError(
        absl::StrCat("no recipient list: the store has no folder ",
                     core_internal::Sv(path)));
  }
  return ListContacts(store, (*folder)->source_key);
}

}  // namespace

absl::StatusOr<std::vector<Recipient>> ReadRecipients(Store& store,
                                                      std::string_view path) {
  absl::StatusOr<std::vector<Listed>> listed = ContactsAt(store, path);
  if (!listed.ok()) return listed.status();
  // Sorted by key, each key computed once.
  std::vector<std::pair<std::string, Recipient>> keyed;
  keyed.reserve(listed->size());
  for (Listed& l : *listed) {
    std::string key = SmtpAddressKey(l.recipient.smtp_address);
    keyed.emplace_back(std::move(key), std::move(l.recipient));
  }
  std::sort(keyed.begin(), keyed.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Recipient> recipients;
  recipients.reserve(keyed.size());
  for (auto& [key, r] : keyed) recipients.push_back(std::move(r));
  return recipients;
}

absl::StatusOr<absl::flat_hash_set<std::string>> ReadRecipientKeys(
    Store& store, std::string_view path) {
  absl::StatusOr<std::vector<Listed>> listed = ContactsAt(store, path);
  if (!listed.ok()) return listed.status();
  absl::flat_hash_set<std::string> keys;
  keys.reserve(listed->size());
  for (const Listed& l : *listed) {
    keys.insert(SmtpAddressKey(l.recipient.smtp_address));
  }
  return keys;
}

absl::StatusOr<RecipientImport> ImportRecipients(
    Store& store, std::string_view path, absl::Span<const Recipient> recipients,
    const RecipientImportOptions& options) {
  // Everything is checked before anything is written.
  if (absl::StatusOr<std::vector<std::string>> names = SplitFolderPath(path);
      !names.ok()) {
    return names.status();
  }
  absl::flat_hash_map<std::string, const Recipient*> wanted;
  wanted.reserve(recipients.size());
  for (size_t i = 0; i < recipients.size(); ++i) {
    const Recipient& r = recipients[i];
    absl::Status s = ValidateSmtpAddress(r.smtp_address);
    if (s.ok()) s = model_internal::ValidateRecipientName(r.display_name);
    if (!s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("recipient ", i + 1, ": ", s.message()));
    }
    if (!wanted.emplace(SmtpAddressKey(r.smtp_address), &r).second) {
      return absl::InvalidArgumentError(absl::StrCat(
          "recipient ", i + 1, ": \"", r.smtp_address, "\" is listed twice"));
    }
  }
  absl::StatusOr<Folder> folder = sync_internal::EnsureFolderPath(store, path);
  if (!folder.ok()) return folder.status();
  absl::StatusOr<std::vector<Listed>> present =
      ListContacts(store, folder->source_key);
  if (!present.ok()) return present.status();
  absl::StatusOr<std::unique_ptr<Replica>> replica = Replica::Open(&store);
  if (!replica.ok()) return replica.status();

  // One transaction for the whole list (Replica::Batch): one commit, and
  // a failure part way leaves the list as it was.
  RecipientImport result;
  absl::Status status = (*replica)->Batch([&]() -> absl::Status {
    absl::flat_hash_set<std::string> seen;
    for (const Listed& l : *present) {
      const std::string key = SmtpAddressKey(l.recipient.smtp_address);
      auto it = wanted.find(key);
      // A second contact of an address already seen is a duplicate.
      if (it == wanted.end() || !seen.insert(key).second) {
        if (!options.replace && it == wanted.end()) continue;
        if (absl::Status s = (*replica)->DeleteItem(l.key); !s.ok()) return s;
        ++result.removed;
        continue;
      }
      if (*it->second == l.recipient) {
        ++result.unchanged;
        continue;
      }
      absl::StatusOr<Item> modified =
          (*replica)->ModifyItem(l.key, ContactContent(*it->second));
      if (!modified.ok()) return modified.status();
      ++result.updated;
    }
    for (const Recipient& r : recipients) {
      if (seen.contains(SmtpAddressKey(r.smtp_address))) continue;
      absl::StatusOr<Item> created =
          (*replica)->CreateItem(folder->source_key, ContactContent(r));
      if (!created.ok()) return created.status();
      ++result.added;
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return result;
}

}  // namespace ioreplication
