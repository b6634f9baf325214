// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Result codes and the thread-local error message of the C ABI, and the
// guard every entry point runs its body in.

#ifndef IOREPLICATION_CAPI_ERRORS_H_
#define IOREPLICATION_CAPI_ERRORS_H_

#include <new>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "iorepl/common.h"

namespace ioreplication::capi_internal {

// Sets the thread's message and returns `rc`.
int Fail(int rc, absl::string_view message);
// Clears the thread's message and returns IOREPL_OK.
int Succeed();
// The code for `status` (IOREPL_OK for OK), with its message set. A host
// callback failure noted during the call (NoteCallbackFailure) turns any
// error into IOREPL_ECALLBACK.
int FromStatus(const absl::Status& status);
// The C code of a non-OK status, ignoring callback failures.
int CodeOf(const absl::Status& status);

// Host callbacks: the message a callback set with iorepl_set_callback_error
// (taken, so the next callback starts empty).
std::string TakeCallbackMessage();
// Records that a host callback failed during the current call (the store
// error that follows carries the why).
void NoteCallbackFailure();
// Forgets callback failures; each entry point starts with this.
void ResetCallbackFailure();

// Counts the entry points running on this thread. Host callbacks may call
// entry points (iorepl_record_item in a put); only the outermost one starts
// with a clean callback-failure record.
class EntryScope {
 public:
  EntryScope();
  ~EntryScope();
  EntryScope(const EntryScope&) = delete;
  EntryScope& operator=(const EntryScope&) = delete;
};

// Runs an entry point's body: exceptions never cross the C boundary, and
// callback failures from earlier calls do not leak into this one.
template <typename Body>
int Guard(Body&& body) noexcept {
  EntryScope scope;
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return Fail(IOREPL_ENOMEM, "out of memory");
  } catch (const std::exception& e) {
    return Fail(IOREPL_EINTERNAL, std::string("internal error: ") + e.what());
  } catch (...) {
    return Fail(IOREPL_EINTERNAL, "internal error: unknown exception");
  }
}

// For entry points that return a pointer or a count: `fallback` on any
// exception.
template <typename T, typename Body>
T GuardValue(T fallback, Body&& body) noexcept {
  EntryScope scope;
  try {
    return body();
  } catch (const std::bad_alloc&) {
    Fail(IOREPL_ENOMEM, "out of memory");
  } catch (...) {
    Fail(IOREPL_EINTERNAL, "internal error: unknown exception");
  }
  return fallback;
}

}  // namespace ioreplication::capi_internal

#endif  // IOREPLICATION_CAPI_ERRORS_H_
