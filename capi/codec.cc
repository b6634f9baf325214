// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// iorepl/codec.h: PCL and IDSET wire codecs.

#include "iorepl/codec.h"

#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "capi/args.h"
#include "capi/errors.h"
#include "capi/handles.h"
#include "capi/log.h"
#include "ioreplication/idset.h"
#include "ioreplication/pcl.h"

namespace ioreplication::capi_internal {
namespace {

int DecodePcl(const uint8_t* data, size_t len, const char* name, Pcl* out) {
  if (int rc = CheckBytes(data, len, name); rc != IOREPL_OK) return rc;
  absl::StatusOr<Pcl> pcl = Pcl::Decode(
      std::span<const uint8_t>(data == nullptr ? nullptr : data, len));
  if (!pcl.ok()) {
    return Fail(CodeOf(pcl.status()),
                absl::StrCat(name, ": ", pcl.status().message()));
  }
  *out = *std::move(pcl);
  return IOREPL_OK;
}

// Hands `bytes` out as a malloc'd buffer.
int GiveBytes(const std::string& bytes, uint8_t** out, size_t* out_len) {
  char* p = MallocCopy(bytes);
  if (p == nullptr) return Fail(IOREPL_ENOMEM, "out of memory");
  *out = reinterpret_cast<uint8_t*>(p);
  *out_len = bytes.size();
  return Succeed();
}

}  // namespace
}  // namespace ioreplication::capi_internal

using namespace ioreplication;                 // NOLINT
using namespace ioreplication::capi_internal;  // NOLINT

extern "C" {

int iorepl_pcl_compare(int* order, const uint8_t* a, size_t a_len,
                       const uint8_t* b, size_t b_len) {
  return Guard([&] {
    if (int rc = CheckOut(order, "order"); rc != IOREPL_OK) return rc;
    Pcl pa, pb;
    if (int rc = DecodePcl(a, a_len, "a", &pa); rc != IOREPL_OK) return rc;
    if (int rc = DecodePcl(b, b_len, "b", &pb); rc != IOREPL_OK) return rc;
    switch (pa.Compare(pb)) {
      case PclOrder::kEqual:
        *order = IOREPL_PCL_EQUAL;
        break;
      case PclOrder::kNewer:
        *order = IOREPL_PCL_NEWER;
        break;
      case PclOrder::kOlder:
        *order = IOREPL_PCL_OLDER;
        break;
      case PclOrder::kConflict:
        *order = IOREPL_PCL_CONFLICT;
        break;
    }
    return Succeed();
  });
}

int iorepl_pcl_merge(uint8_t** out, size_t* out_len, const uint8_t* a,
                     size_t a_len, const uint8_t* b, size_t b_len) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    if (int rc = CheckOut(out_len, "out_len"); rc != IOREPL_OK) return rc;
    *out = nullptr;
    *out_len = 0;
    Pcl pa, pb;
    if (int rc = DecodePcl(a, a_len, "a", &pa); rc != IOREPL_OK) return rc;
    if (int rc = DecodePcl(b, b_len, "b", &pb); rc != IOREPL_OK) return rc;
    if (absl::Status s = pa.MergeFrom(pb); !s.ok()) return FromStatus(s);
    return GiveBytes(pa.Encode(), out, out_len);
  });
}

int iorepl_idset_new(iorepl_idset** out) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    *out = new iorepl_idset();
    return Succeed();
  });
}

int iorepl_idset_decode(iorepl_idset** out, const uint8_t* data, size_t len) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    *out = nullptr;
    if (int rc = CheckBytes(data, len, "data"); rc != IOREPL_OK) return rc;
    absl::StatusOr<IdSet> set =
        IdSet::Decode(std::span<const uint8_t>(data, len));
    if (!set.ok()) return FromStatus(set.status());
    auto handle = std::make_unique<iorepl_idset>();
    handle->set = *std::move(set);
    *out = handle.release();
    return Succeed();
  });
}

int iorepl_idset_parse(iorepl_idset** out, const char* text) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    *out = nullptr;
    if (int rc = CheckString(text, "text"); rc != IOREPL_OK) return rc;
    absl::StatusOr<IdSet> set = IdSet::Parse(text);
    if (!set.ok()) return FromStatus(set.status());
    auto handle = std::make_unique<iorepl_idset>();
    handle->set = *std::move(set);
    *out = handle.release();
    return Succeed();
  });
}

void iorepl_idset_free(iorepl_idset* set) {
  if (set != nullptr && IsHandle(set)) delete set;
}

int iorepl_idset_encode(uint8_t** out, size_t* out_len,
                        const iorepl_idset* set) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    if (int rc = CheckOut(out_len, "out_len"); rc != IOREPL_OK) return rc;
    *out = nullptr;
    *out_len = 0;
    if (int rc = CheckHandle(set, "set"); rc != IOREPL_OK) return rc;
    return GiveBytes(set->set.Encode(), out, out_len);
  });
}

int iorepl_idset_to_string(char** out, const iorepl_idset* set) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    *out = nullptr;
    if (int rc = CheckHandle(set, "set"); rc != IOREPL_OK) return rc;
    char* text = MallocCopy(set->set.ToString());
    if (text == nullptr) return Fail(IOREPL_ENOMEM, "out of memory");
    *out = text;
    return Succeed();
  });
}

int iorepl_idset_insert(iorepl_idset* set, const iorepl_guid* replica,
                        uint64_t low, uint64_t high) {
  return Guard([&] {
    if (int rc = CheckHandle(set, "set"); rc != IOREPL_OK) return rc;
    if (int rc = CheckOut(replica, "replica"); rc != IOREPL_OK) return rc;
    absl::StatusOr<GlobCnt> lo = GlobCnt::FromValue(low);
    absl::StatusOr<GlobCnt> hi = GlobCnt::FromValue(high);
    if (!lo.ok() || !hi.ok() || low == 0 || low > high) {
      return Fail(IOREPL_ERANGE,
                  absl::StrCat("[", low, ", ", high,
                               "] is not a range within 1..2^48-1"));
    }
    return FromStatus(set->set.InsertRange(GuidOf(*replica), *lo, *hi));
  });
}

int iorepl_idset_contains(int* out, const iorepl_idset* set,
                          const iorepl_guid* replica, uint64_t counter) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    if (int rc = CheckHandle(set, "set"); rc != IOREPL_OK) return rc;
    if (int rc = CheckOut(replica, "replica"); rc != IOREPL_OK) return rc;
    absl::StatusOr<GlobCnt> c = GlobCnt::FromValue(counter);
    if (!c.ok()) {
      return Fail(IOREPL_ERANGE,
                  absl::StrCat("counter ", counter, " is above 2^48-1"));
    }
    *out = set->set.Contains(GuidOf(*replica), *c) ? 1 : 0;
    return Succeed();
  });
}

int iorepl_idset_count(uint64_t* out, const iorepl_idset* set) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    if (int rc = CheckHandle(set, "set"); rc != IOREPL_OK) return rc;
    *out = set->set.Count();
    return Succeed();
  });
}

int iorepl_idset_union(iorepl_idset* set, const iorepl_idset* other) {
  return Guard([&] {
    if (int rc = CheckHandle(set, "set"); rc != IOREPL_OK) return rc;
    if (int rc = CheckHandle(other, "other"); rc != IOREPL_OK) return rc;
    set->set.UnionWith(other->set);
    return Succeed();
  });
}

}  // extern "C"
