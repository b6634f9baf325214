// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// FolderLocks: tasks writing overlapping folder trees of one store take
// turns; others run side by side; waiting can be cancelled; and through a
// lock directory, two lock tables (as two processes have) take turns too.

#include "session/folder_locks.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ioreplication::session_internal {
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
  std::vector<FolderTree> both =
      TreesWritten(Config("sqlite:/a/p.db", "sqlite:/a/s.db", "/X",
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
  const auto nested_a =
      TreesWritten(Config("memory:", "sqlite:/s.db", "/Shared"), 0);
  const auto nested_b =
      TreesWritten(Config("memory:", "sqlite:/s.db", "/shared/News"), 0);
  const auto elsewhere =
      TreesWritten(Config("memory:", "sqlite:/s.db", "/Other"), 0);
  const auto other_store =
      TreesWritten(Config("memory:", "sqlite:/t.db", "/Shared"), 0);

  auto held = locks.Acquire("A", nested_a, nullptr).value();
  ASSERT_NE(held, nullptr);
  // Disjoint trees and other stores do not wait.
  EXPECT_NE(locks.Acquire("C", elsewhere, nullptr).value(), nullptr);
  EXPECT_NE(locks.Acquire("D", other_store, nullptr).value(), nullptr);

  // A nested tree waits for A, and says so.
  std::atomic<bool> got{false};
  std::string waited_for;
  std::thread b([&] {
    auto hold =
        locks.Acquire("B", nested_b, nullptr,
                      [&](const std::string& owner) { waited_for = owner; });
    got = hold.ok() && *hold != nullptr;
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
  ASSERT_TRUE(held.ok());
  std::atomic<bool> stop{false};
  std::thread t([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    stop = true;
  });
  EXPECT_TRUE(absl::IsCancelled(
      locks.Acquire("B", trees, [&] { return stop.load(); }).status()));
  t.join();
}

class LockDirectoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/folder_locks_" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
};

// Two tables over one directory stand for two processes: flock(2) locks
// of separately opened files exclude each other even in one process.
TEST_F(LockDirectoryTest, TwoProcessesTakeTurnsOnOneStoresFirstFolder) {
  FolderLocks one(dir_, absl::Milliseconds(10));
  FolderLocks two(dir_, absl::Milliseconds(10));
  const auto sales =
      TreesWritten(Config("memory:", "sqlite:/s.db", "/Sales"), 0);
  const auto emea =
      TreesWritten(Config("memory:", "sqlite:/s.db", "/sales/EMEA"), 0);
  const auto news = TreesWritten(Config("memory:", "sqlite:/s.db", "/News"), 0);
  const auto root = TreesWritten(Config("memory:", "sqlite:/s.db", "/"), 0);
  const auto elsewhere =
      TreesWritten(Config("memory:", "sqlite:/t.db", "/"), 0);

  auto held = one.Acquire("A", sales, nullptr);
  ASSERT_TRUE(held.ok()) << held.status();
  // Another first folder of the store, and another store, go ahead.
  auto news_hold = two.Acquire("C", news, nullptr);
  ASSERT_TRUE(news_hold.ok()) << news_hold.status();
  EXPECT_TRUE(two.Acquire("D", elsewhere, nullptr).ok());
  // The same first folder waits, and is told it waits for a process.
  std::string waited_for;
  std::atomic<bool> stop{false};
  std::thread waiter([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    stop = true;
  });
  auto blocked = two.Acquire(
      "B", emea, [&] { return stop.load(); },
      [&](const std::string& owner) { waited_for = owner; });
  waiter.join();
  EXPECT_TRUE(absl::IsCancelled(blocked.status())) << blocked.status();
  EXPECT_EQ(waited_for, FolderLocks::kAnotherProcess);
  // The root waits for every tree of its store, here /News.
  stop = false;
  std::thread root_waiter([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    stop = true;
  });
  EXPECT_TRUE(absl::IsCancelled(
      one.Acquire("R", root, [&] { return stop.load(); }).status()));
  root_waiter.join();

  // Once A lets go, B gets its tree; within one table two tasks share the
  // store's file without waiting for each other.
  held->reset();
  auto b = two.Acquire("B", emea, nullptr);
  ASSERT_TRUE(b.ok()) << b.status();
  news_hold->reset();
  b->reset();
  auto r = one.Acquire("R", root, nullptr);
  EXPECT_TRUE(r.ok()) << r.status();
}

TEST_F(LockDirectoryTest, AnUnwritableDirectoryIsAnErrorNotAWait) {
  std::filesystem::create_directories(dir_);
  const std::string file = dir_ + "/not-a-directory";
  { std::ofstream(file) << "x"; }
  FolderLocks locks(file, absl::Milliseconds(10));
  auto hold = locks.Acquire(
      "A", TreesWritten(Config("memory:", "sqlite:/s.db", "/X"), 0), nullptr);
  EXPECT_TRUE(absl::IsUnavailable(hold.status())) << hold.status();
  EXPECT_THAT(std::string(hold.status().message()),
              ::testing::HasSubstr("cannot open lock file"));
  // Nothing stays held in the process after the error: a second task for
  // the same tree gets the same error instead of waiting for the first.
  EXPECT_TRUE(
      locks
          .Acquire("B",
                   TreesWritten(Config("memory:", "sqlite:/s.db", "/X"), 0),
                   nullptr)
          .status()
          .code() == absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace ioreplication::session_internal
