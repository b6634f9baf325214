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
//   heal:   faults stop, no more edits; every member must converge within a
//           tick budget.
// Then the checker: every member holds the same folders and items (same
// source keys, change keys, names, places and content), no acknowledged
// change is lost (each local edit's change key is in the final PCL of its
// object or of its tombstone at every member: "stable"; otherwise "lost"),
// and no change number was handed out twice.

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
};

SimResult RunGroupSim(const SimOptions& options);

}  // namespace ioreplication::sim

#endif  // IOREPLICATION_TESTS_SIM_GROUP_SIM_H_
