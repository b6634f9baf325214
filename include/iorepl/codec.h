/* Copyright 2026 The ioreplication Authors.
 * SPDX-License-Identifier: Apache-2.0 */
/*
 * The wire codecs a host bridging to MAPI passes through unchanged:
 * predecessor change lists (PCL, MS-OXCFXICS 2.2.2.4) and IDSETs
 * (MS-OXCFXICS 2.2.2.4 and 3.1.5.4, the GUID-keyed form).
 *
 * Decoders treat their input as untrusted: malformed bytes give
 * IOREPL_ECORRUPT with the offending byte offset in the message, and no
 * output.
 *
 * Threads: an iorepl_idset is used by one thread at a time (read-only calls
 * may share it); the other functions may be called from any thread.
 */
#ifndef IOREPL_CODEC_H_
#define IOREPL_CODEC_H_

#include "iorepl/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How version A relates to version B of the same object. */
enum {
  IOREPL_PCL_EQUAL = 0,   /* each includes the other */
  IOREPL_PCL_NEWER = 1,   /* A includes B, not the reverse */
  IOREPL_PCL_OLDER = 2,   /* B includes A, not the reverse */
  IOREPL_PCL_CONFLICT = 3 /* neither includes the other */
};

/* Compares two PCLs in wire form (PidTagPredecessorChangeList) into
 * `*order` (IOREPL_PCL_*). */
IOREPL_API int iorepl_pcl_compare(int* order, const uint8_t* a, size_t a_len,
                                  const uint8_t* b, size_t b_len);

/* The union of two PCLs, in wire form (free with iorepl_free). */
IOREPL_API int iorepl_pcl_merge(uint8_t** out, size_t* out_len,
                                const uint8_t* a, size_t a_len,
                                const uint8_t* b, size_t b_len);

typedef struct iorepl_idset iorepl_idset;

IOREPL_API int iorepl_idset_new(iorepl_idset** out);
/* Decodes a serialized IDSET (GUID-keyed, MS-OXCFXICS 2.2.2.4) that fills
 * `data` exactly. */
IOREPL_API int iorepl_idset_decode(iorepl_idset** out, const uint8_t* data,
                                   size_t len);
/* Parses the text form: one "{GUID}: RANGES" line per replica, ranges like
 * "1-5,9" (';' also separates lines). IOREPL_EINVAL naming the line. */
IOREPL_API int iorepl_idset_parse(iorepl_idset** out, const char* text);
IOREPL_API void iorepl_idset_free(iorepl_idset* set);

/* The serialized IDSET (free with iorepl_free). An empty set encodes to zero
 * bytes; *out is then still a valid pointer to free. */
IOREPL_API int iorepl_idset_encode(uint8_t** out, size_t* out_len,
                                   const iorepl_idset* set);
/* The text form (free with iorepl_free). */
IOREPL_API int iorepl_idset_to_string(char** out, const iorepl_idset* set);

/* Adds counters low..high (1 <= low <= high < 2^48) of `replica`. */
IOREPL_API int iorepl_idset_insert(iorepl_idset* set,
                                   const iorepl_guid* replica, uint64_t low,
                                   uint64_t high);
/* *out is 1 when the set holds the counter, else 0. */
IOREPL_API int iorepl_idset_contains(int* out, const iorepl_idset* set,
                                     const iorepl_guid* replica,
                                     uint64_t counter);
/* The number of (replica, counter) members. */
IOREPL_API int iorepl_idset_count(uint64_t* out, const iorepl_idset* set);
/* set = set ∪ other. */
IOREPL_API int iorepl_idset_union(iorepl_idset* set, const iorepl_idset* other);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* IOREPL_CODEC_H_ */
