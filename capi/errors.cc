// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "capi/errors.h"

#include <cstdlib>
#include <string>

#include "absl/strings/str_cat.h"
#include "iorepl/common.h"

namespace ioreplication::capi_internal {
namespace {

thread_local std::string g_message;
thread_local std::string g_callback_message;
thread_local bool g_callback_failed = false;
thread_local int g_depth = 0;

}  // namespace

EntryScope::EntryScope() {
  if (g_depth++ == 0) ResetCallbackFailure();
}

EntryScope::~EntryScope() { --g_depth; }

int Fail(int rc, absl::string_view message) {
  g_message.assign(message.data(), message.size());
  return rc;
}

int Succeed() {
  g_message.clear();
  return IOREPL_OK;
}

int CodeOf(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kOk:
      return IOREPL_OK;
    case absl::StatusCode::kInvalidArgument:
      return IOREPL_EINVAL;
    case absl::StatusCode::kNotFound:
      return IOREPL_ENOTFOUND;
    case absl::StatusCode::kAlreadyExists:
      return IOREPL_EEXISTS;
    case absl::StatusCode::kFailedPrecondition:
      return IOREPL_ESTATE;
    case absl::StatusCode::kResourceExhausted:
      return IOREPL_ETOOBIG;
    case absl::StatusCode::kDataLoss:
      return IOREPL_ECORRUPT;
    case absl::StatusCode::kOutOfRange:
      return IOREPL_ERANGE;
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kUnauthenticated:
      return IOREPL_EPERM;
    case absl::StatusCode::kUnimplemented:
      return IOREPL_EUNSUPPORTED;
    case absl::StatusCode::kCancelled:
      return IOREPL_ECANCELLED;
    case absl::StatusCode::kInternal:
      return IOREPL_EINTERNAL;
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kUnknown:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kAborted:
    default:
      return IOREPL_EIO;
  }
}

int FromStatus(const absl::Status& status) {
  if (status.ok()) return Succeed();
  if (g_callback_failed) {
    // The store error names the callback already; keep the whole chain.
    return Fail(IOREPL_ECALLBACK, status.message());
  }
  return Fail(CodeOf(status), status.message());
}

std::string TakeCallbackMessage() {
  std::string message;
  message.swap(g_callback_message);
  return message;
}

void NoteCallbackFailure() { g_callback_failed = true; }

void ResetCallbackFailure() { g_callback_failed = false; }

}  // namespace ioreplication::capi_internal

using ioreplication::capi_internal::g_callback_message;
using ioreplication::capi_internal::g_message;

extern "C" {

const char* iorepl_rc_str(int rc) {
  switch (rc) {
    case IOREPL_OK:
      return "IOREPL_OK: success";
    case IOREPL_EINVAL:
      return "IOREPL_EINVAL: invalid argument";
    case IOREPL_ENOTFOUND:
      return "IOREPL_ENOTFOUND: not found";
    case IOREPL_EEXISTS:
      return "IOREPL_EEXISTS: already exists";
    case IOREPL_ESTATE:
      return "IOREPL_ESTATE: not allowed in the current state";
    case IOREPL_EIO:
      return "IOREPL_EIO: storage error";
    case IOREPL_ENOMEM:
      return "IOREPL_ENOMEM: out of memory";
    case IOREPL_ECANCELLED:
      return "IOREPL_ECANCELLED: cancelled";
    case IOREPL_ECALLBACK:
      return "IOREPL_ECALLBACK: a callback failed";
    case IOREPL_EVERSION:
      return "IOREPL_EVERSION: struct from a newer version";
    case IOREPL_ECORRUPT:
      return "IOREPL_ECORRUPT: malformed data";
    case IOREPL_ETOOBIG:
      return "IOREPL_ETOOBIG: size limit exceeded";
    case IOREPL_ERANGE:
      return "IOREPL_ERANGE: value out of range";
    case IOREPL_EPERM:
      return "IOREPL_EPERM: permission denied";
    case IOREPL_EUNSUPPORTED:
      return "IOREPL_EUNSUPPORTED: not supported";
    case IOREPL_EINTERNAL:
      return "IOREPL_EINTERNAL: internal error";
    default:
      return "unknown result code";
  }
}

const char* iorepl_error_message(void) { return g_message.c_str(); }

void iorepl_set_callback_error(const char* message) {
  try {
    if (message == nullptr) {
      g_callback_message.clear();
    } else {
      g_callback_message = message;
    }
  } catch (...) {
    // Out of memory: the callback's return code still tells the story.
  }
}

void iorepl_free(void* p) { std::free(p); }

}  // extern "C"
