// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// FolderLocks: tasks writing overlapping folder trees of one store take
// turns; others run side by side; waiting can be cancelled.

#include "folder_locks.h"

#include <atomic>
#include <chrono>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ioreplication::iorepl {
namespace {

SessionConfig Config(const std::string& pub, const std::string& sub,
                     const std::string& sub_path,
                     MappingDirection direction = MappingDirection::kOneWay) {
  SessionConfig c;
  c.name = sub_path;
  c.publisher = pub;
  c.subscribers = {sub};
  c.mappings = {{"/Src", sub_path, direction}};
  return c;
}

TEST(FolderLocksTest, TreesNameTheDestinationsAndBothSidesWhenBidirectional) {
  std::vector<FolderTree> one =
      TreesWritten(Config("sqlite:/a/p.db", "sqlite:/a/s.db", "/X/Y"), 0);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].store, "sqlite:/a/s.db");
  EXPECT_EQ(one[0].names, (std::vector<std::string>{"x", "y"}));
  std::vector<FolderTree> both = TreesWritten(
      Config("sqlite:/a/p.db", "sqlite:/a/s.db", "/X",
             MappingDirection::kBidirectional),
      0);
  ASSERT_EQ(both.size(), 2u);
  EXPECT_EQ(both[1].store, "sqlite:/a/p.db");
  // Two spellings of one file are one store.
  EXPECT_EQ(TreesWritten(Config("memory:", "sqlite:/a/../a/./s.db", "/X"), 0)[0]
                .store,
            "sqlite:/a/s.db");
}

TEST(FolderLocksTest, NestedTreesOfOneStoreTakeTurnsOthersDoNot) {
  FolderLocks locks;
  const auto nested_a = TreesWritten(Config("memory:", "sqlite:/s.db", "/Shared"), 0);
  const auto nested_b =
      TreesWritten(Config("memory:", "sqlite:/s.db", "/shared/News"), 0);
  const auto elsewhere =
      TreesWritten(Config("memory:", "sqlite:/s.db", "/Other"), 0);
  const auto other_store =
      TreesWritten(Config("memory:", "sqlite:/t.db", "/Shared"), 0);

  auto held = locks.Acquire("A", nested_a, nullptr);
  ASSERT_NE(held, nullptr);
  // Disjoint trees and other stores do not wait.
  EXPECT_NE(locks.Acquire("C", elsewhere, nullptr), nullptr);
  EXPECT_NE(locks.Acquire("D", other_store, nullptr), nullptr);

  // A nested tree waits for A, and says so.
  std::atomic<bool> got{false};
  std::string waited_for;
  std::thread b([&] {
    auto hold = locks.Acquire("B", nested_b, nullptr,
                              [&](const std::string& owner) {
                                waited_for = owner;
                              });
    got = hold != nullptr;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(250));
  EXPECT_FALSE(got.load());
  held.reset();
  b.join();
  EXPECT_TRUE(got.load());
  EXPECT_EQ(waited_for, "A");
}

TEST(FolderLocksTest, WaitingEndsWhenCancelled) {
  FolderLocks locks;
  const auto trees = TreesWritten(Config("memory:", "sqlite:/s.db", "/X"), 0);
  auto held = locks.Acquire("A", trees, nullptr);
  std::atomic<bool> stop{false};
  std::thread t([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    stop = true;
  });
  EXPECT_EQ(locks.Acquire("B", trees, [&] { return stop.load(); }), nullptr);
  t.join();
}

}  // namespace
}  // namespace ioreplication::iorepl
