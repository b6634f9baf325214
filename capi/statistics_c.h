// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// A pass's counts as the C ABI hands them out (sessions and the service).

#ifndef IOREPLICATION_CAPI_STATISTICS_C_H_
#define IOREPLICATION_CAPI_STATISTICS_C_H_

#include "iorepl/session.h"
#include "ioreplication/statistics.h"

namespace ioreplication::capi_internal {

iorepl_statistics ToCStatistics(const SessionStatistics& stats);

}  // namespace ioreplication::capi_internal

#endif  // IOREPLICATION_CAPI_STATISTICS_C_H_
