// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// The signals `iorepl run` answers: SIGTERM and SIGINT ask it to stop after
// the current batch, SIGHUP to reload the configuration file.

#ifndef IOREPLICATION_TOOLS_IOREPL_SIGNALS_H_
#define IOREPLICATION_TOOLS_IOREPL_SIGNALS_H_

namespace ioreplication::iorepl {

// Installs the handlers (idempotent) and clears earlier requests.
void InstallSignalHandlers();

// True once SIGTERM or SIGINT arrived.
bool StopRequested();

// True when SIGHUP arrived since the last call.
bool TakeReloadRequest();

}  // namespace ioreplication::iorepl

#endif  // IOREPLICATION_TOOLS_IOREPL_SIGNALS_H_
