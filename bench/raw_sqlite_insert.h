// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// The reference the store and sync benchmarks measure against: rows of
// `item_bytes` written with the raw SQLite API (WAL, synchronous=FULL, one
// prepared statement, ascending 8-byte keys as the store's source keys are,
// an index on a change-number column), `batch` rows per transaction, into a
// new database at `path` (removed afterwards).

#ifndef IOREPLICATION_BENCH_RAW_SQLITE_INSERT_H_
#define IOREPLICATION_BENCH_RAW_SQLITE_INSERT_H_

#include <sqlite3.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "benchmark/benchmark.h"

namespace ioreplication::bench {

inline void RemoveSqliteFiles(const std::string& path) {
  for (const char* s : {"", "-wal", "-shm"}) std::remove((path + s).c_str());
}

inline void RawSqliteInsert(benchmark::State& state, const std::string& path,
                            size_t item_bytes, int batch) {
  RemoveSqliteFiles(path);
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_exec(db,
               "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
               "CREATE TABLE t (id INTEGER PRIMARY KEY, k BLOB UNIQUE,"
               " cn INTEGER, data BLOB); CREATE INDEX t_cn ON t (cn);",
               nullptr, nullptr, nullptr);
  sqlite3_stmt* insert = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO t (k, cn, data) VALUES (?, ?, ?)", -1,
                     &insert, nullptr);
  const std::string body(item_bytes, 'x');
  int64_t n = 0;
  for (auto _ : state) {
    sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
    for (int i = 0; i < batch; ++i, ++n) {
      char key[8];
      for (int b = 0; b < 8; ++b) key[b] = static_cast<char>(n >> (56 - 8 * b));
      sqlite3_bind_blob(insert, 1, key, sizeof(key), SQLITE_TRANSIENT);
      sqlite3_bind_int64(insert, 2, n);
      sqlite3_bind_blob(insert, 3, body.data(), static_cast<int>(body.size()),
                        SQLITE_STATIC);
      if (sqlite3_step(insert) != SQLITE_DONE) std::abort();
      sqlite3_reset(insert);
    }
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
  }
  state.SetItemsProcessed(state.iterations() * batch);
  state.SetBytesProcessed(state.iterations() * batch *
                          static_cast<int64_t>(item_bytes));
  sqlite3_finalize(insert);
  sqlite3_close(db);
  RemoveSqliteFiles(path);
}

}  // namespace ioreplication::bench

#endif  // IOREPLICATION_BENCH_RAW_SQLITE_INSERT_H_
