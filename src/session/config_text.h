// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// What every part of a configuration file shares (config.proto): the text
// parser with its line-and-column errors, and the messages more than one
// block uses. Sessions (session/config.cc) and replica groups
// (repl/group_config.cc) read their blocks with these.

#ifndef IOREPLICATION_SRC_SESSION_CONFIG_TEXT_H_
#define IOREPLICATION_SRC_SESSION_CONFIG_TEXT_H_

#include <google/protobuf/message.h>

#include <string_view>

#include "absl/status/status.h"
#include "ioreplication/conflict.h"
#include "ioreplication/session_config.h"
#include "ioreplication/v1/config.pb.h"

namespace ioreplication::session_internal {

// Parses `text` into `message`: OutOfRangeError above kMaxConfigBytes,
// InvalidArgumentError "configuration syntax: line L, column C: ..." for
// every syntax error.
absl::Status ParseConfigText(std::string_view text,
                             google::protobuf::Message* message);

CredentialSource CredentialFromProto(const v1::Credential& p);
LoggingConfig LoggingFromProto(const v1::Logging& p);
// Unset (and unknown) values are keep_both.
ConflictPolicy PolicyFromProto(v1::SessionOptions::ConflictPolicy p);

}  // namespace ioreplication::session_internal

#endif  // IOREPLICATION_SRC_SESSION_CONFIG_TEXT_H_
