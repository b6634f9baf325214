// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// The structs behind the C ABI's opaque handles.
//
// Every handle begins with a magic number naming its type, so that an entry
// point can refuse a handle of the wrong type (or one already freed: _free
// overwrites the magic) with IOREPL_EINVAL instead of crashing. All handles
// share the HandleBase prefix, so reading the magic through a pointer of the
// wrong type reads only those first four bytes.

#ifndef IOREPLICATION_CAPI_HANDLES_H_
#define IOREPLICATION_CAPI_HANDLES_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "iorepl/iorepl.h"
#include "ioreplication/folder.h"
#include "ioreplication/idset.h"
#include "ioreplication/item.h"
#include "ioreplication/property.h"
#include "ioreplication/replica.h"
#include "ioreplication/session.h"
#include "ioreplication/store.h"

namespace ioreplication::capi_internal {

struct HandleBase {
  explicit HandleBase(uint32_t m) : magic(m) {}
  ~HandleBase() { magic = kFreedMagic; }
  HandleBase(const HandleBase&) = delete;
  HandleBase& operator=(const HandleBase&) = delete;

  static constexpr uint32_t kFreedMagic = 0xDEADF0E1;
  volatile uint32_t magic;
};

// A store and the Replica that makes its local changes (opened on first
// use). Shared by the caller's handle and the sessions that use it.
struct StoreState {
  std::unique_ptr<Store> store;
  std::unique_ptr<Replica> replica;
  std::string label;  // the URI, or "host store"
};

}  // namespace ioreplication::capi_internal

struct iorepl_store : ioreplication::capi_internal::HandleBase {
  static constexpr uint32_t kMagic = 0x494F5354;  // "IOST"
  iorepl_store() : HandleBase(kMagic) {}
  std::shared_ptr<ioreplication::capi_internal::StoreState> state;
};

// A property bag: owned, or borrowed from a snapshot or content (then
// `bag` points into the owner and `read_only` says whether it may change).
struct iorepl_props : ioreplication::capi_internal::HandleBase {
  static constexpr uint32_t kMagic = 0x494F5052;  // "IOPR"
  iorepl_props() : HandleBase(kMagic) {}
  ioreplication::PropertyBag own;
  ioreplication::PropertyBag* bag = &own;
  bool read_only = false;
};

struct iorepl_folder : ioreplication::capi_internal::HandleBase {
  static constexpr uint32_t kMagic = 0x494F464C;  // "IOFL"
  explicit iorepl_folder(ioreplication::Folder f)
      : HandleBase(kMagic), folder(std::move(f)) {
    props.bag = &folder.properties;
    props.read_only = true;
    pcl = folder.pcl.Encode();
  }
  ioreplication::Folder folder;
  iorepl_props props;
  std::string pcl;
};

struct iorepl_item : ioreplication::capi_internal::HandleBase {
  static constexpr uint32_t kMagic = 0x494F4954;  // "IOIT"
  explicit iorepl_item(ioreplication::Item i)
      : HandleBase(kMagic), item(std::move(i)) {
    props.bag = &item.properties;
    props.read_only = true;
    pcl = item.pcl.Encode();
  }
  ioreplication::Item item;
  iorepl_props props;
  std::string pcl;
};

struct iorepl_content : ioreplication::capi_internal::HandleBase {
  static constexpr uint32_t kMagic = 0x494F434E;  // "IOCN"
  iorepl_content() : HandleBase(kMagic) { props.bag = &content.properties; }
  ioreplication::ItemContent content;
  iorepl_props props;
};

struct iorepl_key_list : ioreplication::capi_internal::HandleBase {
  static constexpr uint32_t kMagic = 0x494F4B4C;  // "IOKL"
  iorepl_key_list() : HandleBase(kMagic) {}
  std::vector<iorepl_key> keys;
};

struct iorepl_idset : ioreplication::capi_internal::HandleBase {
  static constexpr uint32_t kMagic = 0x494F4944;  // "IOID"
  iorepl_idset() : HandleBase(kMagic) {}
  ioreplication::IdSet set;
};

struct iorepl_config : ioreplication::capi_internal::HandleBase {
  static constexpr uint32_t kMagic = 0x494F4346;  // "IOCF"
  iorepl_config() : HandleBase(kMagic) {}
  ioreplication::SessionConfig config;
  // schedule.days joined with ',' for iorepl_config_get_schedule.
  std::string days_text;
};

namespace ioreplication::capi_internal {

// Where a session's log lines go: its own callback or the process-wide one.
struct LogTarget {
  iorepl_log_fn fn = nullptr;
  void* user = nullptr;
  int max_level = IOREPL_LOG_INFO;
};

}  // namespace ioreplication::capi_internal

struct iorepl_verify_report : ioreplication::capi_internal::HandleBase {
  static constexpr uint32_t kMagic = 0x494F5652;  // "IOVR"
  iorepl_verify_report() : HandleBase(kMagic) {}
  ioreplication::Session::VerifyReport report;
};

struct iorepl_refused_list : ioreplication::capi_internal::HandleBase {
  static constexpr uint32_t kMagic = 0x494F5246;  // "IORF"
  iorepl_refused_list() : HandleBase(kMagic) {}
  std::vector<ioreplication::Session::Refused> refused;
};

struct iorepl_conflict_list : ioreplication::capi_internal::HandleBase {
  static constexpr uint32_t kMagic = 0x494F434C;  // "IOCL"
  iorepl_conflict_list() : HandleBase(kMagic) {}
  struct Entry {
    std::string store, mapping;
    std::unique_ptr<iorepl_item> conflict_item, item;
  };
  std::vector<Entry> entries;
};

struct iorepl_session : ioreplication::capi_internal::HandleBase {
  static constexpr uint32_t kMagic = 0x494F5345;  // "IOSE"
  iorepl_session() : HandleBase(kMagic) {}
  // Declared before `session`, which borrows the stores: destroyed after it.
  std::vector<std::shared_ptr<ioreplication::capi_internal::StoreState>> stores;
  std::unique_ptr<ioreplication::Session> session;
  iorepl_progress_fn progress_fn = nullptr;
  void* progress_user = nullptr;
  iorepl_conflict_fn conflict_fn = nullptr;
  void* conflict_user = nullptr;
  std::optional<ioreplication::capi_internal::LogTarget> log;
};

namespace ioreplication::capi_internal {

// True when `h` is a live handle of type T.
template <typename T>
bool IsHandle(const T* h) {
  return h != nullptr && static_cast<const HandleBase*>(h)->magic == T::kMagic;
}

}  // namespace ioreplication::capi_internal

#endif  // IOREPLICATION_CAPI_HANDLES_H_
