// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Log routing and GUID conversions shared by the C ABI's files.

#ifndef IOREPLICATION_CAPI_LOG_H_
#define IOREPLICATION_CAPI_LOG_H_

#include <string_view>

#include "capi/handles.h"
#include "iorepl/common.h"
#include "ioreplication/guid.h"

// The N of libioreplication.so.N; CMake passes the same number to the
// linker as the SONAME.
#ifndef IOREPL_ABI_VERSION
#error "IOREPL_ABI_VERSION must be defined by the build"
#endif

namespace ioreplication::capi_internal {

// A copy of the process-wide target (iorepl_set_log).
LogTarget ProcessLog();

// Sends one line to `target` if its level lets it through.
void Emit(const LogTarget& target, int level, const char* subsystem,
          std::string_view message);

Guid GuidOf(const iorepl_guid& g);
iorepl_guid CGuidOf(const Guid& g);

}  // namespace ioreplication::capi_internal

#endif  // IOREPLICATION_CAPI_LOG_H_
