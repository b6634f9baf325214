// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Recipients: the people of a partner organization whom this organization
// knows as contacts, by SMTP address.
//
// A free/busy session writes a publisher user's free/busy message at a
// subscriber only when the subscriber's recipient list holds that user's
// SMTP address (compared ignoring ASCII case). The list is kept in the
// subscriber's store, as one contact item (message class IPM.Contact, with
// PidTagSmtpAddress, PidTagDisplayName and PidTagSubject) per recipient in a
// folder, by default kDefaultRecipientsPath. Any writer may fill it: `iorepl
// recipients import`, ImportRecipients, a host's own directory, or (later) a
// directory sync session.
//
// This header holds the recipient itself, its checks and the CSV form;
// reading and writing the list in a store is ioreplication/recipient_list.h.
//
// Example:
//   absl::StatusOr<std::vector<Recipient>> list =
//       ParseRecipientsCsv("smtp_address,display_name\r\n"
//                          "jdoe@contoso.com,Jane Doe\r\n");
//
// Thread safety: values and pure functions.

#ifndef IOREPLICATION_RECIPIENT_H_
#define IOREPLICATION_RECIPIENT_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "ioreplication/export.h"

namespace ioreplication {

struct Recipient {
  std::string smtp_address;  // "jdoe@contoso.com"
  std::string display_name;  // may be empty
  friend bool operator==(const Recipient&, const Recipient&) = default;
};

// Where recipient lists live unless a session or command names another
// folder (a path, ioreplication/folder_path.h).
inline constexpr std::string_view kDefaultRecipientsPath =
    "/NON_IPM_SUBTREE/IOREPL RECIPIENTS";
inline constexpr std::string_view kRecipientMessageClass = "IPM.Contact";

// Longest SMTP address accepted (RFC 5321's path limit, less the brackets).
inline constexpr size_t kMaxSmtpAddressLength = 254;
// Longest display name accepted, in bytes.
inline constexpr size_t kMaxRecipientNameLength = 256;

// OK for an address of the form local@domain: a local part of 1..64 bytes
// without spaces, control characters, '"' or any of "(),:;<>@[\]"; a domain
// of dot-separated labels of letters, digits and '-' (not at either end of a
// label), at most 63 bytes each; at most kMaxSmtpAddressLength in all.
// UTF-8 beyond ASCII is allowed in both parts (RFC 6531). Otherwise
// InvalidArgumentError saying what is wrong and where.
IOREPL_EXPORT absl::Status ValidateSmtpAddress(std::string_view address);

// The form addresses are compared in: ASCII letters lower-cased, the rest
// as it is. "JDoe@Contoso.COM" and "jdoe@contoso.com" are one recipient.
IOREPL_EXPORT std::string SmtpAddressKey(std::string_view address);

// Parses a recipient list in CSV (RFC 4180: fields separated by commas,
// optionally in double quotes with "" for a quote inside, lines ended by
// CRLF or LF; a UTF-8 byte order mark at the start is skipped). The first
// line names the columns: one of smtp_address, smtp, email, email_address,
// PrimarySmtpAddress, and optionally one of display_name, name,
// DisplayName (names compare ignoring case and the characters ' ', '_'
// and '-'). Other columns are ignored. Empty lines are skipped.
// Every row must have the header's number of fields and a valid address; an
// address may appear once (ignoring case). InvalidArgumentError naming the
// line (and column) of the first problem; nothing is returned then.
// Text longer than kMaxRecipientsCsvBytes is an OutOfRangeError before any
// parsing.
IOREPL_EXPORT absl::StatusOr<std::vector<Recipient>> ParseRecipientsCsv(
    std::string_view text);

// The most CSV text ParseRecipientsCsv takes: 64 MiB, about a million
// recipients.
inline constexpr size_t kMaxRecipientsCsvBytes = size_t{64} << 20;

}  // namespace ioreplication

#endif  // IOREPLICATION_RECIPIENT_H_
