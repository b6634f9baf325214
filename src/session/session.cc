// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "ioreplication/session.h"

#include <algorithm>
#include <functional>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/text.h"
#include "ioreplication/replica.h"
#include "session/freebusy_filter.h"
#include "session/import_options.h"
#include "session/session_state.h"
#include "session/verify.h"
#include "sync/direction.h"
#include "sync/folder_tree.h"
#include "sync/sync_state.h"

namespace ioreplication {
namespace {

using sync_internal::DirectionSpec;

std::string DirectionLabel(bool down, size_t subscriber) {
  return down ? absl::StrCat("publisher -> subscriber ", subscriber + 1)
              : absl::StrCat("subscriber ", subscriber + 1, " -> publisher");
}

// One direction of one mapping and subscriber, without hooks: the states'
// names, the roots and the options.
DirectionSpec BaseSpec(const SessionConfig& config,
                       const FolderMapping& mapping, size_t subscriber,
                       bool down, Store& pub, Store& sub,
                       const SourceKey& pub_root, const SourceKey& sub_root) {
  const std::string edge = absl::StrCat(
      config.name, "|", mapping.publisher_path, "|", mapping.subscriber_path,
      "|", config.subscribers[subscriber]);
  DirectionSpec spec;
  spec.source = down ? &pub : &sub;
  spec.dest = down ? &sub : &pub;
  spec.state_name = absl::StrCat("sync/", down ? "down/" : "up/", edge);
  if (mapping.direction == MappingDirection::kBidirectional) {
    spec.back_echo_name = absl::StrCat("echo/", down ? "up/" : "down/", edge);
    spec.own_echo_name = absl::StrCat("echo/", down ? "down/" : "up/", edge);
  }
  spec.import = session_internal::ImportOptionsFor(config.options, down);
  spec.import.source_root = down ? pub_root : sub_root;
  spec.import.dest_root = down ? sub_root : pub_root;
  spec.export_options.batch_size = config.options.batch_size;
  spec.export_options.batch_bytes = config.options.batch_bytes;
  return spec;
}

// Calls `fn(mapping label, direction label, destination, state name)` for
// every direction of every mapping and subscriber.
absl::Status ForEachDirection(
    const SessionConfig& config, Store& pub, const std::vector<Store*>& subs,
    const std::function<absl::Status(const std::string&, const std::string&,
                                     Store&, const std::string&)>& fn) {
  for (const FolderMapping& mapping : config.mappings) {
    const std::string label =
        absl::StrCat(mapping.publisher_path, " -> ", mapping.subscriber_path);
    for (size_t i = 0; i < subs.size(); ++i) {
      for (bool down : {true, false}) {
        if (!down && mapping.direction != MappingDirection::kBidirectional) {
          break;
        }
        const DirectionSpec spec = BaseSpec(config, mapping, i, down, pub,
                                            *subs[i], SourceKey(), SourceKey());
        if (absl::Status s =
                fn(label, DirectionLabel(down, i), *spec.dest, spec.state_name);
            !s.ok()) {
          return s;
        }
      }
    }
  }
  return absl::OkStatus();
}

std::string RightsText(std::optional<uint32_t> rights) {
  return rights ? absl::StrCat("0x", absl::Hex(*rights, absl::kZeroPad8))
                : std::string("none");
}

}  // namespace

Session::Session(std::unique_ptr<session_internal::SessionState> state)
    : state_(std::move(state)) {}

Session::~Session() = default;

void Session::set_hooks(SessionHooks hooks) {
  state_->hooks = std::move(hooks);
}
const SessionConfig& Session::config() const { return state_->config; }
const SessionStatistics& Session::last_run() const { return state_->last_run; }

namespace {

std::unique_ptr<session_internal::SessionState> StateOf(
    SessionConfig config, Store* publisher, std::vector<Store*> subscribers,
    std::vector<std::unique_ptr<Store>> owned) {
  auto state = std::make_unique<session_internal::SessionState>();
  state->config = std::move(config);
  state->publisher = publisher;
  state->subscribers = std::move(subscribers);
  state->owned = std::move(owned);
  return state;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Session>> Session::Open(
    SessionConfig config, const StoreOptions& store_options) {
  if (absl::Status s = ValidateSessionConfig(config); !s.ok()) return s;
  // Each store with its own credential, resolved now (never logged).
  auto options_for =
      [&](const std::string& uri) -> absl::StatusOr<StoreOptions> {
    StoreOptions options = store_options;
    for (const StoreCredential& credential : config.credentials) {
      if (credential.store != uri) continue;
      absl::StatusOr<std::string> secret = ResolveCredential(credential.source);
      if (!secret.ok()) return secret.status();
      options.credential = *std::move(secret);
    }
    return options;
  };
  std::vector<std::unique_ptr<Store>> owned;
  absl::StatusOr<StoreOptions> pub_options = options_for(config.publisher);
  if (!pub_options.ok()) {
    return absl::Status(
        pub_options.status().code(),
        absl::StrCat("publisher \"", RedactStoreUri(config.publisher),
                     "\": ", pub_options.status().message()));
  }
  absl::StatusOr<std::unique_ptr<Store>> publisher =
      OpenStore(config.publisher, *pub_options);
  if (!publisher.ok()) {
    return absl::Status(
        publisher.status().code(),
        absl::StrCat("publisher \"", RedactStoreUri(config.publisher),
                     "\": ", publisher.status().message()));
  }
  Store* pub = publisher->get();
  owned.push_back(*std::move(publisher));
  std::vector<Store*> subs;
  for (const std::string& uri : config.subscribers) {
    absl::StatusOr<StoreOptions> sub_options = options_for(uri);
    absl::StatusOr<std::unique_ptr<Store>> sub =
        sub_options.ok()
            ? OpenStore(uri, *sub_options)
            : absl::StatusOr<std::unique_ptr<Store>>(sub_options.status());
    if (!sub.ok()) {
      return absl::Status(sub.status().code(),
                          absl::StrCat("subscriber \"", RedactStoreUri(uri),
                                       "\": ", sub.status().message()));
    }
    subs.push_back(sub->get());
    owned.push_back(*std::move(sub));
  }
  return std::unique_ptr<Session>(new Session(
      StateOf(std::move(config), pub, std::move(subs), std::move(owned))));
}

absl::StatusOr<std::unique_ptr<Session>> Session::WithStores(
    SessionConfig config, Store* publisher, std::vector<Store*> subscribers) {
  if (absl::Status s = ValidateSessionConfig(config); !s.ok()) return s;
  if (publisher == nullptr) {
    return absl::InvalidArgumentError("the publisher store is null");
  }
  if (subscribers.size() != config.subscribers.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the configuration names ", config.subscribers.size(),
        " subscribers but ", subscribers.size(), " stores were given"));
  }
  for (Store* s : subscribers) {
    if (s == nullptr || s == publisher) {
      return absl::InvalidArgumentError(
          "a subscriber store is null or the publisher itself");
    }
  }
  return std::unique_ptr<Session>(new Session(
      StateOf(std::move(config), publisher, std::move(subscribers), {})));
}

absl::StatusOr<SessionStatistics> Session::Run() {
  state_->last_run = SessionStatistics();
  if (state_->config.options.conflict_policy == ConflictPolicy::kCallback &&
      !state_->hooks.conflict_callback) {
    // Refused before anything is read or written: every conflict would
    // otherwise be an error on every pass.
    return absl::FailedPreconditionError(absl::StrCat(
        "session '", state_->config.name,
        "': conflict_policy is CALLBACK but no conflict callback is set "
        "(SessionHooks::conflict_callback)"));
  }
  const absl::Time start = absl::Now();
  SessionStatistics& stats = state_->last_run;
  bool cancelled = false;
  auto stop = [&](absl::Status s) {
    stats.duration = absl::Now() - start;
    return s;
  };
  for (const FolderMapping& mapping : state_->config.mappings) {
    for (size_t i = 0; i < state_->subscribers.size() && !cancelled; ++i) {
      if (absl::Status s = RunMapping(mapping, i, stats, cancelled); !s.ok()) {
        return stop(s);
      }
    }
  }
  if (!cancelled &&
      state_->config.options.verify_interval > absl::ZeroDuration()) {
    if (absl::Status s = VerifyIfDue(stats); !s.ok()) return stop(s);
  }
  stats.duration = absl::Now() - start;
  return stats;
}

absl::Status Session::VerifyIfDue(SessionStatistics& stats) {
  // Due when the oldest verify of any mapping and subscriber is that old.
  const FileTime now = FileTime::FromAbslTime(absl::Now());
  std::vector<std::pair<Store*, std::string>> states;
  bool due = false;
  absl::Status status = ForEachDirection(
      state_->config, *state_->publisher, state_->subscribers,
      [&](const std::string&, const std::string& direction, Store& dest,
          const std::string& state_name) -> absl::Status {
        if (!absl::StartsWith(direction, "publisher")) return absl::OkStatus();
        absl::StatusOr<sync_internal::SyncState> state =
            sync_internal::LoadSyncState(dest, state_name);
        if (!state.ok()) return state.status();
        due |= now.ToAbslTime() - state->last_verify.ToAbslTime() >=
               state_->config.options.verify_interval;
        states.emplace_back(&dest, state_name);
        return absl::OkStatus();
      });
  if (!status.ok() || !due) return status;
  absl::StatusOr<VerifyReport> report = Verify(/*repair=*/true);
  if (!report.ok()) return report.status();
  stats.differences += report->differences.size();
  if (state_->hooks.log) {
    state_->hooks.log(
        LogLevel::kSummary,
        absl::StrCat(
            "session '", state_->config.name, "': verify compared ",
            report->folders, " folders and ", report->items,
            " item versions: ", report->differences.size(), " differences",
            report->differences.empty() ? ""
                                        : " (the next pass sends them again)"));
    for (const Difference& d : report->differences) {
      state_->hooks.log(
          LogLevel::kSummary,
          absl::StrCat("session '", state_->config.name, "', mapping ",
                       d.mapping, ", subscriber ", d.subscriber + 1, ": ",
                       d.folder ? "folder " : "message ",
                       d.source_key.ToString(), " in ",
                       d.path.empty() ? "/" : d.path, " differs: ", d.detail));
    }
  }
  for (const auto& entry : states) {
    // Named, not bound: lambdas may not capture structured bindings (clang
    // before 16).
    Store* const dest = entry.first;
    const std::string& name = entry.second;
    absl::Status s = sync_internal::Transact(*dest, [&]() -> absl::Status {
      absl::StatusOr<sync_internal::SyncState> state =
          sync_internal::LoadSyncState(*dest, name);
      if (!state.ok()) return state.status();
      state->last_verify = now;
      return dest->PutSyncState(name, sync_internal::EncodeSyncState(*state));
    });
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Session::Pending>> Session::CountPending() {
  std::vector<Pending> pending;
  for (const FolderMapping& mapping : state_->config.mappings) {
    absl::StatusOr<std::optional<Folder>> pub_root =
        FindFolderByPath(*state_->publisher, mapping.publisher_path);
    if (!pub_root.ok()) return pub_root.status();
    if (!pub_root->has_value()) continue;
    const std::string label =
        absl::StrCat(mapping.publisher_path, " -> ", mapping.subscriber_path);
    for (size_t i = 0; i < state_->subscribers.size(); ++i) {
      absl::StatusOr<std::optional<Folder>> sub_root =
          FindFolderByPath(*state_->subscribers[i], mapping.subscriber_path);
      if (!sub_root.ok()) return sub_root.status();
      // A subscriber folder not made yet: everything is pending down, and
      // nothing can be pending up.
      const SourceKey sub_key =
          sub_root->has_value() ? (*sub_root)->source_key : SourceKey();
      for (bool down : {true, false}) {
        if (!down && (mapping.direction != MappingDirection::kBidirectional ||
                      !sub_root->has_value())) {
          break;
        }
        const DirectionSpec spec =
            BaseSpec(state_->config, mapping, i, down, *state_->publisher,
                     *state_->subscribers[i], (*pub_root)->source_key, sub_key);
        absl::StatusOr<uint64_t> count = sync_internal::CountPending(spec);
        if (!count.ok()) return count.status();
        pending.push_back({label, DirectionLabel(down, i), *count});
      }
    }
  }
  return pending;
}

absl::StatusOr<std::vector<Session::Refused>> Session::ListRefused() {
  std::vector<Refused> refused;
  absl::Status status = ForEachDirection(
      state_->config, *state_->publisher, state_->subscribers,
      [&](const std::string& mapping, const std::string& direction, Store& dest,
          const std::string& state_name) -> absl::Status {
        absl::StatusOr<sync_internal::SyncState> state =
            sync_internal::LoadSyncState(dest, state_name);
        if (!state.ok()) return state.status();
        for (const sync_internal::Refusal& r : state->refused) {
          const bool skipped =
              std::find(state->skipped.begin(), state->skipped.end(),
                        std::pair(r.source_key, r.change_key)) !=
              state->skipped.end();
          refused.push_back({mapping, direction, r.source_key, r.folder,
                             r.reason, r.why, r.change_key, skipped});
        }
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return refused;
}

absl::Status Session::SkipRefused(const SourceKey& key) {
  bool found = false;
  absl::Status status = ForEachDirection(
      state_->config, *state_->publisher, state_->subscribers,
      [&](const std::string&, const std::string&, Store& dest,
          const std::string& state_name) -> absl::Status {
        return sync_internal::Transact(dest, [&]() -> absl::Status {
          absl::StatusOr<sync_internal::SyncState> state =
              sync_internal::LoadSyncState(dest, state_name);
          if (!state.ok()) return state.status();
          bool changed = false;
          for (const sync_internal::Refusal& r : state->refused) {
            if (r.source_key != key) continue;
            const std::pair skip(r.source_key, r.change_key);
            if (std::find(state->skipped.begin(), state->skipped.end(), skip) ==
                state->skipped.end()) {
              state->skipped.push_back(skip);
            }
            changed = found = true;
          }
          if (!changed) return absl::OkStatus();
          return dest.PutSyncState(state_name,
                                   sync_internal::EncodeSyncState(*state));
        });
      });
  if (!status.ok()) return status;
  if (!found) {
    return absl::NotFoundError(absl::StrCat("session '", state_->config.name,
                                            "' refused nothing of source key ",
                                            key.ToString()));
  }
  return absl::OkStatus();
}

absl::StatusOr<Session::VerifyReport> Session::Verify(bool repair) {
  VerifyReport report;
  for (const FolderMapping& mapping : state_->config.mappings) {
    const std::string label =
        absl::StrCat(mapping.publisher_path, " -> ", mapping.subscriber_path);
    absl::StatusOr<std::optional<Folder>> pub_root =
        FindFolderByPath(*state_->publisher, mapping.publisher_path);
    if (!pub_root.ok()) return pub_root.status();
    if (!pub_root->has_value()) continue;  // a Folder Error of every pass
    for (size_t i = 0; i < state_->subscribers.size(); ++i) {
      Store& sub = *state_->subscribers[i];
      absl::StatusOr<std::optional<Folder>> sub_root =
          FindFolderByPath(sub, mapping.subscriber_path);
      if (!sub_root.ok()) return sub_root.status();
      if (!sub_root->has_value()) {
        report.differences.push_back(
            {label, i, "", true, (*pub_root)->source_key,
             Difference::Kind::kMissingAtSubscriber,
             absl::StrCat("the subscriber has no folder ",
                          mapping.subscriber_path, " (no pass has run)")});
        continue;
      }
      session_internal::Resend resend;
      if (absl::Status s = session_internal::CompareTrees(
              *state_->publisher, (*pub_root)->source_key, sub,
              (*sub_root)->source_key, label, i, report, resend);
          !s.ok()) {
        return s;
      }
      if (!repair) continue;
      for (bool down : {true, false}) {
        if (!down && mapping.direction != MappingDirection::kBidirectional) {
          break;
        }
        const std::vector<SourceKey>& keys =
            down ? resend.from_publisher : resend.from_subscriber;
        if (keys.empty()) continue;
        const DirectionSpec spec =
            BaseSpec(state_->config, mapping, i, down, *state_->publisher, sub,
                     SourceKey(), SourceKey());
        absl::Status s =
            sync_internal::Transact(*spec.dest, [&]() -> absl::Status {
              absl::StatusOr<sync_internal::SyncState> state =
                  sync_internal::LoadSyncState(*spec.dest, spec.state_name);
              if (!state.ok()) return state.status();
              for (const SourceKey& key : keys) {
                if (std::find(state->resend.begin(), state->resend.end(),
                              key) == state->resend.end()) {
                  state->resend.push_back(key);
                }
              }
              return spec.dest->PutSyncState(
                  spec.state_name, sync_internal::EncodeSyncState(*state));
            });
        if (!s.ok()) return s;
      }
    }
  }
  return report;
}

absl::Status Session::RunMapping(const FolderMapping& mapping,
                                 size_t subscriber, SessionStatistics& stats,
                                 bool& cancelled) {
  Store& pub = *state_->publisher;
  Store& sub = *state_->subscribers[subscriber];
  const std::string label =
      absl::StrCat(mapping.publisher_path, " -> ", mapping.subscriber_path);
  auto log = [&](LogLevel level, std::string_view line) {
    if (state_->hooks.log &&
        (level == LogLevel::kSummary ||
         state_->config.logging.level == LogLevel::kDetail)) {
      state_->hooks.log(level, line);
    }
  };
  absl::StatusOr<std::optional<Folder>> pub_root =
      FindFolderByPath(pub, mapping.publisher_path);
  if (!pub_root.ok()) return pub_root.status();
  if (!pub_root->has_value()) {
    ++stats.folder_errors;
    stats.folder_error_reasons.Add(Reason::kParentMissing);
    log(LogLevel::kSummary,
        absl::StrCat("session '", state_->config.name, "', mapping ", label,
                     ": the publisher has no folder ", mapping.publisher_path));
    return absl::OkStatus();
  }
  absl::StatusOr<Folder> sub_root =
      sync_internal::EnsureFolderPath(sub, mapping.subscriber_path);
  if (!sub_root.ok()) return sub_root.status();

  // Folders whose rights for the replication account differ are held back,
  // each reported once as a Folder Error.
  absl::flat_hash_set<SourceKey> pub_blocked, sub_blocked;
  if (state_->config.options.require_matching_rights) {
    absl::StatusOr<absl::flat_hash_map<SourceKey, int>> tree =
        sync_internal::SubtreeDepths(pub, (*pub_root)->source_key);
    if (!tree.ok()) return tree.status();
    const std::string& account = state_->config.options.replication_account;
    for (const auto& [key, depth] : *tree) {
      absl::StatusOr<Folder> theirs = pub.GetFolder(key);
      if (!theirs.ok()) return theirs.status();
      const SourceKey sub_key = depth == 0 ? sub_root->source_key : key;
      absl::StatusOr<Folder> ours = sub.GetFolder(sub_key);
      if (absl::IsNotFound(ours.status())) continue;  // not there yet
      if (!ours.ok()) return ours.status();
      const std::optional<uint32_t> a = theirs->acl.Get(account);
      const std::optional<uint32_t> b = ours->acl.Get(account);
      if (a == b) continue;
      ++stats.folder_errors;
      stats.folder_error_reasons.Add(Reason::kPermissionMismatch);
      log(LogLevel::kSummary,
          absl::StrCat("session '", state_->config.name, "', mapping ", label,
                       ": folder \"", theirs->display_name, "\" (",
                       key.ToString(), ") not replicated: member \"", account,
                       "\" has rights ", RightsText(a),
                       " at the publisher and ", RightsText(b),
                       " at subscriber ", subscriber + 1));
      pub_blocked.insert(key);
      sub_blocked.insert(sub_key);
      if (depth == 0) {
        // The mapped root itself: nothing of the mapping replicates.
        return absl::OkStatus();
      }
    }
  }

  // Free/busy: the subscriber's recipient list decides what it gets.
  session_internal::ItemFilter filter;
  if (state_->config.type == SessionType::kFreeBusy) {
    absl::StatusOr<session_internal::ItemFilter> made =
        session_internal::FreeBusyFilter(
            sub, state_->config.options, subscriber,
            [&](std::string_view line) {
              log(LogLevel::kSummary,
                  absl::StrCat("session '", state_->config.name, "', mapping ",
                               label, ": ", core_internal::Sv(line)));
            });
    if (!made.ok()) return made.status();
    filter = *std::move(made);
  }

  const bool both = mapping.direction == MappingDirection::kBidirectional;
  auto make = [&](bool down) {
    DirectionSpec spec =
        BaseSpec(state_->config, mapping, subscriber, down, pub, sub,
                 (*pub_root)->source_key, sub_root->source_key);
    spec.import.callback = state_->hooks.conflict_callback;
    // Both ways of a bidirectional mapping log: each line says which way.
    const std::string where =
        both ? absl::StrCat(label, " (", DirectionLabel(down, subscriber), ")")
             : label;
    if (down) spec.import.item_filter = filter;
    spec.import.log = [log, where](std::string_view line) {
      log(LogLevel::kDetail,
          absl::StrCat("mapping ", where, ": ", core_internal::Sv(line)));
    };
    spec.import.error_log = [log, where](std::string_view line) {
      log(LogLevel::kSummary,
          absl::StrCat("mapping ", where, ": ", core_internal::Sv(line)));
    };
    spec.import.conflict_log = spec.import.error_log;
    if (state_->config.logging.log_each_message ||
        state_->config.logging.log_each_folder) {
      spec.import.replicated_log = [this, log, where](bool folder,
                                                      std::string_view line) {
        if (folder ? state_->config.logging.log_each_folder
                   : state_->config.logging.log_each_message) {
          log(LogLevel::kSummary,
              absl::StrCat("mapping ", where, ": ", core_internal::Sv(line)));
        }
      };
    }
    spec.export_options.blocked_folders = down ? pub_blocked : sub_blocked;
    spec.log = [log, where](std::string_view line) {
      log(LogLevel::kSummary,
          absl::StrCat("mapping ", where, ": ", core_internal::Sv(line)));
    };
    spec.now = [] { return FileTime::FromAbslTime(absl::Now()); };
    if (state_->hooks.progress) {
      spec.progress = [this, label,
                       direction =
                           DirectionLabel(down, subscriber)](uint64_t done) {
        return state_->hooks.progress(Progress{label, direction, done});
      };
    }
    return spec;
  };
  for (bool down : {true, false}) {
    if (!down && !both) break;
    sync_internal::DirectionResult result;
    const absl::Status status = sync_internal::RunDirection(make(down), result);
    // What was committed counts, also when the direction failed midway.
    stats.Merge(result.stats);
    if (!status.ok()) {
      return absl::Status(
          status.code(),
          absl::StrCat("session '", state_->config.name, "', mapping ", label,
                       ", ", down ? "publisher -> subscriber " : "subscriber ",
                       down ? absl::StrCat(subscriber + 1)
                            : absl::StrCat(subscriber + 1, " -> publisher"),
                       ": ", status.message()));
    }
    if (result.cancelled) {
      cancelled = true;
      break;
    }
  }
  return absl::OkStatus();
}

}  // namespace ioreplication
