/* Copyright 2026 The ioreplication Authors.
 * SPDX-License-Identifier: Apache-2.0 */
/*
 * Stores: where an organization's public folders live.
 *
 * An iorepl_store is opened by URI (the built-in stores) or made from a
 * host's own storage (iorepl_store_new_host in iorepl/host_store.h). Either
 * kind is read here, changed locally through iorepl/changes.h, and
 * replicated by sessions (iorepl/session.h).
 *
 * Example:
 *   iorepl_store *store = NULL;
 *   if (iorepl_store_open(&store, "sqlite:/var/lib/iorepl/contoso.db",
 *                         NULL) != IOREPL_OK) {
 *     fprintf(stderr, "%s\n", iorepl_error_message());
 *     return 1;
 *   }
 *   ...
 *   iorepl_store_free(store);
 *
 * Threads: a store is used by one thread at a time (sessions that use it
 * included). Two stores opened on the same file may be used from different
 * threads or processes.
 */
#ifndef IOREPL_STORE_H_
#define IOREPL_STORE_H_

#include "iorepl/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct iorepl_store iorepl_store;
typedef struct iorepl_folder iorepl_folder;
typedef struct iorepl_item iorepl_item;
typedef struct iorepl_key_list iorepl_key_list;

typedef struct iorepl_store_options {
  size_t struct_size;
  /* The largest item accepted, in bytes of content (default 64 MiB). */
  uint64_t max_item_size;
  /* The secret of a store that authenticates (NULL: none). The built-in
   * memory and SQLite stores take none and refuse one. Copied; never
   * logged. */
  const char* credential;
} iorepl_store_options;

#define IOREPL_STORE_OPTIONS_INIT \
  { sizeof(iorepl_store_options), 64u << 20, NULL }

/* Sets `options` to the defaults for a struct of `struct_size` bytes (pass
 * sizeof(iorepl_store_options)). */
IOREPL_API int iorepl_store_options_init(iorepl_store_options* options,
                                         size_t struct_size);

/* Opens a store:
 *   "memory:[NAME]"  a new, empty store in memory (NAME only labels it)
 *   "sqlite:PATH"    the SQLite store in file PATH, created if missing
 * A configuration may also name "host:NAME", a store the host passes to
 * iorepl_session_new; opening that by URI gives IOREPL_ESTATE.
 * `options` may be NULL (the defaults). IOREPL_EINVAL for a malformed or
 * unknown URI, IOREPL_EPERM or IOREPL_EIO when the file cannot be opened,
 * IOREPL_ECORRUPT when it is not a store. */
IOREPL_API int iorepl_store_open(iorepl_store** out, const char* uri,
                                 const iorepl_store_options* options);

/* Releases the caller's reference. A session that uses the store keeps it
 * open until the session is freed. NULL does nothing. */
IOREPL_API void iorepl_store_free(iorepl_store* store);

/* The store's replica GUID and epoch (the count of GUIDs it has had; it
 * takes a new one when restored from a backup). Either output may be
 * NULL. */
IOREPL_API int iorepl_store_identity(iorepl_guid* replica, uint32_t* epoch,
                                     iorepl_store* store);

/* The operator's statement that the store was restored from a backup: it
 * takes a new replica GUID and the next epoch now, so that its new change
 * numbers cannot collide with ones it issued before. */
IOREPL_API int iorepl_store_mark_restored(iorepl_store* store);

typedef struct iorepl_store_counts {
  size_t struct_size;
  uint64_t folders;
  uint64_t items;
  uint64_t tombstones;
} iorepl_store_counts;

/* Counts the store's objects into `out` (set out->struct_size first). */
IOREPL_API int iorepl_store_count(iorepl_store_counts* out,
                                  iorepl_store* store);

/* ---- Reading ---- */

/* A copy of the folder with source key `key`. IOREPL_ENOTFOUND when the
 * store has no such folder. Free the result with iorepl_folder_free. */
IOREPL_API int iorepl_store_get_folder(iorepl_folder** out, iorepl_store* store,
                                       const iorepl_key* key);

/* The folder at `path`: "/" is the root, "/Sales/EMEA" two levels down;
 * names compare ignoring case. A '/' inside a name is written "%2F" (and a
 * '%' that would read as an escape "%25"; see ioreplication/folder_path.h).
 * IOREPL_ENOTFOUND when there is none. */
IOREPL_API int iorepl_store_find_folder(iorepl_folder** out,
                                        iorepl_store* store, const char* path);

/* A copy of the item with source key `key` (IOREPL_ENOTFOUND if none). */
IOREPL_API int iorepl_store_get_item(iorepl_item** out, iorepl_store* store,
                                     const iorepl_key* key);

/* The source keys of the subfolders of `parent`, ordered (NULL `parent`:
 * the root level, which holds the root). */
IOREPL_API int iorepl_store_list_folders(iorepl_key_list** out,
                                         iorepl_store* store,
                                         const iorepl_key* parent);

/* The source keys of the items in `folder`, ordered. */
IOREPL_API int iorepl_store_list_items(iorepl_key_list** out,
                                       iorepl_store* store,
                                       const iorepl_key* folder);

/* A list of keys. Index i must be below the count. */
IOREPL_API size_t iorepl_key_list_count(const iorepl_key_list* list);
IOREPL_API int iorepl_key_list_at(iorepl_key* out, const iorepl_key_list* list,
                                  size_t i);
IOREPL_API void iorepl_key_list_free(iorepl_key_list* list);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* IOREPL_STORE_H_ */
