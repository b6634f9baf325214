// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Organizations for sync tests: a store, a Replica for local changes, and a
// snapshot of a mapped tree that two stores can be compared by.

#ifndef IOREPLICATION_TESTS_SYNC_SYNC_TEST_UTIL_H_
#define IOREPLICATION_TESTS_SYNC_SYNC_TEST_UTIL_H_

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "ioreplication/conflict.h"
#include "ioreplication/replica.h"
#include "ioreplication/session.h"
#include "ioreplication/store.h"
#include "sync/folder_tree.h"

namespace ioreplication::testing_util {

// A fresh SQLite file (with no WAL or SHM leftovers).
inline std::string FreshDbPath(const std::string& tag) {
  static int counter = 0;
  const std::string path = absl::StrCat(::testing::TempDir(), "/sync_", tag,
                                        "_", getpid(), "_", ++counter, ".db");
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::remove((path + suffix).c_str());
  }
  return path;
}

// A shared fake clock: every reading is one second later than the last, so
// "later writer" is the one that wrote later in the test.
inline int64_t& TestClockSeconds() {
  static int64_t seconds = 1'800'000'000;
  return seconds;
}
inline absl::Time TestNow() {
  return absl::FromUnixSeconds(++TestClockSeconds());
}
// Starts the fake clock over (for runs reproducible by seed).
inline void ResetTestClock() { TestClockSeconds() = 1'800'000'000; }

struct Org {
  std::string uri;
  std::unique_ptr<Store> store;
  std::unique_ptr<Replica> replica;
  Folder root;

  // The folder at `path`, which must exist.
  Folder At(std::string_view path) {
    auto f = FindFolderByPath(*store, path);
    EXPECT_TRUE(f.ok() && f->has_value()) << path;
    return f.ok() && f->has_value() ? **f : Folder();
  }
  // Creates the folder path below the root as needed.
  Folder MakePath(std::string_view path) {
    auto names = SplitFolderPath(path).value();
    Folder at = root;
    for (const std::string& name : names) {
      auto existing =
          FindFolderByPath(*store, ChildFolderPath(FolderPathOf(at), name));
      if (existing.ok() && existing->has_value()) {
        at = **existing;
      } else {
        at = replica->CreateFolder(at.source_key, name).value();
      }
    }
    return at;
  }
  std::string FolderPathOf(const Folder& f) {
    std::vector<std::string> names;
    std::optional<SourceKey> at = f.source_key;
    while (at.has_value()) {
      Folder cur = store->GetFolder(*at).value();
      if (!cur.parent.has_value()) break;
      names.push_back(cur.display_name);
      at = cur.parent;
    }
    std::reverse(names.begin(), names.end());
    return names.empty() ? std::string() : JoinFolderPath(names);
  }
  Item Post(std::string_view folder_path, std::string subject,
            std::string body = "") {
    ItemContent c;
    c.message_class = "IPM.Post";
    EXPECT_TRUE(c.properties.Set(kPropSubject, subject).ok());
    c.body = body.empty() ? "body of " + subject : body;
    return replica->CreateItem(At(folder_path).source_key, std::move(c))
        .value();
  }
  Item Edit(const SourceKey& key, std::string body) {
    Item old = store->GetItem(key).value();
    ItemContent c;
    c.message_class = old.message_class;
    c.properties = old.properties;
    c.body = std::move(body);
    return replica->ModifyItem(key, std::move(c)).value();
  }
};

// `replica`, when given, is the store's GUID instead of a random one (runs
// that must repeat exactly, since source keys order by GUID).
inline Org MakeOrg(bool sqlite, const std::string& tag,
                   std::optional<Guid> replica = std::nullopt) {
  Org org;
  org.uri = sqlite ? "sqlite:" + FreshDbPath(tag) : "memory:" + tag;
  org.store = OpenStore(sqlite ? org.uri : std::string("memory:")).value();
  if (replica.has_value()) {
    EXPECT_TRUE(org.store->Begin().ok());
    EXPECT_TRUE(org.store->SetIdentity({*replica, 0}).ok());
    EXPECT_TRUE(org.store->Commit().ok());
  }
  ReplicaOptions options;
  options.time_source = TestNow;
  options.counter_block = 16;
  org.replica = Replica::Open(org.store.get(), options).value();
  org.root = org.replica->CreateRootFolder("Public Folders").value();
  return org;
}

// One line per folder and item of the tree at `path`, sorted: paths
// relative to it, and each object's source key, version and content.
inline std::vector<std::string> Snapshot(Org& org, std::string_view path) {
  std::vector<std::string> lines;
  const Folder top = org.At(path);
  std::vector<std::pair<Folder, std::string>> queue = {{top, ""}};
  for (size_t i = 0; i < queue.size(); ++i) {
    const auto [folder, rel] = queue[i];
    if (i > 0) {
      lines.push_back(absl::StrCat(
          "F ", rel, " key=", folder.source_key.ToString(),
          " ck=", folder.change_key.ToString(), " pcl=", folder.pcl.ToString(),
          " acl=", folder.acl.entries().size()));
    }
    // Named: a range-for over `...value()` of a temporary StatusOr dangles.
    std::vector<Folder> children =
        org.store->ListChildFolders(folder.source_key).value();
    for (Folder& child : children) {
      const std::string child_rel = absl::StrCat(rel, "/", child.display_name);
      queue.push_back({std::move(child), child_rel});
    }
    const std::vector<SourceKey> keys =
        org.store->ListItems(folder.source_key).value();
    for (const SourceKey& key : keys) {
      const Item item = org.store->GetItem(key).value();
      std::string props;
      for (const PropertyBag::Entry& e : item.properties.entries()) {
        absl::StrAppend(&props, e.tag.ToString(), ";");
      }
      lines.push_back(absl::StrCat(
          "I ", rel, " key=", key.ToString(), " class=", item.message_class,
          " ck=", item.change_key.ToString(), " pcl=", item.pcl.ToString(),
          " body=", item.body, " props=", props));
    }
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

// Items in the tree at `path` (recursively).
inline size_t CountItems(Org& org, std::string_view path) {
  size_t n = 0;
  for (const std::string& line : Snapshot(org, path)) n += line[0] == 'I';
  return n;
}

inline SessionConfig MakeConfig(const std::string& name, const Org& pub,
                                std::vector<const Org*> subs,
                                std::vector<FolderMapping> mappings) {
  SessionConfig c;
  c.name = name;
  c.publisher = pub.uri;
  for (const Org* s : subs) c.subscribers.push_back(s->uri);
  c.mappings = std::move(mappings);
  return c;
}

inline std::unique_ptr<Session> MakeSession(const SessionConfig& config,
                                            Org& pub, std::vector<Org*> subs) {
  std::vector<Store*> stores;
  for (Org* s : subs) stores.push_back(s->store.get());
  auto session = Session::WithStores(config, pub.store.get(), stores);
  EXPECT_TRUE(session.ok()) << session.status();
  return session.ok() ? std::move(*session) : nullptr;
}

}  // namespace ioreplication::testing_util

#endif  // IOREPLICATION_TESTS_SYNC_SYNC_TEST_UTIL_H_
