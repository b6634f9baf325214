// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "capi/args.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "core/utf8.h"

namespace ioreplication::capi_internal {

int NullArgument(const char* name) {
  return Fail(IOREPL_EINVAL, absl::StrCat(name, ": must not be NULL"));
}

int CheckString(const char* s, const char* name) {
  if (s == nullptr) return NullArgument(name);
  const void* nul = std::memchr(s, '\0', kMaxStringSize + 1);
  if (nul == nullptr) {
    return Fail(IOREPL_EINVAL,
                absl::StrCat(name, ": longer than ", kMaxStringSize, " bytes"));
  }
  const size_t len = static_cast<size_t>(static_cast<const char*>(nul) - s);
  if (absl::Status st = core_internal::ValidateUtf8({s, len}, name); !st.ok()) {
    return Fail(IOREPL_EINVAL, st.message());
  }
  return IOREPL_OK;
}

int CheckBytes(const void* data, size_t len, const char* name) {
  if (data == nullptr && len != 0) {
    return Fail(IOREPL_EINVAL,
                absl::StrCat(name, ": NULL with a length of ", len));
  }
  if (len > kMaxBufferSize ||
      (data != nullptr &&
       reinterpret_cast<uintptr_t>(data) > UINTPTR_MAX - len)) {
    return Fail(IOREPL_EINVAL,
                absl::StrCat(name, ": length ", len, " is out of range"));
  }
  return IOREPL_OK;
}

int CheckText(const char* data, size_t len, const char* name) {
  if (int rc = CheckBytes(data, len, name); rc != IOREPL_OK) return rc;
  if (len == 0) return IOREPL_OK;
  if (absl::Status st = core_internal::ValidateUtf8({data, len}, name);
      !st.ok()) {
    return Fail(IOREPL_EINVAL, st.message());
  }
  return IOREPL_OK;
}

int CheckKey(const iorepl_key* key, const char* name, SourceKey* out) {
  if (key == nullptr) return NullArgument(name);
  absl::StatusOr<SourceKey> k = SourceKey::Decode(key->bytes);
  if (!k.ok()) {
    return Fail(IOREPL_EINVAL, absl::StrCat(name, ": ", k.status().message()));
  }
  *out = *k;
  return IOREPL_OK;
}

iorepl_key ToCKey(const SourceKey& key) {
  // The XID form by hand: this runs for every record a host store reads or
  // writes, and SourceKey::Encode would allocate a string each time.
  iorepl_key out;
  const auto& guid = key.replica().bytes();
  std::memcpy(out.bytes, guid.data(), guid.size());
  const uint64_t counter = key.counter().value();
  for (size_t i = 0; i < GlobCnt::kSize; ++i) {
    out.bytes[guid.size() + i] =
        static_cast<uint8_t>(counter >> (8 * (GlobCnt::kSize - 1 - i)));
  }
  return out;
}

iorepl_key ToCKey(const ChangeNumber& cn) {
  return ToCKey(SourceKey(cn.replica(), cn.counter()));
}

int CheckStructSize(size_t size, size_t min_size, const char* name) {
  if (size < min_size) {
    return Fail(IOREPL_EINVAL,
                absl::StrCat(name, ": struct_size ", size, " is below ",
                             min_size,
                             ", the size of this struct's first published "
                             "version (every size from there up is accepted)"));
  }
  if (size > kMaxBufferSize) {
    return Fail(IOREPL_EINVAL, absl::StrCat(name, ": struct_size ", size,
                                            " is not a size of any struct"));
  }
  return IOREPL_OK;
}

int CheckIndex(size_t i, size_t n) {
  if (i < n) return IOREPL_OK;
  return Fail(IOREPL_EINVAL,
              absl::StrCat("index ", i, " is past the ", n, " entries"));
}

char* MallocCopy(std::string_view bytes) {
  char* p = static_cast<char*>(std::malloc(bytes.size() + 1));
  if (p == nullptr) return nullptr;
  if (!bytes.empty()) std::memcpy(p, bytes.data(), bytes.size());
  p[bytes.size()] = '\0';
  return p;
}

}  // namespace ioreplication::capi_internal
