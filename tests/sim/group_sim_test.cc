// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Runs the replica group simulator (sim/group_sim.h) over many seeds, in
// shards that ctest runs in parallel. IOREPL_SIM_SEEDS sets the number of
// seeds in all: 160 by default (the debug and sanitizer builds), 2000 in the
// optimized build scripts/test runs for the simulation; IOREPL_SEED=N runs
// seed N alone, printing every event.

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "gtest/gtest.h"
#include "sim/group_sim.h"

namespace ioreplication::sim {
namespace {

constexpr int kShards = 8;

// Seeds that do not converge yet. None do in the modes below over 4000
// seeds; folder edits under message loss still fail on about 1 seed in 80
// (issue 18's note), so that mode is not among them. A seed here that passes
// is fine; any other failing seed fails the test, so the protocol cannot get
// worse unseen. Shrink this list, never grow it to make a change pass.
//
// 1462: a double fault. m1 leaves in the tick m0 is restored from a backup
// that predates a deletion m0 made; m1 was the only other holder of that
// deletion, and m0's last report (before the restore) still listed it, so
// m1's LeaveReadiness found nothing held there alone. Only a report from
// after the restore could tell (docs/replication-messages.md, "Joining,
// leaving, restoring").
const absl::flat_hash_set<uint64_t> kKnownFailing = {1462};

uint64_t EnvNumber(const char* name, uint64_t fallback) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return fallback;
  return std::strtoull(v, nullptr, 10);
}

// IOREPL_SIM_ONLY narrows what runs, e.g. "net,crash" (folder edits off):
// a comma list of folders, net, crash, disk, members (joins, leaves, a
// restore from backup).
SimOptions BaseOptions() {
  SimOptions o;
  if (const char* only = std::getenv("IOREPL_SIM_ONLY"); only != nullptr) {
    const std::string w = only;
    o.folder_edits = w.find("folders") != std::string::npos;
    o.network_faults = w.find("net") != std::string::npos;
    o.crashes = w.find("crash") != std::string::npos;
    o.store_faults = w.find("disk") != std::string::npos;
    o.membership = w.find("members") != std::string::npos;
  }
  return o;
}

// What a seed runs. Even seeds: item edits under every fault (loss,
// duplication, delay, reordering, partitions, crashes, failing writes).
// Odd seeds: item and folder edits (create, rename, move, delete) with
// crashes, over a network that delivers everything, in any order. Folder
// edits under message loss do not converge on every seed yet (issue 18's
// note lists the seeds): run them with IOREPL_SIM_ONLY=folders,net,crash,disk.
SimOptions SeedOptions(uint64_t seed) {
  if (std::getenv("IOREPL_SIM_ONLY") != nullptr) return BaseOptions();
  SimOptions o;
  if (seed % 2 == 0) {
    o.folder_edits = false;
  } else {
    o.network_faults = false;
    o.store_faults = false;
  }
  return o;
}

std::string Mode(const SimOptions& o) {
  std::string m;
  for (auto [on, name] : {std::pair{o.folder_edits, "folders"},
                          std::pair{o.network_faults, "net"},
                          std::pair{o.crashes, "crash"},
                          std::pair{o.store_faults, "disk"},
                          std::pair{o.membership, "members"}}) {
    if (!on) continue;
    if (!m.empty()) m += ",";
    m += name;
  }
  return m.empty() ? "none" : m;
}

class GroupSimShard : public ::testing::TestWithParam<int> {};

TEST_P(GroupSimShard, EverySeedConverges) {
  if (const char* one = std::getenv("IOREPL_SEED"); one != nullptr && *one) {
    if (GetParam() != 0) GTEST_SKIP() << "IOREPL_SEED runs in shard 0";
    SimOptions o = SeedOptions(std::strtoull(one, nullptr, 10));
    o.seed = std::strtoull(one, nullptr, 10);
    o.verbose = true;
    const SimResult r = RunGroupSim(o);
    EXPECT_TRUE(r.ok) << r.failure;
    return;
  }
  const uint64_t total = EnvNumber("IOREPL_SIM_SEEDS", 160);
  const uint64_t per = (total + kShards - 1) / kShards;
  uint64_t edits = 0, messages = 0, lost = 0, conflicts = 0, crashes = 0;
  uint64_t forgotten = 0;
  int joins = 0, leaves = 0, restores = 0;
  int max_heal = 0;
  std::vector<uint64_t> failing;
  for (uint64_t seed = GetParam() * per + 1;
       seed <= std::min<uint64_t>(total, (GetParam() + 1) * per); ++seed) {
    SimOptions o = SeedOptions(seed);
    o.seed = seed;
    const SimResult r = RunGroupSim(o);
    if (!r.ok) {
      std::printf("FAILING SEED %llu (%s): %s\n",
                  static_cast<unsigned long long>(seed), Mode(o).c_str(),
                  r.failure.substr(0, 160).c_str());
      failing.push_back(seed);
      continue;
    }
    EXPECT_EQ(r.lost_changes, 0u);
    edits += r.edits;
    messages += r.messages;
    lost += r.lost_messages;
    conflicts += r.conflicts;
    crashes += r.crashes;
    forgotten += r.forgotten;
    joins += r.joins;
    leaves += r.leaves;
    restores += r.restores;
    max_heal = std::max(max_heal, r.heal_ticks);
  }
  std::printf("shard %d: %llu edits, %llu messages (%llu lost), %llu conflicts, "
              "%llu crashes, %d joins, %d leaves, %d restores (%llu edits "
              "forgotten with them), slowest heal %d ticks\n",
              GetParam(), static_cast<unsigned long long>(edits),
              static_cast<unsigned long long>(messages),
              static_cast<unsigned long long>(lost),
              static_cast<unsigned long long>(conflicts),
              static_cast<unsigned long long>(crashes), joins, leaves, restores,
              static_cast<unsigned long long>(forgotten), max_heal);
  if (total >= 160) {
    EXPECT_GT(joins, 0);
    EXPECT_GT(leaves, 0);
    EXPECT_GT(restores, 0);
  }
  for (uint64_t seed : failing) {
    EXPECT_TRUE(kKnownFailing.contains(seed))
        << "seed " << seed << " fails: reproduce with IOREPL_SEED=" << seed
        << " IOREPL_SIM_ONLY=" << Mode(SeedOptions(seed));
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, GroupSimShard, ::testing::Range(0, kShards));

// The simulator must catch a broken protocol: with backfill requests never
// delivered, a seed with lost messages fails to converge, and the same seed
// converges with the protocol whole.
TEST(GroupSim, CatchesABrokenBackfill) {
  bool caught = false;
  for (uint64_t seed = 1; seed <= 30 && !caught; ++seed) {
    SimOptions o;
    o.seed = seed;
    o.folder_edits = false;
    o.break_backfill = true;
    o.heal_budget = 600;
    const SimResult broken = RunGroupSim(o);
    if (broken.ok) continue;
    caught = true;
    std::printf("caught, as it should: %s\n", broken.failure.substr(0, 200).c_str());
    o.break_backfill = false;
    o.heal_budget = SimOptions().heal_budget;
    const SimResult whole = RunGroupSim(o);
    EXPECT_TRUE(whole.ok) << whole.failure;
  }
  EXPECT_TRUE(caught);
}

// A store restored from a backup and not marked restored hands out its
// counters again: the checker must see change numbers issued twice (which
// is why the operator's procedure marks it, and a new epoch follows).
TEST(GroupSim, CatchesAnUndeclaredRestore) {
  bool caught = false;
  for (uint64_t seed = 1; seed <= 30 && !caught; ++seed) {
    SimOptions o;
    o.seed = seed;
    o.folder_edits = false;
    o.undeclared_restore = true;
    o.heal_budget = 600;
    const SimResult broken = RunGroupSim(o);
    if (broken.ok || broken.failure.find("handed out twice") == std::string::npos) {
      continue;
    }
    caught = true;
    std::printf("caught, as it should: %s\n", broken.failure.substr(0, 200).c_str());
    o.undeclared_restore = false;
    o.always_restore = true;
    o.heal_budget = SimOptions().heal_budget;
    const SimResult whole = RunGroupSim(o);
    EXPECT_TRUE(whole.ok) << whole.failure;
    EXPECT_EQ(whole.restores, 1);
  }
  EXPECT_TRUE(caught);
}

}  // namespace
}  // namespace ioreplication::sim
