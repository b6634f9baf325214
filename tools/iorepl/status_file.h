// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// The status file: each session's last pass, recorded by `iorepl run` and
// read by `iorepl status` (proto/ioreplication/v1/run_status.proto, text
// format). Updates take an exclusive lock on "<file>.lock" and replace the
// file atomically, so concurrent passes and processes never lose a record
// or leave a half-written file.

#ifndef IOREPLICATION_TOOLS_IOREPL_STATUS_FILE_H_
#define IOREPLICATION_TOOLS_IOREPL_STATUS_FILE_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "ioreplication/v1/run_status.pb.h"
#include "logger.h"

namespace ioreplication::iorepl {

// Records `outcome` as the last pass of `config`'s session.
absl::Status RecordPass(const std::string& path, const SessionConfig& config,
                        const PassOutcome& outcome);

// The recorded passes by session name; empty when the file does not exist.
// DataLossError for a file that does not parse.
absl::StatusOr<std::map<std::string, v1::SessionRunStatus>> ReadStatusFile(
    const std::string& path);

}  // namespace ioreplication::iorepl

#endif  // IOREPLICATION_TOOLS_IOREPL_STATUS_FILE_H_
