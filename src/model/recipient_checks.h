// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Checks shared by the recipient list's parsers and writers.

#ifndef IOREPLICATION_SRC_MODEL_RECIPIENT_CHECKS_H_
#define IOREPLICATION_SRC_MODEL_RECIPIENT_CHECKS_H_

#include <string_view>

#include "absl/status/status.h"

namespace ioreplication::model_internal {

// OK for up to kMaxRecipientNameLength bytes of UTF-8 without control
// characters (empty included).
absl::Status ValidateRecipientName(std::string_view name);

}  // namespace ioreplication::model_internal

#endif  // IOREPLICATION_SRC_MODEL_RECIPIENT_CHECKS_H_
