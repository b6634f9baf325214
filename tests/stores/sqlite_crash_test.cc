// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Crash safety of the SQLite store: a writer in a child process is killed
// with SIGKILL at random moments, 60 times, and after each kill the store is
// reopened and checked:
//  - PRAGMA integrity_check is clean;
//  - every transaction the writer saw commit is there, whole;
//  - nothing of a transaction that did not commit is there (each writes three
//    items and a progress marker: they are all there or none is);
//  - no change number was ever issued twice (counter reservations are
//    durable before use).

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <random>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "ioreplication/store.h"
#include "stores/sqlite_backend.h"

namespace ioreplication {
namespace {

constexpr int kKills = 60;
constexpr int kItemsPerTransaction = 3;

// The writer: transaction k of run `run` writes three items whose bodies name
// (run, k, part) and sets sync state "run <run>" to k, then reports k on
// `ack_fd`. Runs until killed.
[[noreturn]] void Writer(const std::string& path, int run, int ack_fd,
                         const SourceKey& root) {
  absl::StatusOr<std::unique_ptr<Store>> store = OpenStore("sqlite:" + path);
  if (!store.ok()) _exit(2);
  const Guid me = (*store)->Identity().value().replica;
  for (int64_t k = 1;; ++k) {
    // Counters come from durable reservations, some of them left unused.
    absl::StatusOr<CounterBlock> block =
        (*store)->ReserveCounters(2 * kItemsPerTransaction + (k % 3));
    if (!block.ok()) _exit(3);
    uint64_t next = block->first.value();
    if (!(*store)->Begin().ok()) _exit(4);
    for (int part = 0; part < kItemsPerTransaction; ++part) {
      Item item;
      item.source_key = SourceKey(me, *GlobCnt::FromValue(next++));
      item.folder = root;
      item.change_key = ChangeNumber(me, *GlobCnt::FromValue(next++));
      (void)item.pcl.Raise(item.change_key);
      item.message_class = "IPM.Post";
      item.body = absl::StrCat(run, " ", k, " ", part);
      if (!(*store)->InsertItem(item).ok()) _exit(5);
    }
    if (!(*store)
             ->PutSyncState(absl::StrCat("run ", run), absl::StrCat(k))
             .ok()) {
      _exit(6);
    }
    if (!(*store)->Commit().ok()) _exit(7);
    if (write(ack_fd, &k, sizeof(k)) != sizeof(k)) _exit(8);
  }
}

TEST(SqliteCrashTest, SurvivesSigkillAtRandomMoments) {
  const std::string path =
      absl::StrCat(::testing::TempDir(), "/crash_", getpid(), ".db");
  for (const char* s : {"", "-wal", "-shm"}) std::remove((path + s).c_str());
  SourceKey root;
  {
    std::unique_ptr<Store> store = OpenStore("sqlite:" + path).value();
    const CounterBlock block = store->ReserveCounters(2).value();
    Folder f;
    f.source_key = SourceKey(store->Identity().value().replica, block.first);
    f.change_key = ChangeNumber(f.source_key.replica(), block.last);
    f.display_name = "Public";
    ASSERT_TRUE(store->Begin().ok());
    ASSERT_TRUE(store->InsertFolder(f).ok());
    ASSERT_TRUE(store->Commit().ok());
    root = f.source_key;
  }

  std::mt19937 rng(20261121);
  std::map<int, int64_t> acked;  // run -> last transaction seen to commit
  int killed_mid_run = 0;
  for (int run = 0; run < kKills; ++run) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      close(fds[0]);
      Writer(path, run, fds[1], root);
    }
    close(fds[1]);
    usleep(1000 + rng() % 40000);
    ASSERT_EQ(kill(child, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    // Anything but death by our SIGKILL means the writer failed.
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
        << "writer exited with "
        << (WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    int64_t k = 0;
    while (read(fds[0], &k, sizeof(k)) == sizeof(k)) acked[run] = k;
    close(fds[0]);
    if (acked.count(run)) ++killed_mid_run;

    // Reopen and check everything written so far.
    absl::StatusOr<std::unique_ptr<stores_internal::StoreKernel>> store =
        stores_internal::OpenSqliteStore(path, StoreOptions());
    ASSERT_TRUE(store.ok()) << store.status();
    ASSERT_TRUE((*store)->CheckIntegrity().ok()) << (*store)->CheckIntegrity();
    std::map<std::pair<int, int64_t>, int> parts;  // (run, k) -> items
    std::set<ChangeNumber> cns;
    GlobCnt after;
    while (true) {
      std::vector<Change> batch =
          (*store)->ReadChanges(GlobSet(), after, {}).value();
      if (batch.empty()) break;
      for (const Change& c : batch) {
        ASSERT_TRUE(cns.insert(c.change_key()).second)
            << "CN issued twice: " << c.change_key().ToString();
        if (const Item* item = std::get_if<Item>(&c.object)) {
          std::vector<std::string> f = absl::StrSplit(item->body, ' ');
          ASSERT_EQ(f.size(), 3u);
          ++parts[{std::stoi(f[0]), std::stoll(f[1])}];
        }
      }
      after = batch.back().local_cn;
    }
    const Guid me = (*store)->Identity().value().replica;
    EXPECT_GE((*store)->CounterHighWater().value(),
              (*store)->MaxCounterInUse(me).value());
    for (int r = 0; r <= run; ++r) {
      const std::optional<std::string> progress =
          (*store)->GetSyncState(absl::StrCat("run ", r)).value();
      const int64_t committed = progress ? std::stoll(*progress) : 0;
      const int64_t seen = acked.count(r) ? acked[r] : 0;
      // Every acknowledged commit is there; at most one more (committed
      // but killed before its acknowledgement).
      ASSERT_GE(committed, seen) << "run " << r;
      ASSERT_LE(committed, seen + 1) << "run " << r;
      for (int64_t t = 1; t <= committed; ++t) {
        ASSERT_EQ((parts[{r, t}]), kItemsPerTransaction) << r << " " << t;
      }
      // Nothing of an uncommitted transaction.
      ASSERT_EQ(parts.count({r, committed + 1}), 0u) << "run " << r;
    }
  }
  // The test only means something if kills landed mid-write.
  EXPECT_GT(killed_mid_run, kKills / 2);
}

}  // namespace
}  // namespace ioreplication
