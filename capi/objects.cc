// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// iorepl/objects.h: folder and item snapshots, property bags, item content.

#include "iorepl/objects.h"

#include <cstring>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "capi/args.h"
#include "capi/errors.h"
#include "capi/handles.h"
#include "ioreplication/item.h"
#include "ioreplication/property.h"

namespace ioreplication::capi_internal {
namespace {

// The value of `tag` in `props` if it holds a T (IOREPL_ENOTFOUND when the
// tag is absent, IOREPL_EINVAL when it holds another type).
template <typename T>
int Lookup(const iorepl_props* props, uint32_t tag, const T** out) {
  if (int rc = CheckHandle(props, "props"); rc != IOREPL_OK) return rc;
  absl::StatusOr<PropTag> t = PropTag::FromValue(tag);
  if (!t.ok()) return FromStatus(t.status());
  const PropValue* value = props->bag->Get(*t);
  if (value == nullptr) {
    return Fail(IOREPL_ENOTFOUND, absl::StrCat("no property ", t->ToString()));
  }
  *out = std::get_if<T>(value);
  if (*out == nullptr) {
    return Fail(IOREPL_EINVAL,
                absl::StrCat("property ", t->ToString(), " has another type"));
  }
  return Succeed();
}

template <typename T>
int LookupAt(const iorepl_props* props, uint32_t tag, size_t i, const T** out) {
  const std::vector<T>* values = nullptr;
  if (int rc = Lookup(props, tag, &values); rc != IOREPL_OK) return rc;
  if (int rc = CheckIndex(i, values->size()); rc != IOREPL_OK) return rc;
  *out = &(*values)[i];
  return Succeed();
}

int SetProp(iorepl_props* props, uint32_t tag, PropValue value) {
  if (int rc = CheckHandle(props, "props"); rc != IOREPL_OK) return rc;
  if (props->read_only) {
    return Fail(IOREPL_EINVAL, "props: a snapshot's properties are read-only");
  }
  absl::StatusOr<PropTag> t = PropTag::FromValue(tag);
  if (!t.ok()) return FromStatus(t.status());
  return FromStatus(props->bag->Set(*t, std::move(value)));
}

}  // namespace
}  // namespace ioreplication::capi_internal

using namespace ioreplication;                 // NOLINT
using namespace ioreplication::capi_internal;  // NOLINT

extern "C" {

// ---- Folders ----

int iorepl_folder_key(iorepl_key* out, const iorepl_folder* folder) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    if (int rc = CheckHandle(folder, "folder"); rc != IOREPL_OK) return rc;
    *out = ToCKey(folder->folder.source_key);
    return Succeed();
  });
}

int iorepl_folder_parent(iorepl_key* out, const iorepl_folder* folder) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    if (int rc = CheckHandle(folder, "folder"); rc != IOREPL_OK) return rc;
    if (!folder->folder.parent) {
      return Fail(IOREPL_ENOTFOUND, "the root folder has no parent");
    }
    *out = ToCKey(*folder->folder.parent);
    return Succeed();
  });
}

const char* iorepl_folder_name(const iorepl_folder* folder) {
  return GuardValue<const char*>(nullptr, [&]() -> const char* {
    if (CheckHandle(folder, "folder") != IOREPL_OK) return nullptr;
    Succeed();
    return folder->folder.display_name.c_str();
  });
}

int iorepl_folder_change_key(iorepl_key* out, const iorepl_folder* folder) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    if (int rc = CheckHandle(folder, "folder"); rc != IOREPL_OK) return rc;
    *out = ToCKey(folder->folder.change_key);
    return Succeed();
  });
}

int iorepl_folder_last_modified(uint64_t* out, const iorepl_folder* folder) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    if (int rc = CheckHandle(folder, "folder"); rc != IOREPL_OK) return rc;
    *out = folder->folder.last_modified.ticks();
    return Succeed();
  });
}

int iorepl_folder_pcl(const uint8_t** data, size_t* len,
                      const iorepl_folder* folder) {
  return Guard([&] {
    if (int rc = CheckOut(data, "data"); rc != IOREPL_OK) return rc;
    if (int rc = CheckOut(len, "len"); rc != IOREPL_OK) return rc;
    if (int rc = CheckHandle(folder, "folder"); rc != IOREPL_OK) return rc;
    *data = reinterpret_cast<const uint8_t*>(folder->pcl.data());
    *len = folder->pcl.size();
    return Succeed();
  });
}

const iorepl_props* iorepl_folder_props(const iorepl_folder* folder) {
  return GuardValue<const iorepl_props*>(nullptr, [&]() -> const iorepl_props* {
    if (CheckHandle(folder, "folder") != IOREPL_OK) return nullptr;
    Succeed();
    return &folder->props;
  });
}

size_t iorepl_folder_acl_count(const iorepl_folder* folder) {
  return GuardValue<size_t>(0, [&]() -> size_t {
    if (CheckHandle(folder, "folder") != IOREPL_OK) return 0;
    Succeed();
    return folder->folder.acl.entries().size();
  });
}

int iorepl_folder_acl_at(const char** member, uint32_t* rights,
                         const iorepl_folder* folder, size_t i) {
  return Guard([&] {
    if (int rc = CheckOut(member, "member"); rc != IOREPL_OK) return rc;
    if (int rc = CheckOut(rights, "rights"); rc != IOREPL_OK) return rc;
    if (int rc = CheckHandle(folder, "folder"); rc != IOREPL_OK) return rc;
    const auto entries = folder->folder.acl.entries();
    if (int rc = CheckIndex(i, entries.size()); rc != IOREPL_OK) return rc;
    *member = entries[i].member.c_str();
    *rights = entries[i].rights;
    return Succeed();
  });
}

void iorepl_folder_free(iorepl_folder* folder) {
  if (folder != nullptr && IsHandle(folder)) delete folder;
}

// ---- Items ----

int iorepl_item_key(iorepl_key* out, const iorepl_item* item) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    if (int rc = CheckHandle(item, "item"); rc != IOREPL_OK) return rc;
    *out = ToCKey(item->item.source_key);
    return Succeed();
  });
}

int iorepl_item_folder(iorepl_key* out, const iorepl_item* item) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    if (int rc = CheckHandle(item, "item"); rc != IOREPL_OK) return rc;
    *out = ToCKey(item->item.folder);
    return Succeed();
  });
}

int iorepl_item_change_key(iorepl_key* out, const iorepl_item* item) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    if (int rc = CheckHandle(item, "item"); rc != IOREPL_OK) return rc;
    *out = ToCKey(item->item.change_key);
    return Succeed();
  });
}

int iorepl_item_last_modified(uint64_t* out, const iorepl_item* item) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    if (int rc = CheckHandle(item, "item"); rc != IOREPL_OK) return rc;
    *out = item->item.last_modified.ticks();
    return Succeed();
  });
}

int iorepl_item_pcl(const uint8_t** data, size_t* len,
                    const iorepl_item* item) {
  return Guard([&] {
    if (int rc = CheckOut(data, "data"); rc != IOREPL_OK) return rc;
    if (int rc = CheckOut(len, "len"); rc != IOREPL_OK) return rc;
    if (int rc = CheckHandle(item, "item"); rc != IOREPL_OK) return rc;
    *data = reinterpret_cast<const uint8_t*>(item->pcl.data());
    *len = item->pcl.size();
    return Succeed();
  });
}

const char* iorepl_item_message_class(const iorepl_item* item) {
  return GuardValue<const char*>(nullptr, [&]() -> const char* {
    if (CheckHandle(item, "item") != IOREPL_OK) return nullptr;
    Succeed();
    return item->item.message_class.c_str();
  });
}

int iorepl_item_body(const char** data, size_t* len, const iorepl_item* item) {
  return Guard([&] {
    if (int rc = CheckOut(data, "data"); rc != IOREPL_OK) return rc;
    if (int rc = CheckOut(len, "len"); rc != IOREPL_OK) return rc;
    if (int rc = CheckHandle(item, "item"); rc != IOREPL_OK) return rc;
    *data = item->item.body.c_str();
    *len = item->item.body.size();
    return Succeed();
  });
}

const iorepl_props* iorepl_item_props(const iorepl_item* item) {
  return GuardValue<const iorepl_props*>(nullptr, [&]() -> const iorepl_props* {
    if (CheckHandle(item, "item") != IOREPL_OK) return nullptr;
    Succeed();
    return &item->props;
  });
}

size_t iorepl_item_attachment_count(const iorepl_item* item) {
  return GuardValue<size_t>(0, [&]() -> size_t {
    if (CheckHandle(item, "item") != IOREPL_OK) return 0;
    Succeed();
    return item->item.attachments.size();
  });
}

int iorepl_item_attachment_at(const char** file_name, const char** mime_type,
                              const uint8_t** data, size_t* len,
                              const iorepl_item* item, size_t i) {
  return Guard([&] {
    if (int rc = CheckHandle(item, "item"); rc != IOREPL_OK) return rc;
    if (int rc = CheckIndex(i, item->item.attachments.size());
        rc != IOREPL_OK) {
      return rc;
    }
    const Attachment& a = item->item.attachments[i];
    if (file_name != nullptr) *file_name = a.file_name.c_str();
    if (mime_type != nullptr) *mime_type = a.mime_type.c_str();
    if (data != nullptr)
      *data = reinterpret_cast<const uint8_t*>(a.data.data());
    if (len != nullptr) *len = a.data.size();
    return Succeed();
  });
}

void iorepl_item_free(iorepl_item* item) {
  if (item != nullptr && IsHandle(item)) delete item;
}

// ---- Property bags ----

int iorepl_props_new(iorepl_props** out) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    *out = new iorepl_props();
    return Succeed();
  });
}

void iorepl_props_free(iorepl_props* props) {
  // Borrowed bags belong to their snapshot or content.
  if (props != nullptr && IsHandle(props) && props->bag == &props->own &&
      !props->read_only) {
    delete props;
  }
}

size_t iorepl_props_count(const iorepl_props* props) {
  return GuardValue<size_t>(0, [&]() -> size_t {
    if (CheckHandle(props, "props") != IOREPL_OK) return 0;
    Succeed();
    return props->bag->size();
  });
}

int iorepl_props_tag_at(uint32_t* tag, const iorepl_props* props, size_t i) {
  return Guard([&] {
    if (int rc = CheckOut(tag, "tag"); rc != IOREPL_OK) return rc;
    if (int rc = CheckHandle(props, "props"); rc != IOREPL_OK) return rc;
    if (int rc = CheckIndex(i, props->bag->size()); rc != IOREPL_OK) {
      return rc;
    }
    *tag = props->bag->entries()[i].tag.value();
    return Succeed();
  });
}

int iorepl_props_has(const iorepl_props* props, uint32_t tag) {
  return Guard([&] {
    if (int rc = CheckHandle(props, "props"); rc != IOREPL_OK) return rc;
    absl::StatusOr<PropTag> t = PropTag::FromValue(tag);
    if (!t.ok()) return FromStatus(t.status());
    Succeed();
    return props->bag->Get(*t) != nullptr ? 1 : 0;
  });
}

int iorepl_props_get_int32(int32_t* out, const iorepl_props* props,
                           uint32_t tag) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    const int32_t* v = nullptr;
    if (int rc = Lookup(props, tag, &v); rc != IOREPL_OK) return rc;
    *out = *v;
    return Succeed();
  });
}

int iorepl_props_get_int64(int64_t* out, const iorepl_props* props,
                           uint32_t tag) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    const int64_t* v = nullptr;
    if (int rc = Lookup(props, tag, &v); rc != IOREPL_OK) return rc;
    *out = *v;
    return Succeed();
  });
}

int iorepl_props_get_bool(int* out, const iorepl_props* props, uint32_t tag) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    const bool* v = nullptr;
    if (int rc = Lookup(props, tag, &v); rc != IOREPL_OK) return rc;
    *out = *v ? 1 : 0;
    return Succeed();
  });
}

int iorepl_props_get_time(uint64_t* out, const iorepl_props* props,
                          uint32_t tag) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    const FileTime* v = nullptr;
    if (int rc = Lookup(props, tag, &v); rc != IOREPL_OK) return rc;
    *out = v->ticks();
    return Succeed();
  });
}

int iorepl_props_get_string(const char** data, size_t* len,
                            const iorepl_props* props, uint32_t tag) {
  return Guard([&] {
    if (int rc = CheckOut(data, "data"); rc != IOREPL_OK) return rc;
    if (int rc = CheckOut(len, "len"); rc != IOREPL_OK) return rc;
    const std::string* v = nullptr;
    if (int rc = Lookup(props, tag, &v); rc != IOREPL_OK) return rc;
    *data = v->c_str();
    *len = v->size();
    return Succeed();
  });
}

int iorepl_props_get_binary(const uint8_t** data, size_t* len,
                            const iorepl_props* props, uint32_t tag) {
  return Guard([&] {
    if (int rc = CheckOut(data, "data"); rc != IOREPL_OK) return rc;
    if (int rc = CheckOut(len, "len"); rc != IOREPL_OK) return rc;
    const Bytes* v = nullptr;
    if (int rc = Lookup(props, tag, &v); rc != IOREPL_OK) return rc;
    *data = reinterpret_cast<const uint8_t*>(v->data.data());
    *len = v->data.size();
    return Succeed();
  });
}

int iorepl_props_mv_count(size_t* out, const iorepl_props* props,
                          uint32_t tag) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    if (int rc = CheckHandle(props, "props"); rc != IOREPL_OK) return rc;
    absl::StatusOr<PropTag> t = PropTag::FromValue(tag);
    if (!t.ok()) return FromStatus(t.status());
    const PropValue* value = props->bag->Get(*t);
    if (value == nullptr) {
      return Fail(IOREPL_ENOTFOUND,
                  absl::StrCat("no property ", t->ToString()));
    }
    const size_t n = std::visit(
        [](const auto& v) -> size_t {
          using V = std::decay_t<decltype(v)>;
          if constexpr (requires { v.size(); } &&
                        !std::is_same_v<V, std::string>) {
            return v.size();
          } else {
            return SIZE_MAX;
          }
        },
        *value);
    if (n == SIZE_MAX) {
      return Fail(IOREPL_EINVAL, absl::StrCat("property ", t->ToString(),
                                              " is not multi-valued"));
    }
    *out = n;
    return Succeed();
  });
}

int iorepl_props_mv_int32(int32_t* out, const iorepl_props* props, uint32_t tag,
                          size_t i) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    const int32_t* v = nullptr;
    if (int rc = LookupAt(props, tag, i, &v); rc != IOREPL_OK) return rc;
    *out = *v;
    return Succeed();
  });
}

int iorepl_props_mv_int64(int64_t* out, const iorepl_props* props, uint32_t tag,
                          size_t i) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    const int64_t* v = nullptr;
    if (int rc = LookupAt(props, tag, i, &v); rc != IOREPL_OK) return rc;
    *out = *v;
    return Succeed();
  });
}

int iorepl_props_mv_time(uint64_t* out, const iorepl_props* props, uint32_t tag,
                         size_t i) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    const FileTime* v = nullptr;
    if (int rc = LookupAt(props, tag, i, &v); rc != IOREPL_OK) return rc;
    *out = v->ticks();
    return Succeed();
  });
}

int iorepl_props_mv_string(const char** data, size_t* len,
                           const iorepl_props* props, uint32_t tag, size_t i) {
  return Guard([&] {
    if (int rc = CheckOut(data, "data"); rc != IOREPL_OK) return rc;
    if (int rc = CheckOut(len, "len"); rc != IOREPL_OK) return rc;
    const std::string* v = nullptr;
    if (int rc = LookupAt(props, tag, i, &v); rc != IOREPL_OK) return rc;
    *data = v->c_str();
    *len = v->size();
    return Succeed();
  });
}

int iorepl_props_mv_binary(const uint8_t** data, size_t* len,
                           const iorepl_props* props, uint32_t tag, size_t i) {
  return Guard([&] {
    if (int rc = CheckOut(data, "data"); rc != IOREPL_OK) return rc;
    if (int rc = CheckOut(len, "len"); rc != IOREPL_OK) return rc;
    const Bytes* v = nullptr;
    if (int rc = LookupAt(props, tag, i, &v); rc != IOREPL_OK) return rc;
    *data = reinterpret_cast<const uint8_t*>(v->data.data());
    *len = v->data.size();
    return Succeed();
  });
}

int iorepl_props_set_int32(iorepl_props* props, uint32_t tag, int32_t value) {
  return Guard([&] { return SetProp(props, tag, value); });
}

int iorepl_props_set_int64(iorepl_props* props, uint32_t tag, int64_t value) {
  return Guard([&] { return SetProp(props, tag, value); });
}

int iorepl_props_set_bool(iorepl_props* props, uint32_t tag, int value) {
  return Guard([&] { return SetProp(props, tag, value != 0); });
}

int iorepl_props_set_time(iorepl_props* props, uint32_t tag, uint64_t value) {
  return Guard([&] { return SetProp(props, tag, FileTime::FromTicks(value)); });
}

int iorepl_props_set_string(iorepl_props* props, uint32_t tag, const char* data,
                            size_t len) {
  return Guard([&] {
    if (int rc = CheckText(data, len, "data"); rc != IOREPL_OK) return rc;
    return SetProp(props, tag,
                   len == 0 ? std::string() : std::string(data, len));
  });
}

int iorepl_props_set_binary(iorepl_props* props, uint32_t tag,
                            const uint8_t* data, size_t len) {
  return Guard([&] {
    if (int rc = CheckBytes(data, len, "data"); rc != IOREPL_OK) return rc;
    Bytes b;
    if (len != 0) b.data.assign(reinterpret_cast<const char*>(data), len);
    return SetProp(props, tag, std::move(b));
  });
}

int iorepl_props_set_mv_int32(iorepl_props* props, uint32_t tag,
                              const int32_t* values, size_t count) {
  return Guard([&] {
    if (int rc = CheckBytes(values, count, "values"); rc != IOREPL_OK) {
      return rc;
    }
    return SetProp(props, tag,
                   count == 0 ? std::vector<int32_t>()
                              : std::vector<int32_t>(values, values + count));
  });
}

int iorepl_props_set_mv_int64(iorepl_props* props, uint32_t tag,
                              const int64_t* values, size_t count) {
  return Guard([&] {
    if (int rc = CheckBytes(values, count, "values"); rc != IOREPL_OK) {
      return rc;
    }
    return SetProp(props, tag,
                   count == 0 ? std::vector<int64_t>()
                              : std::vector<int64_t>(values, values + count));
  });
}

int iorepl_props_set_mv_time(iorepl_props* props, uint32_t tag,
                             const uint64_t* values, size_t count) {
  return Guard([&] {
    if (int rc = CheckBytes(values, count, "values"); rc != IOREPL_OK) {
      return rc;
    }
    std::vector<FileTime> times;
    times.reserve(count);
    for (size_t i = 0; i < count; ++i) {
      times.push_back(FileTime::FromTicks(values[i]));
    }
    return SetProp(props, tag, std::move(times));
  });
}

int iorepl_props_set_mv_string(iorepl_props* props, uint32_t tag,
                               const char* const* data, const size_t* lens,
                               size_t count) {
  return Guard([&] {
    if (count != 0 && (data == nullptr || lens == nullptr)) {
      return NullArgument(data == nullptr ? "data" : "lens");
    }
    if (int rc = CheckBytes(data, count, "data"); rc != IOREPL_OK) return rc;
    std::vector<std::string> strings;
    strings.reserve(count);
    for (size_t i = 0; i < count; ++i) {
      if (int rc = CheckText(data[i], lens[i], "data[i]"); rc != IOREPL_OK) {
        return rc;
      }
      strings.emplace_back(lens[i] == 0 ? "" : std::string(data[i], lens[i]));
    }
    return SetProp(props, tag, std::move(strings));
  });
}

int iorepl_props_set_mv_binary(iorepl_props* props, uint32_t tag,
                               const uint8_t* const* data, const size_t* lens,
                               size_t count) {
  return Guard([&] {
    if (count != 0 && (data == nullptr || lens == nullptr)) {
      return NullArgument(data == nullptr ? "data" : "lens");
    }
    if (int rc = CheckBytes(data, count, "data"); rc != IOREPL_OK) return rc;
    std::vector<Bytes> blobs;
    blobs.reserve(count);
    for (size_t i = 0; i < count; ++i) {
      if (int rc = CheckBytes(data[i], lens[i], "data[i]"); rc != IOREPL_OK) {
        return rc;
      }
      Bytes b;
      if (lens[i] != 0) {
        b.data.assign(reinterpret_cast<const char*>(data[i]), lens[i]);
      }
      blobs.push_back(std::move(b));
    }
    return SetProp(props, tag, std::move(blobs));
  });
}

int iorepl_props_remove(iorepl_props* props, uint32_t tag) {
  return Guard([&] {
    if (int rc = CheckHandle(props, "props"); rc != IOREPL_OK) return rc;
    if (props->read_only) {
      return Fail(IOREPL_EINVAL,
                  "props: a snapshot's properties are read-only");
    }
    absl::StatusOr<PropTag> t = PropTag::FromValue(tag);
    if (!t.ok()) return FromStatus(t.status());
    if (!props->bag->Remove(*t)) {
      return Fail(IOREPL_ENOTFOUND,
                  absl::StrCat("no property ", t->ToString()));
    }
    return Succeed();
  });
}

// ---- Item content ----

int iorepl_content_new(iorepl_content** out, const char* message_class) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    *out = nullptr;
    if (int rc = CheckString(message_class, "message_class"); rc != IOREPL_OK) {
      return rc;
    }
    if (absl::Status s = ValidateMessageClass(message_class); !s.ok()) {
      return FromStatus(s);
    }
    auto content = std::make_unique<iorepl_content>();
    content->content.message_class = message_class;
    *out = content.release();
    return Succeed();
  });
}

int iorepl_content_from_item(iorepl_content** out, const iorepl_item* item) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    *out = nullptr;
    if (int rc = CheckHandle(item, "item"); rc != IOREPL_OK) return rc;
    auto content = std::make_unique<iorepl_content>();
    content->content.message_class = item->item.message_class;
    content->content.properties = item->item.properties;
    content->content.body = item->item.body;
    content->content.attachments = item->item.attachments;
    *out = content.release();
    return Succeed();
  });
}

int iorepl_content_set_message_class(iorepl_content* content,
                                     const char* message_class) {
  return Guard([&] {
    if (int rc = CheckHandle(content, "content"); rc != IOREPL_OK) return rc;
    if (int rc = CheckString(message_class, "message_class"); rc != IOREPL_OK) {
      return rc;
    }
    if (absl::Status s = ValidateMessageClass(message_class); !s.ok()) {
      return FromStatus(s);
    }
    content->content.message_class = message_class;
    return Succeed();
  });
}

int iorepl_content_set_body(iorepl_content* content, const char* body,
                            size_t len) {
  return Guard([&] {
    if (int rc = CheckHandle(content, "content"); rc != IOREPL_OK) return rc;
    if (int rc = CheckText(body, len, "body"); rc != IOREPL_OK) return rc;
    content->content.body.assign(len == 0 ? "" : body, len);
    return Succeed();
  });
}

iorepl_props* iorepl_content_props(iorepl_content* content) {
  return GuardValue<iorepl_props*>(nullptr, [&]() -> iorepl_props* {
    if (CheckHandle(content, "content") != IOREPL_OK) return nullptr;
    Succeed();
    return &content->props;
  });
}

int iorepl_content_add_attachment(iorepl_content* content,
                                  const char* file_name, const char* mime_type,
                                  const uint8_t* data, size_t len) {
  return Guard([&] {
    if (int rc = CheckHandle(content, "content"); rc != IOREPL_OK) return rc;
    if (int rc = CheckString(file_name, "file_name"); rc != IOREPL_OK) {
      return rc;
    }
    if (int rc = CheckString(mime_type, "mime_type"); rc != IOREPL_OK) {
      return rc;
    }
    if (int rc = CheckBytes(data, len, "data"); rc != IOREPL_OK) return rc;
    Attachment a;
    a.file_name = file_name;
    a.mime_type = mime_type;
    if (len != 0) a.data.assign(reinterpret_cast<const char*>(data), len);
    // Checked as the store will check it, so that the mistake shows here.
    Item probe;
    probe.message_class = "IPM.Post";
    probe.attachments.push_back(std::move(a));
    if (absl::Status s = ValidateItem(probe); !s.ok()) return FromStatus(s);
    content->content.attachments.push_back(std::move(probe.attachments.back()));
    return Succeed();
  });
}

void iorepl_content_free(iorepl_content* content) {
  if (content != nullptr && IsHandle(content)) delete content;
}

}  // extern "C"
