// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Compare and Includes run on every incoming change: they must not allocate.
// This binary counts every operator new in the process.

#include <atomic>
#include <cstdlib>
#include <new>

#include "gtest/gtest.h"
#include "ioreplication/pcl.h"
#include "test_util.h"

namespace {
std::atomic<long> g_allocations{0};
}  // namespace

void* operator new(std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace ioreplication {
namespace {

using ::ioreplication::testing::FilledGuid;
using ::ioreplication::testing::X;

Pcl MakePcl(int entries, uint64_t bump) {
  Pcl pcl;
  for (int i = 0; i < entries; ++i) {
    EXPECT_TRUE(pcl.Raise(X(FilledGuid(static_cast<uint8_t>(i * 3)),
                            100 + (i == 0 ? bump : 0)))
                    .ok());
  }
  return pcl;
}

TEST(PclAllocTest, CompareAndIncludesDoNotAllocate) {
  for (int entries : {1, 4, 16, 64}) {
    const Pcl a = MakePcl(entries, 1);
    const Pcl b = MakePcl(entries, 0);
    const long before = g_allocations.load();
    const PclOrder order = a.Compare(b);
    const bool includes = a.Includes(b);
    const PclOrder reverse = b.Compare(a);
    const long after = g_allocations.load();
    EXPECT_EQ(after - before, 0) << entries << " entries";
    EXPECT_EQ(order, PclOrder::kNewer);
    EXPECT_TRUE(includes);
    EXPECT_EQ(reverse, PclOrder::kOlder);
  }
}

TEST(PclAllocTest, TheCounterSeesAllocations) {
  // Guards the test above against a counter that never counts.
  const long before = g_allocations.load();
  const Pcl big = MakePcl(16, 0);  // past the inline capacity of 4
  EXPECT_GT(g_allocations.load() - before, 0);
  EXPECT_EQ(big.size(), 16u);
}

}  // namespace
}  // namespace ioreplication
