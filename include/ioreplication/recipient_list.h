// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// A store's recipient list (ioreplication/recipient.h says what it is for):
// reading it, and importing recipients into it.
//
// Example:
//   absl::StatusOr<std::vector<Recipient>> list = ParseRecipientsCsv(csv);
//   absl::StatusOr<RecipientImport> done =
//       ImportRecipients(*store, kDefaultRecipientsPath, *list, {});
//
// Thread safety: the functions use the store as its contract says (one
// thread at a time per handle).

#ifndef IOREPLICATION_RECIPIENT_LIST_H_
#define IOREPLICATION_RECIPIENT_LIST_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "ioreplication/export.h"
#include "ioreplication/recipient.h"
#include "ioreplication/store.h"

namespace ioreplication {

// The recipient list kept in the folder at `path` of `store`, ordered by
// SmtpAddressKey. NotFoundError naming the path when there is no such
// folder. Items that are not contacts with a valid address are skipped.
IOREPL_EXPORT absl::StatusOr<std::vector<Recipient>> ReadRecipients(
    Store& store, std::string_view path = kDefaultRecipientsPath);

// The SmtpAddressKey of every recipient at `path`, for matching (unordered).
// NotFoundError naming the path when there is no such folder.
IOREPL_EXPORT absl::StatusOr<absl::flat_hash_set<std::string>>
ReadRecipientKeys(Store& store, std::string_view path = kDefaultRecipientsPath);

struct RecipientImportOptions {
  // Also remove recipients at `path` that `recipients` does not list.
  bool replace = false;
};

struct RecipientImport {
  size_t added = 0;
  size_t updated = 0;  // a different display name or address spelling
  size_t unchanged = 0;
  size_t removed = 0;
};

// Adds `recipients` to the list at `path` (creating the folder and its
// missing ancestors), updating the contact of an address already there; a
// second contact of one address is removed (counted in `removed`).
// The whole input is checked first (ValidateSmtpAddress, names up to
// kMaxRecipientNameLength bytes of UTF-8 without control characters, no
// address twice): InvalidArgumentError naming the first bad entry, and the
// store is unchanged. Each contact is then one local change of its own, all
// of them in one transaction (Replica::Batch): a store failure part way
// leaves the list as it was.
IOREPL_EXPORT absl::StatusOr<RecipientImport> ImportRecipients(
    Store& store, std::string_view path, absl::Span<const Recipient> recipients,
    const RecipientImportOptions& options);

}  // namespace ioreplication

#endif  // IOREPLICATION_RECIPIENT_LIST_H_
