// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Anti-entropy for one mapping and subscriber: the two mapped trees compared
// folder by folder (Session::Verify has the contract).

#ifndef IOREPLICATION_SRC_SESSION_VERIFY_H_
#define IOREPLICATION_SRC_SESSION_VERIFY_H_

#include <vector>

#include "absl/status/statusor.h"
#include "ioreplication/session.h"
#include "ioreplication/store.h"

namespace ioreplication::session_internal {

// What a repair resends: per side, the source keys whose objects that side
// sends again on its next pass.
struct Resend {
  std::vector<SourceKey> from_publisher;
  std::vector<SourceKey> from_subscriber;
};

// Compares the tree under `pub_root` in `pub` with the one under `sub_root`
// in `sub`, adding to `report` (differences labelled `mapping` and
// `subscriber`) and to `resend`.
absl::Status CompareTrees(Store& pub, const SourceKey& pub_root, Store& sub,
                          const SourceKey& sub_root, const std::string& mapping,
                          size_t subscriber, Session::VerifyReport& report,
                          Resend& resend);

}  // namespace ioreplication::session_internal

#endif  // IOREPLICATION_SRC_SESSION_VERIFY_H_
