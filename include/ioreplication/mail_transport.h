// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// A Transport (ioreplication/replica_group.h) over mail: each replication
// message travels as an RFC 5322 message, handed to a sendmail-compatible
// program, and is read back from the member's Maildir (or delivered by the
// MTA to `iorepl receive`, which puts it into a spool directory).
//
// A replication mail (built and read with GMime):
//
//   From: <own address>            To: <every addressed member>
//   Subject: ioreplication replication message
//   Auto-Submitted: auto-generated (RFC 3834: no vacation replies, no loops)
//   X-Ioreplication: 1             (the marker; the subject is for people)
//   Content-Type: multipart/mixed
//     text/plain                   a sentence for a person who finds one
//     application/x-ioreplication  the frame, base64
//
// One mail goes to all the members a message addresses (one SMTP
// transaction with a recipient each, as the original spared WAN links); each
// member checks that the frame inside names it. Mail duplicates, loses and
// reorders: replication is built for all three. A mail that is not a
// replication mail, lacks the part, has two, or carries more than
// `max_message_bytes` is dropped, counted by the member as nothing, and
// logged here; the frame inside is authenticated by the member.
//
// Thread safety: one thread at a time per object. Receiving removes each
// file it reads from the Maildir, so one receiver per Maildir.

#ifndef IOREPLICATION_MAIL_TRANSPORT_H_
#define IOREPLICATION_MAIL_TRANSPORT_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "ioreplication/export.h"
#include "ioreplication/replica_group.h"

namespace ioreplication {

struct MailTransportOptions {
  // This member's address: the From of what it sends (its address in the
  // group configuration).
  std::string own_address;
  // The sendmail-compatible program and its first arguments; the
  // recipients follow, after "--". It reads the mail on standard input and
  // exits 0 once it has taken it. The default suits Postfix, Exim and
  // OpenSMTPD; no shell is involved.
  std::vector<std::string> sendmail = {"/usr/sbin/sendmail", "-oi"};
  // The Maildir this member's mail is delivered to: Receive reads new/.
  // Empty: Receive returns nothing (mail arrives through `iorepl receive`
  // into a spool directory instead).
  std::string maildir;
  // The largest frame a mail may carry (the group's max_message_bytes).
  size_t max_message_bytes = 300 * 1024;
  // Told of every mail dropped, with the file and why.
  std::function<void(std::string_view)> log;
};

// A mail transport. InvalidArgumentError for a malformed own address, an
// empty sendmail command, or a Maildir without new/.
IOREPL_EXPORT absl::StatusOr<std::unique_ptr<Transport>> NewMailTransport(
    MailTransportOptions options);

// The RFC 5322 text of the replication mail carrying `frame` from `from` to
// every address of `to`. InvalidArgumentError for an address that is not
// a plain addr-spec (local@domain, no spaces, quotes, brackets or control
// characters, not starting with '-'), or no recipient.
IOREPL_EXPORT absl::StatusOr<std::string> ComposeReplicationMail(
    std::string_view frame, std::string_view from,
    std::span<const std::string> to);

// The frame a replication mail carries. InvalidArgumentError saying why
// when `mail` is not one: larger than a frame of `max_frame_bytes` could
// make it, no marker header, no payload part or more than one, payload
// not base64, or a frame larger than `max_frame_bytes`. Untrusted input:
// nothing is assumed of it.
IOREPL_EXPORT absl::StatusOr<std::string> ExtractReplicationFrame(
    std::string_view mail, size_t max_frame_bytes);

// The most bytes a replication mail carrying a frame of `max_frame_bytes`
// can take (base64 and its line ends, the headers, the text part).
IOREPL_EXPORT size_t MaxReplicationMailBytes(size_t max_frame_bytes);

}  // namespace ioreplication

#endif  // IOREPLICATION_MAIL_TRANSPORT_H_
