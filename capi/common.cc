// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Versions, identifiers and the process-wide log of the C ABI.

#include "iorepl/common.h"

#include <cstring>
#include <mutex>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "capi/args.h"
#include "capi/errors.h"
#include "capi/log.h"
#include "ioreplication/guid.h"
#include "ioreplication/ids.h"
#include "ioreplication/version.h"

namespace ioreplication::capi_internal {
namespace {

std::mutex g_log_mutex;
LogTarget g_log;  // guarded by g_log_mutex

Guid FromCGuid(const iorepl_guid& g) {
  return Guid::FromBytes(std::span<const uint8_t, Guid::kSize>(g.bytes));
}

iorepl_guid ToCGuid(const Guid& g) {
  iorepl_guid out;
  std::memcpy(out.bytes, g.bytes().data(), sizeof(out.bytes));
  return out;
}

}  // namespace

LogTarget ProcessLog() {
  std::lock_guard<std::mutex> lock(g_log_mutex);
  return g_log;
}

void Emit(const LogTarget& target, int level, const char* subsystem,
          std::string_view message) {
  if (target.fn == nullptr || level > target.max_level) return;
  // The callback gets a NUL-terminated copy; it cannot throw into us (it
  // is C), and we do not let our own allocation failure escape either.
  try {
    const std::string text(message);
    target.fn(target.user, level, subsystem, text.c_str(), text.size());
  } catch (...) {
  }
}

Guid GuidOf(const iorepl_guid& g) { return FromCGuid(g); }
iorepl_guid CGuidOf(const Guid& g) { return ToCGuid(g); }

}  // namespace ioreplication::capi_internal

using namespace ioreplication;                 // NOLINT
using namespace ioreplication::capi_internal;  // NOLINT

extern "C" {

int iorepl_version_number(void) { return IOREPL_VERSION_NUMBER; }
const char* iorepl_version_string(void) { return IOREPL_VERSION_STRING; }
int iorepl_abi_version(void) { return IOREPL_ABI_VERSION; }

int iorepl_key_to_string(char* out, const iorepl_key* key) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    SourceKey k;
    if (int rc = CheckKey(key, "key", &k); rc != IOREPL_OK) return rc;
    if (k.counter().value() == 0) {
      return Fail(IOREPL_EINVAL, "key: counter 0 is not a source key");
    }
    const std::string text = k.ToString();
    std::memcpy(out, text.c_str(), text.size() + 1);
    return Succeed();
  });
}

int iorepl_key_from_string(iorepl_key* out, const char* text) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    if (int rc = CheckString(text, "text"); rc != IOREPL_OK) return rc;
    const std::string_view s(text);
    const size_t colon = s.rfind(':');
    uint64_t counter = 0;
    absl::StatusOr<Guid> guid = colon == std::string_view::npos
                                    ? absl::InvalidArgumentError("no ':'")
                                    : Guid::Parse(s.substr(0, colon));
    if (!guid.ok() ||
        !absl::SimpleAtoi(
            absl::string_view(s.data() + colon + 1, s.size() - colon - 1),
            &counter) ||
        s.substr(colon + 1).find_first_not_of("0123456789") !=
            std::string_view::npos) {
      return Fail(IOREPL_EINVAL,
                  absl::StrCat("text: \"", text,
                               "\" is not a key of the form {GUID}:COUNTER"));
    }
    absl::StatusOr<GlobCnt> c = GlobCnt::FromValue(counter);
    if (!c.ok() || counter == 0) {
      return Fail(IOREPL_ERANGE, absl::StrCat("text: counter ", counter,
                                              " is outside 1..2^48-1"));
    }
    *out = ToCKey(SourceKey(*guid, *c));
    return Succeed();
  });
}

int iorepl_key_make(iorepl_key* out, const iorepl_guid* replica,
                    uint64_t counter) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    if (int rc = CheckOut(replica, "replica"); rc != IOREPL_OK) return rc;
    absl::StatusOr<GlobCnt> c = GlobCnt::FromValue(counter);
    if (!c.ok() || counter == 0) {
      return Fail(IOREPL_ERANGE,
                  absl::StrCat("counter ", counter, " is outside 1..2^48-1"));
    }
    *out = ToCKey(SourceKey(GuidOf(*replica), *c));
    return Succeed();
  });
}

int iorepl_key_parts(iorepl_guid* replica, uint64_t* counter,
                     const iorepl_key* key) {
  return Guard([&] {
    SourceKey k;
    if (int rc = CheckKey(key, "key", &k); rc != IOREPL_OK) return rc;
    if (replica != nullptr) *replica = CGuidOf(k.replica());
    if (counter != nullptr) *counter = k.counter().value();
    return Succeed();
  });
}

int iorepl_guid_to_string(char* out, const iorepl_guid* guid) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    if (int rc = CheckOut(guid, "guid"); rc != IOREPL_OK) return rc;
    const std::string text = GuidOf(*guid).ToString();
    std::memcpy(out, text.c_str(), text.size() + 1);
    return Succeed();
  });
}

int iorepl_guid_from_string(iorepl_guid* out, const char* text) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    if (int rc = CheckString(text, "text"); rc != IOREPL_OK) return rc;
    absl::StatusOr<Guid> g = Guid::Parse(text);
    if (!g.ok()) return FromStatus(g.status());
    *out = CGuidOf(*g);
    return Succeed();
  });
}

int iorepl_set_log(iorepl_log_fn fn, void* user, int max_level) {
  return Guard([&] {
    if (fn != nullptr &&
        (max_level < IOREPL_LOG_ERROR || max_level > IOREPL_LOG_DEBUG)) {
      return Fail(IOREPL_EINVAL, absl::StrCat("max_level ", max_level,
                                              " is not an IOREPL_LOG_* level"));
    }
    std::lock_guard<std::mutex> lock(g_log_mutex);
    g_log = LogTarget{fn, user, max_level};
    return Succeed();
  });
}

}  // extern "C"
