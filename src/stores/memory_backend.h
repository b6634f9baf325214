// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// The memory backend: records and named values held in process memory, for
// tests and for hosts that embed replication without persistence. A
// transaction keeps the previous version of each record and value it
// writes, so Rollback() costs what the transaction wrote, not the store's
// size.

#ifndef IOREPLICATION_SRC_STORES_MEMORY_BACKEND_H_
#define IOREPLICATION_SRC_STORES_MEMORY_BACKEND_H_

#include <memory>

#include "ioreplication/store.h"
#include "stores/store_kernel.h"

namespace ioreplication::stores_internal {

// A new, empty store in memory.
std::unique_ptr<StoreKernel> NewMemoryStore(const StoreOptions& options);

}  // namespace ioreplication::stores_internal

#endif  // IOREPLICATION_SRC_STORES_MEMORY_BACKEND_H_
