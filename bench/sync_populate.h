// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// The publisher the end-to-end sync benchmarks replicate: items of 4 KiB
// over 10 folders under /Shared, written straight through the Store in
// transactions of 1,000 (a Replica commits each change on its own, which
// would make setup slow).

#ifndef IOREPLICATION_BENCH_SYNC_POPULATE_H_
#define IOREPLICATION_BENCH_SYNC_POPULATE_H_

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "ioreplication/replica.h"
#include "ioreplication/store.h"

namespace ioreplication::bench {

inline constexpr size_t kItemBytes = 4096;
inline constexpr int kFolders = 10;
inline constexpr int kBatch = 1000;

// A database path under /tmp unique to this process.
inline std::string PathFor(const std::string& name) {
  return absl::StrCat("/tmp/ioreplication_sync_bench_", name, "_", getpid(),
                      ".db");
}

// Benchmarks stop at the first error: a number measured past one would lie.
inline void Check(const absl::Status& s) {
  if (!s.ok()) {
    std::fprintf(stderr, "bench: %s\n", std::string(s.message()).c_str());
    std::abort();
  }
}

// The sizes to run: IOREPL_SYNC_BENCH_ITEMS="10000,100000" (the default).
inline std::vector<int64_t> SyncBenchSizes() {
  const char* env = std::getenv("IOREPL_SYNC_BENCH_ITEMS");
  std::vector<int64_t> sizes;
  for (absl::string_view part :
       absl::StrSplit(env ? env : "10000,100000", ',', absl::SkipEmpty())) {
    int64_t v = 0;
    if (absl::SimpleAtoi(part, &v) && v > 0) sizes.push_back(v);
  }
  return sizes;
}

// Writes `n` items into `store` (a new store) and returns their keys.
inline std::vector<SourceKey> Populate(Store& store, int64_t n) {
  std::unique_ptr<Replica> replica = Replica::Open(&store).value();
  const Folder root = replica->CreateRootFolder("Public Folders").value();
  const Folder shared =
      replica->CreateFolder(root.source_key, "Shared").value();
  std::vector<SourceKey> folders;
  for (int i = 0; i < kFolders; ++i) {
    folders.push_back(
        replica->CreateFolder(shared.source_key, absl::StrCat("F", i))
            .value()
            .source_key);
  }
  const Guid me = store.Identity().value().replica;
  Item item;
  item.message_class = "IPM.Post";
  item.body = std::string(kItemBytes, 'x');
  item.last_modified = FileTime::FromAbslTime(absl::Now());
  std::vector<SourceKey> keys;
  for (int64_t done = 0; done < n;) {
    const int64_t count = std::min<int64_t>(kBatch, n - done);
    // As a Replica does: source keys and change numbers from separate runs.
    const CounterBlock b = store.ReserveCounters(2 * count).value();
    uint64_t next_key = b.first.value();
    uint64_t next_cn = next_key + count;
    Check(store.Begin());
    for (int64_t i = 0; i < count; ++i, ++done) {
      item.folder = folders[done % kFolders];
      item.source_key = SourceKey(me, *GlobCnt::FromValue(next_key++));
      item.change_key = ChangeNumber(me, *GlobCnt::FromValue(next_cn++));
      item.pcl = Pcl();
      Check(item.pcl.Raise(item.change_key));
      Check(store.InsertItem(item));
      keys.push_back(item.source_key);
    }
    Check(store.Commit());
  }
  return keys;
}

}  // namespace ioreplication::bench

#endif  // IOREPLICATION_BENCH_SYNC_POPULATE_H_
