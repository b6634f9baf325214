// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "config_file.h"

#include <algorithm>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "local_files.h"

namespace ioreplication::iorepl {
namespace {

std::string Relative(const std::filesystem::path& dir, const std::string& p) {
  if (p.empty() || std::filesystem::path(p).is_absolute()) return p;
  return (dir / p).lexically_normal().string();
}

std::string RelativeUri(const std::filesystem::path& dir,
                        const std::string& uri) {
  const std::string kSqlite = "sqlite:";
  if (uri.rfind(kSqlite, 0) != 0 || uri.size() == kSqlite.size()) return uri;
  return kSqlite + Relative(dir, uri.substr(kSqlite.size()));
}

}  // namespace

absl::StatusOr<LoadedConfig> LoadConfigFile(const std::string& path) {
  absl::StatusOr<std::string> text = ReadWholeFile(path, "configuration file", kMaxConfigBytes);
  if (!text.ok()) return text.status();
  absl::StatusOr<ConfigFile> file = ParseConfigFile(*text);
  if (!file.ok()) return file.status();
  const std::filesystem::path dir =
      std::filesystem::absolute(path).parent_path();
  LoadedConfig loaded;
  loaded.path = path;
  for (SessionConfig& session : file->sessions) {
    session.publisher = RelativeUri(dir, session.publisher);
    for (std::string& s : session.subscribers) s = RelativeUri(dir, s);
    for (StoreCredential& c : session.credentials) {
      c.store = RelativeUri(dir, c.store);
      c.source.file = Relative(dir, c.source.file);
    }
    session.exchange_key.file = Relative(dir, session.exchange_key.file);
    session.logging.file = Relative(dir, session.logging.file);
  }
  loaded.sessions = std::move(file->sessions);
  loaded.status_path = file->status_file.empty()
                           ? absl::StrCat(path, ".status")
                           : Relative(dir, file->status_file);
  loaded.lock_path = file->lock_directory.empty()
                         ? loaded.status_path + ".locks"
                         : Relative(dir, file->lock_directory);
  return loaded;
}

absl::StatusOr<std::vector<GroupFileConfig>> LoadGroupConfigs(
    const std::string& path, const std::vector<std::string>& names,
    bool allow_none) {
  absl::StatusOr<std::string> text =
      ReadWholeFile(path, "configuration file", kMaxConfigBytes);
  if (!text.ok()) return text.status();
  absl::StatusOr<std::vector<GroupFileConfig>> groups = ParseGroupConfigs(*text);
  if (!groups.ok()) return groups.status();
  const std::filesystem::path dir =
      std::filesystem::absolute(path).parent_path();
  std::vector<GroupFileConfig> out;
  for (GroupFileConfig& g : *groups) {
    if (!names.empty() &&
        std::find(names.begin(), names.end(), g.group.name) == names.end()) {
      continue;
    }
    g.store = RelativeUri(dir, g.store);
    GroupTransportConfig& t = g.transport;
    t.spool_directory = Relative(dir, t.spool_directory);
    t.maildir = Relative(dir, t.maildir);
    t.receive_spool = Relative(dir, t.receive_spool);
    if (!t.mail) {
      for (GroupMemberConfig& m : g.group.members) m.address = Relative(dir, m.address);
    }
    for (CredentialSource& k : g.member_keys) k.file = Relative(dir, k.file);
    g.signing_key.file = Relative(dir, g.signing_key.file);
    g.logging.file = Relative(dir, g.logging.file);
    out.push_back(std::move(g));
  }
  for (const std::string& n : names) {
    if (std::none_of(out.begin(), out.end(), [&](const GroupFileConfig& g) {
          return g.group.name == n;
        })) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": no replica group named '", n, "'"));
    }
  }
  if (out.empty() && !allow_none) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": no replica group (a `group { ... }` block)"));
  }
  return out;
}

absl::StatusOr<std::vector<SessionConfig>> SelectSessions(
    const LoadedConfig& config, const std::vector<std::string>& names) {
  std::vector<SessionConfig> selected;
  for (const std::string& name : names) {
    bool found = false;
    for (const SessionConfig& s : config.sessions) found |= s.name == name;
    if (!found) {
      std::vector<std::string> known;
      for (const SessionConfig& s : config.sessions) known.push_back(s.name);
      return absl::InvalidArgumentError(absl::StrCat(
          "no session '", name, "' in ", config.path, " (sessions: ",
          known.empty() ? "none" : absl::StrJoin(known, ", "), ")"));
    }
  }
  for (const SessionConfig& s : config.sessions) {
    if (names.empty() ||
        std::find(names.begin(), names.end(), s.name) != names.end()) {
      selected.push_back(s);
    }
  }
  return selected;
}

absl::StatusOr<SessionConfig> OneSession(const LoadedConfig& config,
                                         const std::string& name) {
  if (name.empty()) {
    if (config.sessions.size() == 1) return config.sessions.front();
    return absl::InvalidArgumentError(
        absl::StrCat(config.path, " has ", config.sessions.size(),
                     " sessions: name one with --session NAME"));
  }
  absl::StatusOr<std::vector<SessionConfig>> one =
      SelectSessions(config, {name});
  if (!one.ok()) return one.status();
  return one->front();
}

std::string ProblemsIn(const std::string& path, const absl::Status& status) {
  std::string out;
  for (absl::string_view line : absl::StrSplit(status.message(), '\n')) {
    if (!out.empty()) out += "\n";
    absl::StrAppend(&out, path, ": ", line);
  }
  return out;
}

const char kStarterConfig[] = R"(# iorepl configuration (protobuf text format).
# Schema: proto/ioreplication/v1/config.proto; reference: docs/config.md.
# Check it with `iorepl validate FILE`, run it with `iorepl run FILE`.
#
# Relative paths (sqlite: stores, log files, status_file) are relative to
# this file's directory.

# Where `iorepl run` records each session's last pass for `iorepl status`
# (default: this file's path plus ".status").
# status_file: "iorepl.status"

# Where `iorepl run` processes that write the same folders take turns
# (default: the status file's path plus ".locks"). Configuration files that
# share stores should name the same directory.
# lock_directory: "iorepl.locks"

session {
  # Unique in this file; the statistics lines name the session by it.
  name: "Sales share"
  type: PUBLIC_FOLDER

  # Store URIs: sqlite:PATH (the embedded default) or memory:.
  publisher: "sqlite:contoso.db"
  subscriber: "sqlite:fabrikam.db"     # repeat for more subscribers

  # Folder paths start at each store's root. Subscriber folders are created
  # when missing. ONE_WAY copies publisher -> subscriber; BIDIRECTIONAL
  # both ways without echo. Mappings may not overlap on either side.
  mapping {
    publisher_path: "/Sales"
    subscriber_path: "/Contoso/Sales"
    direction: BIDIRECTIONAL
  }
  mapping {
    publisher_path: "/Announcements"
    subscriber_path: "/Contoso/Announcements"
    direction: ONE_WAY
  }

  options {
    replicate_deletions: true
    replicate_permissions: false
    conflict_policy: KEEP_BOTH         # LAST_WRITER_WINS, PUBLISHER_WINS
    batch_size: 1000                   # changes per transaction
    max_item_size: 67108864            # bytes; larger items are skipped
    # replication_account: "iorepl@contoso.com"
    # require_matching_rights: true
  }

  # Every 15 minutes on weekdays between 07:00 and 19:00 (local time).
  # interval_seconds: 0 runs the session only with `iorepl run --once`.
  schedule {
    interval_seconds: 900
    days: "mon" days: "tue" days: "wed" days: "thu" days: "fri"
    window_start: "07:00"
    window_end: "19:00"
  }

  logging {
    file: "sales-share.log"
    level: SUMMARY                     # DETAIL: every ignore and error
    log_each_message: false
    log_each_folder: false
  }

  # Subscribers served at the same time (1 .. number of subscribers).
  max_tasks: 1

  # Secrets never go in this file. A store that authenticates reads its
  # credential from the environment or a file:
  #   credential { store: "postgresql://db.example.com/pf"
  #                credential { env: "IOREPL_PF_PASSWORD" } }
  # Exchange files (iorepl export / import) are authenticated with a key
  # both organizations hold:
  #   exchange_key { file: "/etc/iorepl/exchange.key" }
}
)";

}  // namespace ioreplication::iorepl
