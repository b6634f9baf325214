// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// A deterministic simulation of a replica group (after TigerBeetle's VOPR):
// the real GroupMember code over memory stores and a simulated network, all
// driven by one seed and one virtual clock. A run has two phases:
//   chaos:  random local edits at every member (items and folders: create,
//           modify, move, rename, delete), messages lost, duplicated,
//           delayed and reordered, partitions between members, members
//           crashing (their in-memory state gone) and coming back, store
//           writes failing (a full disk);
//           Membership changes too: a member may join late (it starts
//           with an empty store and backfills everything), one may leave
//           (it stops editing and is taken out of every configuration once
//           LeaveReadiness says its peers hold all it made), and one may be
//           restored from an older backup of its SQLite file (and marked
//           restored, as the operator's procedure says).
//   heal:   faults stop, no more edits; every member must converge within a
//           tick budget.
// Then the checker: every member holds the same folders and items (same
// source keys, change keys, names, places and content), no acknowledged
// change is lost (each local edit's change key is in the final PCL of its
// object or of its tombstone at every member: "stable"; otherwise "lost"),
// and no change number was handed out twice. Edits a restored member made
// after its backup that no other member held when it was restored are gone
// with the restore: counted as "forgotten" (Jepsen's stale), not checked.

#ifndef IOREPLICATION_TESTS_SIM_GROUP_SIM_H_
#define IOREPLICATION_TESTS_SIM_GROUP_SIM_H_

#include <cstdint>
#include <string>

namespace ioreplication::sim {

struct SimOptions {
  uint64_t seed = 1;
  // Chaos ticks (one virtual second each) and the heal budget.
  int chaos_ticks = 40;
  int heal_budget = 3000;
  // Print one line per event.
  bool verbose = false;
  // For the self-test: members never answer backfill requests.
  bool break_backfill = false;
  // Which faults and edits run (all by default; narrowed to bisect a bug).
  bool folder_edits = true;
  bool network_faults = true;
  bool crashes = true;
  bool store_faults = true;
  bool membership = true;
  // For the self-test: the restored member is not marked restored, so its
  // counter hands out change numbers its peers already hold.
  bool undeclared_restore = false;
  // Every run restores one member (by default half of them do).
  bool always_restore = false;
};

struct SimResult {
  bool ok = false;
  // What failed, with the line that reproduces it.
  std::string failure;
  // What the run did (for the summary line).
  int members = 0;
  uint64_t edits = 0;
  uint64_t messages = 0;
  uint64_t lost_messages = 0;
  uint64_t duplicated = 0;
  uint64_t crashes = 0;
  uint64_t store_faults = 0;
  uint64_t conflicts = 0;
  int heal_ticks = 0;
  uint64_t stable = 0;
  uint64_t lost_changes = 0;
  uint64_t forgotten = 0;
  int joins = 0;
  int leaves = 0;
  int restores = 0;
};

SimResult RunGroupSim(const SimOptions& options);

}  // namespace ioreplication::sim

#endif  // IOREPLICATION_TESTS_SIM_GROUP_SIM_H_
