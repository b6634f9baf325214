// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "ioreplication/service.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <list>
#include <mutex>
#include <thread>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "ioreplication/session.h"
#include "session/folder_locks.h"
#include "session/schedule.h"
#include "session/status_file.h"

namespace ioreplication {

PassReport::Result PassReport::result() const {
  if (!error.empty()) return Result::kFailed;
  if (interrupted) return Result::kInterrupted;
  if (stats.message_errors + stats.folder_errors > 0) return Result::kErrors;
  return Result::kOk;
}

std::string_view PassResultName(PassReport::Result result) {
  switch (result) {
    case PassReport::Result::kOk:
      return "ok";
    case PassReport::Result::kErrors:
      return "errors";
    case PassReport::Result::kFailed:
      return "failed";
    case PassReport::Result::kInterrupted:
      return "interrupted";
  }
  return "failed";
}

absl::StatusOr<std::vector<PassReport>> ReadPassRecords(
    const std::string& status_file) {
  absl::StatusOr<std::map<std::string, v1::SessionRunStatus>> records =
      session_internal::ReadStatusFile(status_file);
  if (!records.ok()) return records.status();
  std::vector<PassReport> reports;
  for (const auto& [name, record] : *records) {
    reports.push_back(session_internal::PassReportOf(record));
  }
  return reports;
}

namespace {

using session_internal::FolderLocks;
using session_internal::Schedule;

// The session restricted to subscriber `i` (and its credentials).
SessionConfig ForSubscriber(const SessionConfig& config, size_t i) {
  SessionConfig one = config;
  one.subscribers = {config.subscribers[i]};
  one.max_tasks = 1;
  std::erase_if(one.credentials, [&](const StoreCredential& c) {
    return c.store != one.publisher && c.store != one.subscribers[0];
  });
  return one;
}

struct Slot {
  SessionConfig config;
  Schedule schedule;
  std::optional<absl::Time> last_start;
  std::optional<PassReport> last_pass;
  bool running = false;
};

absl::StatusOr<std::vector<Slot>> MakeSlots(
    std::vector<SessionConfig> sessions) {
  std::vector<std::string> problems;
  absl::flat_hash_set<std::string> names;
  std::vector<Slot> slots;
  for (SessionConfig& config : sessions) {
    const std::string who = absl::StrCat("session '", config.name, "': ");
    if (!names.insert(config.name).second) {
      problems.push_back(absl::StrCat(who, "a second session of this name"));
      continue;
    }
    if (absl::Status s = ValidateSessionConfig(config); !s.ok()) {
      problems.push_back(absl::StrCat(who, s.message()));
      continue;
    }
    absl::StatusOr<Schedule> schedule = Schedule::Parse(config.schedule);
    if (!schedule.ok()) {
      problems.push_back(absl::StrCat(who, schedule.status().message()));
      continue;
    }
    slots.push_back(
        {std::move(config), *schedule, std::nullopt, std::nullopt, false});
  }
  if (!problems.empty()) {
    return absl::InvalidArgumentError(absl::StrJoin(problems, "\n"));
  }
  return slots;
}

}  // namespace

class Service::Impl {
 public:
  Impl(std::vector<Slot> slots, ServiceOptions options, ServiceHooks hooks)
      : options_(std::move(options)),
        hooks_(std::move(hooks)),
        locks_(options_.lock_directory, options_.tick),
        slots_(std::move(slots)) {
    LoadRecordedPasses();
  }

  ~Impl() { Stop(); }

  absl::StatusOr<std::vector<PassReport>> RunOnce(
      const std::vector<std::string>& names);
  absl::Status Start();
  void RequestStop() {
    stop_ = true;
    changed_.notify_all();
  }
  void Stop();
  bool stop_requested() const { return stop_.load(); }
  absl::Status Reload(std::vector<Slot> fresh);
  std::vector<SessionRunStatus> Status() const;
  std::vector<SessionConfig> sessions() const {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<SessionConfig> out;
    for (const Slot& slot : slots_) out.push_back(slot.config);
    return out;
  }

 private:
  void LoadRecordedPasses();
  void SchedulerLoop();
  // One pass of `config`, recorded and reported; `slot_name` is marked not
  // running at the end.
  PassReport RunPassAndRecord(const SessionConfig& config);
  PassReport RunPass(const SessionConfig& config);
  void RunTask(const SessionConfig& config, size_t subscriber, std::mutex& mu,
               PassReport& report);
  uint64_t PendingTotal(const SessionConfig& config);
  void Finished(const std::string& name, const PassReport& report);
  Slot* Find(const std::string& name) {
    for (Slot& slot : slots_) {
      if (slot.config.name == name) return &slot;
    }
    return nullptr;
  }
  void ServiceLog(std::string_view line) {
    if (hooks_.service_log) hooks_.service_log(line);
  }

  const ServiceOptions options_;
  const ServiceHooks hooks_;
  FolderLocks locks_;
  std::atomic<bool> stop_{false};

  mutable std::mutex mu_;
  std::condition_variable changed_;  // a pass ended, or stop
  std::vector<Slot> slots_;
  bool started_ = false;
  std::thread scheduler_;
  // Passes the scheduler started; each sets its flag when done.
  struct Worker {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };
  std::list<Worker> workers_;  // touched by the scheduler thread only
};

void Service::Impl::LoadRecordedPasses() {
  if (options_.status_file.empty()) return;
  absl::StatusOr<std::vector<PassReport>> recorded =
      ReadPassRecords(options_.status_file);
  if (!recorded.ok()) return;  // a damaged file is replaced by the next pass
  for (PassReport& report : *recorded) {
    if (Slot* slot = Find(report.session)) slot->last_pass = std::move(report);
  }
}

uint64_t Service::Impl::PendingTotal(const SessionConfig& config) {
  uint64_t total = 0;
  for (size_t i = 0; i < config.subscribers.size(); ++i) {
    absl::StatusOr<std::unique_ptr<Session>> session =
        Session::Open(ForSubscriber(config, i), options_.store_options);
    if (!session.ok()) continue;  // the pass says why
    absl::StatusOr<std::vector<Session::Pending>> pending =
        (*session)->CountPending();
    if (!pending.ok()) continue;
    for (const Session::Pending& p : *pending) total += p.changes;
  }
  return total;
}

void Service::Impl::RunTask(const SessionConfig& config, size_t subscriber,
                            std::mutex& mu, PassReport& report) {
  const SessionConfig one = ForSubscriber(config, subscriber);
  const std::string who =
      config.subscribers.size() == 1
          ? std::string()
          : absl::StrCat("subscriber ", subscriber + 1, ": ");
  auto log = [&](LogLevel level, std::string_view line) {
    if (hooks_.session_log) {
      hooks_.session_log(config, level, who + std::string(line));
    }
  };
  auto fail = [&](const absl::Status& status) {
    std::lock_guard<std::mutex> lock(mu);
    if (!report.error.empty()) report.error += "; ";
    report.error += absl::StrCat(who, status.message());
  };
  absl::StatusOr<std::unique_ptr<FolderLocks::Hold>> hold = locks_.Acquire(
      config.name, session_internal::TreesWritten(config, subscriber),
      [this] { return stop_.load(); },
      [&](const std::string& other) {
        log(LogLevel::kSummary,
            other == FolderLocks::kAnotherProcess
                ? std::string("waiting for another process, which writes the "
                              "same folders")
                : absl::StrCat("waiting for session '", other,
                               "', which writes the same folders"));
      });
  if (absl::IsCancelled(hold.status())) {
    std::lock_guard<std::mutex> lock(mu);
    report.interrupted = true;
    return;
  }
  if (!hold.ok()) return fail(hold.status());
  absl::StatusOr<std::unique_ptr<Session>> session =
      Session::Open(one, options_.store_options);
  if (!session.ok()) return fail(session.status());
  bool cancelled = false;
  SessionHooks hooks;
  hooks.log = log;
  uint64_t reported = 0;
  hooks.progress = [&](const Progress& p) {
    if (hooks_.progress) {
      // `done` counts within one direction; report the increase.
      const uint64_t step = p.done >= reported ? p.done - reported : p.done;
      reported = p.done;
      hooks_.progress(config, step);
    }
    if (stop_.load()) cancelled = true;
    return !cancelled;
  };
  (*session)->set_hooks(std::move(hooks));
  absl::StatusOr<SessionStatistics> stats = (*session)->Run();
  {
    // What the task committed counts, also when it failed midway; the
    // pass's wall time is set at the end.
    std::lock_guard<std::mutex> lock(mu);
    const absl::Duration duration = report.stats.duration;
    report.stats.Merge((*session)->last_run());
    report.stats.duration = duration;
    if (stats.ok() && cancelled) report.interrupted = true;
  }
  if (!stats.ok()) fail(stats.status());
}

PassReport Service::Impl::RunPass(const SessionConfig& config) {
  PassReport report;
  report.session = config.name;
  report.start = absl::Now();
  if (hooks_.pass_started) {
    hooks_.pass_started(config,
                        options_.count_pending ? PendingTotal(config) : 0);
  }
  std::mutex mu;
  std::atomic<size_t> next{0};
  const size_t n = config.subscribers.size();
  const size_t tasks =
      std::min<size_t>(std::max<uint32_t>(config.max_tasks, 1), n);
  auto work = [&] {
    for (size_t i = next++; i < n; i = next++) {
      if (stop_.load()) {
        std::lock_guard<std::mutex> lock(mu);
        report.interrupted = true;
        return;
      }
      RunTask(config, i, mu, report);
    }
  };
  std::vector<std::thread> threads;
  for (size_t t = 1; t < tasks; ++t) threads.emplace_back(work);
  work();
  for (std::thread& t : threads) t.join();
  report.stats.duration = absl::Now() - report.start;
  return report;
}

PassReport Service::Impl::RunPassAndRecord(const SessionConfig& config) {
  PassReport report = RunPass(config);
  if (!options_.status_file.empty()) {
    if (absl::Status s =
            session_internal::RecordPass(options_.status_file, config, report);
        !s.ok() && hooks_.session_log) {
      hooks_.session_log(config, LogLevel::kSummary,
                         absl::StrCat("status not recorded: ", s.message()));
    }
  }
  if (hooks_.pass_finished) hooks_.pass_finished(config, report);
  Finished(config.name, report);
  return report;
}

void Service::Impl::Finished(const std::string& name,
                             const PassReport& report) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (Slot* slot = Find(name)) {
      slot->running = false;
      slot->last_pass = report;
    }
  }
  changed_.notify_all();
}

absl::StatusOr<std::vector<PassReport>> Service::Impl::RunOnce(
    const std::vector<std::string>& names) {
  std::vector<SessionConfig> configs;
  {
    std::unique_lock<std::mutex> lock(mu_);
    std::vector<std::string> wanted = names;
    if (wanted.empty()) {
      for (const Slot& slot : slots_) wanted.push_back(slot.config.name);
    }
    for (const std::string& name : wanted) {
      if (Find(name) == nullptr) {
        return absl::NotFoundError(
            absl::StrCat("no session named '", name, "' is configured"));
      }
    }
    // A session never overlaps itself: wait for scheduled passes of these
    // sessions to end, then claim them all at once.
    changed_.wait(lock, [&] {
      if (stop_.load()) return true;
      for (const std::string& name : wanted) {
        const Slot* slot = Find(name);
        if (slot != nullptr && slot->running) return false;
      }
      return true;
    });
    for (const std::string& name : wanted) {
      Slot* slot = Find(name);
      if (slot == nullptr) {
        return absl::NotFoundError(absl::StrCat(
            "session '", name, "' was removed by a reload while waiting"));
      }
      slot->running = true;
      slot->last_start = absl::Now();
      configs.push_back(slot->config);
    }
  }
  std::vector<PassReport> reports(configs.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < configs.size(); ++i) {
    threads.emplace_back([&, i] { reports[i] = RunPassAndRecord(configs[i]); });
  }
  for (std::thread& t : threads) t.join();
  return reports;
}

absl::Status Service::Impl::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (stop_.load()) {
    return absl::FailedPreconditionError("the service was stopped");
  }
  if (started_)
    return absl::FailedPreconditionError("the service runs already");
  started_ = true;
  scheduler_ = std::thread([this] { SchedulerLoop(); });
  return absl::OkStatus();
}

void Service::Impl::SchedulerLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_.load()) {
    const absl::Time now = absl::Now();
    for (Slot& slot : slots_) {
      if (slot.running) continue;
      if (slot.schedule.NextRun(slot.last_start, now, options_.time_zone) >
          now) {
        continue;
      }
      slot.last_start = now;
      slot.running = true;
      auto done = std::make_shared<std::atomic<bool>>(false);
      workers_.push_back({std::thread([this, config = slot.config, done] {
                            RunPassAndRecord(config);
                            done->store(true);
                          }),
                          done});
    }
    for (auto it = workers_.begin(); it != workers_.end();) {
      if (!it->done->load()) {
        ++it;
        continue;
      }
      it->thread.join();
      it = workers_.erase(it);
    }
    changed_.wait_for(lock, absl::ToChronoMilliseconds(options_.tick));
  }
  const size_t busy = std::count_if(slots_.begin(), slots_.end(),
                                    [](const Slot& s) { return s.running; });
  lock.unlock();
  ServiceLog(absl::StrCat("stopping: ", busy, " running pass",
                          busy == 1 ? "" : "es",
                          " finish their current batch"));
  for (Worker& w : workers_) w.thread.join();
  workers_.clear();
}

void Service::Impl::Stop() {
  RequestStop();
  std::thread scheduler;
  {
    std::lock_guard<std::mutex> lock(mu_);
    scheduler = std::move(scheduler_);
  }
  if (scheduler.joinable()) scheduler.join();
}

absl::Status Service::Impl::Reload(std::vector<Slot> fresh) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (Slot& slot : fresh) {
      if (const Slot* old = Find(slot.config.name)) {
        slot.last_start = old->last_start;
        slot.last_pass = old->last_pass;
        slot.running = old->running;
      }
    }
    slots_ = std::move(fresh);
  }
  changed_.notify_all();
  return absl::OkStatus();
}

std::vector<SessionRunStatus> Service::Impl::Status() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<SessionRunStatus> out;
  const absl::Time now = absl::Now();
  for (const Slot& slot : slots_) {
    SessionRunStatus s;
    s.session = slot.config.name;
    s.running = slot.running;
    if (!slot.running) {
      s.next_run =
          slot.schedule.NextRun(slot.last_start, now, options_.time_zone);
    }
    s.last_pass = slot.last_pass;
    out.push_back(std::move(s));
  }
  return out;
}

absl::StatusOr<std::unique_ptr<Service>> Service::Create(
    std::vector<SessionConfig> sessions, ServiceOptions options,
    ServiceHooks hooks) {
  if (options.tick <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("ServiceOptions::tick must be positive");
  }
  absl::StatusOr<std::vector<Slot>> slots = MakeSlots(std::move(sessions));
  if (!slots.ok()) return slots.status();
  return std::unique_ptr<Service>(new Service(std::make_unique<Impl>(
      *std::move(slots), std::move(options), std::move(hooks))));
}

Service::Service(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Service::~Service() = default;

absl::StatusOr<std::vector<PassReport>> Service::RunOnce(
    const std::vector<std::string>& sessions) {
  return impl_->RunOnce(sessions);
}
absl::Status Service::Start() { return impl_->Start(); }
void Service::Stop() { impl_->Stop(); }
void Service::RequestStop() { impl_->RequestStop(); }
bool Service::stop_requested() const { return impl_->stop_requested(); }
absl::Status Service::Reload(std::vector<SessionConfig> sessions) {
  absl::StatusOr<std::vector<Slot>> slots = MakeSlots(std::move(sessions));
  if (!slots.ok()) return slots.status();
  return impl_->Reload(*std::move(slots));
}
std::vector<SessionRunStatus> Service::Status() const {
  return impl_->Status();
}
std::vector<SessionConfig> Service::sessions() const {
  return impl_->sessions();
}

}  // namespace ioreplication
