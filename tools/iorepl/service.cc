// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "service.h"

#include <atomic>
#include <memory>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "cli.h"
#include "config_file.h"
#include "ioreplication/service.h"
#include "group_runner.h"
#include "logger.h"
#include "progress_display.h"
#include "signals.h"

namespace ioreplication::iorepl {
namespace {

absl::StatusOr<std::vector<SessionConfig>> LoadSessions(
    const RunOptions& options, std::string* status_path,
    std::string* lock_path = nullptr) {
  absl::StatusOr<LoadedConfig> loaded = LoadConfigFile(options.config_path);
  if (!loaded.ok()) return loaded.status();
  absl::StatusOr<std::vector<SessionConfig>> selected =
      SelectSessions(*loaded, options.sessions);
  if (!selected.ok()) return selected.status();
  if (status_path != nullptr) *status_path = loaded->status_path;
  if (lock_path != nullptr) *lock_path = loaded->lock_path;
  return selected;
}

std::string Names(const std::vector<SessionConfig>& sessions) {
  std::vector<std::string> names;
  for (const SessionConfig& s : sessions) names.push_back("'" + s.name + "'");
  return absl::StrJoin(names, ", ");
}

std::string Count(size_t n) {
  return absl::StrCat(n, " session", n == 1 ? "" : "s");
}

void AnnounceManualSessions(const std::vector<SessionConfig>& sessions,
                            Logger& logger) {
  for (const SessionConfig& s : sessions) {
    if (s.schedule.interval <= absl::ZeroDuration()) {
      logger.Session(s,
                     "no schedule interval: runs only with iorepl run "
                     "--once");
    }
  }
}

int ExitFor(const std::vector<PassReport>& reports) {
  bool errors = false, interrupted = false;
  for (const PassReport& r : reports) {
    errors |= r.result() == PassReport::Result::kFailed ||
              r.result() == PassReport::Result::kErrors;
    interrupted |= r.result() == PassReport::Result::kInterrupted;
  }
  if (errors) return kExitFailure;
  return interrupted ? kExitInterrupted : kExitOk;
}

// The service until SIGTERM or SIGINT; SIGHUP rereads the file.
// The file's replica groups for `iorepl run`: all of them, unless sessions
// were named (then none).
absl::StatusOr<std::vector<GroupFileConfig>> LoadGroups(const RunOptions& options) {
  if (!options.sessions.empty()) return std::vector<GroupFileConfig>();
  return LoadGroupConfigs(options.config_path, {}, /*allow_none=*/true);
}

absl::StatusOr<std::unique_ptr<GroupRunner>> OpenGroups(
    const std::vector<GroupFileConfig>& groups, const std::string& lock_path,
    Logger& logger) {
  return GroupRunner::Open(groups, lock_path,
                           [&logger](std::string_view line) { logger.Service(line); });
}

int Serve(const RunOptions& options, Service& service, Logger& logger,
          const std::string& status_path, const std::string& lock_path,
          std::vector<GroupFileConfig> group_configs,
          std::unique_ptr<GroupRunner> groups) {
  const std::vector<SessionConfig> sessions = service.sessions();
  logger.Service(absl::StrCat("service started: ", options.config_path, ", ",
                              Count(sessions.size()), " (", Names(sessions),
                              "), status in ", status_path));
  AnnounceManualSessions(sessions, logger);
  if (groups->size() > 0) {
    logger.Service(absl::StrCat("replica groups: ",
                                absl::StrJoin(groups->names(), ", ")));
  }
  if (absl::Status s = service.Start(); !s.ok()) {
    logger.Service(absl::StrCat("service not started: ", s.message()));
    return kExitFailure;
  }
  while (!StopRequested()) {
    if (TakeReloadRequest()) {
      logger.ReopenFiles();
      std::string fresh_status_path;
      absl::StatusOr<std::vector<SessionConfig>> fresh =
          LoadSessions(options, &fresh_status_path);
      absl::Status reloaded = fresh.status();
      if (reloaded.ok() && fresh_status_path != status_path) {
        reloaded = absl::InvalidArgumentError(absl::StrCat(
            "the status file cannot change while the service runs (",
            status_path, " -> ", fresh_status_path, ")"));
      }
      if (reloaded.ok()) reloaded = service.Reload(*fresh);
      if (!reloaded.ok()) {
        logger.Service(
            absl::StrCat("reload of ", options.config_path,
                         " failed; keeping the previous configuration:\n",
                         reloaded.message()));
      } else {
        logger.Service(
            absl::StrCat("configuration reloaded: ", Count(fresh->size()), " (",
                         Names(*fresh), ")"));
        AnnounceManualSessions(*fresh, logger);
      }
      // Groups: the old members let go of their locks first (a lock is per
      // open file, so this process could not take them twice).
      absl::StatusOr<std::vector<GroupFileConfig>> fresh_groups =
          LoadGroups(options);
      if (!fresh_groups.ok()) {
        logger.Service(absl::StrCat("reload of the replica groups failed; "
                                    "keeping the previous ones:\n",
                                    fresh_groups.status().message()));
      } else {
        groups.reset();
        absl::StatusOr<std::unique_ptr<GroupRunner>> reopened =
            OpenGroups(*fresh_groups, lock_path, logger);
        if (reopened.ok()) {
          group_configs = *std::move(fresh_groups);
        } else {
          logger.Service(absl::StrCat("replica groups not reloaded: ",
                                      reopened.status().message(),
                                      "; running the previous ones"));
          reopened = OpenGroups(group_configs, lock_path, logger);
        }
        if (reopened.ok()) {
          groups = *std::move(reopened);
        } else {
          logger.Service(absl::StrCat("replica groups stopped: ",
                                      reopened.status().message()));
          groups = *GroupRunner::Open({}, "", nullptr);
        }
      }
    }
    groups->Tick(absl::Now());
    absl::SleepFor(absl::Milliseconds(100));
  }
  service.Stop();
  logger.Service("service stopped");
  return kExitOk;
}

}  // namespace

int RunSessions(const RunOptions& options, std::ostream& out,
                std::ostream& err) {
  std::string status_path, lock_path;
  absl::StatusOr<std::vector<SessionConfig>> sessions =
      LoadSessions(options, &status_path, &lock_path);
  if (!sessions.ok()) {
    err << "iorepl: " << sessions.status().message() << "\n";
    return kExitUsage;
  }
  absl::StatusOr<std::vector<GroupFileConfig>> group_configs = LoadGroups(options);
  if (!group_configs.ok()) {
    err << ProblemsIn(options.config_path, group_configs.status()) << "\n";
    return kExitUsage;
  }
  InstallSignalHandlers();
  Logger logger(out, err, options.json);
  absl::StatusOr<std::unique_ptr<GroupRunner>> groups =
      OpenGroups(*group_configs, lock_path, logger);
  if (!groups.ok()) {
    err << "iorepl: " << groups.status().message() << "\n";
    return absl::IsInvalidArgument(groups.status()) ? kExitUsage : kExitFailure;
  }
  ProgressDisplay progress(err, options.terminal && !options.json);
  ServiceOptions service_options;
  service_options.status_file = status_path;
  service_options.lock_directory = lock_path;
  service_options.count_pending = progress.enabled();
  ServiceHooks hooks;
  hooks.service_log = [&](std::string_view line) { logger.Service(line); };
  hooks.session_log = [&](const SessionConfig& config, LogLevel,
                          std::string_view line) {
    logger.Session(config, line);
  };
  hooks.pass_started = [&](const SessionConfig& config, uint64_t pending) {
    if (progress.enabled()) progress.Start(config.name, pending);
  };
  hooks.progress = [&](const SessionConfig& config, uint64_t changes) {
    progress.Advance(config.name, changes);
  };
  hooks.pass_finished = [&](const SessionConfig& config,
                            const PassReport& report) {
    progress.Finish(config.name);
    logger.Pass(config, report);
  };
  absl::StatusOr<std::unique_ptr<Service>> service =
      Service::Create(*std::move(sessions), service_options, hooks);
  if (!service.ok()) {
    err << "iorepl: " << service.status().message() << "\n";
    return kExitUsage;
  }
  if (!options.once) {
    return Serve(options, **service, logger, status_path, lock_path,
                 *std::move(group_configs), *std::move(groups));
  }
  // A signal stops the passes after their current batch.
  std::atomic<bool> done{false};
  std::thread watcher([&] {
    while (!done.load()) {
      if (StopRequested()) {
        (*service)->RequestStop();
        return;
      }
      absl::SleepFor(absl::Milliseconds(50));
    }
  });
  absl::StatusOr<std::vector<PassReport>> reports = (*service)->RunOnce();
  done = true;
  watcher.join();
  if (!reports.ok()) {
    err << "iorepl: " << reports.status().message() << "\n";
    return kExitUsage;
  }
  // One tick of each group after the sessions' passes.
  const bool groups_ok = StopRequested() || (*groups)->Tick(absl::Now(), true);
  const int exit = ExitFor(*reports);
  return exit == kExitOk && !groups_ok ? kExitFailure : exit;
}

}  // namespace ioreplication::iorepl
