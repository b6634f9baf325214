// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Session::Verify on two SQLite replicas of N items of 4 KiB over 10
// folders, with one item lost at the subscriber behind replication's back:
// the time to find that one difference. Verify compares each folder's
// digest, which the SQLite store keeps (one row per folder), and lists the
// item versions of the one folder whose digests differ (no item content);
// the counters say how much it covered. For scale, BM_ReadAllItems reads every item of the
// publisher once, as a comparison by content would have to (twice).
//
// Target (issue 15): 100,000 items with 1 difference. Sizes as sync_bench:
// IOREPL_SYNC_BENCH_ITEMS="10000,100000" (the default).

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "ioreplication/session.h"
#include "raw_sqlite_insert.h"
#include "sync_populate.h"

namespace ioreplication {
namespace {

using bench::Check;
using bench::PathFor;
using bench::Populate;

struct Replicas {
  std::string pub, sub;
  SessionConfig config;
  std::vector<SourceKey> keys;
};

// Two replicas of `n` items, the same but for one item the subscriber lost.
Replicas Make(int64_t n) {
  Replicas r{PathFor("verify_pub"), PathFor("verify_sub"), {}, {}};
  bench::RemoveSqliteFiles(r.pub);
  bench::RemoveSqliteFiles(r.sub);
  {
    std::unique_ptr<Store> store = OpenStore("sqlite:" + r.pub).value();
    r.keys = Populate(*store, n);
  }
  r.config.name = "bench";
  r.config.publisher = "sqlite:" + r.pub;
  r.config.subscribers = {"sqlite:" + r.sub};
  r.config.mappings = {{"/Shared", "/Partner", MappingDirection::kOneWay}};
  std::unique_ptr<Session> session = Session::Open(r.config).value();
  Check(session->Run().status());
  std::unique_ptr<Store> sub = OpenStore("sqlite:" + r.sub).value();
  Check(sub->Begin());
  Check(sub->DeleteItem(r.keys[r.keys.size() / 2]));
  Check(sub->Commit());
  return r;
}

void BM_VerifyOneDifference(benchmark::State& state) {
  const Replicas r = Make(state.range(0));
  std::unique_ptr<Session> session = Session::Open(r.config).value();
  Session::VerifyReport report;
  for (auto _ : state) {
    absl::StatusOr<Session::VerifyReport> verified = session->Verify();
    Check(verified.status());
    report = *std::move(verified);
  }
  if (report.differences.size() != 1) std::abort();
  state.counters["folders"] = static_cast<double>(report.folders);
  state.counters["items_compared"] = static_cast<double>(report.items);
  state.counters["folders_compared_item_by_item"] =
      static_cast<double>(report.differing_folders);
  bench::RemoveSqliteFiles(r.pub);
  bench::RemoveSqliteFiles(r.sub);
}

void BM_ReadAllItems(benchmark::State& state) {
  const Replicas r = Make(state.range(0));
  std::unique_ptr<Store> pub = OpenStore("sqlite:" + r.pub).value();
  for (auto _ : state) {
    size_t bytes = 0;
    for (const SourceKey& key : r.keys) {
      absl::StatusOr<Item> item = pub->GetItem(key);
      Check(item.status());
      bytes += item->ByteSize();
    }
    benchmark::DoNotOptimize(bytes);
  }
  bench::RemoveSqliteFiles(r.pub);
  bench::RemoveSqliteFiles(r.sub);
}

void Sizes(benchmark::internal::Benchmark* b) {
  for (int64_t n : bench::SyncBenchSizes()) b->Arg(n);
}

BENCHMARK(BM_VerifyOneDifference)
    ->Apply(Sizes)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_ReadAllItems)
    ->Apply(Sizes)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace ioreplication

BENCHMARK_MAIN();
