// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// iorepl/changes.h: local changes, made through the store's Replica.

#include "iorepl/changes.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "capi/args.h"
#include "capi/errors.h"
#include "capi/handles.h"
#include "capi/store_state.h"
#include "ioreplication/replica.h"

namespace ioreplication::capi_internal {
namespace {

// Runs `change` with the store's Replica, after the store check; on
// success hands a snapshot of the result to `*out` when `out` is not NULL.
template <typename Handle, typename Change>
int Apply(Handle** out, iorepl_store* store, Change&& change) {
  if (out != nullptr) *out = nullptr;
  if (int rc = CheckHandle(store, "store"); rc != IOREPL_OK) return rc;
  absl::StatusOr<Replica*> replica = ReplicaOf(*store->state);
  if (!replica.ok()) return FromStatus(replica.status());
  auto result = change(**replica);
  if (!result.ok()) return FromStatus(result.status());
  if (out != nullptr) *out = new Handle(*std::move(result));
  return Succeed();
}

int CheckName(const char* name) { return CheckString(name, "name"); }

}  // namespace
}  // namespace ioreplication::capi_internal

using namespace ioreplication;                 // NOLINT
using namespace ioreplication::capi_internal;  // NOLINT

extern "C" {

int iorepl_folder_create_root(iorepl_folder** out, iorepl_store* store,
                              const char* name) {
  return Guard([&] {
    if (int rc = CheckName(name); rc != IOREPL_OK) return rc;
    return Apply(out, store,
                 [&](Replica& r) { return r.CreateRootFolder(name); });
  });
}

int iorepl_folder_create(iorepl_folder** out, iorepl_store* store,
                         const iorepl_key* parent, const char* name) {
  return Guard([&] {
    SourceKey p;
    if (int rc = CheckKey(parent, "parent", &p); rc != IOREPL_OK) return rc;
    if (int rc = CheckName(name); rc != IOREPL_OK) return rc;
    return Apply(out, store,
                 [&](Replica& r) { return r.CreateFolder(p, name); });
  });
}

int iorepl_folder_rename(iorepl_folder** out, iorepl_store* store,
                         const iorepl_key* folder, const char* name) {
  return Guard([&] {
    SourceKey k;
    if (int rc = CheckKey(folder, "folder", &k); rc != IOREPL_OK) return rc;
    if (int rc = CheckName(name); rc != IOREPL_OK) return rc;
    return Apply(out, store,
                 [&](Replica& r) { return r.RenameFolder(k, name); });
  });
}

int iorepl_folder_move(iorepl_folder** out, iorepl_store* store,
                       const iorepl_key* folder, const iorepl_key* new_parent) {
  return Guard([&] {
    SourceKey k, p;
    if (int rc = CheckKey(folder, "folder", &k); rc != IOREPL_OK) return rc;
    if (int rc = CheckKey(new_parent, "new_parent", &p); rc != IOREPL_OK) {
      return rc;
    }
    return Apply(out, store, [&](Replica& r) { return r.MoveFolder(k, p); });
  });
}

int iorepl_folder_set_property(iorepl_folder** out, iorepl_store* store,
                               const iorepl_key* folder,
                               const iorepl_props* values, uint32_t tag) {
  return Guard([&] {
    SourceKey k;
    if (int rc = CheckKey(folder, "folder", &k); rc != IOREPL_OK) return rc;
    if (int rc = CheckHandle(values, "values"); rc != IOREPL_OK) return rc;
    absl::StatusOr<PropTag> t = PropTag::FromValue(tag);
    if (!t.ok()) return FromStatus(t.status());
    const PropValue* value = values->bag->Get(*t);
    return Apply(out, store, [&](Replica& r) -> absl::StatusOr<Folder> {
      if (value != nullptr) return r.SetFolderProperty(k, *t, *value);
      // Removing a property the folder does not have changes nothing.
      absl::StatusOr<Folder> current = r.store().GetFolder(k);
      if (!current.ok()) return current.status();
      if (current->properties.Get(*t) == nullptr) return *current;
      return r.RemoveFolderProperty(k, *t);
    });
  });
}

int iorepl_folder_set_acl(iorepl_folder** out, iorepl_store* store,
                          const iorepl_key* folder, const char* member,
                          uint32_t rights) {
  return Guard([&] {
    SourceKey k;
    if (int rc = CheckKey(folder, "folder", &k); rc != IOREPL_OK) return rc;
    if (int rc = CheckString(member, "member"); rc != IOREPL_OK) return rc;
    return Apply(out, store,
                 [&](Replica& r) { return r.SetAclMember(k, member, rights); });
  });
}

int iorepl_folder_remove_acl(iorepl_folder** out, iorepl_store* store,
                             const iorepl_key* folder, const char* member) {
  return Guard([&] {
    SourceKey k;
    if (int rc = CheckKey(folder, "folder", &k); rc != IOREPL_OK) return rc;
    if (int rc = CheckString(member, "member"); rc != IOREPL_OK) return rc;
    return Apply(out, store,
                 [&](Replica& r) { return r.RemoveAclMember(k, member); });
  });
}

int iorepl_folder_delete(iorepl_store* store, const iorepl_key* folder) {
  return Guard([&] {
    SourceKey k;
    if (int rc = CheckKey(folder, "folder", &k); rc != IOREPL_OK) return rc;
    iorepl_folder** none = nullptr;
    return Apply(none, store, [&](Replica& r) -> absl::StatusOr<Folder> {
      if (absl::Status s = r.DeleteFolder(k); !s.ok()) return s;
      return Folder();
    });
  });
}

int iorepl_item_create(iorepl_item** out, iorepl_store* store,
                       const iorepl_key* folder,
                       const iorepl_content* content) {
  return Guard([&] {
    SourceKey k;
    if (int rc = CheckKey(folder, "folder", &k); rc != IOREPL_OK) return rc;
    if (int rc = CheckHandle(content, "content"); rc != IOREPL_OK) return rc;
    return Apply(out, store,
                 [&](Replica& r) { return r.CreateItem(k, content->content); });
  });
}

int iorepl_item_modify(iorepl_item** out, iorepl_store* store,
                       const iorepl_key* item, const iorepl_content* content) {
  return Guard([&] {
    SourceKey k;
    if (int rc = CheckKey(item, "item", &k); rc != IOREPL_OK) return rc;
    if (int rc = CheckHandle(content, "content"); rc != IOREPL_OK) return rc;
    return Apply(out, store,
                 [&](Replica& r) { return r.ModifyItem(k, content->content); });
  });
}

int iorepl_item_move(iorepl_item** out, iorepl_store* store,
                     const iorepl_key* item, const iorepl_key* new_folder) {
  return Guard([&] {
    SourceKey k, f;
    if (int rc = CheckKey(item, "item", &k); rc != IOREPL_OK) return rc;
    if (int rc = CheckKey(new_folder, "new_folder", &f); rc != IOREPL_OK) {
      return rc;
    }
    return Apply(out, store, [&](Replica& r) { return r.MoveItem(k, f); });
  });
}

int iorepl_item_delete(iorepl_store* store, const iorepl_key* item) {
  return Guard([&] {
    SourceKey k;
    if (int rc = CheckKey(item, "item", &k); rc != IOREPL_OK) return rc;
    iorepl_item** none = nullptr;
    return Apply(none, store, [&](Replica& r) -> absl::StatusOr<Item> {
      if (absl::Status s = r.DeleteItem(k); !s.ok()) return s;
      return Item();
    });
  });
}

}  // extern "C"
