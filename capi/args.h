// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Argument checks for C ABI entry points. Each returns IOREPL_OK or sets the
// thread's message and returns IOREPL_EINVAL (IOREPL_EVERSION for a struct
// from a newer header), so an entry point reads:
//
//   if (int rc = CheckHandle(store, "store"); rc != IOREPL_OK) return rc;

#ifndef IOREPLICATION_CAPI_ARGS_H_
#define IOREPLICATION_CAPI_ARGS_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "capi/errors.h"
#include "capi/handles.h"
#include "iorepl/common.h"
#include "iorepl/host_store.h"
#include "iorepl/session.h"
#include "iorepl/store.h"
#include "ioreplication/ids.h"

namespace ioreplication::capi_internal {

// The longest buffer any call accepts: far beyond any item size limit, and
// low enough that no pointer arithmetic on it can overflow.
inline constexpr size_t kMaxBufferSize = size_t{1} << 40;
// The longest NUL-terminated string accepted (paths, URIs, names, config
// text is passed with a length).
inline constexpr size_t kMaxStringSize = size_t{1} << 20;

// The size of each versioned struct's first version: the least struct_size
// accepted, forever. Each ends at the struct's last field as of 0.1, so that
// fields appended later grow sizeof() but not these.
template <typename T, typename Field>
constexpr size_t EndOf(Field T::*, size_t offset) {
  return offset + sizeof(Field);
}
#define IOREPL_V1_SIZE(type, last_field) \
  EndOf(&type::last_field, offsetof(type, last_field))
inline constexpr size_t kStoreOptionsV1Size =
    IOREPL_V1_SIZE(iorepl_store_options, credential);
inline constexpr size_t kStoreCountsV1Size =
    IOREPL_V1_SIZE(iorepl_store_counts, tombstones);
inline constexpr size_t kSessionOptionsV1Size =
    IOREPL_V1_SIZE(iorepl_session_options, log_level);
inline constexpr size_t kStatisticsV1Size =
    IOREPL_V1_SIZE(iorepl_statistics, folder_error_reasons);
inline constexpr size_t kHostStoreV1Size =
    IOREPL_V1_SIZE(iorepl_host_store, destroy);
inline constexpr size_t kRecordV1Size = IOREPL_V1_SIZE(iorepl_record, data_len);
inline constexpr size_t kDifferenceV1Size =
    IOREPL_V1_SIZE(iorepl_difference, detail);
inline constexpr size_t kRefusalV1Size =
    IOREPL_V1_SIZE(iorepl_refusal, skipped);
#undef IOREPL_V1_SIZE

int NullArgument(const char* name);

template <typename T>
int CheckHandle(const T* h, const char* name) {
  if (h == nullptr) return NullArgument(name);
  if (!IsHandle(h)) {
    return Fail(IOREPL_EINVAL,
                absl::StrCat(name, ": not a live handle of this type"));
  }
  return IOREPL_OK;
}

inline int CheckOut(const void* p, const char* name) {
  return p == nullptr ? NullArgument(name) : IOREPL_OK;
}

// A NUL-terminated UTF-8 string of at most kMaxStringSize bytes.
int CheckString(const char* s, const char* name);
// `len` bytes at `data`: data may be NULL only when len is 0.
int CheckBytes(const void* data, size_t len, const char* name);
// Like CheckBytes, and the bytes are UTF-8.
int CheckText(const char* data, size_t len, const char* name);

// A source key argument: non-NULL and well formed.
int CheckKey(const iorepl_key* key, const char* name, SourceKey* out);

iorepl_key ToCKey(const SourceKey& key);
iorepl_key ToCKey(const ChangeNumber& cn);

// IOREPL_OK when `size` is one a caller's header may give a versioned
// struct: from its first published size (`min_size`) up, with anything past
// the library's own sizeof checked by the caller. Else IOREPL_EINVAL with a
// message naming the sizes.
int CheckStructSize(size_t size, size_t min_size, const char* name);

// Reads a versioned input struct: `*out` holds the defaults on entry and the
// caller's fields after. struct_size below `min_size` (the first version's
// size) is IOREPL_EINVAL; above sizeof(T), the extra bytes must be zero
// (fields of a newer header this library cannot honor: IOREPL_EVERSION).
template <typename T>
int ReadStruct(const T* in, size_t min_size, const char* name, T* out) {
  if (in == nullptr) return NullArgument(name);
  const size_t size = in->struct_size;
  if (int rc = CheckStructSize(size, min_size, name); rc != IOREPL_OK) {
    return rc;
  }
  const auto* bytes = reinterpret_cast<const unsigned char*>(in);
  for (size_t i = sizeof(T); i < size; ++i) {
    if (bytes[i] != 0) {
      return Fail(IOREPL_EVERSION,
                  absl::StrCat(name, ": sets fields (byte ", i,
                               ") this library version does not know"));
    }
  }
  std::memcpy(static_cast<void*>(out), in, std::min(size, sizeof(T)));
  out->struct_size = sizeof(T);
  return IOREPL_OK;
}

// Writes a versioned output struct: the fields the caller's struct_size
// covers (at least `min_size`).
template <typename T>
int WriteStruct(const T& value, size_t min_size, const char* name, T* out) {
  if (out == nullptr) return NullArgument(name);
  const size_t size = out->struct_size;
  if (int rc = CheckStructSize(size, min_size, name); rc != IOREPL_OK) {
    return rc;
  }
  T copy = value;
  copy.struct_size = size;
  std::memcpy(static_cast<void*>(out), &copy, std::min(size, sizeof(T)));
  return IOREPL_OK;
}

// Index `i` of a sequence of `n` entries.
int CheckIndex(size_t i, size_t n);

// The *_init functions: zeroes `struct_size` bytes at `out` and fills the
// fields they cover from `defaults` (the *_INIT value). The sizes accepted
// are those every other call accepts (CheckStructSize).
template <typename T>
int InitStruct(T* out, size_t struct_size, size_t min_size, const T& defaults) {
  if (out == nullptr) return NullArgument("options");
  if (int rc = CheckStructSize(struct_size, min_size, "options");
      rc != IOREPL_OK) {
    return rc;
  }
  T copy = defaults;
  copy.struct_size = struct_size;
  std::memset(static_cast<void*>(out), 0, struct_size);
  std::memcpy(static_cast<void*>(out), &copy, std::min(struct_size, sizeof(T)));
  return Succeed();
}

// A malloc'd copy of `bytes` (for iorepl_free), or nullptr when out of
// memory. Always NUL-terminated one byte past the end.
char* MallocCopy(std::string_view bytes);

}  // namespace ioreplication::capi_internal

#endif  // IOREPLICATION_CAPI_ARGS_H_
