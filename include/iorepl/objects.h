/* Copyright 2026 The ioreplication Authors.
 * SPDX-License-Identifier: Apache-2.0 */
/*
 * Folders, items and their properties, as C sees them.
 *
 * iorepl_folder and iorepl_item are read-only snapshots returned by the
 * store (iorepl_store_get_folder, ...) and by local changes; they stay valid
 * until freed, whatever happens to the store. Strings they return are UTF-8,
 * NUL-terminated and owned by the snapshot.
 *
 * iorepl_props is a property bag (MS-OXCDATA property tags: a 16-bit ID and
 * a 16-bit type, e.g. PidTagSubject 0x0037001F). A snapshot's bag is
 * borrowed from it; iorepl_props_new makes a free-standing one; an
 * iorepl_content (what a local author writes into an item) has one to fill.
 * Getters return IOREPL_ENOTFOUND when the tag is absent and IOREPL_EINVAL
 * when the tag's type is not the getter's. Strings are UTF-8 (PT_UNICODE is
 * held as UTF-8); times are FILETIME ticks (100 ns since 1601-01-01 UTC).
 *
 * Threads: a snapshot may be read from several threads at once; a bag or a
 * content is used by one thread at a time.
 */
#ifndef IOREPL_OBJECTS_H_
#define IOREPL_OBJECTS_H_

#include "iorepl/common.h"
#include "iorepl/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct iorepl_props iorepl_props;
typedef struct iorepl_content iorepl_content;

/* Property types (the low 16 bits of a tag), with their MAPI codes. */
enum {
  IOREPL_PT_INT32 = 0x0003,     /* PT_LONG */
  IOREPL_PT_BOOLEAN = 0x000B,   /* PT_BOOLEAN */
  IOREPL_PT_INT64 = 0x0014,     /* PT_I8 */
  IOREPL_PT_STRING = 0x001F,    /* PT_UNICODE, held as UTF-8 */
  IOREPL_PT_TIME = 0x0040,      /* PT_SYSTIME */
  IOREPL_PT_BINARY = 0x0102,    /* PT_BINARY */
  IOREPL_PT_MV_INT32 = 0x1003,  /* PT_MV_LONG */
  IOREPL_PT_MV_INT64 = 0x1014,  /* PT_MV_I8 */
  IOREPL_PT_MV_STRING = 0x101F, /* PT_MV_UNICODE */
  IOREPL_PT_MV_TIME = 0x1040,   /* PT_MV_SYSTIME */
  IOREPL_PT_MV_BINARY = 0x1102  /* PT_MV_BINARY */
};

/* ---- Folders ---- */

IOREPL_API int iorepl_folder_key(iorepl_key* out, const iorepl_folder* folder);
/* The parent's key; IOREPL_ENOTFOUND for the root, which has none. */
IOREPL_API int iorepl_folder_parent(iorepl_key* out,
                                    const iorepl_folder* folder);
/* The display name; NULL (with IOREPL_EINVAL as the error) for a bad
 * handle. */
IOREPL_API const char* iorepl_folder_name(const iorepl_folder* folder);
/* The change key of the folder's last change (a source-key-shaped XID). */
IOREPL_API int iorepl_folder_change_key(iorepl_key* out,
                                        const iorepl_folder* folder);
/* FILETIME of the last change. */
IOREPL_API int iorepl_folder_last_modified(uint64_t* out,
                                           const iorepl_folder* folder);
/* The PCL (MS-OXCFXICS PidTagPredecessorChangeList) in wire form, borrowed
 * from the snapshot. */
IOREPL_API int iorepl_folder_pcl(const uint8_t** data, size_t* len,
                                 const iorepl_folder* folder);
IOREPL_API const iorepl_props* iorepl_folder_props(const iorepl_folder* folder);
/* The ACL: members sorted by name, each with its rights (MS-OXCPERM
 * PidTagMemberRights bits). `member` is borrowed from the snapshot. */
IOREPL_API size_t iorepl_folder_acl_count(const iorepl_folder* folder);
IOREPL_API int iorepl_folder_acl_at(const char** member, uint32_t* rights,
                                    const iorepl_folder* folder, size_t i);
IOREPL_API void iorepl_folder_free(iorepl_folder* folder);

/* ---- Items ---- */

IOREPL_API int iorepl_item_key(iorepl_key* out, const iorepl_item* item);
/* The key of the folder that holds the item. */
IOREPL_API int iorepl_item_folder(iorepl_key* out, const iorepl_item* item);
IOREPL_API int iorepl_item_change_key(iorepl_key* out, const iorepl_item* item);
IOREPL_API int iorepl_item_last_modified(uint64_t* out,
                                         const iorepl_item* item);
IOREPL_API int iorepl_item_pcl(const uint8_t** data, size_t* len,
                               const iorepl_item* item);
/* "IPM.Post", "IPM.Appointment", ...; NULL for a bad handle. */
IOREPL_API const char* iorepl_item_message_class(const iorepl_item* item);
/* The UTF-8 text body (may be empty; NUL-terminated beyond `len`). */
IOREPL_API int iorepl_item_body(const char** data, size_t* len,
                                const iorepl_item* item);
IOREPL_API const iorepl_props* iorepl_item_props(const iorepl_item* item);
IOREPL_API size_t iorepl_item_attachment_count(const iorepl_item* item);
/* Attachment i: its file name and MIME type (may be ""), and content. */
IOREPL_API int iorepl_item_attachment_at(const char** file_name,
                                         const char** mime_type,
                                         const uint8_t** data, size_t* len,
                                         const iorepl_item* item, size_t i);
IOREPL_API void iorepl_item_free(iorepl_item* item);

/* ---- Property bags ---- */

IOREPL_API int iorepl_props_new(iorepl_props** out);
/* Frees a bag made by iorepl_props_new; NULL does nothing. Bags borrowed
 * from snapshots and contents are freed with them. */
IOREPL_API void iorepl_props_free(iorepl_props* props);

IOREPL_API size_t iorepl_props_count(const iorepl_props* props);
/* The tag of entry i; entries are in ascending tag order. */
IOREPL_API int iorepl_props_tag_at(uint32_t* tag, const iorepl_props* props,
                                   size_t i);
/* 1 when the bag holds `tag`, 0 when not, negative on error. */
IOREPL_API int iorepl_props_has(const iorepl_props* props, uint32_t tag);

IOREPL_API int iorepl_props_get_int32(int32_t* out, const iorepl_props* props,
                                      uint32_t tag);
IOREPL_API int iorepl_props_get_int64(int64_t* out, const iorepl_props* props,
                                      uint32_t tag);
/* *out is 0 or 1. */
IOREPL_API int iorepl_props_get_bool(int* out, const iorepl_props* props,
                                     uint32_t tag);
IOREPL_API int iorepl_props_get_time(uint64_t* out, const iorepl_props* props,
                                     uint32_t tag);
/* Borrowed from the bag; NUL-terminated beyond `len`. */
IOREPL_API int iorepl_props_get_string(const char** data, size_t* len,
                                       const iorepl_props* props, uint32_t tag);
IOREPL_API int iorepl_props_get_binary(const uint8_t** data, size_t* len,
                                       const iorepl_props* props, uint32_t tag);

/* Multi-valued properties: the number of values, then value i. */
IOREPL_API int iorepl_props_mv_count(size_t* out, const iorepl_props* props,
                                     uint32_t tag);
IOREPL_API int iorepl_props_mv_int32(int32_t* out, const iorepl_props* props,
                                     uint32_t tag, size_t i);
IOREPL_API int iorepl_props_mv_int64(int64_t* out, const iorepl_props* props,
                                     uint32_t tag, size_t i);
IOREPL_API int iorepl_props_mv_time(uint64_t* out, const iorepl_props* props,
                                    uint32_t tag, size_t i);
IOREPL_API int iorepl_props_mv_string(const char** data, size_t* len,
                                      const iorepl_props* props, uint32_t tag,
                                      size_t i);
IOREPL_API int iorepl_props_mv_binary(const uint8_t** data, size_t* len,
                                      const iorepl_props* props, uint32_t tag,
                                      size_t i);

/* Setters replace any value the tag had. IOREPL_EINVAL, and no change, when
 * the tag's type is not the setter's, its ID is 0, or a string is not
 * UTF-8. A snapshot's bag is read-only (IOREPL_EINVAL). */
IOREPL_API int iorepl_props_set_int32(iorepl_props* props, uint32_t tag,
                                      int32_t value);
IOREPL_API int iorepl_props_set_int64(iorepl_props* props, uint32_t tag,
                                      int64_t value);
IOREPL_API int iorepl_props_set_bool(iorepl_props* props, uint32_t tag,
                                     int value);
IOREPL_API int iorepl_props_set_time(iorepl_props* props, uint32_t tag,
                                     uint64_t value);
IOREPL_API int iorepl_props_set_string(iorepl_props* props, uint32_t tag,
                                       const char* data, size_t len);
IOREPL_API int iorepl_props_set_binary(iorepl_props* props, uint32_t tag,
                                       const uint8_t* data, size_t len);
IOREPL_API int iorepl_props_set_mv_int32(iorepl_props* props, uint32_t tag,
                                         const int32_t* values, size_t count);
IOREPL_API int iorepl_props_set_mv_int64(iorepl_props* props, uint32_t tag,
                                         const int64_t* values, size_t count);
IOREPL_API int iorepl_props_set_mv_time(iorepl_props* props, uint32_t tag,
                                        const uint64_t* values, size_t count);
/* `data[i]` holds `lens[i]` bytes. */
IOREPL_API int iorepl_props_set_mv_string(iorepl_props* props, uint32_t tag,
                                          const char* const* data,
                                          const size_t* lens, size_t count);
IOREPL_API int iorepl_props_set_mv_binary(iorepl_props* props, uint32_t tag,
                                          const uint8_t* const* data,
                                          const size_t* lens, size_t count);
/* Removes `tag`: IOREPL_OK if it was there, IOREPL_ENOTFOUND if not. */
IOREPL_API int iorepl_props_remove(iorepl_props* props, uint32_t tag);

/* ---- Item content (what iorepl_item_create / _modify write) ---- */

/* New content of class `message_class` (1..255 printable ASCII characters
 * without spaces, e.g. "IPM.Post"), with an empty body and no
 * properties. */
IOREPL_API int iorepl_content_new(iorepl_content** out,
                                  const char* message_class);
/* A copy of an item's content, to edit and write back. */
IOREPL_API int iorepl_content_from_item(iorepl_content** out,
                                        const iorepl_item* item);
IOREPL_API int iorepl_content_set_message_class(iorepl_content* content,
                                                const char* message_class);
IOREPL_API int iorepl_content_set_body(iorepl_content* content,
                                       const char* body, size_t len);
/* The content's own property bag, to fill with the setters above. */
IOREPL_API iorepl_props* iorepl_content_props(iorepl_content* content);
IOREPL_API int iorepl_content_add_attachment(iorepl_content* content,
                                             const char* file_name,
                                             const char* mime_type,
                                             const uint8_t* data, size_t len);
IOREPL_API void iorepl_content_free(iorepl_content* content);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* IOREPL_OBJECTS_H_ */
