// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Store handles: creation and the Replica that makes local changes.

#ifndef IOREPLICATION_CAPI_STORE_STATE_H_
#define IOREPLICATION_CAPI_STORE_STATE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "capi/handles.h"
#include "iorepl/store.h"
#include "ioreplication/replica.h"
#include "ioreplication/store.h"

namespace ioreplication::capi_internal {

// The store's Replica, opened on first use.
absl::StatusOr<Replica*> ReplicaOf(StoreState& state);

// Reads caller options over the defaults (NULL: the defaults).
int ReadStoreOptions(const iorepl_store_options* in, StoreOptions* out);

// Wraps `store` in a new handle; always IOREPL_OK.
int NewStoreHandle(iorepl_store** out, std::unique_ptr<Store> store,
                   std::string label);

}  // namespace ioreplication::capi_internal

#endif  // IOREPLICATION_CAPI_STORE_STATE_H_
