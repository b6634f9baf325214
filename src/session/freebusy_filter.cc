// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "session/freebusy_filter.h"

#include <memory>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "core/text.h"
#include "ioreplication/prop_tags.h"
#include "ioreplication/recipient.h"

namespace ioreplication::session_internal {

absl::StatusOr<ItemFilter> FreeBusyFilter(
    Store& store, const SessionOptions& options, size_t subscriber,
    const std::function<void(std::string_view)>& log) {
  const std::string path = options.recipients_path.empty()
                               ? std::string(kDefaultRecipientsPath)
                               : options.recipients_path;
  absl::StatusOr<std::vector<Recipient>> list = ReadRecipients(store, path);
  if (!list.ok() && !absl::IsNotFound(list.status())) return list.status();
  auto keys = std::make_shared<absl::flat_hash_set<std::string>>();
  if (list.ok()) {
    keys->reserve(list->size());
    for (const Recipient& r : *list)
      keys->insert(SmtpAddressKey(r.smtp_address));
  } else if (log) {
    log(absl::StrCat("subscriber ", subscriber + 1,
                     " has no recipient list (no folder ", path,
                     "): no free/busy message is written there"));
  }
  using Withhold = sync_internal::ImportOptions::Withhold;
  return ItemFilter(
      [keys, subscriber](const Item& item) -> std::optional<Withhold> {
        const PropValue* value = item.properties.Get(kPropSmtpAddress);
        const std::string* address =
            value != nullptr ? std::get_if<std::string>(value) : nullptr;
        if (address == nullptr || address->empty()) {
          return Withhold{Reason::kNoRecipient,
                          "the message has no SMTP address (PidTagSmtpAddress) "
                          "for a contact to match"};
        }
        if (keys->contains(SmtpAddressKey(*address))) return std::nullopt;
        return Withhold{
            Reason::kNoRecipient,
            absl::StrCat("subscriber ", subscriber + 1,
                         " has no contact with the address ", *address)};
      });
}

}  // namespace ioreplication::session_internal
