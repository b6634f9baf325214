// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// EnsureFolderPath when several writers make paths in one new store at once
// (sessions of a service writing one new subscriber): one root, one of each
// shared ancestor, every path made.

#include "sync/folder_tree.h"

#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "sync_test_util.h"

namespace ioreplication::sync_internal {
namespace {

TEST(FolderTreeTest, ConcurrentWritersShareOneRootAndAncestors) {
  for (int round = 0; round < 10; ++round) {
    const std::string uri =
        "sqlite:" + testing_util::FreshDbPath(absl::StrCat("tree", round));
    constexpr int kWriters = 4;
    std::vector<std::unique_ptr<Store>> stores;
    for (int i = 0; i < kWriters; ++i) stores.push_back(OpenStore(uri).value());
    std::vector<absl::Status> results(kWriters);
    std::vector<std::thread> threads;
    for (int i = 0; i < kWriters; ++i) {
      threads.emplace_back([&, i] {
        results[i] =
            EnsureFolderPath(*stores[i], absl::StrCat("/Shared/Part ", i))
                .status();
      });
    }
    for (std::thread& t : threads) t.join();
    for (const absl::Status& s : results) ASSERT_TRUE(s.ok()) << s;
    Store& store = *stores[0];
    const std::vector<Folder> roots =
        store.ListChildFolders(std::nullopt).value();
    ASSERT_EQ(roots.size(), 1u);
    const std::vector<Folder> top =
        store.ListChildFolders(roots[0].source_key).value();
    ASSERT_EQ(top.size(), 1u);
    EXPECT_EQ(top[0].display_name, "Shared");
    EXPECT_EQ(store.ListChildFolders(top[0].source_key).value().size(),
              static_cast<size_t>(kWriters));
  }
}

}  // namespace
}  // namespace ioreplication::sync_internal
