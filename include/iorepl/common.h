/* Copyright 2026 The ioreplication Authors.
 * SPDX-License-Identifier: Apache-2.0 */
/*
 * The C ABI's shared ground: result codes, the thread-local error message,
 * library-owned memory, versions, identifiers and the process-wide log.
 *
 * Rules every iorepl_ function follows (docs/c-abi.md has the whole policy):
 *  - A fallible call returns an int: IOREPL_OK (0) or a negative IOREPL_E*
 *    code. Codes are stable: never renumbered, never reused.
 *  - After every call, iorepl_error_message() tells what went wrong (an empty
 *    string after success). The text is thread-local and valid until the
 *    next iorepl_ call on the same thread.
 *  - Every argument is checked: NULL where not allowed, a handle of the wrong
 *    type, invalid UTF-8, lengths that overflow. A rejected call returns
 *    IOREPL_EINVAL and changes nothing.
 *  - Outputs come first in the argument list; inputs are const.
 *  - Memory the library hands out is released by the library: strings and
 *    byte buffers with iorepl_free(), handles with their own _free function.
 *    Every _free accepts NULL.
 *  - Public structs start with `size_t struct_size` (set it to sizeof the
 *    struct, or use the _init functions). Fields are only ever appended, so
 *    every size ever published is accepted: the library reads and writes the
 *    fields the caller's size covers and defaults the rest. A size below the
 *    struct's first published one is IOREPL_EINVAL (docs/c-abi.md lists
 *    them).
 *  - Nothing throws or longjmps across the boundary; callbacks must not
 *    either.
 *
 * Threads: functions of this header may be called from any thread.
 */
#ifndef IOREPL_COMMON_H_
#define IOREPL_COMMON_H_

#ifndef IOREPL_CDEF /* the Python binding's declaration pass skips these */
#include <stddef.h>
#include <stdint.h>

#include "ioreplication/version.h"
#endif

#ifndef IOREPL_API
#if defined(__GNUC__) || defined(__clang__)
#define IOREPL_API __attribute__((visibility("default")))
#else
#define IOREPL_API
#endif
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Result codes ---- */

enum {
  IOREPL_OK = 0,
  /* An argument is invalid: NULL, a wrong handle, bad UTF-8, a bad value. */
  IOREPL_EINVAL = -1,
  /* The object (folder, item, file, setting) does not exist. */
  IOREPL_ENOTFOUND = -2,
  /* The object already exists (a source key or a name is taken). */
  IOREPL_EEXISTS = -3,
  /* The objects are not in a state that allows the call: a missing parent,
   * a folder that still has children, a transaction already open. */
  IOREPL_ESTATE = -4,
  /* Storage trouble: a file could not be read or written, a database was
   * busy. Often worth retrying. */
  IOREPL_EIO = -5,
  IOREPL_ENOMEM = -6,
  /* A progress callback asked to stop. */
  IOREPL_ECANCELLED = -7,
  /* A host callback (store vtable, log, progress) failed. */
  IOREPL_ECALLBACK = -8,
  /* A struct from a newer header sets fields this library does not know. */
  IOREPL_EVERSION = -9,
  /* Input or stored data is malformed (a wire blob, a record, a state). */
  IOREPL_ECORRUPT = -10,
  /* A size limit was exceeded. */
  IOREPL_ETOOBIG = -11,
  /* A counter or value is out of its range. */
  IOREPL_ERANGE = -12,
  /* The operating system refused access. */
  IOREPL_EPERM = -13,
  /* Not supported by this build or this kind of store. */
  IOREPL_EUNSUPPORTED = -14,
  /* A bug in ioreplication; please report it with the message. */
  IOREPL_EINTERNAL = -15
};

/* Static text naming `rc` ("IOREPL_ENOTFOUND: not found"); never NULL. */
IOREPL_API const char* iorepl_rc_str(int rc);

/* What the last iorepl_ call on this thread reported: "" after success.
 * Valid until the next iorepl_ call on this thread. Never NULL. */
IOREPL_API const char* iorepl_error_message(void);

/* For host callbacks: the message to report when the callback returns
 * non-zero (copied). The library adds it to the error of the call that ran
 * the callback. `message` may be NULL (clears it). */
IOREPL_API void iorepl_set_callback_error(const char* message);

/* Releases memory the library handed out as a string or byte buffer.
 * NULL does nothing. */
IOREPL_API void iorepl_free(void* p);

/* ---- Versions ----
 * The IOREPL_VERSION_* macros (ioreplication/version.h) give the headers'
 * version; these give the library's, so a host can detect a mismatch:
 *   if (iorepl_version_number() / 10000 != IOREPL_VERSION_MAJOR) ...   */

IOREPL_API int iorepl_version_number(void); /* MAJOR*10000+MINOR*100+PATCH */
IOREPL_API const char* iorepl_version_string(void); /* "0.1.0" */
/* The shared library's ABI version, the N of libioreplication.so.N. */
IOREPL_API int iorepl_abi_version(void);

/* ---- Identifiers ---- */

/* A GUID in its 16 wire-order bytes (MS-OXCDATA 2.5.1). */
typedef struct iorepl_guid {
  uint8_t bytes[16];
} iorepl_guid;

/* A source key: the replica GUID and a 48-bit counter, in their 22-byte XID
 * wire form (MS-OXCFXICS 2.2.2.2), which is how MAPI's PidTagSourceKey holds
 * it. Keys identify folders and items for their whole life, everywhere. */
typedef struct iorepl_key {
  uint8_t bytes[22];
} iorepl_key;

/* Room for a key's text form "{GUID}:COUNTER" and its NUL. */
#define IOREPL_KEY_STRING_SIZE 64
/* Room for a GUID's text form "{00112233-...}" and its NUL. */
#define IOREPL_GUID_STRING_SIZE 40

/* Writes "{GUID}:COUNTER" (COUNTER in decimal) into `out`, which holds
 * IOREPL_KEY_STRING_SIZE bytes. IOREPL_EINVAL for a NULL argument or a
 * counter of 0. */
IOREPL_API int iorepl_key_to_string(char* out, const iorepl_key* key);
/* Parses the form above. IOREPL_EINVAL for anything else. */
IOREPL_API int iorepl_key_from_string(iorepl_key* out, const char* text);
/* Builds a key from a GUID and a counter in 1..2^48-1 (IOREPL_ERANGE
 * otherwise). */
IOREPL_API int iorepl_key_make(iorepl_key* out, const iorepl_guid* replica,
                               uint64_t counter);
/* Splits a key into its GUID and counter (either output may be NULL). */
IOREPL_API int iorepl_key_parts(iorepl_guid* replica, uint64_t* counter,
                                const iorepl_key* key);

/* "{00112233-4455-6677-8899-AABBCCDDEEFF}" into IOREPL_GUID_STRING_SIZE
 * bytes. */
IOREPL_API int iorepl_guid_to_string(char* out, const iorepl_guid* guid);
/* Parses a GUID's text form (braces optional, either case). */
IOREPL_API int iorepl_guid_from_string(iorepl_guid* out, const char* text);

/* ---- Logging ---- */

enum {
  IOREPL_LOG_ERROR = 1,
  IOREPL_LOG_WARNING = 2,
  /* Each pass's reconciliations and errors (a session's "summary" level). */
  IOREPL_LOG_INFO = 3,
  /* Also every ignore with its reason (a session's "detail" level). */
  IOREPL_LOG_DEBUG = 4
};

/* A log line: `subsystem` is "session", "store", ...; `message` is UTF-8 of
 * `len` bytes, also NUL-terminated, without a trailing newline. Both are
 * valid during the call only. May be called on any thread that runs
 * library work; it must not call back into the object that logs. */
typedef void (*iorepl_log_fn)(void* user, int level, const char* subsystem,
                              const char* message, size_t len);

/* Sets the process-wide log callback: lines at `max_level` or more severe
 * (a lower number) reach `fn`; nothing above it is even formatted. A NULL
 * `fn` turns logging off (the default). Sessions may override it
 * (iorepl_session_set_log). */
IOREPL_API int iorepl_set_log(iorepl_log_fn fn, void* user, int max_level);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* IOREPL_COMMON_H_ */
