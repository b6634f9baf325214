// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "service.h"

#include <atomic>
#include <memory>
#include <optional>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "cli.h"
#include "config_file.h"
#include "runner.h"
#include "session/schedule.h"
#include "signals.h"
#include "status_file.h"

namespace ioreplication::iorepl {
namespace {

using session_internal::Schedule;

struct Slot {
  SessionConfig config;
  Schedule schedule;
  std::optional<absl::Time> last_start;
  std::shared_ptr<std::atomic<bool>> running =
      std::make_shared<std::atomic<bool>>(false);
};

struct Worker {
  std::thread thread;
  std::shared_ptr<std::atomic<bool>> running;
};

absl::StatusOr<std::vector<Slot>> MakeSlots(const RunOptions& options,
                                            std::string* status_path) {
  absl::StatusOr<LoadedConfig> loaded = LoadConfigFile(options.config_path);
  if (!loaded.ok()) return loaded.status();
  absl::StatusOr<std::vector<SessionConfig>> selected =
      SelectSessions(*loaded, options.sessions);
  if (!selected.ok()) return selected.status();
  std::vector<Slot> slots;
  for (SessionConfig& config : *selected) {
    // Validated already, so the schedule parses.
    absl::StatusOr<Schedule> schedule = Schedule::Parse(config.schedule);
    if (!schedule.ok()) return schedule.status();
    slots.push_back({std::move(config), *schedule, std::nullopt});
  }
  *status_path = loaded->status_path;
  return slots;
}

std::string Names(const std::vector<Slot>& slots) {
  std::vector<std::string> names;
  for (const Slot& s : slots) names.push_back("'" + s.config.name + "'");
  return absl::StrJoin(names, ", ");
}

// One pass, then the record in the status file.
void PassAndRecord(const SessionConfig& config, RunEnvironment& env,
                   const std::string& status_path, PassOutcome* result) {
  PassOutcome outcome = RunPass(config, env);
  if (absl::Status s = RecordPass(status_path, config, outcome); !s.ok()) {
    env.logger->Session(config,
                        absl::StrCat("status not recorded: ", s.message()));
  }
  if (result != nullptr) *result = std::move(outcome);
}

int RunOnce(std::vector<Slot>& slots, RunEnvironment& env,
            const std::string& status_path) {
  std::vector<PassOutcome> outcomes(slots.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < slots.size(); ++i) {
    threads.emplace_back(PassAndRecord, std::cref(slots[i].config),
                         std::ref(env), std::cref(status_path), &outcomes[i]);
  }
  for (std::thread& t : threads) t.join();
  bool errors = false, interrupted = false;
  for (const PassOutcome& o : outcomes) {
    errors |= o.Result() == "failed" || o.Result() == "errors";
    interrupted |= o.interrupted;
  }
  if (errors) return kExitFailure;
  return interrupted ? kExitInterrupted : kExitOk;
}

int Serve(const RunOptions& options, std::vector<Slot> slots,
          RunEnvironment& env, std::string status_path) {
  Logger& logger = *env.logger;
  logger.Service(absl::StrCat("service started: ", options.config_path, ", ",
                              slots.size(), " session",
                              slots.size() == 1 ? "" : "s", " (", Names(slots),
                              "), status in ", status_path));
  auto announce = [&] {
    for (const Slot& s : slots) {
      if (!s.schedule.automatic()) {
        logger.Session(s.config,
                       "no schedule interval: runs only with iorepl run "
                       "--once");
      }
    }
  };
  announce();
  std::vector<Worker> workers;
  const absl::TimeZone zone = absl::LocalTimeZone();
  while (!StopRequested()) {
    if (TakeReloadRequest()) {
      logger.ReopenFiles();
      std::string new_status_path;
      absl::StatusOr<std::vector<Slot>> fresh =
          MakeSlots(options, &new_status_path);
      if (!fresh.ok()) {
        logger.Service(
            absl::StrCat("reload of ", options.config_path,
                         " failed; keeping the previous configuration:\n",
                         fresh.status().message()));
      } else {
        for (Slot& slot : *fresh) {
          for (const Slot& old : slots) {
            if (old.config.name != slot.config.name) continue;
            slot.last_start = old.last_start;
            slot.running = old.running;
          }
        }
        slots = *std::move(fresh);
        status_path = new_status_path;
        logger.Service(absl::StrCat("configuration reloaded: ", slots.size(),
                                    " session", slots.size() == 1 ? "" : "s",
                                    " (", Names(slots), ")"));
        announce();
      }
    }
    const absl::Time now = absl::Now();
    for (Slot& slot : slots) {
      if (slot.running->load()) continue;
      if (slot.schedule.NextRun(slot.last_start, now, zone) > now) continue;
      slot.last_start = now;
      slot.running->store(true);
      workers.push_back(
          {std::thread([config = slot.config, running = slot.running, &env,
                        status_path] {
             PassAndRecord(config, env, status_path, nullptr);
             running->store(false);
           }),
           slot.running});
    }
    std::erase_if(workers, [](Worker& w) {
      if (w.running->load()) return false;
      w.thread.join();
      return true;
    });
    absl::SleepFor(absl::Milliseconds(100));
  }
  const size_t busy =
      std::count_if(workers.begin(), workers.end(),
                    [](const Worker& w) { return w.running->load(); });
  logger.Service(absl::StrCat("stopping: ", busy, " running pass",
                              busy == 1 ? "" : "es",
                              " finish their current batch"));
  for (Worker& w : workers) w.thread.join();
  logger.Service("service stopped");
  return kExitOk;
}

}  // namespace

int RunSessions(const RunOptions& options, std::ostream& out,
                std::ostream& err) {
  std::string status_path;
  absl::StatusOr<std::vector<Slot>> slots = MakeSlots(options, &status_path);
  if (!slots.ok()) {
    err << "iorepl: " << slots.status().message() << "\n";
    return kExitUsage;
  }
  InstallSignalHandlers();
  Logger logger(out, err, options.json);
  FolderLocks locks;
  ProgressDisplay progress(err, options.terminal && !options.json);
  RunEnvironment env{&logger, &locks, &progress,
                     [] { return StopRequested(); }};
  if (options.once) return RunOnce(*slots, env, status_path);
  return Serve(options, *std::move(slots), env, status_path);
}

}  // namespace ioreplication::iorepl
