/* Copyright 2026 The ioreplication Authors.
 * SPDX-License-Identifier: Apache-2.0 */
#define _POSIX_C_SOURCE 200809L /* pthread_self */

#include "memory_host_store.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct record {
  int kind;
  iorepl_key key;
  int has_parent;
  iorepl_key parent;
  uint64_t local_cn;
  uint8_t* data;
  size_t len;
} record;

typedef struct value {
  char* name;
  uint8_t* data;
  size_t len;
} value;

typedef struct table {
  record* records;
  size_t n_records;
  value* values;
  size_t n_values;
} table;

struct memory_host {
  table live;
  table saved; /* the snapshot taken at begin */
  int in_tx;
  char fail_slot[32];
  int* destroyed;
  pthread_t owner; /* the thread that made the table */
  size_t foreign_calls;
};

static void* dup_bytes(const void* p, size_t len) {
  void* out = malloc(len == 0 ? 1 : len);
  if (out != NULL && len != 0) memcpy(out, p, len);
  return out;
}

static void table_clear(table* t) {
  size_t i;
  for (i = 0; i < t->n_records; ++i) free(t->records[i].data);
  for (i = 0; i < t->n_values; ++i) {
    free(t->values[i].name);
    free(t->values[i].data);
  }
  free(t->records);
  free(t->values);
  memset(t, 0, sizeof(*t));
}

static int table_copy(table* to, const table* from) {
  size_t i;
  memset(to, 0, sizeof(*to));
  to->records = (record*)calloc(from->n_records + 1, sizeof(record));
  to->values = (value*)calloc(from->n_values + 1, sizeof(value));
  if (to->records == NULL || to->values == NULL) return -1;
  for (i = 0; i < from->n_records; ++i) {
    to->records[i] = from->records[i];
    to->records[i].data =
        (uint8_t*)dup_bytes(from->records[i].data, from->records[i].len);
    to->n_records = i + 1;
    if (to->records[i].data == NULL) return -1;
  }
  for (i = 0; i < from->n_values; ++i) {
    to->values[i].name = (char*)dup_bytes(from->values[i].name,
                                          strlen(from->values[i].name) + 1);
    to->values[i].data =
        (uint8_t*)dup_bytes(from->values[i].data, from->values[i].len);
    to->values[i].len = from->values[i].len;
    to->n_values = i + 1;
    if (to->values[i].name == NULL || to->values[i].data == NULL) return -1;
  }
  return 0;
}

/* Returns non-zero (and sets the message) when `slot` was told to fail. */
static int injected(memory_host* h, const char* slot) {
  if (h->fail_slot[0] != '\0' && strcmp(h->fail_slot, slot) == 0) {
    h->fail_slot[0] = '\0';
    iorepl_set_callback_error("injected failure");
    return 1;
  }
  return 0;
}

static record* find(memory_host* h, const iorepl_key* key) {
  size_t i;
  for (i = 0; i < h->live.n_records; ++i) {
    if (memcmp(h->live.records[i].key.bytes, key->bytes, 22) == 0) {
      return &h->live.records[i];
    }
  }
  return NULL;
}

static int add_row(iorepl_rows* out, const record* r, int with_data) {
  iorepl_record rec;
  memset(&rec, 0, sizeof(rec));
  rec.struct_size = sizeof(rec);
  rec.kind = r->kind;
  rec.key = r->key;
  rec.has_parent = r->has_parent;
  rec.parent = r->parent;
  rec.local_cn = r->local_cn;
  if (with_data) {
    rec.data = r->data;
    rec.data_len = r->len;
  }
  return iorepl_rows_add(out, &rec);
}

static int cb_begin(void* user) {
  memory_host* h = (memory_host*)user;
  if (!pthread_equal(pthread_self(), h->owner)) ++h->foreign_calls;
  if (injected(h, "begin")) return IOREPL_EIO;
  if (h->in_tx) return IOREPL_ESTATE;
  if (table_copy(&h->saved, &h->live) != 0) {
    table_clear(&h->saved);
    return IOREPL_ENOMEM;
  }
  h->in_tx = 1;
  return 0;
}

static int cb_commit(void* user) {
  memory_host* h = (memory_host*)user;
  if (!pthread_equal(pthread_self(), h->owner)) ++h->foreign_calls;
  if (injected(h, "commit")) return IOREPL_EIO;
  if (!h->in_tx) return IOREPL_ESTATE;
  table_clear(&h->saved);
  h->in_tx = 0;
  return 0;
}

static int cb_rollback(void* user) {
  memory_host* h = (memory_host*)user;
  if (!pthread_equal(pthread_self(), h->owner)) ++h->foreign_calls;
  if (!h->in_tx) return IOREPL_ESTATE;
  table_clear(&h->live);
  h->live = h->saved;
  memset(&h->saved, 0, sizeof(h->saved));
  h->in_tx = 0;
  return 0;
}

static int cb_get(void* user, const iorepl_key* key, int with_data,
                  iorepl_rows* out) {
  memory_host* h = (memory_host*)user;
  if (!pthread_equal(pthread_self(), h->owner)) ++h->foreign_calls;
  const record* r;
  if (injected(h, "get")) return IOREPL_EIO;
  r = find(h, key);
  if (r == NULL) return IOREPL_ENOTFOUND;
  return add_row(out, r, with_data);
}

static int cb_put(void* user, const iorepl_record* rec) {
  memory_host* h = (memory_host*)user;
  if (!pthread_equal(pthread_self(), h->owner)) ++h->foreign_calls;
  record* r;
  uint8_t* data;
  if (injected(h, "put")) return IOREPL_EIO;
  data = (uint8_t*)dup_bytes(rec->data, rec->data_len);
  if (data == NULL) return IOREPL_ENOMEM;
  r = find(h, &rec->key);
  if (r == NULL) {
    record* grown = (record*)realloc(h->live.records,
                                     (h->live.n_records + 1) * sizeof(record));
    if (grown == NULL) {
      free(data);
      return IOREPL_ENOMEM;
    }
    h->live.records = grown;
    r = &h->live.records[h->live.n_records++];
  } else {
    free(r->data);
  }
  r->kind = rec->kind;
  r->key = rec->key;
  r->has_parent = rec->has_parent;
  r->parent = rec->parent;
  r->local_cn = rec->local_cn;
  r->data = data;
  r->len = rec->data_len;
  return 0;
}

static int cb_remove(void* user, const iorepl_key* key) {
  memory_host* h = (memory_host*)user;
  if (!pthread_equal(pthread_self(), h->owner)) ++h->foreign_calls;
  record* r;
  if (injected(h, "remove")) return IOREPL_EIO;
  r = find(h, key);
  if (r == NULL) return IOREPL_ENOTFOUND;
  free(r->data);
  *r = h->live.records[--h->live.n_records];
  return 0;
}

static int cb_list(void* user, const iorepl_key* parent, int kinds,
                   size_t limit, int with_data, iorepl_rows* out) {
  memory_host* h = (memory_host*)user;
  if (!pthread_equal(pthread_self(), h->owner)) ++h->foreign_calls;
  size_t i, n = 0;
  if (injected(h, "list")) return IOREPL_EIO;
  for (i = 0; i < h->live.n_records; ++i) {
    const record* r = &h->live.records[i];
    int match =
        parent == NULL
            ? !r->has_parent
            : r->has_parent && memcmp(r->parent.bytes, parent->bytes, 22) == 0;
    if (!match || (r->kind & kinds) == 0) continue;
    if (limit != 0 && n == limit) break;
    if (add_row(out, r, with_data) != 0) return IOREPL_ENOMEM;
    ++n;
  }
  return 0;
}

static int by_local_cn(const void* a, const void* b) {
  const record* x = *(const record* const*)a;
  const record* y = *(const record* const*)b;
  return x->local_cn < y->local_cn ? -1 : x->local_cn > y->local_cn;
}

static int cb_scan(void* user, uint64_t first, uint64_t last, int kinds,
                   size_t max_count, size_t max_bytes, iorepl_rows* out) {
  memory_host* h = (memory_host*)user;
  if (!pthread_equal(pthread_self(), h->owner)) ++h->foreign_calls;
  const record** hits;
  size_t i, n = 0, bytes = 0;
  int rc = 0;
  if (injected(h, "scan")) return IOREPL_EIO;
  hits = (const record**)malloc((h->live.n_records + 1) * sizeof(*hits));
  if (hits == NULL) return IOREPL_ENOMEM;
  for (i = 0; i < h->live.n_records; ++i) {
    const record* r = &h->live.records[i];
    if (r->local_cn >= first && r->local_cn <= last && (r->kind & kinds)) {
      hits[n++] = r;
    }
  }
  qsort(hits, n, sizeof(*hits), by_local_cn);
  for (i = 0; i < n && i < max_count; ++i) {
    if (i > 0 && bytes >= max_bytes) break;
    if (add_row(out, hits[i], 1) != 0) {
      rc = IOREPL_ENOMEM;
      break;
    }
    bytes += hits[i]->len;
  }
  free(hits);
  return rc;
}

static int cb_count(void* user, int kind, uint64_t* out) {
  memory_host* h = (memory_host*)user;
  if (!pthread_equal(pthread_self(), h->owner)) ++h->foreign_calls;
  size_t i;
  uint64_t n = 0;
  if (injected(h, "count")) return IOREPL_EIO;
  for (i = 0; i < h->live.n_records; ++i) {
    if (h->live.records[i].kind == kind) ++n;
  }
  *out = n;
  return 0;
}

static value* find_value(memory_host* h, const char* name) {
  size_t i;
  for (i = 0; i < h->live.n_values; ++i) {
    if (strcmp(h->live.values[i].name, name) == 0) return &h->live.values[i];
  }
  return NULL;
}

static int cb_get_value(void* user, const char* name, iorepl_blob* out) {
  memory_host* h = (memory_host*)user;
  if (!pthread_equal(pthread_self(), h->owner)) ++h->foreign_calls;
  const value* v;
  if (injected(h, "get_value")) return IOREPL_EIO;
  v = find_value(h, name);
  if (v == NULL) return IOREPL_ENOTFOUND;
  return iorepl_blob_set(out, v->data, v->len);
}

static int cb_put_value(void* user, const char* name, const uint8_t* data,
                        size_t len) {
  memory_host* h = (memory_host*)user;
  if (!pthread_equal(pthread_self(), h->owner)) ++h->foreign_calls;
  value* v;
  uint8_t* copy;
  if (injected(h, "put_value")) return IOREPL_EIO;
  copy = (uint8_t*)dup_bytes(data, len);
  if (copy == NULL) return IOREPL_ENOMEM;
  v = find_value(h, name);
  if (v == NULL) {
    value* grown =
        (value*)realloc(h->live.values, (h->live.n_values + 1) * sizeof(value));
    char* name_copy = (char*)dup_bytes(name, strlen(name) + 1);
    if (grown == NULL || name_copy == NULL) {
      if (grown != NULL) h->live.values = grown;
      free(copy);
      free(name_copy);
      return IOREPL_ENOMEM;
    }
    h->live.values = grown;
    v = &h->live.values[h->live.n_values++];
    v->name = name_copy;
  } else {
    free(v->data);
  }
  v->data = copy;
  v->len = len;
  return 0;
}

static void cb_destroy(void* user) {
  memory_host* h = (memory_host*)user;
  if (!pthread_equal(pthread_self(), h->owner)) ++h->foreign_calls;
  /* A library that leaves a transaction open at destroy shows up as a
   * count off by 1000. */
  if (h->destroyed != NULL) *h->destroyed += h->in_tx ? 1000 : 1;
  table_clear(&h->live);
  table_clear(&h->saved);
  free(h);
}

memory_host* memory_host_new(void) {
  memory_host* h = (memory_host*)calloc(1, sizeof(memory_host));
  if (h != NULL) h->owner = pthread_self();
  return h;
}

size_t memory_host_foreign_calls(const memory_host* host) {
  return host->foreign_calls;
}

iorepl_host_store memory_host_vtable(memory_host* host, int* destroyed) {
  iorepl_host_store vt;
  memset(&vt, 0, sizeof(vt));
  host->destroyed = destroyed;
  vt.struct_size = sizeof(vt);
  vt.user = host;
  vt.begin = cb_begin;
  vt.commit = cb_commit;
  vt.rollback = cb_rollback;
  vt.get = cb_get;
  vt.put = cb_put;
  vt.remove = cb_remove;
  vt.list = cb_list;
  vt.scan = cb_scan;
  vt.count = cb_count;
  vt.get_value = cb_get_value;
  vt.put_value = cb_put_value;
  vt.destroy = cb_destroy;
  return vt;
}

void memory_host_fail_next(memory_host* host, const char* slot) {
  if (slot == NULL) {
    host->fail_slot[0] = '\0';
    return;
  }
  strncpy(host->fail_slot, slot, sizeof(host->fail_slot) - 1);
  host->fail_slot[sizeof(host->fail_slot) - 1] = '\0';
}

size_t memory_host_size(const memory_host* host) {
  return host->live.n_records;
}
