/* Copyright 2026 The ioreplication Authors.
 * SPDX-License-Identifier: Apache-2.0 */
/*
 * Local changes: what the organization's own users do to its public folders.
 *
 * Every create, rename, move, edit or delete a host or script makes goes
 * through these functions, never straight into the store: each runs in one
 * store transaction and does the bookkeeping replication depends on (a fresh
 * change number, the change key and PCL, the modification time, tombstones
 * for deletions), so that sessions find the change and send it on. Changes
 * that arrive from other organizations are applied by sessions, not here.
 *
 * Each function that returns an object takes an optional `out` (NULL: not
 * wanted) and gives a snapshot of the object as written. A failed call
 * changes nothing. Errors:
 *   IOREPL_ENOTFOUND  the folder or item is not in the store
 *   IOREPL_ESTATE     a missing parent or target folder, a move of the root
 *   IOREPL_EEXISTS    a sibling folder of that name exists (names compare
 *                     ignoring case, as public folder names do)
 *   IOREPL_EINVAL     a bad name (empty, invalid UTF-8, control characters,
 *                     over 256 characters), a move into the folder's own subtree
 *   IOREPL_ETOOBIG    an item above the store's size limit
 *
 * Threads: as for the store: one thread at a time.
 */
#ifndef IOREPL_CHANGES_H_
#define IOREPL_CHANGES_H_

#include "iorepl/common.h"
#include "iorepl/objects.h"
#include "iorepl/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Folders ---- */

/* Creates the root of the store's folder tree; IOREPL_EEXISTS if it has
 * one. */
IOREPL_API int iorepl_folder_create_root(iorepl_folder** out,
                                         iorepl_store* store, const char* name);
IOREPL_API int iorepl_folder_create(iorepl_folder** out, iorepl_store* store,
                                    const iorepl_key* parent, const char* name);
IOREPL_API int iorepl_folder_rename(iorepl_folder** out, iorepl_store* store,
                                    const iorepl_key* folder, const char* name);
IOREPL_API int iorepl_folder_move(iorepl_folder** out, iorepl_store* store,
                                  const iorepl_key* folder,
                                  const iorepl_key* new_parent);
/* Sets the folder's property `tag` to its value in `values`, or removes it
 * from the folder when `values` does not hold it. One change. */
IOREPL_API int iorepl_folder_set_property(iorepl_folder** out,
                                          iorepl_store* store,
                                          const iorepl_key* folder,
                                          const iorepl_props* values,
                                          uint32_t tag);
/* Grants `member` exactly `rights` (MS-OXCPERM bits; 0 keeps the member
 * listed with no rights). */
IOREPL_API int iorepl_folder_set_acl(iorepl_folder** out, iorepl_store* store,
                                     const iorepl_key* folder,
                                     const char* member, uint32_t rights);
/* Drops `member` from the ACL (IOREPL_ENOTFOUND if not listed). */
IOREPL_API int iorepl_folder_remove_acl(iorepl_folder** out,
                                        iorepl_store* store,
                                        const iorepl_key* folder,
                                        const char* member);
/* Deletes the folder with its whole subtree and items, leaving a tombstone
 * for each. The root cannot be deleted (IOREPL_ESTATE). */
IOREPL_API int iorepl_folder_delete(iorepl_store* store,
                                    const iorepl_key* folder);

/* ---- Items ---- */

IOREPL_API int iorepl_item_create(iorepl_item** out, iorepl_store* store,
                                  const iorepl_key* folder,
                                  const iorepl_content* content);
/* Replaces the item's content. */
IOREPL_API int iorepl_item_modify(iorepl_item** out, iorepl_store* store,
                                  const iorepl_key* item,
                                  const iorepl_content* content);
IOREPL_API int iorepl_item_move(iorepl_item** out, iorepl_store* store,
                                const iorepl_key* item,
                                const iorepl_key* new_folder);
IOREPL_API int iorepl_item_delete(iorepl_store* store, const iorepl_key* item);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* IOREPL_CHANGES_H_ */
