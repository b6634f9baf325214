// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// The C ABI's cost, end to end: a full sync of N items of 4 KiB through the C
// ABI between two host stores written in C (examples/c_host: SQLite through
// the iorepl_host_store vtable), against the same sync on the C++ API between
// two built-in SQLite stores. Issue 6's target: the C ABI run within 10% of
// the C++ one, measured in the same run.
//
// Both sides start from a copy of the same publisher (sync_populate.h,
// replicated once, untimed, into a built-in SQLite store for the C++ side and
// into a C host store for the C side), so both replicate identical items
// (foreign change numbers, real PCLs) into a new, empty subscriber. Both
// databases run WAL with synchronous=FULL. The two sides alternate, twice
// each, and the faster pass of each counts, to take the noise of the disk
// out of the comparison.
//
// The iorepl_* calls here are the C ABI's entry points, linked statically
// from the same objects as libioreplication.so (so that one binary can run
// the C++ side too); the vtable and the argument checks are the same code.
//
// Sizes: IOREPL_SYNC_BENCH_ITEMS="10000,100000" (the default), as for
// sync_bench.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "benchmark/benchmark.h"
#include "iorepl/iorepl.h"
#include "ioreplication/session.h"
#include "raw_sqlite_insert.h"
#include "sqlite_host_store.h"
#include "sync_populate.h"

namespace ioreplication {
namespace {

using bench::Check;
using bench::PathFor;
using bench::RemoveSqliteFiles;

void CheckRc(int rc, const char* what) {
  if (rc != IOREPL_OK) {
    std::fprintf(stderr, "capi_sync_bench: %s: %s\n", what,
                 iorepl_error_message());
    std::abort();
  }
}

iorepl_store* OpenHost(const std::string& path) {
  char error[512];
  iorepl_store* store = nullptr;
  if (sqlite_host_store_open(&store, path.c_str(), error, sizeof(error)) !=
      IOREPL_OK) {
    std::fprintf(stderr, "capi_sync_bench: %s\n", error);
    std::abort();
  }
  return store;
}

// One pass of a one-way session `from_path` -> /Partner over stores the
// caller opened; checks that it moved `n` items.
void CPassBetween(iorepl_store* pub, iorepl_store* sub, const char* from_path,
                  int64_t n) {
  iorepl_config* config = nullptr;
  CheckRc(iorepl_config_new(&config, "bench"), "config");
  CheckRc(iorepl_config_set_publisher(config, "host:pub"), "publisher");
  CheckRc(iorepl_config_add_subscriber(config, "host:sub"), "subscriber");
  CheckRc(
      iorepl_config_add_mapping(config, from_path, "/Partner", IOREPL_ONE_WAY),
      "mapping");
  iorepl_session* session = nullptr;
  CheckRc(iorepl_session_new(&session, config, pub, &sub, 1), "session");
  iorepl_statistics stats = IOREPL_STATISTICS_INIT;
  CheckRc(iorepl_session_run(&stats, session), "run");
  iorepl_session_free(session);
  iorepl_config_free(config);
  if (static_cast<int64_t>(stats.message_changes) != n) std::abort();
}

// Replicates the origin's /Shared into the new store `to`, untimed: the
// copy holds the items at /Partner, which the timed passes then share.
void CopyInto(iorepl_store* from, iorepl_store* to, int64_t n) {
  CPassBetween(from, to, "/Shared", n);
}

// The timed C++ pass: SQLite `pub` -> a new SQLite store.
double CppPass(const std::string& pub, const std::string& sub, int64_t n) {
  RemoveSqliteFiles(sub);
  SessionConfig config;
  config.name = "bench";
  config.publisher = "sqlite:" + pub;
  config.subscribers = {"sqlite:" + sub};
  config.mappings = {{"/Partner", "/Partner", MappingDirection::kOneWay}};
  const absl::Time t0 = absl::Now();
  std::unique_ptr<Session> session = Session::Open(config).value();
  absl::StatusOr<SessionStatistics> stats = session->Run();
  session.reset();
  const double seconds = absl::ToDoubleSeconds(absl::Now() - t0);
  Check(stats.status());
  if (static_cast<int64_t>(stats->message_changes) != n) std::abort();
  return seconds;
}

// The timed C ABI pass: the C host store at `pub` -> a new C host store.
double CPass(const std::string& pub, const std::string& sub, int64_t n) {
  RemoveSqliteFiles(sub);
  const absl::Time t0 = absl::Now();
  iorepl_store* from = OpenHost(pub);
  iorepl_store* to = OpenHost(sub);
  CPassBetween(from, to, "/Partner", n);
  iorepl_store_free(from);
  iorepl_store_free(to);
  return absl::ToDoubleSeconds(absl::Now() - t0);
}

void BM_FullSyncCAbiVsCpp(benchmark::State& state) {
  const int64_t n = state.range(0);
  const std::string origin = PathFor("origin"), cpp_pub = PathFor("cpp_pub"),
                    cpp_sub = PathFor("cpp_sub"), c_pub = PathFor("c_pub"),
                    c_sub = PathFor("c_sub");
  for (const std::string* p : {&origin, &cpp_pub, &c_pub}) {
    RemoveSqliteFiles(*p);
  }
  {
    std::unique_ptr<Store> store = OpenStore("sqlite:" + origin).value();
    bench::Populate(*store, n);
  }
  {
    iorepl_store* from = nullptr;
    CheckRc(iorepl_store_open(&from, ("sqlite:" + origin).c_str(), nullptr),
            "open origin");
    iorepl_store* sqlite_copy = nullptr;
    CheckRc(
        iorepl_store_open(&sqlite_copy, ("sqlite:" + cpp_pub).c_str(), nullptr),
        "open copy");
    CopyInto(from, sqlite_copy, n);
    iorepl_store* host_copy = OpenHost(c_pub);
    CopyInto(from, host_copy, n);
    iorepl_store_free(host_copy);
    iorepl_store_free(sqlite_copy);
    iorepl_store_free(from);
  }
  double cpp = 1e300, c = 1e300;
  for (auto _ : state) {
    for (int round = 0; round < 2; ++round) {
      cpp = std::min(cpp, CppPass(cpp_pub, cpp_sub, n));
      c = std::min(c, CPass(c_pub, c_sub, n));
    }
  }
  state.counters["cpp_s"] = cpp;
  state.counters["c_abi_s"] = c;
  state.counters["cpp_items_per_s"] = n / cpp;
  state.counters["c_abi_items_per_s"] = n / c;
  state.counters["c_abi_pct_of_cpp"] = 100.0 * cpp / c;
  for (const std::string* p : {&origin, &cpp_pub, &cpp_sub, &c_pub, &c_sub}) {
    RemoveSqliteFiles(*p);
  }
}

}  // namespace
}  // namespace ioreplication

int main(int argc, char** argv) {
  for (int64_t n : ioreplication::bench::SyncBenchSizes()) {
    benchmark::RegisterBenchmark("BM_FullSyncCAbiVsCpp",
                                 ioreplication::BM_FullSyncCAbiVsCpp)
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
