// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Pcl Compare and Merge: run once per incoming change, so they must be cheap
// at the sizes real objects have (one entry per replica that edited them).
// Target: Compare of 4 entries under 20 ns, no allocation (pcl_alloc_test).

#include <random>

#include "benchmark/benchmark.h"
#include "ioreplication/pcl.h"

namespace ioreplication {
namespace {

Guid RandomishGuid(std::mt19937_64& rng) {
  std::array<uint8_t, 16> bytes;
  for (auto& b : bytes) b = static_cast<uint8_t>(rng());
  return Guid::FromBytes(bytes);
}

// Two PCLs over the same GUIDs; `b` is one change behind `a` in one entry, so
// Compare must walk every entry to answer "newer".
std::pair<Pcl, Pcl> MakePair(int entries) {
  std::mt19937_64 rng(entries);
  Pcl a, b;
  for (int i = 0; i < entries; ++i) {
    const Guid g = RandomishGuid(rng);
    const uint64_t v = 1000 + rng() % 1000;
    (void)a.Raise(ChangeNumber(g, *GlobCnt::FromValue(v + (i == entries - 1))));
    (void)b.Raise(ChangeNumber(g, *GlobCnt::FromValue(v)));
  }
  return {a, b};
}

void BM_PclCompare(benchmark::State& state) {
  const auto [a, b] = MakePair(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    benchmark::DoNotOptimize(a.Compare(b));
  }
}
BENCHMARK(BM_PclCompare)->Arg(1)->Arg(4)->Arg(16)->Arg(64);

void BM_PclMerge(benchmark::State& state) {
  const auto [a, b] = MakePair(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    Pcl m = a;
    benchmark::DoNotOptimize(m.MergeFrom(b));
    benchmark::DoNotOptimize(m);
  }
}
BENCHMARK(BM_PclMerge)->Arg(1)->Arg(4)->Arg(16)->Arg(64);

void BM_PclDecode(benchmark::State& state) {
  const std::string wire =
      MakePair(static_cast<int>(state.range(0))).first.Encode();
  const std::span<const uint8_t> bytes(
      reinterpret_cast<const uint8_t*>(wire.data()), wire.size());
  for (auto _ : state) {
    benchmark::DoNotOptimize(Pcl::Decode(bytes));
  }
  state.SetBytesProcessed(
      static_cast<int64_t>(state.iterations() * wire.size()));
}
BENCHMARK(BM_PclDecode)->Arg(1)->Arg(4)->Arg(16)->Arg(64);

}  // namespace
}  // namespace ioreplication
