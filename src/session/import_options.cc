// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "session/import_options.h"

namespace ioreplication::session_internal {

sync_internal::ImportOptions ImportOptionsFor(const SessionOptions& options,
                                              bool from_publisher) {
  sync_internal::ImportOptions import;
  import.policy = options.conflict_policy;
  import.source_is_publisher = from_publisher;
  import.replicate_deletions = options.replicate_deletions;
  import.replicate_permissions = options.replicate_permissions;
  import.max_item_size = options.max_item_size;
  return import;
}

}  // namespace ioreplication::session_internal
