// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Crash safety of a session pass: a child process runs a one-way session
// SQLite -> SQLite in small batches and is killed with SIGKILL at random
// moments (between batches and inside them; every other kill after the
// first committed batch of its pass), 25 times, while the publisher
// keeps changing between kills. After each kill the subscriber is checked:
// integrity_check is clean and every item it holds is a version the
// publisher made (nothing invented, nothing half-written). At the end a
// pass in this process completes the sync: the subscriber equals the
// publisher, with no item sent twice (no ignores) and none lost.

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>
#include <random>

#include "gtest/gtest.h"
#include "stores/sqlite_backend.h"
#include "sync_test_util.h"

namespace ioreplication {
namespace {

using testing_util::MakeOrg;
using testing_util::Org;
using testing_util::Snapshot;

constexpr int kKills = 25;

SessionConfig Config(const Org& pub, const Org& sub) {
  SessionConfig c = testing_util::MakeConfig(
      "crash", pub, {&sub}, {{"/Shared", "/In", MappingDirection::kOneWay}});
  c.options.batch_size = 7;
  return c;
}

// The child: passes in a loop, reporting each committed batch on `ack_fd`.
[[noreturn]] void Syncer(const SessionConfig& config, int ack_fd) {
  absl::StatusOr<std::unique_ptr<Session>> session = Session::Open(config);
  if (!session.ok()) _exit(2);
  SessionHooks hooks;
  hooks.progress = [ack_fd](const Progress& p) {
    const uint64_t done = p.done;
    if (write(ack_fd, &done, sizeof(done)) != sizeof(done)) _exit(3);
    return true;
  };
  (*session)->set_hooks(hooks);
  while (true) {
    if (!(*session)->Run().ok()) _exit(4);
  }
}

TEST(SyncCrashTest, KilledPassesResumeWithoutDuplicatesOrLosses) {
  Org pub = MakeOrg(true, "crash_pub");
  Org sub = MakeOrg(true, "crash_sub");
  pub.MakePath("/Shared/A");
  pub.MakePath("/Shared/B");
  std::mt19937 rng(20261121);
  std::vector<SourceKey> items;
  auto change_publisher = [&](int round) {
    for (int i = 0; i < 40; ++i) {
      items.push_back(pub.Post(i % 2 ? "/Shared/A" : "/Shared/B",
                               absl::StrCat("r", round, "i", i))
                          .source_key);
    }
    for (int i = 0; i < 5; ++i) {
      const size_t k = rng() % items.size();
      if (pub.store->GetItem(items[k]).ok()) {
        pub.Edit(items[k], absl::StrCat("edited in round ", round));
      }
    }
    const size_t k = rng() % items.size();
    if (pub.store->GetItem(items[k]).ok()) {
      ASSERT_TRUE(pub.replica->DeleteItem(items[k]).ok());
    }
  };
  const SessionConfig config = Config(pub, sub);
  int killed_mid_pass = 0;
  for (int round = 0; round < kKills; ++round) {
    change_publisher(round);
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      close(fds[0]);
      Syncer(config, fds[1]);
    }
    close(fds[1]);
    int acks = 0;
    uint64_t done = 0;
    if (round % 2 == 0) {
      // Every other kill lands after the first committed batch, however
      // slow the machine: wait for it (bounded), then a little more.
      pollfd ready{fds[0], POLLIN, 0};
      ASSERT_EQ(poll(&ready, 1, 20000), 1) << "the syncer never committed";
      ASSERT_EQ(read(fds[0], &done, sizeof(done)), sizeof(done));
      ++acks;
      usleep(rng() % 10000);
    } else {
      usleep(2000 + rng() % 30000);  // anywhere, even before the first batch
    }
    ASSERT_EQ(kill(child, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
        << "syncer exited with "
        << (WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    while (read(fds[0], &done, sizeof(done)) == sizeof(done)) ++acks;
    close(fds[0]);
    if (acks > 0) ++killed_mid_pass;

    // The subscriber as the kill left it.
    absl::StatusOr<std::unique_ptr<stores_internal::StoreKernel>> check =
        stores_internal::OpenSqliteStore(sub.uri.substr(7), StoreOptions());
    ASSERT_TRUE(check.ok()) << check.status();
    ASSERT_TRUE((*check)->CheckIntegrity().ok());
    for (const SourceKey& key : items) {
      absl::StatusOr<Item> copy = (*check)->GetItem(key);
      if (!copy.ok()) continue;
      // Whatever arrived is a version the publisher made: its change key is
      // the publisher's current one or an older one of the same item.
      absl::StatusOr<Item> original = pub.store->GetItem(key);
      if (original.ok()) {
        EXPECT_TRUE(original->pcl.Includes(copy->pcl)) << key.ToString();
      } else {
        EXPECT_TRUE(
            pub.store->GetTombstone(key).value().pcl.Includes(copy->pcl));
      }
    }
  }
  // The kills must have landed inside passes for the test to mean anything.
  EXPECT_GT(killed_mid_pass, kKills / 2);

  // Finish: one pass completes everything; nothing is sent twice.
  std::unique_ptr<Session> session = Session::Open(config).value();
  const SessionStatistics last = session->Run().value();
  EXPECT_EQ(last.message_ignores, 0u) << session->StatisticsLine(last);
  EXPECT_EQ(last.message_errors, 0u);
  session.reset();
  sub.store = OpenStore(sub.uri).value();
  EXPECT_EQ(Snapshot(pub, "/Shared"), Snapshot(sub, "/In"));
  EXPECT_TRUE(Session::Open(config).value()->Run().value().Quiescent());
}

}  // namespace
}  // namespace ioreplication
