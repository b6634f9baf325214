// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "group_runner.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

#include "absl/strings/str_cat.h"

namespace ioreplication::iorepl {

OpenedMember::OpenedMember(OpenedMember&& o) noexcept
    : config(std::move(o.config)),
      store(std::move(o.store)),
      transport(std::move(o.transport)),
      member(std::move(o.member)),
      lock_fd(std::exchange(o.lock_fd, -1)) {}

OpenedMember& OpenedMember::operator=(OpenedMember&& o) noexcept {
  if (this != &o) {
    member.reset();
    if (lock_fd >= 0) ::close(lock_fd);
    config = std::move(o.config);
    store = std::move(o.store);
    transport = std::move(o.transport);
    member = std::move(o.member);
    lock_fd = std::exchange(o.lock_fd, -1);
  }
  return *this;
}

OpenedMember::~OpenedMember() {
  member.reset();  // before the store and transport it uses
  if (lock_fd >= 0) ::close(lock_fd);  // releases the flock
}

absl::StatusOr<OpenedMember> OpenMember(
    const GroupFileConfig& config, const std::string& lock_dir,
    std::function<void(std::string_view)> log) {
  OpenedMember m;
  m.config = config;
  if (!lock_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(lock_dir, ec);
    const std::string path =
        (std::filesystem::path(lock_dir) / ("group-" + config.group.name + ".lock"))
            .string();
    m.lock_fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0640);
    if (m.lock_fd < 0) {
      return absl::UnavailableError(
          absl::StrCat("cannot open the lock ", path, ": ", std::strerror(errno)));
    }
    if (::flock(m.lock_fd, LOCK_EX | LOCK_NB) != 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          "another process runs this member (it holds ", path, ")"));
    }
  }
  absl::StatusOr<ReplicaGroupConfig> resolved = ResolveGroupConfig(config);
  if (!resolved.ok()) return resolved.status();
  absl::StatusOr<std::unique_ptr<Store>> store = OpenStore(config.store);
  if (!store.ok()) return store.status();
  m.store = *std::move(store);
  absl::StatusOr<std::unique_ptr<Transport>> transport =
      OpenGroupTransport(config, log);
  if (!transport.ok()) return transport.status();
  m.transport = *std::move(transport);
  GroupMemberOptions options;
  options.log = log;
  absl::StatusOr<std::unique_ptr<GroupMember>> member = GroupMember::Open(
      m.store.get(), m.transport.get(), *std::move(resolved), options);
  if (!member.ok()) return member.status();
  m.member = *std::move(member);
  return m;
}

std::string TickSummary(const std::string& group, const GroupTickStats& t) {
  return absl::StrCat("group ", group, ": ", t.messages_received,
                      " messages received (", t.messages_dropped, " dropped), ",
                      t.messages_sent, " sent, ", t.applied.message_changes,
                      " item changes, ", t.applied.message_deletions,
                      " deletions, ", t.applied.folder_changes,
                      " folder changes, ", t.applied.conflicts, " conflicts, ",
                      t.parked, " parked");
}

absl::StatusOr<std::unique_ptr<GroupRunner>> GroupRunner::Open(
    const std::vector<GroupFileConfig>& groups, const std::string& lock_dir,
    std::function<void(std::string_view)> log) {
  auto runner = std::unique_ptr<GroupRunner>(new GroupRunner());
  runner->log_ = log;
  for (const GroupFileConfig& g : groups) {
    auto member_log = [log, name = g.group.name](std::string_view line) {
      if (log) log(absl::StrCat("group ", name, ": ", absl::string_view(line.data(), line.size())));
    };
    absl::StatusOr<OpenedMember> m = OpenMember(g, lock_dir, member_log);
    if (!m.ok()) {
      return absl::Status(m.status().code(),
                          absl::StrCat("group '", g.group.name, "': ",
                                       m.status().message()));
    }
    runner->members_.push_back(Slot{*std::move(m)});
  }
  return runner;
}

bool GroupRunner::Tick(absl::Time now, bool all) {
  bool ok = true;
  for (Slot& s : members_) {
    if (!all && now < s.next) continue;
    s.next = now + s.opened.config.tick;
    absl::Status status = s.opened.member->Tick();
    const GroupTickStats& t = s.opened.member->stats();
    // A line when something came or went, not for every quiet tick.
    if (log_ && (t.messages_received != s.reported_received ||
                 t.messages_sent != s.reported_sent || !status.ok())) {
      log_(TickSummary(s.opened.config.group.name, t));
      s.reported_received = t.messages_received;
      s.reported_sent = t.messages_sent;
    }
    if (!status.ok()) {
      ok = false;
      if (log_) {
        log_(absl::StrCat("group ", s.opened.config.group.name,
                          ": tick failed: ", status.message()));
      }
    }
  }
  return ok;
}

std::vector<std::string> GroupRunner::names() const {
  std::vector<std::string> out;
  for (const Slot& s : members_) out.push_back(s.opened.config.group.name);
  return out;
}

}  // namespace ioreplication::iorepl
