// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "session/freebusy_filter.h"

#include <memory>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "core/text.h"
#include "ioreplication/prop_tags.h"
#include "ioreplication/recipient.h"
#include "ioreplication/recipient_list.h"

namespace ioreplication::session_internal {
namespace {

// What the filter keeps between calls: the list, and a buffer for the
// lower-cased address, so that a lookup allocates nothing once the buffer
// has grown.
struct Matcher {
  absl::flat_hash_set<std::string> keys;
  std::string scratch;
};

}  // namespace

absl::StatusOr<ItemFilter> FreeBusyFilter(
    Store& store, const SessionOptions& options, size_t subscriber,
    const std::function<void(std::string_view)>& log) {
  const std::string path = options.recipients_path.empty()
                               ? std::string(kDefaultRecipientsPath)
                               : options.recipients_path;
  auto matcher = std::make_shared<Matcher>();
  absl::StatusOr<absl::flat_hash_set<std::string>> keys =
      ReadRecipientKeys(store, path);
  if (keys.ok()) {
    matcher->keys = *std::move(keys);
  } else if (absl::IsNotFound(keys.status())) {
    if (log) {
      log(absl::StrCat("subscriber ", subscriber + 1,
                       " has no recipient list (no folder ", path,
                       "): no free/busy message is written there"));
    }
  } else {
    return keys.status();
  }
  using Withhold = sync_internal::ImportOptions::Withhold;
  return ItemFilter(
      [matcher, subscriber](const Item& item) -> std::optional<Withhold> {
        const PropValue* value = item.properties.Get(kPropSmtpAddress);
        const std::string* address =
            value != nullptr ? std::get_if<std::string>(value) : nullptr;
        if (address == nullptr || address->empty()) {
          return Withhold{Reason::kNoRecipient,
                          "the message has no SMTP address (PidTagSmtpAddress) "
                          "for a contact to match"};
        }
        // SmtpAddressKey, into the reused buffer.
        matcher->scratch.assign(*address);
        absl::AsciiStrToLower(&matcher->scratch);
        if (matcher->keys.contains(matcher->scratch)) return std::nullopt;
        return Withhold{
            Reason::kNoRecipient,
            absl::StrCat("subscriber ", subscriber + 1,
                         " has no contact with the address ", *address)};
      });
}

}  // namespace ioreplication::session_internal
