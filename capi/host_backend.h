// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// The host backend: a host's record table (iorepl/host_store.h) as a
// StoreKernel backend (src/stores/store_backend.h). The vtable has the
// backend's shape, so this file only translates: each primitive is one
// callback (or a page of them, for scans), each answer is checked against
// the contract before the kernel sees it.
//
// The host's records carry no change key: reads that need one ask for the
// body and decode it. Host failures become UnavailableError naming the
// callback, answers that break the contract DataLossError; both are also
// noted for the C ABI (capi/errors.h) so the call reports IOREPL_ECALLBACK.

#ifndef IOREPLICATION_CAPI_HOST_BACKEND_H_
#define IOREPLICATION_CAPI_HOST_BACKEND_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "capi/handles.h"
#include "iorepl/host_store.h"
#include "ioreplication/store.h"

struct iorepl_rows : ioreplication::capi_internal::HandleBase {
  static constexpr uint32_t kMagic = 0x494F5257;  // "IORW"
  iorepl_rows() : HandleBase(kMagic) {}

  struct Row {
    int kind;
    iorepl_key key;
    bool has_parent;
    iorepl_key parent;
    uint64_t local_cn;
    size_t offset;  // of the body in `arena`
    size_t len;
  };
  // Keeps the buffers' capacity: lookups on the hot path reuse them.
  void Clear() {
    rows.clear();
    arena.clear();
  }
  std::string_view Data(const Row& row) const {
    return std::string_view(arena).substr(row.offset, row.len);
  }

  std::vector<Row> rows;
  std::string arena;
};

struct iorepl_blob : ioreplication::capi_internal::HandleBase {
  static constexpr uint32_t kMagic = 0x494F424C;  // "IOBL"
  iorepl_blob() : HandleBase(kMagic) {}
  bool set = false;
  std::string data;
};

namespace ioreplication::capi_internal {

// OK when `vtable` is complete (every slot but destroy set). Does not call
// anything.
absl::Status CheckVtable(const iorepl_host_store& vtable);

// A store (the kernel over the host backend) over `vtable`, which must have
// passed CheckVtable. vtable.destroy is called when the store is destroyed,
// also when this fails.
absl::StatusOr<std::unique_ptr<Store>> OpenHostStore(
    const iorepl_host_store& vtable, const StoreOptions& options);

}  // namespace ioreplication::capi_internal

#endif  // IOREPLICATION_CAPI_HOST_BACKEND_H_
