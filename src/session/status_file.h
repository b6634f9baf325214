// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// The status file: each session's last pass, recorded by the Service
// (ioreplication/service.h) and read by `iorepl status`
// (proto/ioreplication/v1/run_status.proto, text format). Updates take an
// exclusive lock on "<file>.lock" and replace the file atomically, so
// concurrent passes and processes never lose a record or leave a half-written
// file.

#ifndef IOREPLICATION_SRC_SESSION_STATUS_FILE_H_
#define IOREPLICATION_SRC_SESSION_STATUS_FILE_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "ioreplication/service.h"
#include "ioreplication/session_config.h"
#include "ioreplication/v1/run_status.pb.h"

namespace ioreplication::session_internal {

// Records `report` as the last pass of `config`'s session.
absl::Status RecordPass(const std::string& path, const SessionConfig& config,
                        const PassReport& report);

// The recorded passes by session name; empty when the file does not exist.
// DataLossError for a file that does not parse.
absl::StatusOr<std::map<std::string, v1::SessionRunStatus>> ReadStatusFile(
    const std::string& path);

// The report a record holds (its counts, without the reasons).
PassReport PassReportOf(const v1::SessionRunStatus& record);

}  // namespace ioreplication::session_internal

#endif  // IOREPLICATION_SRC_SESSION_STATUS_FILE_H_
