// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// iorepl/store.h: opening stores and reading them.

#include "iorepl/store.h"

#include <algorithm>
#include <memory>
#include <string>

#include "capi/args.h"
#include "capi/errors.h"
#include "capi/handles.h"
#include "capi/log.h"
#include "capi/store_state.h"
#include "ioreplication/replica.h"
#include "ioreplication/store.h"

namespace ioreplication::capi_internal {

absl::StatusOr<Replica*> ReplicaOf(StoreState& state) {
  if (state.replica == nullptr) {
    absl::StatusOr<std::unique_ptr<Replica>> replica =
        Replica::Open(state.store.get());
    if (!replica.ok()) return replica.status();
    state.replica = *std::move(replica);
  }
  return state.replica.get();
}

int ReadStoreOptions(const iorepl_store_options* in, StoreOptions* out) {
  if (in == nullptr) return IOREPL_OK;
  iorepl_store_options o;
  iorepl_store_options_init(&o, sizeof(o));
  if (int rc = ReadStruct(in, kStoreOptionsV1Size, "options", &o);
      rc != IOREPL_OK) {
    return rc;
  }
  if (o.max_item_size == 0) {
    return Fail(IOREPL_EINVAL, "options: max_item_size must be above 0");
  }
  out->max_item_size =
      static_cast<size_t>(std::min<uint64_t>(o.max_item_size, kMaxBufferSize));
  if (o.credential != nullptr) {
    if (int rc = CheckString(o.credential, "options.credential");
        rc != IOREPL_OK) {
      return rc;
    }
    out->credential = o.credential;
  }
  return IOREPL_OK;
}

int NewStoreHandle(iorepl_store** out, std::unique_ptr<Store> store,
                   std::string label) {
  auto handle = std::make_unique<iorepl_store>();
  handle->state = std::make_shared<StoreState>();
  handle->state->store = std::move(store);
  handle->state->label = std::move(label);
  *out = handle.release();
  return Succeed();
}

}  // namespace ioreplication::capi_internal

using namespace ioreplication;                 // NOLINT
using namespace ioreplication::capi_internal;  // NOLINT

extern "C" {

int iorepl_store_options_init(iorepl_store_options* options,
                              size_t struct_size) {
  return Guard([&] {
    iorepl_store_options defaults = IOREPL_STORE_OPTIONS_INIT;
    return InitStruct(options, struct_size, kStoreOptionsV1Size, defaults);
  });
}

int iorepl_store_open(iorepl_store** out, const char* uri,
                      const iorepl_store_options* options) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    *out = nullptr;
    if (int rc = CheckString(uri, "uri"); rc != IOREPL_OK) return rc;
    StoreOptions store_options;
    if (int rc = ReadStoreOptions(options, &store_options); rc != IOREPL_OK) {
      return rc;
    }
    absl::StatusOr<std::unique_ptr<Store>> store =
        OpenStore(uri, store_options);
    if (!store.ok()) return FromStatus(store.status());
    return NewStoreHandle(out, *std::move(store), uri);
  });
}

void iorepl_store_free(iorepl_store* store) {
  if (store == nullptr || !IsHandle(store)) return;
  delete store;
}

int iorepl_store_identity(iorepl_guid* replica, uint32_t* epoch,
                          iorepl_store* store) {
  return Guard([&] {
    if (int rc = CheckHandle(store, "store"); rc != IOREPL_OK) return rc;
    absl::StatusOr<StoreIdentity> id = store->state->store->Identity();
    if (!id.ok()) return FromStatus(id.status());
    if (replica != nullptr) *replica = CGuidOf(id->replica);
    if (epoch != nullptr) *epoch = id->epoch;
    return Succeed();
  });
}

int iorepl_store_mark_restored(iorepl_store* store) {
  return Guard([&] {
    if (int rc = CheckHandle(store, "store"); rc != IOREPL_OK) return rc;
    absl::StatusOr<Replica*> replica = ReplicaOf(*store->state);
    if (!replica.ok()) return FromStatus(replica.status());
    return FromStatus((*replica)->MarkRestored());
  });
}

int iorepl_store_count(iorepl_store_counts* out, iorepl_store* store) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    if (int rc = CheckHandle(store, "store"); rc != IOREPL_OK) return rc;
    absl::StatusOr<StoreCounts> counts = store->state->store->Count();
    if (!counts.ok()) return FromStatus(counts.status());
    iorepl_store_counts c{sizeof(c), counts->folders, counts->items,
                          counts->tombstones};
    if (int rc = WriteStruct(c, kStoreCountsV1Size, "out", out);
        rc != IOREPL_OK) {
      return rc;
    }
    return Succeed();
  });
}

int iorepl_store_get_folder(iorepl_folder** out, iorepl_store* store,
                            const iorepl_key* key) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    *out = nullptr;
    if (int rc = CheckHandle(store, "store"); rc != IOREPL_OK) return rc;
    SourceKey k;
    if (int rc = CheckKey(key, "key", &k); rc != IOREPL_OK) return rc;
    absl::StatusOr<Folder> folder = store->state->store->GetFolder(k);
    if (!folder.ok()) return FromStatus(folder.status());
    *out = new iorepl_folder(*std::move(folder));
    return Succeed();
  });
}

int iorepl_store_find_folder(iorepl_folder** out, iorepl_store* store,
                             const char* path) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    *out = nullptr;
    if (int rc = CheckHandle(store, "store"); rc != IOREPL_OK) return rc;
    if (int rc = CheckString(path, "path"); rc != IOREPL_OK) return rc;
    if (path[0] != '/') {
      return Fail(IOREPL_EINVAL,
                  absl::StrCat("path: \"", path, "\" must start with '/'"));
    }
    absl::StatusOr<std::optional<Folder>> folder =
        FindFolderByPath(*store->state->store, path);
    if (!folder.ok()) return FromStatus(folder.status());
    if (!folder->has_value()) {
      return Fail(IOREPL_ENOTFOUND,
                  absl::StrCat("no folder at \"", path, "\""));
    }
    *out = new iorepl_folder(**std::move(folder));
    return Succeed();
  });
}

int iorepl_store_get_item(iorepl_item** out, iorepl_store* store,
                          const iorepl_key* key) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    *out = nullptr;
    if (int rc = CheckHandle(store, "store"); rc != IOREPL_OK) return rc;
    SourceKey k;
    if (int rc = CheckKey(key, "key", &k); rc != IOREPL_OK) return rc;
    absl::StatusOr<Item> item = store->state->store->GetItem(k);
    if (!item.ok()) return FromStatus(item.status());
    *out = new iorepl_item(*std::move(item));
    return Succeed();
  });
}

int iorepl_store_list_folders(iorepl_key_list** out, iorepl_store* store,
                              const iorepl_key* parent) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    *out = nullptr;
    if (int rc = CheckHandle(store, "store"); rc != IOREPL_OK) return rc;
    std::optional<SourceKey> p;
    if (parent != nullptr) {
      SourceKey k;
      if (int rc = CheckKey(parent, "parent", &k); rc != IOREPL_OK) return rc;
      p = k;
    }
    absl::StatusOr<std::vector<Folder>> folders =
        store->state->store->ListChildFolders(p);
    if (!folders.ok()) return FromStatus(folders.status());
    auto list = std::make_unique<iorepl_key_list>();
    list->keys.reserve(folders->size());
    for (const Folder& f : *folders) list->keys.push_back(ToCKey(f.source_key));
    *out = list.release();
    return Succeed();
  });
}

int iorepl_store_list_items(iorepl_key_list** out, iorepl_store* store,
                            const iorepl_key* folder) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    *out = nullptr;
    if (int rc = CheckHandle(store, "store"); rc != IOREPL_OK) return rc;
    SourceKey k;
    if (int rc = CheckKey(folder, "folder", &k); rc != IOREPL_OK) return rc;
    absl::StatusOr<std::vector<SourceKey>> keys =
        store->state->store->ListItems(k);
    if (!keys.ok()) return FromStatus(keys.status());
    auto list = std::make_unique<iorepl_key_list>();
    list->keys.reserve(keys->size());
    for (const SourceKey& key : *keys) list->keys.push_back(ToCKey(key));
    *out = list.release();
    return Succeed();
  });
}

size_t iorepl_key_list_count(const iorepl_key_list* list) {
  return GuardValue<size_t>(0, [&]() -> size_t {
    if (CheckHandle(list, "list") != IOREPL_OK) return 0;
    Succeed();
    return list->keys.size();
  });
}

int iorepl_key_list_at(iorepl_key* out, const iorepl_key_list* list, size_t i) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    if (int rc = CheckHandle(list, "list"); rc != IOREPL_OK) return rc;
    if (int rc = CheckIndex(i, list->keys.size()); rc != IOREPL_OK) return rc;
    *out = list->keys[i];
    return Succeed();
  });
}

void iorepl_key_list_free(iorepl_key_list* list) {
  if (list != nullptr && IsHandle(list)) delete list;
}

}  // extern "C"
