// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "repl_commands.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>
#include <memory>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "cli.h"
#include "config_file.h"
#include "group_runner.h"
#include "ioreplication/group_config.h"
#include "ioreplication/mail_transport.h"
#include "ioreplication/replica_group.h"
#include "ioreplication/spool_transport.h"
#include "ioreplication/store.h"
#include "logger.h"

namespace ioreplication::iorepl {

int ReceiveCommand(std::istream& in, const std::string& spool,
                   size_t max_message_bytes, std::ostream& err) {
  // Read at most one byte past the largest mail a frame can make, so an
  // endless input costs a bounded amount of memory.
  const size_t limit = MaxReplicationMailBytes(max_message_bytes);
  std::string mail;
  char buf[64 * 1024];
  while (mail.size() <= limit) {
    in.read(buf, sizeof(buf));
    if (in.gcount() <= 0) break;
    mail.append(buf, static_cast<size_t>(in.gcount()));
  }
  absl::StatusOr<std::string> frame = ExtractReplicationFrame(mail, max_message_bytes);
  if (!frame.ok()) {
    err << "iorepl: receive: dropped a mail: " << frame.status().message() << "\n";
    return kExitOk;
  }
  absl::StatusOr<std::unique_ptr<Transport>> transport =
      NewSpoolTransport(spool, max_message_bytes);
  absl::Status s = transport.ok() ? absl::OkStatus() : transport.status();
  if (s.ok()) {
    const std::vector<std::string> to = {spool};
    s = (*transport)->Send(*frame, to);
  }
  if (!s.ok()) {
    err << "iorepl: receive: " << s.message() << "\n";
    return kExitTempFail;
  }
  return kExitOk;
}

namespace {

// The file's lock directory (where OpenMember takes a member's lock).
absl::StatusOr<std::string> LockDirectory(const std::string& file) {
  absl::StatusOr<LoadedConfig> loaded = LoadConfigFile(file);
  if (!loaded.ok()) return loaded.status();
  return loaded->lock_path;
}

std::function<void(std::string_view)> ErrLog(std::ostream& err,
                                             const std::string& group) {
  return [&err, group](std::string_view line) {
    err << "iorepl: group " << group << ": " << line << "\n";
  };
}

// "12s", "3m", "5h", "2d" since `then`; "never" for zero.
std::string Age(FileTime then, absl::Time now) {
  if (then == FileTime()) return "never";
  const absl::Duration d = now - then.ToAbslTime();
  if (d < absl::Minutes(2)) return absl::StrCat(absl::ToInt64Seconds(d), "s");
  if (d < absl::Hours(2)) return absl::StrCat(absl::ToInt64Minutes(d), "m");
  if (d < absl::Hours(48)) return absl::StrCat(absl::ToInt64Hours(d), "h");
  return absl::StrCat(absl::ToInt64Hours(d) / 24, "d");
}

void PrintStatus(const GroupStatus& st, std::ostream& out) {
  const absl::Time now = absl::Now();
  out << "group " << st.group << " (member " << st.self << ", replica "
      << st.identity.replica.ToString() << " epoch " << st.identity.epoch
      << "): " << st.alarms << " alarms\n";
  for (const GroupFolderStatus& f : st.folders) {
    out << "  folder " << f.path << ": " << f.seen << " change keys seen, "
        << f.parked << " parked, " << f.backfill.size() << " missing ranges, "
        << f.refused << " refused\n";
    for (const GroupPeerStatus& p : f.peers) {
      out << "    peer " << p.name << ": last heard " << Age(p.last_heard, now)
          << (p.last_heard == FileTime() ? "" : " ago") << ", reports "
          << p.seen << " seen, " << p.missing_here << " missing here\n";
    }
    for (const GroupBackfillStatus& b : f.backfill) {
      out << "    missing " << b.change_keys << " of " << b.origin.ToString()
          << " for " << Age(b.first_seen, now) << ", asked " << b.tries
          << " times" << (b.source.empty() ? "" : ", last of ") << b.source
          << (b.alarmed ? " (ALARM)" : "") << "\n";
    }
    for (const GroupParkedStatus& p : f.parked_versions) {
      out << "    parked " << p.source_key.ToString() << " at "
          << p.change_key.ToString() << " for " << Age(p.since, now)
          << ", waiting for folder " << p.parent.ToString() << "\n";
    }
  }
}

void PrintStatusJson(const GroupStatus& st, std::ostream& out) {
  const absl::Time now = absl::Now();
  auto seconds = [&](FileTime t) -> std::string {
    if (t == FileTime()) return "null";
    return absl::StrCat(absl::ToInt64Seconds(now - t.ToAbslTime()));
  };
  out << "{\"group\":" << JsonString(st.group) << ",\"self\":"
      << JsonString(st.self) << ",\"replica\":"
      << JsonString(st.identity.replica.ToString())
      << ",\"epoch\":" << st.identity.epoch << ",\"alarms\":" << st.alarms
      << ",\"folders\":[";
  for (size_t i = 0; i < st.folders.size(); ++i) {
    const GroupFolderStatus& f = st.folders[i];
    out << (i ? "," : "") << "{\"path\":" << JsonString(f.path)
        << ",\"seen\":" << f.seen << ",\"parked\":" << f.parked
        << ",\"refused\":" << f.refused << ",\"peers\":[";
    for (size_t j = 0; j < f.peers.size(); ++j) {
      const GroupPeerStatus& p = f.peers[j];
      out << (j ? "," : "") << "{\"name\":" << JsonString(p.name)
          << ",\"last_heard_seconds_ago\":" << seconds(p.last_heard)
          << ",\"seen\":" << p.seen << ",\"missing_here\":" << p.missing_here
          << "}";
    }
    out << "],\"backfill\":[";
    for (size_t j = 0; j < f.backfill.size(); ++j) {
      const GroupBackfillStatus& b = f.backfill[j];
      out << (j ? "," : "") << "{\"origin\":" << JsonString(b.origin.ToString())
          << ",\"change_keys\":" << b.change_keys
          << ",\"age_seconds\":" << seconds(b.first_seen)
          << ",\"tries\":" << b.tries << ",\"source\":" << JsonString(b.source)
          << ",\"alarmed\":" << (b.alarmed ? "true" : "false") << "}";
    }
    out << "]}";
  }
  out << "]}\n";
}

}  // namespace

int KeygenCommand(const std::string& prefix, bool force, std::ostream& out,
                  std::ostream& err) {
  absl::StatusOr<GroupSigningKeys> keys = NewGroupSigningKeys();
  if (!keys.ok()) {
    err << "iorepl: repl keygen: " << keys.status().message() << "\n";
    return kExitFailure;
  }
  const std::string path = prefix + ".key";
  const int fd = ::open(path.c_str(),
                        O_WRONLY | O_CREAT | O_CLOEXEC | (force ? O_TRUNC : O_EXCL),
                        0600);
  if (fd < 0) {
    err << "iorepl: repl keygen: cannot create " << path << ": "
        << std::strerror(errno)
        << (errno == EEXIST ? " (--force replaces it)" : "") << "\n";
    return kExitUsage;
  }
  const std::string line = absl::Base64Escape(keys->private_key) + "\n";
  const bool written =
      ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
      ::fsync(fd) == 0;
  ::close(fd);
  if (!written) {
    // A half-written key would make the next keygen refuse (the file
    // exists) and a member fail to read it.
    ::unlink(path.c_str());
    err << "iorepl: repl keygen: cannot write " << path << "\n";
    return kExitFailure;
  }
  out << "# the private key is in " << path
      << " (signing_key { file: \"" << path << "\" } in this member's file)\n"
      << "public_key: \"" << absl::Base64Escape(keys->public_key) << "\"\n";
  return kExitOk;
}

namespace {

// Opens each named group of `file` (all when empty) under its process lock
// and calls `run` on it; the worst exit status of the opens and the runs.
int ForEachLockedMember(
    const std::string& file, const std::vector<std::string>& groups,
    std::ostream& err,
    const std::function<int(const GroupFileConfig&, OpenedMember&)>& run) {
  absl::StatusOr<std::vector<GroupFileConfig>> configs =
      LoadGroupConfigs(file, groups);
  if (!configs.ok()) {
    err << ProblemsIn(file, configs.status()) << "\n";
    return kExitUsage;
  }
  absl::StatusOr<std::string> lock_dir = LockDirectory(file);
  if (!lock_dir.ok()) {
    err << ProblemsIn(file, lock_dir.status()) << "\n";
    return kExitUsage;
  }
  int exit = kExitOk;
  for (const GroupFileConfig& c : *configs) {
    absl::StatusOr<OpenedMember> m =
        OpenMember(c, *lock_dir, ErrLog(err, c.group.name));
    if (!m.ok()) {
      err << "iorepl: group " << c.group.name << ": " << m.status().message() << "\n";
      exit = std::max(exit, absl::IsInvalidArgument(m.status()) ? kExitUsage
                                                                : kExitFailure);
      continue;
    }
    exit = std::max(exit, run(c, *m));
  }
  return exit;
}

}  // namespace

int GroupTickCommand(const std::string& file,
                     const std::vector<std::string>& groups, std::ostream& out,
                     std::ostream& err) {
  return ForEachLockedMember(
      file, groups, err, [&](const GroupFileConfig& c, OpenedMember& m) {
        absl::Status s = m.member->Tick();
        out << TickSummary(c.group.name, m.member->stats()) << "\n";
        if (s.ok()) return kExitOk;
        err << "iorepl: group " << c.group.name << ": " << s.message() << "\n";
        return kExitFailure;
      });
}

int GroupStatusCommand(const std::string& file,
                       const std::vector<std::string>& groups, bool json,
                       std::ostream& out, std::ostream& err) {
  absl::StatusOr<std::vector<GroupFileConfig>> configs =
      LoadGroupConfigs(file, groups);
  if (!configs.ok()) {
    err << ProblemsIn(file, configs.status()) << "\n";
    return kExitUsage;
  }
  int exit = kExitOk;
  for (const GroupFileConfig& c : *configs) {
    // Reads only: no lock, so it works beside a running `iorepl run`.
    absl::StatusOr<OpenedMember> m = OpenMember(c, "", ErrLog(err, c.group.name));
    absl::StatusOr<GroupStatus> st =
        m.ok() ? m->member->Status() : absl::StatusOr<GroupStatus>(m.status());
    if (!st.ok()) {
      err << "iorepl: group " << c.group.name << ": " << st.status().message() << "\n";
      exit = absl::IsInvalidArgument(st.status()) ? kExitUsage : kExitFailure;
      continue;
    }
    if (json) {
      PrintStatusJson(*st, out);
    } else {
      PrintStatus(*st, out);
    }
  }
  return exit;
}

int GroupLeaveCommand(const std::string& file,
                      const std::vector<std::string>& groups, std::ostream& out,
                      std::ostream& err) {
  return ForEachLockedMember(
      file, groups, err, [&](const GroupFileConfig& c, OpenedMember& m) {
        // Fresh reports for the next run of this command; what is unsent
        // goes.
        m.member->RequestStatus();
        absl::Status ticked = m.member->Tick();
        absl::StatusOr<GroupLeaveReadiness> r =
            ticked.ok() ? m.member->LeaveReadiness()
                        : absl::StatusOr<GroupLeaveReadiness>(ticked);
        if (!r.ok()) {
          err << "iorepl: group " << c.group.name << ": " << r.status().message()
              << "\n";
          return kExitFailure;
        }
        if (r->ready) {
          out << "group " << c.group.name << ": member " << c.group.self
              << " may leave: every peer holds the changes it made ("
              << r->originated
              << "); take it out of every member's configuration\n";
          return kExitOk;
        }
        out << "group " << c.group.name << ": member " << c.group.self
            << " may not leave yet (changes it made: " << r->originated << ")\n";
        if (r->unsent) out << "  changes not yet sent (sent on the next tick)\n";
        for (const GroupLeaveReadiness::Waiting& w : r->waiting) {
          out << "  peer " << w.peer << ": "
              << (w.never_heard ? "never heard from"
                                : absl::StrCat("lacks ", w.missing, " of them"))
              << "\n";
        }
        if (r->only_here > 0) {
          out << "  " << r->only_here
              << " changes of other members are held here alone\n";
        }
        out << "  status was asked of every peer: run this again when they "
               "have answered\n";
        return kExitFailure;
      });
}

}  // namespace ioreplication::iorepl
