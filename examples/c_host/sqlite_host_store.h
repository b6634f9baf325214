/* Copyright 2026 The ioreplication Authors.
 * SPDX-License-Identifier: Apache-2.0 */
/*
 * A host store over SQLite, written against the C ABI only: what a mail
 * server written in C would do to keep ioreplication's objects in its own
 * database. About 400 lines; docs/c-abi.md walks through it.
 *
 * One table of records and one of named values:
 *
 *   records(local_cn INTEGER PRIMARY KEY, key BLOB UNIQUE, kind, parent, data)
 *   host_values(name TEXT PRIMARY KEY, data BLOB)
 *
 * local_cn is the rowid, so `scan` (records in local change number order) is
 * a range walk of the table itself, and a replacing put moves the record to
 * its new position by INSERT OR REPLACE. `list` uses an index on (parent,
 * kind); `get` the unique index on key.
 *
 * The database runs in WAL mode with synchronous=FULL (every commit is
 * durable) and BEGIN IMMEDIATE transactions, as the host store contract asks
 * (include/iorepl/host_store.h).
 */
#ifndef IOREPL_EXAMPLES_SQLITE_HOST_STORE_H_
#define IOREPL_EXAMPLES_SQLITE_HOST_STORE_H_

#include "iorepl/iorepl.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sqlite_host sqlite_host;

/* Opens the SQLite file at `path` (created if missing) and prepares the
 * tables. Returns IOREPL_OK, or an IOREPL_E* code with the reason in
 * `error` (a buffer of `error_size` bytes). */
int sqlite_host_open(sqlite_host** out, const char* path, char* error,
                     size_t error_size);

/* The vtable over `host`. Passed to iorepl_store_new_host, it hands the host
 * to the store: the store's destroy closes the database and frees it. */
iorepl_host_store sqlite_host_vtable(sqlite_host* host);

/* Opens `path` and makes an iorepl_store of it in one call (the usual
 * case). On failure the reason is in `error`, as for sqlite_host_open. */
int sqlite_host_store_open(iorepl_store** out, const char* path, char* error,
                           size_t error_size);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* IOREPL_EXAMPLES_SQLITE_HOST_STORE_H_ */
