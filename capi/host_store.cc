// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// iorepl/host_store.h: the entry points of host stores.

#include "iorepl/host_store.h"

#include <cstring>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "capi/args.h"
#include "capi/errors.h"
#include "capi/handles.h"
#include "capi/host_backend.h"
#include "capi/store_state.h"
#include "stores/record_codec.h"

namespace ioreplication::capi_internal {
namespace {

int CheckRecord(const iorepl_record* record) {
  if (record == nullptr) return NullArgument("record");
  if (int rc = CheckStructSize(record->struct_size, kRecordV1Size, "record");
      rc != IOREPL_OK) {
    return rc;
  }
  if (record->kind != IOREPL_KIND_FOLDER && record->kind != IOREPL_KIND_ITEM &&
      record->kind != IOREPL_KIND_TOMBSTONE) {
    return Fail(IOREPL_EINVAL, absl::StrCat("record: kind ", record->kind,
                                            " is not one IOREPL_KIND_*"));
  }
  if (record->has_parent != 0 && record->has_parent != 1) {
    return Fail(IOREPL_EINVAL, "record: has_parent must be 0 or 1");
  }
  if (record->local_cn == 0 || record->local_cn > GlobCnt::kMaxValue) {
    return Fail(IOREPL_EINVAL,
                absl::StrCat("record: local_cn ", record->local_cn,
                             " is outside 1..2^48-1"));
  }
  return CheckBytes(record->data, record->data_len, "record.data");
}

std::string_view BodyOf(const iorepl_record* record) {
  return record->data_len == 0
             ? std::string_view()
             : std::string_view(reinterpret_cast<const char*>(record->data),
                                record->data_len);
}

}  // namespace
}  // namespace ioreplication::capi_internal

using namespace ioreplication;                 // NOLINT
using namespace ioreplication::capi_internal;  // NOLINT

extern "C" {

int iorepl_rows_add(iorepl_rows* rows, const iorepl_record* record) {
  return Guard([&] {
    if (int rc = CheckHandle(rows, "rows"); rc != IOREPL_OK) return rc;
    if (int rc = CheckRecord(record); rc != IOREPL_OK) return rc;
    iorepl_rows::Row row;
    row.kind = record->kind;
    row.key = record->key;
    row.has_parent = record->has_parent != 0;
    row.parent = record->parent;
    row.local_cn = record->local_cn;
    row.offset = rows->arena.size();
    row.len = record->data_len;
    rows->arena.append(BodyOf(record));
    rows->rows.push_back(row);
    return Succeed();
  });
}

int iorepl_blob_set(iorepl_blob* blob, const uint8_t* data, size_t len) {
  return Guard([&] {
    if (int rc = CheckHandle(blob, "blob"); rc != IOREPL_OK) return rc;
    if (int rc = CheckBytes(data, len, "data"); rc != IOREPL_OK) return rc;
    blob->data.assign(len == 0 ? "" : reinterpret_cast<const char*>(data), len);
    blob->set = true;
    return Succeed();
  });
}

int iorepl_store_new_host(iorepl_store** out, const iorepl_host_store* vtable,
                          const iorepl_store_options* options) {
  // destroy must run exactly once whatever happens below, so read it first.
  void (*destroy)(void*) = nullptr;
  void* user = nullptr;
  if (vtable != nullptr && vtable->struct_size >= kHostStoreV1Size) {
    destroy = vtable->destroy;
    user = vtable->user;
  }
  bool handed_over = false;  // once the adapter owns destroy
  const int result = Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    *out = nullptr;
    iorepl_host_store vt;
    std::memset(&vt, 0, sizeof(vt));
    if (int rc = ReadStruct(vtable, kHostStoreV1Size, "vtable", &vt);
        rc != IOREPL_OK) {
      return rc;
    }
    StoreOptions store_options;
    if (int rc = ReadStoreOptions(options, &store_options); rc != IOREPL_OK) {
      return rc;
    }
    if (!store_options.credential.empty()) {
      return Fail(IOREPL_EINVAL,
                  "options.credential: a host store authenticates on its own");
    }
    if (absl::Status s = CheckVtable(vt); !s.ok()) return FromStatus(s);
    handed_over = true;
    absl::StatusOr<std::unique_ptr<Store>> store =
        OpenHostStore(vt, store_options);
    if (!store.ok()) return FromStatus(store.status());
    return NewStoreHandle(out, *std::move(store), "host store");
  });
  if (!handed_over && destroy != nullptr) destroy(user);
  return result;
}

int iorepl_record_folder(iorepl_folder** out, const iorepl_record* record) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    *out = nullptr;
    if (int rc = CheckRecord(record); rc != IOREPL_OK) return rc;
    if (record->kind != IOREPL_KIND_FOLDER) {
      return Fail(IOREPL_EINVAL, "record: not a folder");
    }
    absl::StatusOr<Folder> folder =
        stores_internal::DecodeFolder(BodyOf(record));
    if (!folder.ok()) return FromStatus(folder.status());
    *out = new iorepl_folder(*std::move(folder));
    return Succeed();
  });
}

int iorepl_record_item(iorepl_item** out, const iorepl_record* record) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    *out = nullptr;
    if (int rc = CheckRecord(record); rc != IOREPL_OK) return rc;
    if (record->kind != IOREPL_KIND_ITEM) {
      return Fail(IOREPL_EINVAL, "record: not an item");
    }
    absl::StatusOr<Item> item = stores_internal::DecodeItem(BodyOf(record));
    if (!item.ok()) return FromStatus(item.status());
    *out = new iorepl_item(*std::move(item));
    return Succeed();
  });
}

}  // extern "C"
