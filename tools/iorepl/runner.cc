// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "runner.h"

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace ioreplication::iorepl {

SessionConfig ForSubscriber(const SessionConfig& config, size_t i) {
  SessionConfig one = config;
  one.subscribers = {config.subscribers[i]};
  one.max_tasks = 1;
  std::erase_if(one.credentials, [&](const StoreCredential& c) {
    return c.store != one.publisher && c.store != one.subscribers[0];
  });
  return one;
}

namespace {

// One subscriber's part of the pass.
void RunTask(const SessionConfig& config, size_t subscriber,
             RunEnvironment& env, std::mutex& mu, PassOutcome& outcome) {
  const SessionConfig one = ForSubscriber(config, subscriber);
  const std::string who =
      config.subscribers.size() == 1
          ? std::string()
          : absl::StrCat("subscriber ", subscriber + 1, ": ");
  auto log = [&](std::string_view line) {
    env.logger->Session(config, absl::StrCat(who, std::string(line)));
  };
  auto fail = [&](const absl::Status& status) {
    std::lock_guard<std::mutex> lock(mu);
    if (!outcome.error.empty()) outcome.error += "; ";
    outcome.error += absl::StrCat(who, status.message());
  };
  std::unique_ptr<FolderLocks::Hold> hold = env.locks->Acquire(
      config.name, TreesWritten(config, subscriber), env.stop_requested,
      [&](const std::string& other) {
        log(absl::StrCat("waiting for session '", other,
                         "', which writes the same folders"));
      });
  if (hold == nullptr) {
    std::lock_guard<std::mutex> lock(mu);
    outcome.interrupted = true;
    return;
  }
  absl::StatusOr<std::unique_ptr<Session>> session = Session::Open(one);
  if (!session.ok()) return fail(session.status());
  bool cancelled = false;
  SessionHooks hooks;
  hooks.log = [&](LogLevel, std::string_view line) { log(line); };
  uint64_t reported = 0;
  hooks.progress = [&](const Progress& p) {
    if (env.progress != nullptr) {
      // `done` counts within one direction; report the increase.
      const uint64_t step = p.done >= reported ? p.done - reported : p.done;
      reported = p.done;
      env.progress->Advance(config.name, step);
    }
    if (env.stop_requested && env.stop_requested()) cancelled = true;
    return !cancelled;
  };
  (*session)->set_hooks(std::move(hooks));
  absl::StatusOr<SessionStatistics> stats = (*session)->Run();
  {
    // What the task committed counts, also when it failed midway; the
    // pass's wall time is set at the end.
    std::lock_guard<std::mutex> lock(mu);
    const absl::Duration duration = outcome.stats.duration;
    outcome.stats.Merge((*session)->last_run());
    outcome.stats.duration = duration;
    if (stats.ok() && cancelled) outcome.interrupted = true;
  }
  if (!stats.ok()) fail(stats.status());
}

// What the pass will send, for the progress display (it reads what the
// pass reads, so only worth it on a terminal).
uint64_t PendingTotal(const SessionConfig& config) {
  uint64_t total = 0;
  for (size_t i = 0; i < config.subscribers.size(); ++i) {
    absl::StatusOr<std::unique_ptr<Session>> session =
        Session::Open(ForSubscriber(config, i));
    if (!session.ok()) continue;
    absl::StatusOr<std::vector<Session::Pending>> pending =
        (*session)->CountPending();
    if (!pending.ok()) continue;
    for (const Session::Pending& p : *pending) total += p.changes;
  }
  return total;
}

}  // namespace

PassOutcome RunPass(const SessionConfig& config, RunEnvironment& env) {
  PassOutcome outcome;
  outcome.start = absl::Now();
  if (env.progress != nullptr && env.progress->enabled()) {
    env.progress->Start(config.name, PendingTotal(config));
  }
  std::mutex mu;
  std::atomic<size_t> next{0};
  const size_t n = config.subscribers.size();
  const size_t workers =
      std::min<size_t>(std::max<uint32_t>(config.max_tasks, 1), n);
  auto work = [&] {
    for (size_t i = next++; i < n; i = next++) {
      if (env.stop_requested && env.stop_requested()) {
        std::lock_guard<std::mutex> lock(mu);
        outcome.interrupted = true;
        return;
      }
      RunTask(config, i, env, mu, outcome);
    }
  };
  std::vector<std::thread> threads;
  for (size_t w = 1; w < workers; ++w) threads.emplace_back(work);
  work();
  for (std::thread& t : threads) t.join();
  outcome.stats.duration = absl::Now() - outcome.start;
  if (env.progress != nullptr) env.progress->Finish(config.name);
  env.logger->Pass(config, outcome);
  return outcome;
}

}  // namespace ioreplication::iorepl
