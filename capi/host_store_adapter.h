// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// HostStore: the Store contract (include/ioreplication/store.h) over a
// host's record table (iorepl/host_store.h).
//
// The host keeps records and named values and runs transactions; this class
// does everything else a store must. The object rules (validation, key
// uniqueness, parents, empty-folder deletes) are RecordStore's
// (src/stores/record_store.h), shared with SqliteStore; this class gives it
// the record primitives over the vtable and keeps local change numbers (the
// value "local_cn", read at a transaction's first write and written at
// commit), the identity ("identity"), counter reservations ("counter/GUID"),
// the tombstone horizon, and sync states ("sync/NAME").
//
// MaxCounterInUse is kept incrementally ("in_use/GUID": the highest counter
// of that GUID any write has stored, raised at commit), so it costs one value
// read instead of a table scan. Unlike a scan it never goes down when an
// object is deleted, which only makes the restore check (Replica) more
// careful, never less.
//
// Host failures become UnavailableError naming the callback; they are also
// noted for the C ABI (capi/errors.h) so the call reports IOREPL_ECALLBACK.

#ifndef IOREPLICATION_CAPI_HOST_STORE_ADAPTER_H_
#define IOREPLICATION_CAPI_HOST_STORE_ADAPTER_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
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

// A store over `vtable`, which must have passed CheckVtable. The store calls
// vtable.destroy when it is destroyed, also when Open fails.
absl::StatusOr<std::unique_ptr<Store>> OpenHostStore(
    const iorepl_host_store& vtable, const StoreOptions& options);

}  // namespace ioreplication::capi_internal

#endif  // IOREPLICATION_CAPI_HOST_STORE_ADAPTER_H_
