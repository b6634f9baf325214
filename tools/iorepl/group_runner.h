// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Replica group members as iorepl runs them: each over its own store and
// transport, one process at a time per member (a file lock), ticked when
// due.

#ifndef IOREPLICATION_TOOLS_IOREPL_GROUP_RUNNER_H_
#define IOREPLICATION_TOOLS_IOREPL_GROUP_RUNNER_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "ioreplication/group_config.h"
#include "ioreplication/replica_group.h"
#include "ioreplication/store.h"

namespace ioreplication::iorepl {

// One member, opened: its secrets read, its store and transport open, and
// (when a lock directory is given) the exclusive lock
// "<lock_dir>/group-<name>.lock" held for its life, so that a second process
// (another `iorepl run`, or `iorepl repl tick`) refuses to run the same
// member rather than work from state the first one holds in memory.
struct OpenedMember {
  OpenedMember() = default;
  OpenedMember(OpenedMember&&) noexcept;
  OpenedMember& operator=(OpenedMember&&) noexcept;
  ~OpenedMember();

  GroupFileConfig config;
  std::unique_ptr<Store> store;
  std::unique_ptr<Transport> transport;
  std::unique_ptr<GroupMember> member;
  int lock_fd = -1;
};

// ResolveGroupConfig's, OpenStore's, OpenGroupTransport's and
// GroupMember::Open's errors; FailedPreconditionError when another process
// holds the member's lock. `log` hears the member's log lines.
absl::StatusOr<OpenedMember> OpenMember(
    const GroupFileConfig& config, const std::string& lock_dir,
    std::function<void(std::string_view)> log);

// The one-line summary of what the member's ticks did so far.
std::string TickSummary(const std::string& group, const GroupTickStats& stats);

// The members `iorepl run` ticks beside its sessions, each every
// GroupFileConfig::tick.
class GroupRunner {
 public:
  // Opens every member (OpenMember's errors, naming the group).
  static absl::StatusOr<std::unique_ptr<GroupRunner>> Open(
      const std::vector<GroupFileConfig>& groups, const std::string& lock_dir,
      std::function<void(std::string_view)> log);

  // Ticks the members whose tick is due at `now` (all with `all`). A failed
  // tick is logged and tried again at the next interval. False when one
  // failed.
  bool Tick(absl::Time now, bool all = false);

  size_t size() const { return members_.size(); }
  std::vector<std::string> names() const;

 private:
  struct Slot {
    OpenedMember opened;
    absl::Time next = absl::InfinitePast();
    uint64_t reported_received = 0;
    uint64_t reported_sent = 0;
  };
  std::vector<Slot> members_;
  std::function<void(std::string_view)> log_;
};

}  // namespace ioreplication::iorepl

#endif  // IOREPLICATION_TOOLS_IOREPL_GROUP_RUNNER_H_
