/* Copyright 2026 The ioreplication Authors.
 * SPDX-License-Identifier: Apache-2.0 */
/*
 * Host stores: a host's own storage as an ioreplication store.
 *
 * A host keeps ioreplication's objects in its own database by filling an
 * iorepl_host_store vtable and calling iorepl_store_new_host. The store it
 * gets takes part in sessions and local changes like a built-in one.
 *
 * The host stores *records*, not semantics. ioreplication enforces the
 * Store contract (include/ioreplication/store.h) itself: unique source keys,
 * existing parents, folders deleted only when empty, local change numbers in
 * commit order, size limits, validation. The host provides:
 *
 *  1. A table of records keyed by source key. A record (iorepl_record) is a
 *     folder, an item or a tombstone: its kind, key, parent key, local change
 *     number and an encoded body (`data`, opaque; iorepl_record_folder and
 *     iorepl_record_item decode it for hosts that also show the objects to
 *     their users). The host needs two lookups besides the key: by parent
 *     and kind (`list`), and in local change number order (`scan`): an index
 *     on local_cn, so that a scan costs what it returns, not the table size.
 *  2. Named values (identity, counters, sync states): blobs by name.
 *  3. Transactions over both: begin, commit, rollback. A transaction must
 *     exclude other writers of the same data until it ends (as SQLite's
 *     BEGIN IMMEDIATE does), commit must be durable and atomic, and rollback
 *     must undo every put and remove since begin. Reads see the open
 *     transaction's own writes. Reads also happen outside transactions.
 *
 * Callbacks return 0 on success. `get` and `get_value` return
 * IOREPL_ENOTFOUND for a missing key or name. Any other non-zero return is
 * a failure: the store operation fails, and the iorepl_ call that ran it
 * returns IOREPL_ECALLBACK with the callback's name, its return code and the
 * message it set with iorepl_set_callback_error. A failed put or remove must
 * change nothing. Callbacks run one at a time per store, on the thread that
 * made the iorepl_ call unless the vtable sets any_thread; they must not
 * throw or longjmp, and must not call functions of the store they serve
 * (other iorepl_ functions are fine, e.g. iorepl_record_item).
 *
 * Records and rows cross the boundary by copy: pointers in a record the
 * library passes are valid during the callback only; rows the host adds are
 * copied by iorepl_rows_add, so the host may reuse its buffers at once.
 *
 * Threads: see above. docs/c-abi.md has a walk-through and
 * examples/c_host/ a complete host store over SQLite.
 */
#ifndef IOREPL_HOST_STORE_H_
#define IOREPL_HOST_STORE_H_

#include "iorepl/common.h"
#include "iorepl/objects.h"
#include "iorepl/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Record kinds; bits, so that a set of kinds is their OR. */
enum {
  IOREPL_KIND_FOLDER = 1,
  IOREPL_KIND_ITEM = 2,
  IOREPL_KIND_TOMBSTONE = 4,
  IOREPL_KIND_ALL = 7
};

/* One stored object. */
typedef struct iorepl_record {
  size_t struct_size;
  int kind;       /* one IOREPL_KIND_* */
  iorepl_key key; /* the source key; unique in the table */
  /* The folder that holds the item, the parent of the folder, or the folder
   * the deleted object was in. has_parent is 0 for the root folder only. */
  int has_parent;
  iorepl_key parent;
  /* The local change number: 1, 2, 3... in write order, never reused; what
   * `scan` orders by. Unique in the table. */
  uint64_t local_cn;
  /* The encoded object, `data_len` bytes. For `get` and `list` calls made with
   * with_data 0 the host may leave it empty (NULL, 0). */
  const uint8_t* data;
  size_t data_len;
} iorepl_record;

/* Where the host puts the records a lookup finds. */
typedef struct iorepl_rows iorepl_rows;
/* Where the host puts a named value it finds. */
typedef struct iorepl_blob iorepl_blob;

/* Appends a copy of `record` to `rows` (IOREPL_EINVAL for a bad record,
 * IOREPL_ENOMEM). The host returns the result of the lookup callback as
 * usual; rows added by a failed callback are dropped. */
IOREPL_API int iorepl_rows_add(iorepl_rows* rows, const iorepl_record* record);
/* Sets the value found (copied). */
IOREPL_API int iorepl_blob_set(iorepl_blob* blob, const uint8_t* data,
                               size_t len);

typedef struct iorepl_host_store {
  size_t struct_size;
  /* Passed to every callback. */
  void* user;

  int (*begin)(void* user);
  int (*commit)(void* user);
  int (*rollback)(void* user);

  /* Adds the record stored under `key` to `out`, or returns
   * IOREPL_ENOTFOUND. With with_data 0 the library only checks what the key
   * holds, and the body may be left out. */
  int (*get)(void* user, const iorepl_key* key, int with_data,
             iorepl_rows* out);
  /* Stores `record` under record->key, inserting or replacing (the library
   * has checked which it is). Called inside a transaction. */
  int (*put)(void* user, const iorepl_record* record);
  /* Removes the record under `key` (it exists). Inside a transaction. */
  int (*remove)(void* user, const iorepl_key* key);
  /* Adds the records whose parent is `parent` (NULL: the records without a
   * parent) and whose kind is in `kinds`, in any order, at most `limit` of
   * them (0: no limit). With with_data 0, the record bodies may be left
   * out. */
  int (*list)(void* user, const iorepl_key* parent, int kinds, size_t limit,
              int with_data, iorepl_rows* out);
  /* Adds the records with first <= local_cn <= last whose kind is in
   * `kinds`, in ascending local_cn order, stopping after `max_count` records
   * or once the bodies added reach `max_bytes` (at least one record when
   * there is one). */
  int (*scan)(void* user, uint64_t first, uint64_t last, int kinds,
              size_t max_count, size_t max_bytes, iorepl_rows* out);
  /* The number of records of kind `kind` (one IOREPL_KIND_*). */
  int (*count)(void* user, int kind, uint64_t* out);

  /* The value stored under `name` (UTF-8, NUL-terminated), or
   * IOREPL_ENOTFOUND. */
  int (*get_value)(void* user, const char* name, iorepl_blob* out);
  /* Stores a value, inserting or replacing. Inside a transaction. */
  int (*put_value)(void* user, const char* name, const uint8_t* data,
                   size_t len);

  /* Called exactly once, when the store is no longer used (after the last
   * iorepl_store_free or session that used it), or when
   * iorepl_store_new_host fails. May be NULL. */
  void (*destroy)(void* user);

  /* Version 2 (a version 1 struct, which ends at destroy, reads as 0).
   * Non-zero: the callbacks may run on another thread than the caller's,
   * still one at a time per store. A session pass then reads this store, as
   * its source, on a thread of its own while it writes the destination
   * (a full sync of a large folder runs about a quarter faster). Set it when
   * the host's storage allows use from any thread one at a time, as an
   * SQLite connection does. */
  int any_thread;
} iorepl_host_store;

/* Makes a store of the host's vtable (copied: the caller's struct may go
 * away). Every slot but destroy is required. A new table gets an identity
 * at once (a transaction of its own). `options` may be NULL. On failure
 * destroy has been called, unless `vtable` was NULL or too short to hold
 * it. */
IOREPL_API int iorepl_store_new_host(iorepl_store** out,
                                     const iorepl_host_store* vtable,
                                     const iorepl_store_options* options);

/* Decodes a folder record's body (for hosts that show the objects to their
 * users). IOREPL_EINVAL when the record is not a folder, IOREPL_ECORRUPT
 * when its body is malformed. */
IOREPL_API int iorepl_record_folder(iorepl_folder** out,
                                    const iorepl_record* record);
/* Decodes an item record's body. */
IOREPL_API int iorepl_record_item(iorepl_item** out,
                                  const iorepl_record* record);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* IOREPL_HOST_STORE_H_ */
