/* Copyright 2026 The ioreplication Authors.
 * SPDX-License-Identifier: Apache-2.0 */
#include "sqlite_host_store.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The prepared statements, made once: callbacks run once per record on the
 * replication hot path, and preparing SQL per call would cost more than the
 * work itself. */
enum {
  kBegin,
  kCommit,
  kRollback,
  kGet,
  kGetWithData,
  kPut,
  kRemove,
  kList,
  kListWithData,
  kScan,
  kCount,
  kGetValue,
  kPutValue,
  kStatementCount
};

static const char* const kSql[kStatementCount] = {
    "BEGIN IMMEDIATE",
    "COMMIT",
    "ROLLBACK",
    "SELECT local_cn, kind, parent FROM records WHERE key = ?1",
    "SELECT local_cn, kind, parent, data FROM records WHERE key = ?1",
    /* Replaces by key; the rowid (local_cn) of a replaced record changes,
     * which is what moves it in scan order. */
    "INSERT OR REPLACE INTO records (local_cn, key, kind, parent, data) "
    "VALUES (?1, ?2, ?3, ?4, ?5)",
    "DELETE FROM records WHERE key = ?1",
    "SELECT local_cn, kind, parent, key FROM records "
    "WHERE parent IS ?1 AND (kind & ?2) != 0 LIMIT ?3",
    "SELECT local_cn, kind, parent, key, data FROM records "
    "WHERE parent IS ?1 AND (kind & ?2) != 0 LIMIT ?3",
    "SELECT local_cn, kind, parent, key, data FROM records "
    "WHERE local_cn BETWEEN ?1 AND ?2 AND (kind & ?3) != 0 ORDER BY local_cn",
    "SELECT count(*) FROM records WHERE kind = ?1",
    "SELECT data FROM host_values WHERE name = ?1",
    "INSERT OR REPLACE INTO host_values (name, data) VALUES (?1, ?2)",
};

static const char kSchema[] =
    "CREATE TABLE IF NOT EXISTS records ("
    "  local_cn INTEGER PRIMARY KEY,"
    "  key BLOB NOT NULL UNIQUE,"
    "  kind INTEGER NOT NULL,"
    "  parent BLOB,"
    "  data BLOB NOT NULL);"
    "CREATE INDEX IF NOT EXISTS records_by_parent ON records (parent, kind);"
    "CREATE TABLE IF NOT EXISTS host_values ("
    "  name TEXT PRIMARY KEY,"
    "  data BLOB NOT NULL);";

struct sqlite_host {
  sqlite3* db;
  sqlite3_stmt* stmt[kStatementCount];
};

/* Reports the database's error to the library and returns the code for
 * it: IOREPL_EIO for SQLite's failures (busy, disk full, I/O). */
static int fail(sqlite_host* h, const char* what) {
  char message[512];
  snprintf(message, sizeof(message), "sqlite host: %s: %s", what,
           sqlite3_errmsg(h->db));
  iorepl_set_callback_error(message);
  return IOREPL_EIO;
}

/* Runs a statement without results and resets it. */
static int exec(sqlite_host* h, int which, const char* what) {
  sqlite3_stmt* s = h->stmt[which];
  int rc = sqlite3_step(s);
  sqlite3_reset(s);
  sqlite3_clear_bindings(s);
  return rc == SQLITE_DONE ? IOREPL_OK : fail(h, what);
}

/* Appends the row the statement is on (columns local_cn, kind, parent,
 * and then key and data where `key_col` / `data_col` are not -1) to
 * `out`. */
static int add_row(sqlite3_stmt* s, const iorepl_key* key, int key_col,
                   int data_col, iorepl_rows* out) {
  iorepl_record r;
  memset(&r, 0, sizeof(r));
  r.struct_size = sizeof(r);
  r.local_cn = (uint64_t)sqlite3_column_int64(s, 0);
  r.kind = sqlite3_column_int(s, 1);
  if (sqlite3_column_type(s, 2) != SQLITE_NULL) {
    if (sqlite3_column_bytes(s, 2) != (int)sizeof(r.parent.bytes)) {
      iorepl_set_callback_error("sqlite host: a parent key is not 22 bytes");
      return IOREPL_ECORRUPT;
    }
    r.has_parent = 1;
    memcpy(r.parent.bytes, sqlite3_column_blob(s, 2), sizeof(r.parent.bytes));
  }
  if (key_col >= 0) {
    if (sqlite3_column_bytes(s, key_col) != (int)sizeof(r.key.bytes)) {
      iorepl_set_callback_error("sqlite host: a key is not 22 bytes");
      return IOREPL_ECORRUPT;
    }
    memcpy(r.key.bytes, sqlite3_column_blob(s, key_col), sizeof(r.key.bytes));
  } else {
    r.key = *key;
  }
  if (data_col >= 0) {
    r.data = (const uint8_t*)sqlite3_column_blob(s, data_col);
    r.data_len = (size_t)sqlite3_column_bytes(s, data_col);
  }
  return iorepl_rows_add(out, &r);
}

/* ---- The vtable ---- */

static int cb_begin(void* user) {
  return exec((sqlite_host*)user, kBegin, "begin");
}

static int cb_commit(void* user) {
  return exec((sqlite_host*)user, kCommit, "commit");
}

static int cb_rollback(void* user) {
  return exec((sqlite_host*)user, kRollback, "rollback");
}

static int cb_get(void* user, const iorepl_key* key, int with_data,
                  iorepl_rows* out) {
  sqlite_host* h = (sqlite_host*)user;
  sqlite3_stmt* s = h->stmt[with_data ? kGetWithData : kGet];
  int rc;
  sqlite3_bind_blob(s, 1, key->bytes, sizeof(key->bytes), SQLITE_STATIC);
  rc = sqlite3_step(s);
  if (rc == SQLITE_ROW) {
    rc = add_row(s, key, -1, with_data ? 3 : -1, out);
  } else if (rc == SQLITE_DONE) {
    rc = IOREPL_ENOTFOUND;
  } else {
    rc = fail(h, "get");
  }
  sqlite3_reset(s);
  sqlite3_clear_bindings(s);
  return rc;
}

static int cb_put(void* user, const iorepl_record* r) {
  sqlite_host* h = (sqlite_host*)user;
  sqlite3_stmt* s = h->stmt[kPut];
  sqlite3_bind_int64(s, 1, (sqlite3_int64)r->local_cn);
  sqlite3_bind_blob(s, 2, r->key.bytes, sizeof(r->key.bytes), SQLITE_STATIC);
  sqlite3_bind_int(s, 3, r->kind);
  if (r->has_parent) {
    sqlite3_bind_blob(s, 4, r->parent.bytes, sizeof(r->parent.bytes),
                      SQLITE_STATIC);
  }
  /* A zero-length blob, not NULL, for an empty body (data NOT NULL). */
  sqlite3_bind_blob64(s, 5, r->data_len ? (const void*)r->data : "",
                      r->data_len, SQLITE_STATIC);
  return exec(h, kPut, "put");
}

static int cb_remove(void* user, const iorepl_key* key) {
  sqlite_host* h = (sqlite_host*)user;
  sqlite3_bind_blob(h->stmt[kRemove], 1, key->bytes, sizeof(key->bytes),
                    SQLITE_STATIC);
  return exec(h, kRemove, "remove");
}

/* Steps `s`, adding each row to `out`, and stops after `max_count` rows or
 * once their data reaches `max_bytes` (0: no limit); at least one row. */
static int add_rows(sqlite_host* h, sqlite3_stmt* s, int data_col,
                    size_t max_count, size_t max_bytes, iorepl_rows* out,
                    const char* what) {
  size_t count = 0, bytes = 0;
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    int added = add_row(s, NULL, 3, data_col, out);
    if (added != IOREPL_OK) {
      rc = added;
      break;
    }
    ++count;
    if (data_col >= 0) bytes += (size_t)sqlite3_column_bytes(s, data_col);
    if ((max_count != 0 && count >= max_count) ||
        (max_bytes != 0 && bytes >= max_bytes)) {
      rc = SQLITE_DONE;
      break;
    }
  }
  if (rc == SQLITE_DONE) {
    rc = IOREPL_OK;
  } else if (rc > 0) { /* an SQLite code, not one of ours */
    rc = fail(h, what);
  }
  sqlite3_reset(s);
  sqlite3_clear_bindings(s);
  return rc;
}

static int cb_list(void* user, const iorepl_key* parent, int kinds,
                   size_t limit, int with_data, iorepl_rows* out) {
  sqlite_host* h = (sqlite_host*)user;
  sqlite3_stmt* s = h->stmt[with_data ? kListWithData : kList];
  if (parent != NULL) {
    sqlite3_bind_blob(s, 1, parent->bytes, sizeof(parent->bytes),
                      SQLITE_STATIC);
  }
  sqlite3_bind_int(s, 2, kinds);
  sqlite3_bind_int64(s, 3, limit == 0 ? -1 : (sqlite3_int64)limit);
  return add_rows(h, s, with_data ? 4 : -1, 0, 0, out, "list");
}

static int cb_scan(void* user, uint64_t first, uint64_t last, int kinds,
                   size_t max_count, size_t max_bytes, iorepl_rows* out) {
  sqlite_host* h = (sqlite_host*)user;
  sqlite3_stmt* s = h->stmt[kScan];
  const uint64_t max_rowid = (uint64_t)INT64_MAX;
  if (first > max_rowid) return IOREPL_OK; /* nothing can be there */
  sqlite3_bind_int64(s, 1, (sqlite3_int64)first);
  sqlite3_bind_int64(s, 2,
                     (sqlite3_int64)(last > max_rowid ? max_rowid : last));
  sqlite3_bind_int(s, 3, kinds);
  return add_rows(h, s, 4, max_count, max_bytes, out, "scan");
}

static int cb_count(void* user, int kind, uint64_t* out) {
  sqlite_host* h = (sqlite_host*)user;
  sqlite3_stmt* s = h->stmt[kCount];
  int rc;
  sqlite3_bind_int(s, 1, kind);
  rc = sqlite3_step(s);
  if (rc == SQLITE_ROW) {
    *out = (uint64_t)sqlite3_column_int64(s, 0);
    rc = IOREPL_OK;
  } else {
    rc = fail(h, "count");
  }
  sqlite3_reset(s);
  sqlite3_clear_bindings(s);
  return rc;
}

static int cb_get_value(void* user, const char* name, iorepl_blob* out) {
  sqlite_host* h = (sqlite_host*)user;
  sqlite3_stmt* s = h->stmt[kGetValue];
  int rc;
  sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
  rc = sqlite3_step(s);
  if (rc == SQLITE_ROW) {
    rc = iorepl_blob_set(out, (const uint8_t*)sqlite3_column_blob(s, 0),
                         (size_t)sqlite3_column_bytes(s, 0));
  } else if (rc == SQLITE_DONE) {
    rc = IOREPL_ENOTFOUND;
  } else {
    rc = fail(h, "get_value");
  }
  sqlite3_reset(s);
  sqlite3_clear_bindings(s);
  return rc;
}

static int cb_put_value(void* user, const char* name, const uint8_t* data,
                        size_t len) {
  sqlite_host* h = (sqlite_host*)user;
  sqlite3_stmt* s = h->stmt[kPutValue];
  sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_blob64(s, 2, len ? (const void*)data : "", len, SQLITE_STATIC);
  return exec(h, kPutValue, "put_value");
}

static void close_host(sqlite_host* h) {
  int i;
  if (h == NULL) return;
  for (i = 0; i < kStatementCount; ++i) sqlite3_finalize(h->stmt[i]);
  sqlite3_close(h->db);
  free(h);
}

static void cb_destroy(void* user) { close_host((sqlite_host*)user); }

/* ---- Opening ---- */

int sqlite_host_open(sqlite_host** out, const char* path, char* error,
                     size_t error_size) {
  sqlite_host* h;
  int i;
  *out = NULL;
  h = (sqlite_host*)calloc(1, sizeof(*h));
  if (h == NULL) {
    snprintf(error, error_size, "out of memory");
    return IOREPL_ENOMEM;
  }
  if (sqlite3_open_v2(
          path, &h->db,
          SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
          NULL) != SQLITE_OK ||
      sqlite3_exec(h->db,
                   "PRAGMA busy_timeout = 10000;"
                   "PRAGMA journal_mode = WAL;"
                   "PRAGMA synchronous = FULL;",
                   NULL, NULL, NULL) != SQLITE_OK ||
      sqlite3_exec(h->db, kSchema, NULL, NULL, NULL) != SQLITE_OK) {
    snprintf(error, error_size, "%s: %s", path,
             h->db ? sqlite3_errmsg(h->db) : "cannot open");
    close_host(h);
    return IOREPL_EIO;
  }
  for (i = 0; i < kStatementCount; ++i) {
    if (sqlite3_prepare_v3(h->db, kSql[i], -1, SQLITE_PREPARE_PERSISTENT,
                           &h->stmt[i], NULL) != SQLITE_OK) {
      snprintf(error, error_size, "%s: %s", kSql[i], sqlite3_errmsg(h->db));
      close_host(h);
      return IOREPL_EIO;
    }
  }
  *out = h;
  return IOREPL_OK;
}

iorepl_host_store sqlite_host_vtable(sqlite_host* host) {
  iorepl_host_store vt;
  memset(&vt, 0, sizeof(vt));
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
  /* The connection is opened SQLITE_OPEN_NOMUTEX: any thread may use it, one
   * at a time, so a pass may read this store ahead on a thread of its own. */
  vt.any_thread = 1;
  return vt;
}

int sqlite_host_store_open(iorepl_store** out, const char* path, char* error,
                           size_t error_size) {
  sqlite_host* host = NULL;
  iorepl_host_store vt;
  int rc = sqlite_host_open(&host, path, error, error_size);
  if (rc != IOREPL_OK) {
    *out = NULL;
    return rc;
  }
  vt = sqlite_host_vtable(host);
  /* On failure the store's destroy has closed the host. */
  rc = iorepl_store_new_host(out, &vt, NULL);
  if (rc != IOREPL_OK)
    snprintf(error, error_size, "%s", iorepl_error_message());
  return rc;
}
