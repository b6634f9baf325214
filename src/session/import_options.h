// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// What a session's options say to the importer of one of its directions.

#ifndef IOREPLICATION_SRC_SESSION_IMPORT_OPTIONS_H_
#define IOREPLICATION_SRC_SESSION_IMPORT_OPTIONS_H_

#include "ioreplication/session.h"
#include "sync/importer.h"

namespace ioreplication::session_internal {

// The importer options a session's options give, for a direction whose
// source is (or is not) the session's publisher. Roots, callbacks and logs
// are the caller's.
sync_internal::ImportOptions ImportOptionsFor(const SessionOptions& options,
                                              bool from_publisher);

}  // namespace ioreplication::session_internal

#endif  // IOREPLICATION_SRC_SESSION_IMPORT_OPTIONS_H_
