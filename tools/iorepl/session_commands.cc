// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "session_commands.h"

#include <filesystem>
#include <fstream>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "cli.h"
#include "config_file.h"
#include "ioreplication/conflict.h"
#include "ioreplication/exchange.h"
#include "ioreplication/store.h"
#include "local_files.h"
#include "logger.h"
#include "session/status_file.h"

namespace ioreplication::iorepl {
namespace {

// The sessions `names` selects in the configuration at `path` (all when
// empty), or nullopt after saying why on `err`.
std::optional<std::vector<SessionConfig>> LoadSessions(
    const std::string& path, const std::vector<std::string>& names,
    std::ostream& err) {
  absl::StatusOr<LoadedConfig> config = LoadConfigFile(path);
  if (!config.ok()) {
    err << ProblemsIn(path, config.status()) << "\n";
    return std::nullopt;
  }
  absl::StatusOr<std::vector<SessionConfig>> selected =
      SelectSessions(*config, names);
  if (!selected.ok()) {
    err << "iorepl: " << selected.status().message() << "\n";
    return std::nullopt;
  }
  return *std::move(selected);
}


// A store that `status` would create by opening it: not there yet.

absl::StatusOr<std::string> ExchangeKey(const SessionConfig& config) {
  if (config.exchange_key.empty()) return std::string();
  absl::StatusOr<std::string> key = ResolveCredential(config.exchange_key);
  if (!key.ok()) {
    return absl::Status(
        key.status().code(),
        absl::StrCat("session '", config.name,
                     "': exchange_key: ", key.status().message()));
  }
  return key;
}

// The store with its credential, as Session::Open would open it.
absl::StatusOr<std::unique_ptr<Store>> OpenWithCredential(
    const SessionConfig& config, const std::string& uri) {
  StoreOptions options;
  for (const StoreCredential& c : config.credentials) {
    if (c.store != uri) continue;
    absl::StatusOr<std::string> secret = ResolveCredential(c.source);
    if (!secret.ok()) return secret.status();
    options.credential = *secret;
  }
  absl::StatusOr<std::unique_ptr<Store>> store = OpenStore(uri, options);
  if (!store.ok()) {
    return absl::Status(
        store.status().code(),
        absl::StrCat("store \"", RedactStoreUri(uri), "\": ",
                     store.status().message()));
  }
  return store;
}

// The configuration, the session and its exchange key, or nullopt after
// saying what is wrong on `err`.
struct ExchangeSetup {
  LoadedConfig config;
  SessionConfig session;
  ExchangeOptions options;
};
std::optional<ExchangeSetup> SetUpExchange(const std::string& path,
                                           const std::string& name,
                                           std::ostream& err) {
  absl::StatusOr<LoadedConfig> config = LoadConfigFile(path);
  if (!config.ok()) {
    err << ProblemsIn(path, config.status()) << "\n";
    return std::nullopt;
  }
  absl::StatusOr<SessionConfig> session = OneSession(*config, name);
  if (!session.ok()) {
    err << "iorepl: " << session.status().message() << "\n";
    return std::nullopt;
  }
  absl::StatusOr<std::string> key = ExchangeKey(*session);
  if (!key.ok()) {
    err << "iorepl: " << key.status().message() << "\n";
    return std::nullopt;
  }
  ExchangeSetup setup{*std::move(config), *std::move(session), {}};
  setup.options.key = *std::move(key);
  return setup;
}

int ExitFor(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kDataLoss:
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kFailedPrecondition:
      return kExitRefused;
    default:
      return kExitFailure;
  }
}

}  // namespace

int ValidateCommand(const std::string& path, std::ostream& out,
                    std::ostream& err) {
  absl::StatusOr<LoadedConfig> config = LoadConfigFile(path);
  if (!config.ok()) {
    err << ProblemsIn(path, config.status()) << "\n";
    return kExitUsage;
  }
  absl::StatusOr<std::vector<GroupFileConfig>> groups =
      LoadGroupConfigs(path, {}, /*allow_none=*/true);
  if (!groups.ok()) {
    err << ProblemsIn(path, groups.status()) << "\n";
    return kExitUsage;
  }
  std::vector<std::string> names;
  for (const SessionConfig& s : config->sessions) names.push_back(s.name);
  out << path << ": " << names.size() << " session"
      << (names.size() == 1 ? "" : "s");
  if (!names.empty()) out << " ('" << absl::StrJoin(names, "', '") << "')";
  if (!groups->empty()) {
    std::vector<std::string> group_names;
    for (const GroupFileConfig& g : *groups) group_names.push_back(g.group.name);
    out << ", " << group_names.size() << " replica group"
        << (group_names.size() == 1 ? "" : "s") << " ('"
        << absl::StrJoin(group_names, "', '") << "')";
  }
  out << ", no problems\n";
  return kExitOk;
}

int ConfigNewCommand(const std::string& path, bool force, std::ostream& out,
                     std::ostream& err) {
  if (path.empty()) {
    out << kStarterConfig;
    return kExitOk;
  }
  if (!force && std::filesystem::exists(path)) {
    err << "iorepl: " << path
        << " exists; not overwriting it (use --force to replace it)\n";
    return kExitUsage;
  }
  std::ofstream file(path, std::ios::trunc);
  file << kStarterConfig;
  file.flush();
  if (!file) {
    err << "iorepl: cannot write " << path << "\n";
    return kExitFailure;
  }
  out << "wrote " << path << "; edit it, then check it with: iorepl validate "
      << path << "\n";
  return kExitOk;
}

int StatusCommand(const std::string& path,
                  const std::vector<std::string>& sessions, bool json,
                  std::ostream& out, std::ostream& err) {
  absl::StatusOr<LoadedConfig> config = LoadConfigFile(path);
  if (!config.ok()) {
    err << ProblemsIn(path, config.status()) << "\n";
    return kExitUsage;
  }
  absl::StatusOr<std::vector<SessionConfig>> selected =
      SelectSessions(*config, sessions);
  if (!selected.ok()) {
    err << "iorepl: " << selected.status().message() << "\n";
    return kExitUsage;
  }
  absl::StatusOr<std::map<std::string, v1::SessionRunStatus>> recorded =
      session_internal::ReadStatusFile(config->status_path);
  if (!recorded.ok()) {
    err << "iorepl: " << recorded.status().message() << "\n";
    return kExitFailure;
  }
  int exit = kExitOk;
  for (const SessionConfig& session : *selected) {
    // What waits: computed from the stores, per mapping and direction.
    uint64_t waiting = 0;
    std::vector<std::string> parts;
    std::vector<Session::Refused> refused;
    std::string unknown;
    bool missing_store = StoreNotCreated(session.publisher);
    for (const std::string& s : session.subscribers) {
      missing_store |= StoreNotCreated(s);
    }
    if (missing_store) {
      unknown = "a store does not exist yet (no pass has run)";
    } else {
      absl::StatusOr<std::unique_ptr<Session>> opened = Session::Open(session);
      absl::StatusOr<std::vector<Session::Pending>> pending =
          opened.ok()
              ? (*opened)->CountPending()
              : absl::StatusOr<std::vector<Session::Pending>>(opened.status());
      if (!pending.ok()) {
        unknown = std::string(pending.status().message());
        exit = kExitFailure;
      } else {
        for (const Session::Pending& p : *pending) {
          waiting += p.changes;
          parts.push_back(
              absl::StrCat(p.mapping, ", ", p.direction, ": ", p.changes));
        }
        absl::StatusOr<std::vector<Session::Refused>> listed =
            (*opened)->ListRefused();
        if (!listed.ok()) {
          unknown = std::string(listed.status().message());
          exit = kExitFailure;
        } else {
          refused = *std::move(listed);
        }
      }
    }
    auto it = recorded->find(session.name);
    const v1::SessionRunStatus* last =
        it == recorded->end() ? nullptr : &it->second;
    if (json) {
      std::string line =
          absl::StrCat("{\"session\":", JsonString(session.name));
      if (last != nullptr) {
        absl::StrAppend(
            &line, ",\"last_start\":",
            JsonString(
                absl::FormatTime("%Y-%m-%dT%H:%M:%SZ",
                                 absl::FromUnixSeconds(last->last_start_unix()),
                                 absl::UTCTimeZone())),
            ",\"duration_ms\":", last->duration_ms(),
            ",\"result\":", JsonString(last->result()),
            ",\"statistics\":", JsonString(last->statistics_line()));
        if (!last->error().empty()) {
          absl::StrAppend(&line, ",\"error\":", JsonString(last->error()));
        }
      } else {
        absl::StrAppend(&line, ",\"last_start\":null");
      }
      if (unknown.empty()) {
        absl::StrAppend(&line, ",\"waiting\":", waiting, ",\"refused\":[");
        for (size_t i = 0; i < refused.size(); ++i) {
          const Session::Refused& r = refused[i];
          absl::StrAppend(
              &line, i ? "," : "", "{\"mapping\":", JsonString(r.mapping),
              ",\"direction\":", JsonString(r.direction),
              ",\"kind\":", r.folder ? "\"folder\"" : "\"message\"",
              ",\"source_key\":", JsonString(r.source_key.ToString()),
              ",\"change_key\":", JsonString(r.change_key.ToString()),
              ",\"reason\":", JsonString(std::string(ReasonName(r.reason))),
              ",\"why\":", JsonString(r.why),
              ",\"skipped\":", r.skipped ? "true" : "false", "}");
        }
        absl::StrAppend(&line, "]");
      } else {
        absl::StrAppend(&line, ",\"waiting\":null,\"waiting_unknown\":",
                        JsonString(unknown));
      }
      out << line << "}\n";
      continue;
    }
    out << "session '" << session.name << "'\n";
    if (last == nullptr) {
      out << "  last pass:  never\n";
    } else {
      out << "  last pass:  "
          << absl::FormatTime("%Y-%m-%d %H:%M:%S",
                              absl::FromUnixSeconds(last->last_start_unix()),
                              absl::LocalTimeZone())
          << ", " << absl::StrFormat("%.1f s", last->duration_ms() / 1000.0)
          << ", " << last->result() << "\n";
      if (!last->error().empty())
        out << "  error:      " << last->error() << "\n";
      out << "  statistics: " << last->statistics_line() << "\n";
    }
    if (!unknown.empty()) {
      out << "  waiting:    unknown: " << unknown << "\n";
    } else {
      out << "  waiting:    " << waiting << " change"
          << (waiting == 1 ? "" : "s") << " to send";
      if (!parts.empty()) out << " (" << absl::StrJoin(parts, "; ") << ")";
      out << "\n";
      // Refused objects stay listed (and counted every pass) until they
      // are taken, changed at their source, or skipped (iorepl skip).
      out << "  refused:    " << refused.size() << "\n";
      for (const Session::Refused& r : refused) {
        out << "    " << r.mapping << ", " << r.direction << ": "
            << (r.folder ? "folder " : "message ") << r.source_key.ToString()
            << " (" << ReasonName(r.reason) << "): " << r.why
            << (r.skipped ? " [skipped: taken as seen next pass]" : "")
            << "\n";
      }
    }
  }
  return exit;
}

namespace {

std::string_view DifferenceName(Session::Difference::Kind kind) {
  switch (kind) {
    case Session::Difference::Kind::kMissingAtSubscriber:
      return "missing_at_subscriber";
    case Session::Difference::Kind::kMissingAtPublisher:
      return "missing_at_publisher";
    case Session::Difference::Kind::kDifferentVersion:
      return "different_version";
    case Session::Difference::Kind::kDifferentPlace:
      return "different_place";
  }
  return "?";
}

}  // namespace

int VerifyCommand(const std::string& path,
                  const std::vector<std::string>& sessions, bool repair,
                  bool json, std::ostream& out, std::ostream& err) {
  std::optional<std::vector<SessionConfig>> selected =
      LoadSessions(path, sessions, err);
  if (!selected.has_value()) return kExitUsage;
  bool differ = false;
  for (const SessionConfig& session : *selected) {
    if (StoreNotCreated(session.publisher)) {
      err << "iorepl: session '" << session.name << "': store \""
          << RedactStoreUri(session.publisher) << "\" does not exist (no pass has run)\n";
      return kExitFailure;
    }
    absl::StatusOr<std::unique_ptr<Session>> opened = Session::Open(session);
    absl::StatusOr<Session::VerifyReport> report =
        opened.ok() ? (*opened)->Verify(repair)
                    : absl::StatusOr<Session::VerifyReport>(opened.status());
    if (!report.ok()) {
      err << "iorepl: session '" << session.name
          << "': " << report.status().message() << "\n";
      return kExitFailure;
    }
    differ |= !report->differences.empty();
    if (json) {
      std::string line = absl::StrCat(
          "{\"session\":", JsonString(session.name),
          ",\"folders\":", report->folders, ",\"items\":", report->items,
          ",\"differing_folders\":", report->differing_folders,
          ",\"repair\":", repair ? "true" : "false", ",\"differences\":[");
      for (size_t i = 0; i < report->differences.size(); ++i) {
        const Session::Difference& d = report->differences[i];
        absl::StrAppend(
            &line, i ? "," : "", "{\"mapping\":", JsonString(d.mapping),
            ",\"subscriber\":", JsonString(session.subscribers[d.subscriber]),
            ",\"path\":", JsonString(d.path.empty() ? "/" : d.path),
            ",\"kind\":", d.folder ? "\"folder\"" : "\"message\"",
            ",\"source_key\":", JsonString(d.source_key.ToString()),
            ",\"reason\":", JsonString(std::string(DifferenceName(d.kind))),
            ",\"detail\":", JsonString(d.detail), "}");
      }
      out << line << "]}\n";
      continue;
    }
    out << "session '" << session.name << "': " << report->folders
        << " folders and " << report->items << " item versions compared, "
        << report->differences.size() << " difference"
        << (report->differences.size() == 1 ? "" : "s")
        << (repair && !report->differences.empty()
                ? " (the next pass sends them again)"
                : "")
        << "\n";
    for (const Session::Difference& d : report->differences) {
      out << "  " << d.mapping << ", " << RedactStoreUri(session.subscribers[d.subscriber])
          << ": " << (d.folder ? "folder " : "message ")
          << d.source_key.ToString() << " in " << (d.path.empty() ? "/" : d.path)
          << ": " << DifferenceName(d.kind) << " (" << d.detail << ")\n";
    }
  }
  return differ && !repair ? kExitFailure : kExitOk;
}

int ConflictsCommand(const std::string& path,
                     const std::vector<std::string>& sessions, bool json,
                     std::ostream& out, std::ostream& err) {
  std::optional<std::vector<SessionConfig>> selected =
      LoadSessions(path, sessions, err);
  if (!selected.has_value()) return kExitUsage;
  auto subject = [](const Item& item) {
    const PropValue* v = item.properties.Get(kPropSubject);
    const std::string* s = v != nullptr ? std::get_if<std::string>(v) : nullptr;
    return s != nullptr ? *s : std::string("(no subject)");
  };
  for (const SessionConfig& session : *selected) {
    absl::StatusOr<std::unique_ptr<Session>> opened = Session::Open(session);
    absl::StatusOr<std::vector<Session::Conflict>> listed =
        opened.ok() ? (*opened)->ListConflicts()
                    : absl::StatusOr<std::vector<Session::Conflict>>(
                          opened.status());
    if (!listed.ok()) {
      err << "iorepl: session '" << session.name
          << "': " << listed.status().message() << "\n";
      return kExitFailure;
    }
    for (const Session::Conflict& c : *listed) {
      const Item& loser = c.conflict_item;
      if (json) {
        std::string line = absl::StrCat(
            "{\"session\":", JsonString(session.name),
            ",\"store\":", JsonString(c.store),
            ",\"mapping\":", JsonString(c.mapping),
            ",\"conflict_item\":", JsonString(loser.source_key.ToString()),
            ",\"subject\":", JsonString(subject(loser)),
            ",\"losing_version\":", JsonString(loser.change_key.ToString()));
        if (c.item.has_value()) {
          absl::StrAppend(&line, ",\"item\":",
                          JsonString(c.item->source_key.ToString()),
                          ",\"winning_version\":",
                          JsonString(c.item->change_key.ToString()));
        } else {
          absl::StrAppend(&line, ",\"item\":null");
        }
        out << line << "}\n";
        continue;
      }
      out << "session '" << session.name << "', " << c.store << ": \""
          << subject(loser) << "\": conflict item "
          << loser.source_key.ToString() << " (version "
          << loser.change_key.ToString() << ") lost to ";
      if (c.item.has_value()) {
        out << "item " << c.item->source_key.ToString() << " (version "
            << c.item->change_key.ToString() << ")\n";
      } else {
        out << "an item that is gone\n";
      }
    }
  }
  return kExitOk;
}

int ResolveCommand(const std::string& path,
                   const std::vector<std::string>& sessions,
                   const std::string& key_text, const std::string& keep,
                   std::ostream& out, std::ostream& err) {
  absl::StatusOr<SourceKey> key = SourceKey::Parse(key_text);
  if (!key.ok()) {
    err << "iorepl: " << key.status().message() << "\n";
    return kExitUsage;
  }
  Session::ConflictResolution how;
  if (keep == "mine") {
    how = Session::ConflictResolution::kKeepMine;
  } else if (keep == "theirs") {
    how = Session::ConflictResolution::kKeepTheirs;
  } else if (keep == "both") {
    how = Session::ConflictResolution::kKeepBoth;
  } else {
    err << "iorepl: --keep takes mine, theirs or both, not \"" << keep
        << "\"\n";
    return kExitUsage;
  }
  std::optional<std::vector<SessionConfig>> selected =
      LoadSessions(path, sessions, err);
  if (!selected.has_value()) return kExitUsage;
  for (const SessionConfig& session : *selected) {
    absl::StatusOr<std::unique_ptr<Session>> opened = Session::Open(session);
    if (!opened.ok()) {
      err << "iorepl: " << opened.status().message() << "\n";
      return kExitFailure;
    }
    absl::Status resolved = (*opened)->ResolveConflict(*key, how);
    if (absl::IsNotFound(resolved)) continue;
    if (!resolved.ok()) {
      err << "iorepl: " << resolved.message() << "\n";
      return kExitFailure;
    }
    out << "session '" << session.name << "': conflict item "
        << key->ToString() << " resolved (keep " << keep
        << "); the next pass replicates it\n";
    return kExitOk;
  }
  err << "iorepl: no selected session holds " << key->ToString()
      << " (see 'iorepl conflicts')\n";
  return kExitFailure;
}

int SkipCommand(const std::string& path,
                const std::vector<std::string>& sessions,
                const std::string& key_text, std::ostream& out,
                std::ostream& err) {
  absl::StatusOr<SourceKey> key = SourceKey::Parse(key_text);
  if (!key.ok()) {
    err << "iorepl: " << key.status().message() << "\n";
    return kExitUsage;
  }
  std::optional<std::vector<SessionConfig>> selected =
      LoadSessions(path, sessions, err);
  if (!selected.has_value()) return kExitUsage;
  bool found = false;
  for (const SessionConfig& session : *selected) {
    absl::StatusOr<std::unique_ptr<Session>> opened = Session::Open(session);
    if (!opened.ok()) {
      err << "iorepl: " << opened.status().message() << "\n";
      return kExitFailure;
    }
    absl::Status skipped = (*opened)->SkipRefused(*key);
    if (absl::IsNotFound(skipped)) continue;
    if (!skipped.ok()) {
      err << "iorepl: " << skipped.message() << "\n";
      return kExitFailure;
    }
    found = true;
    out << "session '" << session.name << "': " << key->ToString()
        << " skipped; the next pass takes the refused version as seen\n";
  }
  if (!found) {
    err << "iorepl: no selected session refused " << key->ToString()
        << " (see 'iorepl status')\n";
    return kExitFailure;
  }
  return kExitOk;
}

int ExportCommand(const std::string& path, const std::string& name,
                  const std::string& file, bool full, bool force,
                  std::ostream& out, std::ostream& err) {
  std::optional<ExchangeSetup> setup = SetUpExchange(path, name, err);
  if (!setup.has_value()) return kExitUsage;
  const SessionConfig* session = &setup->session;
  ExchangeOptions options = setup->options;
  options.full = full;
  options.overwrite = force;
  absl::StatusOr<std::unique_ptr<Store>> publisher =
      OpenWithCredential(*session, session->publisher);
  if (!publisher.ok()) {
    err << "iorepl: " << publisher.status().message() << "\n";
    return kExitFailure;
  }
  absl::StatusOr<ExchangeExportResult> result =
      ExportExchangeFile(*session, **publisher, file, options);
  if (!result.ok()) {
    err << "iorepl: export of session '" << session->name
        << "': " << result.status().message() << "\n";
    return result.status().code() == absl::StatusCode::kFailedPrecondition ||
                   result.status().code() == absl::StatusCode::kAlreadyExists
               ? kExitUsage
               : kExitFailure;
  }
  out << "exported " << result->entries << " change"
      << (result->entries == 1 ? "" : "s") << " of session '" << session->name
      << "' to " << file << " (" << result->bytes << " bytes"
      << (options.key.empty() ? ", SHA-256" : ", HMAC-SHA256") << ")\n";
  return kExitOk;
}

int ImportCommand(const std::string& path, const std::string& name,
                  const std::string& file, bool json, std::ostream& out,
                  std::ostream& err) {
  std::optional<ExchangeSetup> setup = SetUpExchange(path, name, err);
  if (!setup.has_value()) return kExitUsage;
  const LoadedConfig* config = &setup->config;
  const SessionConfig* session = &setup->session;
  const ExchangeOptions options = setup->options;
  Logger logger(out, err, json);
  SessionHooks hooks;
  hooks.log = [&](LogLevel, std::string_view line) {
    logger.Session(*session, line);
  };
  PassReport outcome;
  outcome.session = session->name;
  outcome.start = absl::Now();
  std::vector<std::unique_ptr<Store>> stores;
  std::vector<Store*> subscribers;
  for (const std::string& uri : session->subscribers) {
    absl::StatusOr<std::unique_ptr<Store>> store =
        OpenWithCredential(*session, uri);
    if (!store.ok()) {
      err << "iorepl: import refused, nothing changed: "
          << store.status().message() << "\n";
      return kExitFailure;
    }
    subscribers.push_back(store->get());
    stores.push_back(*std::move(store));
  }
  // The file and every subscriber are checked before any is written to.
  absl::StatusOr<std::vector<ExchangeImportResult>> results =
      ImportExchangeFile(*session, subscribers, file, options, hooks);
  if (!results.ok()) {
    err << "iorepl: import refused, nothing changed: "
        << results.status().message() << "\n";
    return ExitFor(results.status());
  }
  bool applied_anywhere = false;
  bool failed = false;
  for (size_t i = 0; i < results->size(); ++i) {
    const ExchangeImportResult& result = (*results)[i];
    if (result.already_applied) {
      logger.Session(*session,
                     absl::StrCat(file, " was applied before at subscriber ",
                                  i + 1, ": nothing changed"));
      continue;
    }
    applied_anywhere = true;
    outcome.stats.Merge(result.stats);
    if (!result.status.ok()) {
      // Said per subscriber, with what it committed: importing the file
      // again continues there.
      failed = true;
      const std::string line = absl::StrCat(
          "import stopped at subscriber ", i + 1, " after committing ",
          result.stats.message_changes, " item changes and ",
          result.stats.folder_changes,
          " folder changes (importing the file again continues): ",
          result.status.message());
      // The log shows it with the pass line, one line per subscriber.
      outcome.error += outcome.error.empty() ? line : absl::StrCat("\n", line);
    }
  }
  if (!applied_anywhere) {
    logger.Output(absl::StrCat(file, ": applied before; nothing changed"));
    return kExitOk;
  }
  outcome.stats.duration = absl::Now() - outcome.start;
  logger.Pass(*session, outcome);
  {
    if (absl::Status s = session_internal::RecordPass(config->status_path, *session,
                                                     outcome);
        !s.ok()) {
      logger.Session(*session,
                     absl::StrCat("status not recorded: ", s.message()));
    }
  }
  if (failed) return kExitFailure;
  return outcome.result() == PassReport::Result::kOk ? kExitOk : kExitFailure;
}

int ListCommand(const std::string& uri, const std::string& path,
                std::ostream& out, std::ostream& err) {
  absl::StatusOr<std::unique_ptr<Store>> store = OpenExistingStore(uri);
  if (!store.ok()) {
    err << "iorepl: " << store.status().message() << "\n";
    return kExitUsage;
  }
  absl::StatusOr<std::optional<Folder>> folder =
      FindFolderByPath(**store, path);
  if (!folder.ok() || !folder->has_value()) {
    err << "iorepl: " << RedactStoreUri(uri) << ": "
        << (folder.ok() ? absl::StrCat("no folder ", path)
                        : std::string(folder.status().message()))
        << "\n";
    return kExitUsage;
  }
  absl::StatusOr<std::vector<Folder>> children =
      (*store)->ListChildFolders((*folder)->source_key);
  absl::StatusOr<std::vector<SourceKey>> items =
      (*store)->ListItems((*folder)->source_key);
  if (!children.ok() || !items.ok()) {
    err << "iorepl: "
        << (children.ok() ? items.status() : children.status()).message()
        << "\n";
    return kExitFailure;
  }
  for (const Folder& child : *children) {
    out << "folder  " << EscapeFolderName(child.display_name) << "/\n";
  }
  for (const SourceKey& key : *items) {
    absl::StatusOr<Item> item = (*store)->GetItem(key);
    if (!item.ok()) {
      err << "iorepl: " << item.status().message() << "\n";
      return kExitFailure;
    }
    const PropValue* subject = item->properties.Get(kPropSubject);
    const PropValue* conflict = item->properties.Get(kPropInConflict);
    out << absl::StrFormat(
        "%-16s %-40s %7d bytes%s\n", item->message_class,
        subject != nullptr && std::holds_alternative<std::string>(*subject)
            ? absl::StrCat("\"", std::get<std::string>(*subject), "\"")
            : "(no subject)",
        item->ByteSize(),
        conflict != nullptr && std::holds_alternative<bool>(*conflict) &&
                std::get<bool>(*conflict)
            ? "  in conflict"
            : "");
  }
  return kExitOk;
}

}  // namespace ioreplication::iorepl
