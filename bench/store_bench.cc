// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Store throughput: inserting 4 KiB items in transactions of 1,000, and
// reading the change stream, against the same raw SQLite insert as the
// reference. Targets: the SQLite store writes at >= 50% of the raw rate and
// streams >= 100,000 items/s.

#include <unistd.h>

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "ioreplication/store.h"
#include "raw_sqlite_insert.h"

namespace ioreplication {
namespace {

constexpr int kBatch = 1000;
constexpr size_t kItemBytes = 4096;

std::string FreshPath(const char* name) {
  const std::string path =
      absl::StrCat("/tmp/ioreplication_bench_", name, "_", getpid(), ".db");
  for (const char* s : {"", "-wal", "-shm"}) std::remove((path + s).c_str());
  return path;
}

struct Fixture {
  std::unique_ptr<Store> store;
  SourceKey root;
  Guid me;
};

Fixture MakeStore(const std::string& uri) {
  Fixture f;
  f.store = OpenStore(uri).value();
  f.me = f.store->Identity().value().replica;
  const CounterBlock b = f.store->ReserveCounters(2).value();
  Folder root;
  root.source_key = SourceKey(f.me, b.first);
  root.change_key = ChangeNumber(f.me, b.last);
  root.display_name = "Public";
  (void)f.store->Begin();
  (void)f.store->InsertFolder(root);
  (void)f.store->Commit();
  f.root = root.source_key;
  return f;
}

// One transaction of kBatch 4 KiB items.
void InsertBatch(Fixture& f, const std::string& body) {
  const CounterBlock b = f.store->ReserveCounters(2 * kBatch).value();
  uint64_t next = b.first.value();
  (void)f.store->Begin();
  Item item;
  item.folder = f.root;
  item.message_class = "IPM.Post";
  item.body = body;
  for (int i = 0; i < kBatch; ++i) {
    item.source_key = SourceKey(f.me, *GlobCnt::FromValue(next++));
    item.change_key = ChangeNumber(f.me, *GlobCnt::FromValue(next++));
    item.pcl = Pcl();
    (void)item.pcl.Raise(item.change_key);
    if (!f.store->InsertItem(item).ok()) std::abort();
  }
  (void)f.store->Commit();
}

void BM_StoreInsert(benchmark::State& state, const char* scheme) {
  const std::string path = FreshPath(scheme);
  Fixture f = MakeStore(std::string(scheme) == "memory"
                            ? "memory:"
                            : absl::StrCat("sqlite:", path));
  const std::string body(kItemBytes, 'x');
  for (auto _ : state) InsertBatch(f, body);
  state.SetItemsProcessed(state.iterations() * kBatch);
  state.SetBytesProcessed(state.iterations() * kBatch * kItemBytes);
  f.store.reset();
  bench::RemoveSqliteFiles(path);
}
// Wall time: commits wait for fsync, which CPU time does not see.
BENCHMARK_CAPTURE(BM_StoreInsert, sqlite, "sqlite")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_StoreInsert, memory, "memory")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The reference: the same rows written with the raw SQLite API, same
// pragmas, one prepared statement, one transaction per 1,000 rows.
void BM_RawSqliteInsert(benchmark::State& state) {
  bench::RawSqliteInsert(state, FreshPath("raw"), kItemBytes, kBatch);
}
BENCHMARK(BM_RawSqliteInsert)->Unit(benchmark::kMillisecond)->UseRealTime();

// Reading the whole change stream of a store of 20,000 4 KiB items in
// batches of 1,000.
void BM_StoreReadChanges(benchmark::State& state, const char* scheme) {
  const std::string path = FreshPath(scheme);
  Fixture f = MakeStore(std::string(scheme) == "memory"
                            ? "memory:"
                            : absl::StrCat("sqlite:", path));
  const std::string body(kItemBytes, 'x');
  for (int i = 0; i < 20; ++i) InsertBatch(f, body);
  int64_t items = 0;
  for (auto _ : state) {
    GlobCnt after;
    while (true) {
      std::vector<Change> batch =
          f.store->ReadChanges(GlobSet(), after, {}).value();
      if (batch.empty()) break;
      items += static_cast<int64_t>(batch.size());
      after = batch.back().local_cn;
    }
  }
  state.SetItemsProcessed(items);
  f.store.reset();
  bench::RemoveSqliteFiles(path);
}
BENCHMARK_CAPTURE(BM_StoreReadChanges, sqlite, "sqlite")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_StoreReadChanges, memory, "memory")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace ioreplication
