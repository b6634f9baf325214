// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// IdSet insert, union, encode and decode from 1k to 1M ranges, on two
// shapes (the argument is the number of ranges):
//   dense   ranges of 2 values with 2-value gaps: low bytes cluster, so the
//           encoding is mostly Bitmask commands (4 ranges in 3 bytes)
//   sparse  ranges of 1..8 values about 1000 apart: Push and Range commands
// Target: encode and decode at 200 MB/s or more of encoded bytes.

#include <random>

#include "benchmark/benchmark.h"
#include "ioreplication/idset.h"

namespace ioreplication {
namespace {

const Guid kReplica =
    Guid::Parse("{9C3E0E54-5C1B-4C8E-9A51-0E3B8E7D1F42}").value();

GlobCnt GC(uint64_t v) { return *GlobCnt::FromValue(v); }

// The i-th range of each shape.
GlobRange DenseRange(uint64_t i) { return {i * 4, i * 4 + 1}; }
GlobRange SparseRange(uint64_t i) {
  const uint64_t h = i * 0x9E3779B97F4A7C15ULL;
  const uint64_t low = i * 1024 + (h >> 60);
  return {low, low + ((h >> 52) & 7)};
}

IdSet MakeSet(bool dense, int64_t ranges) {
  IdSet set;
  for (int64_t i = 0; i < ranges; ++i) {
    const GlobRange r = dense ? DenseRange(i) : SparseRange(i);
    (void)set.InsertRange(kReplica, GC(r.low), GC(r.high));
  }
  return set;
}

std::span<const uint8_t> Bytes(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

// Building a set value by value in ascending order (a CNSET as changes
// stream past).
void BM_IdSetInsertAscending(benchmark::State& state, bool dense) {
  const int64_t ranges = state.range(0);
  for (auto _ : state) {
    IdSet set;
    for (int64_t i = 0; i < ranges; ++i) {
      const GlobRange r = dense ? DenseRange(i) : SparseRange(i);
      for (uint64_t v = r.low; v <= r.high; ++v) set.Insert(kReplica, GC(v));
    }
    benchmark::DoNotOptimize(set);
  }
  state.SetItemsProcessed(state.iterations() * ranges);
}
BENCHMARK_CAPTURE(BM_IdSetInsertAscending, dense, true)
    ->Range(1 << 10, 1 << 20);
BENCHMARK_CAPTURE(BM_IdSetInsertAscending, sparse, false)
    ->Range(1 << 10, 1 << 20);

// Values in random order: each new range lands in the middle of the vector.
void BM_IdSetInsertRandomOrder(benchmark::State& state) {
  const int64_t ranges = state.range(0);
  std::vector<uint64_t> values;
  for (int64_t i = 0; i < ranges; ++i) values.push_back(SparseRange(i).low);
  std::shuffle(values.begin(), values.end(), std::mt19937_64(1));
  for (auto _ : state) {
    IdSet set;
    for (uint64_t v : values) set.Insert(kReplica, GC(v));
    benchmark::DoNotOptimize(set);
  }
  state.SetItemsProcessed(state.iterations() * ranges);
}
BENCHMARK(BM_IdSetInsertRandomOrder)->Range(1 << 10, 1 << 16);

// The same unordered values in one InsertAll: sort, then one linear merge.
void BM_IdSetInsertAllRandomOrder(benchmark::State& state) {
  const int64_t ranges = state.range(0);
  std::vector<GlobCnt> values;
  for (int64_t i = 0; i < ranges; ++i) values.push_back(GC(SparseRange(i).low));
  std::shuffle(values.begin(), values.end(), std::mt19937_64(1));
  for (auto _ : state) {
    IdSet set;
    set.InsertAll(kReplica, values);
    benchmark::DoNotOptimize(set);
  }
  state.SetItemsProcessed(state.iterations() * ranges);
}
BENCHMARK(BM_IdSetInsertAllRandomOrder)->Range(1 << 10, 1 << 20);

// Two interleaved sets of N ranges each.
void BM_IdSetUnion(benchmark::State& state, bool dense) {
  const int64_t ranges = state.range(0);
  IdSet even, odd;
  for (int64_t i = 0; i < 2 * ranges; ++i) {
    const GlobRange r = dense ? DenseRange(i) : SparseRange(i);
    (void)(i % 2 ? odd : even).InsertRange(kReplica, GC(r.low), GC(r.high));
  }
  for (auto _ : state) {
    IdSet u = even;
    u.UnionWith(odd);
    benchmark::DoNotOptimize(u);
  }
  state.SetItemsProcessed(state.iterations() * 2 * ranges);
}
BENCHMARK_CAPTURE(BM_IdSetUnion, dense, true)->Range(1 << 10, 1 << 20);
BENCHMARK_CAPTURE(BM_IdSetUnion, sparse, false)->Range(1 << 10, 1 << 20);

void BM_IdSetEncode(benchmark::State& state, bool dense) {
  const IdSet set = MakeSet(dense, state.range(0));
  std::string out;
  for (auto _ : state) {
    out.clear();
    set.EncodeTo(&out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(
      static_cast<int64_t>(state.iterations() * out.size()));
  state.counters["bytes_per_range"] =
      static_cast<double>(out.size()) / static_cast<double>(state.range(0));
}
BENCHMARK_CAPTURE(BM_IdSetEncode, dense, true)->Range(1 << 10, 1 << 20);
BENCHMARK_CAPTURE(BM_IdSetEncode, sparse, false)->Range(1 << 10, 1 << 20);

void BM_IdSetDecode(benchmark::State& state, bool dense) {
  const std::string wire = MakeSet(dense, state.range(0)).Encode();
  for (auto _ : state) {
    absl::StatusOr<IdSet> set = IdSet::Decode(Bytes(wire));
    benchmark::DoNotOptimize(set);
  }
  state.SetBytesProcessed(
      static_cast<int64_t>(state.iterations() * wire.size()));
}
BENCHMARK_CAPTURE(BM_IdSetDecode, dense, true)->Range(1 << 10, 1 << 20);
BENCHMARK_CAPTURE(BM_IdSetDecode, sparse, false)->Range(1 << 10, 1 << 20);

}  // namespace
}  // namespace ioreplication
