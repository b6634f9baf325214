// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Private helpers of the mail transport (ioreplication/mail_transport.h
// declares the mail codec itself).

#ifndef IOREPLICATION_SRC_REPL_REPLICATION_MAIL_H_
#define IOREPLICATION_SRC_REPL_REPLICATION_MAIL_H_

#include <string_view>

#include "absl/status/status.h"

namespace ioreplication::repl_internal {

// OK for a plain addr-spec (local@domain of atext and dots; a domain of
// letters, digits, dots and hyphens) that does not start with '-' or '.',
// so it can go on a sendmail command line and into a header as it is.
absl::Status ValidateMailAddress(std::string_view address);

}  // namespace ioreplication::repl_internal

#endif  // IOREPLICATION_SRC_REPL_REPLICATION_MAIL_H_
