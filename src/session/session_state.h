// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// What a Session holds, kept out of the public header (ioreplication/
// session.h) so that it can change without changing the library's ABI.

#ifndef IOREPLICATION_SRC_SESSION_SESSION_STATE_H_
#define IOREPLICATION_SRC_SESSION_SESSION_STATE_H_

#include <memory>
#include <vector>

#include "ioreplication/session.h"
#include "ioreplication/store.h"

namespace ioreplication::session_internal {

struct SessionState {
  SessionConfig config;
  Store* publisher = nullptr;
  std::vector<Store*> subscribers;
  // The stores Session::Open opened (empty for Session::WithStores).
  std::vector<std::unique_ptr<Store>> owned;
  SessionHooks hooks;
  SessionStatistics last_run;
};

}  // namespace ioreplication::session_internal

#endif  // IOREPLICATION_SRC_SESSION_SESSION_STATE_H_
