// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// End-to-end sync throughput, SQLite store to SQLite store, through a
// Session: a full sync of N items of 4 KiB over 10 folders, an incremental
// sync after changing 1% (a third added, a third edited, a third deleted),
// and a no-op sync. The reference is the raw SQLite insert rate of the same
// rows measured in the same run (BM_RawSqliteInsert).
//
// Targets (issue 4): full sync >= 25% of the raw insert rate; 1% changes in
// <= 3% of the full sync time; a no-op sync of 100,000 items under 50 ms;
// peak memory independent of store size (BM_PeakMemory runs each full sync
// in a fresh process and reports its peak RSS).
//
// Sizes: IOREPL_SYNC_BENCH_ITEMS="10000,100000" (the default); scripts/bench
// --quick uses a small size.

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "ioreplication/replica.h"
#include "ioreplication/session.h"
#include "raw_sqlite_insert.h"
#include "sync_populate.h"

namespace ioreplication {
namespace {

using bench::Check;
using bench::kBatch;
using bench::kItemBytes;
using bench::PathFor;
using bench::Populate;

SessionConfig Config(const std::string& pub, const std::string& sub) {
  SessionConfig c;
  c.name = "bench";
  c.publisher = "sqlite:" + pub;
  c.subscribers = {"sqlite:" + sub};
  c.mappings = {{"/Shared", "/Partner", MappingDirection::kOneWay}};
  return c;
}

SessionStatistics RunOnce(const SessionConfig& config) {
  std::unique_ptr<Session> session = Session::Open(config).value();
  absl::StatusOr<SessionStatistics> stats = session->Run();
  Check(stats.status());
  return *stats;
}

// Full, incremental and no-op sync of state.range(0) items.
void BM_Sync(benchmark::State& state) {
  const int64_t n = state.range(0);
  const std::string pub = PathFor("pub"), sub = PathFor("sub");
  bench::RemoveSqliteFiles(pub);
  std::vector<SourceKey> keys;
  {
    std::unique_ptr<Store> store = OpenStore("sqlite:" + pub).value();
    keys = Populate(*store, n);
  }
  const SessionConfig config = Config(pub, sub);
  double full = 0, incremental = 0, noop = 0;
  int64_t changed = 0;
  for (auto _ : state) {
    bench::RemoveSqliteFiles(sub);
    absl::Time t0 = absl::Now();
    const SessionStatistics first = RunOnce(config);
    full += absl::ToDoubleSeconds(absl::Now() - t0);
    if (static_cast<int64_t>(first.message_changes) != n) std::abort();

    // 1% changes: a third added, a third edited, a third deleted.
    state.PauseTiming();
    {
      std::unique_ptr<Store> store = OpenStore("sqlite:" + pub).value();
      std::unique_ptr<Replica> replica = Replica::Open(store.get()).value();
      const int64_t third = std::max<int64_t>(1, n / 300);
      const SourceKey folder = store->GetItem(keys[0]).value().folder;
      for (int64_t i = 0; i < third; ++i) {
        ItemContent c;
        c.body = std::string(kItemBytes, 'n');
        keys.push_back(replica->CreateItem(folder, c).value().source_key);
        const size_t k = static_cast<size_t>(i * 3 + 1) % (keys.size() - 1);
        ItemContent edit;
        edit.body = std::string(kItemBytes, 'e');
        (void)replica->ModifyItem(keys[k], edit);
        (void)replica->DeleteItem(keys[(k + 1) % (keys.size() - 1)]);
      }
    }
    state.ResumeTiming();
    t0 = absl::Now();
    const SessionStatistics second = RunOnce(config);
    incremental += absl::ToDoubleSeconds(absl::Now() - t0);
    changed =
        static_cast<int64_t>(second.message_changes + second.message_deletions);
    t0 = absl::Now();
    const SessionStatistics third = RunOnce(config);
    noop += absl::ToDoubleSeconds(absl::Now() - t0);
    if (!third.Quiescent()) std::abort();
  }
  const double iterations = static_cast<double>(state.iterations());
  state.counters["full_s"] = full / iterations;
  state.counters["full_items_per_s"] = n / (full / iterations);
  state.counters["incremental_s"] = incremental / iterations;
  state.counters["incremental_changes"] = static_cast<double>(changed);
  state.counters["incremental_pct_of_full"] = 100.0 * incremental / full;
  state.counters["noop_ms"] = 1000.0 * noop / iterations;
  state.SetItemsProcessed(state.iterations() * n);
  bench::RemoveSqliteFiles(pub);
  bench::RemoveSqliteFiles(sub);
}

// Passes with nothing to do, repeated on one synced pair: what a scheduled
// session costs between changes (target < 20 ms at 100,000 items).
void BM_NoopPass(benchmark::State& state) {
  const int64_t n = state.range(0);
  const std::string pub = PathFor("noop_pub"), sub = PathFor("noop_sub");
  bench::RemoveSqliteFiles(pub);
  bench::RemoveSqliteFiles(sub);
  {
    std::unique_ptr<Store> store = OpenStore("sqlite:" + pub).value();
    Populate(*store, n);
  }
  const SessionConfig config = Config(pub, sub);
  RunOnce(config);
  for (auto _ : state) {
    if (!RunOnce(config).Quiescent()) std::abort();
  }
  bench::RemoveSqliteFiles(pub);
  bench::RemoveSqliteFiles(sub);
}

// The reference: the same rows with the raw SQLite API, same pragmas, one
// prepared statement, one transaction per 1,000 rows.
void BM_RawSqliteInsert(benchmark::State& state) {
  bench::RawSqliteInsert(state, PathFor("raw"), kItemBytes, kBatch);
}
BENCHMARK(BM_RawSqliteInsert)->Unit(benchmark::kMillisecond)->UseRealTime();

// Peak RSS of a full sync of state.range(0) items, in a fresh process (this
// binary re-run with --sync-child), so setup and other benchmarks do not
// count.
const char* g_self = nullptr;

void BM_PeakMemory(benchmark::State& state) {
  const int64_t n = state.range(0);
  const std::string pub = PathFor("mem_pub"), sub = PathFor("mem_sub");
  bench::RemoveSqliteFiles(pub);
  {
    std::unique_ptr<Store> store = OpenStore("sqlite:" + pub).value();
    Populate(*store, n);
  }
  double peak_mib = 0;
  for (auto _ : state) {
    bench::RemoveSqliteFiles(sub);
    const pid_t child = fork();
    if (child == 0) {
      execl(g_self, g_self, "--sync-child", pub.c_str(), sub.c_str(),
            static_cast<char*>(nullptr));
      _exit(127);
    }
    int status = 0;
    struct rusage usage {};
    wait4(child, &status, 0, &usage);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) std::abort();
    peak_mib = static_cast<double>(usage.ru_maxrss) / 1024.0;
  }
  state.counters["peak_rss_MiB"] = peak_mib;
  bench::RemoveSqliteFiles(pub);
  bench::RemoveSqliteFiles(sub);
}

}  // namespace
}  // namespace ioreplication

int main(int argc, char** argv) {
  using namespace ioreplication;
  if (argc == 4 && std::string(argv[1]) == "--sync-child") {
    RunOnce(Config(argv[2], argv[3]));
    return 0;
  }
  g_self = argv[0];
  for (int64_t n : bench::SyncBenchSizes()) {
    benchmark::RegisterBenchmark("BM_Sync", BM_Sync)
        ->Arg(n)
        ->Iterations(1)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
    benchmark::RegisterBenchmark("BM_NoopPass", BM_NoopPass)
        ->Arg(n)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
    benchmark::RegisterBenchmark("BM_PeakMemory", BM_PeakMemory)
        ->Arg(n)
        ->Iterations(1)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
