// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Service: runs sessions on their schedules, the way the Inter-Organization
// Replication service did, for any host (`iorepl run` is one user of it).
//
// Rules:
//   - A session never overlaps itself. It is due `schedule.interval` after
//     the start of its last pass (ScheduleConfig, in the time zone of
//     ServiceOptions), on the allowed days and inside the window; a session
//     with interval 0 runs only through RunOnce.
//   - Its subscribers are served by up to `max_tasks` tasks at a time, each
//     with its own store handles.
//   - Tasks that write the same destination folders take turns: a task holds
//     the folder trees it writes (the subscriber's mapped folders, and the
//     publisher's for bidirectional mappings) for the whole of its pass. In
//     one process the trees are exact (a folder and everything under it).
//     With ServiceOptions::lock_directory, processes (and hosts on one file
//     system) that name the same directory take turns too, through file
//     locks: there a tree is its store and its first folder name, so two
//     processes writing /Sales/EMEA and /Sales/APAC of one store also take
//     turns (safe, only less parallel).
//   - Stop() lets running passes finish their current batch (so the next
//     pass continues where they stopped), then returns.
//   - Reload() replaces the sessions; sessions that stay (by name) keep
//     their last start, and a pass already running finishes under the
//     configuration it started with.
//   - With ServiceOptions::status_file, every pass is recorded there (text
//     format of proto/ioreplication/v1/run_status.proto; `iorepl status`
//     reads it), safely across threads and processes.
//
// Example:
//   absl::StatusOr<ConfigFile> file = ParseConfigFile(text);
//   ServiceOptions options;
//   options.status_file = "/var/lib/iorepl/iorepl.status";
//   options.lock_directory = "/run/iorepl";
//   ServiceHooks hooks;
//   hooks.pass_finished = [](const SessionConfig& c, const PassReport& r) {
//     LOG(INFO) << RenderStatisticsLine(c.type, c.name, r.stats);
//   };
//   absl::StatusOr<std::unique_ptr<Service>> service =
//       Service::Create(file->sessions, options, hooks);
//   (*service)->Start();
//   ...
//   (*service)->Stop();
//
// Thread safety: every method may be called from any thread. Hooks are
// called from the service's threads (one per running task), possibly at the
// same time: they must be thread-safe, and must not call Stop() or Reload().

#ifndef IOREPLICATION_SERVICE_H_
#define IOREPLICATION_SERVICE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "ioreplication/export.h"
#include "ioreplication/session_config.h"
#include "ioreplication/statistics.h"
#include "ioreplication/store.h"

namespace ioreplication {

// How one pass of one session ended.
struct PassReport {
  enum class Result : uint8_t {
    kOk,           // every object went through
    kErrors,       // some objects were refused (counted; retried next pass)
    kFailed,       // a store failed: `error` says why, the pass stopped there
    kInterrupted,  // Stop() came first; the next pass continues
  };

  std::string session;
  absl::Time start;
  // Every subscriber together, including what a failed task committed
  // before it stopped; `stats.duration` is the pass's wall time.
  SessionStatistics stats;
  // Why the pass failed, one line per failing subscriber ("" when none).
  std::string error;
  bool interrupted = false;

  Result result() const;
};

// "ok", "errors", "failed" or "interrupted" (the status file's words).
IOREPL_EXPORT std::string_view PassResultName(PassReport::Result result);

// What the service knows of one session.
struct SessionRunStatus {
  std::string session;
  bool running = false;
  // When the next pass is due: InfiniteFuture for a session without an
  // interval (or a running one, whose next start depends on its end).
  absl::Time next_run = absl::InfiniteFuture();
  // The last pass this service ran, or else the one the status file holds
  // (kept across restarts); nullopt when neither has one.
  std::optional<PassReport> last_pass;
};

struct ServiceOptions {
  // Where each pass is recorded; empty: nowhere.
  std::string status_file;
  // A directory (created if missing) for the file locks that make
  // processes take turns; empty: tasks take turns within this process only.
  std::string lock_directory;
  // The zone schedules' days and windows are read in.
  absl::TimeZone time_zone = absl::LocalTimeZone();
  // How often the scheduler looks for due sessions (and a waiting task for
  // its locks).
  absl::Duration tick = absl::Milliseconds(100);
  // With this set, each pass first computes what it will send
  // (Session::CountPending, which reads what the pass reads) and hands it
  // to ServiceHooks::pass_started: worth it only for a progress display.
  bool count_pending = false;
  // For the stores the sessions open by URI.
  StoreOptions store_options;
};

struct ServiceHooks {
  // Lines about the service itself (started, reloaded, stopping).
  std::function<void(std::string_view line)> service_log;
  // A session's log lines (SessionHooks::log), prefixed "subscriber N: "
  // for sessions with several subscribers, and the service's own lines
  // about it (waiting for another task's folders).
  std::function<void(const SessionConfig&, LogLevel, std::string_view line)>
      session_log;
  // A pass starts; `pending` is what it will send (0 unless
  // ServiceOptions::count_pending).
  std::function<void(const SessionConfig&, uint64_t pending)> pass_started;
  // `changes` more changes of the session's running pass are handled.
  std::function<void(const SessionConfig&, uint64_t changes)> progress;
  // A pass ended (after it was recorded in the status file).
  std::function<void(const SessionConfig&, const PassReport&)> pass_finished;
};

class IOREPL_EXPORT Service {
 public:
  // Validates every session (ValidateSessionConfig, unique names, and a
  // schedule that parses); InvalidArgumentError lists every problem. Starts
  // nothing.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<Service>> Create(
      std::vector<SessionConfig> sessions, ServiceOptions options = {},
      ServiceHooks hooks = {});

  // Stops (as Stop()) first.
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  // Runs the sessions named (all when empty) once each, now, in parallel,
  // and returns their reports in the order named (or configured) when all
  // have ended. NotFoundError naming an unknown session, before anything
  // runs. Sessions the scheduler is running already are waited for first,
  // so a session still never overlaps itself. May run while the scheduler
  // runs; returns early (reports marked interrupted) once Stop() is called.
  absl::StatusOr<std::vector<PassReport>> RunOnce(
      const std::vector<std::string>& sessions = {});

  // Starts the scheduler thread: each session with an interval runs when
  // due (at once, the first time). FailedPreconditionError when it runs
  // already or Stop() was called.
  absl::Status Start();

  // Asks running passes to stop after their current batch and the
  // scheduler to end; returns when all have. A stopped service stays
  // stopped (Start() refuses). Idempotent.
  void Stop();
  // Like Stop() but returns at once: for a signal's effect arriving on
  // another thread. Stop() (or the destructor) still waits.
  void RequestStop();
  bool stop_requested() const;

  // Replaces the sessions, validated as in Create; on an error nothing
  // changes. Sessions that stay keep their last start; a session removed
  // while running finishes its pass.
  absl::Status Reload(std::vector<SessionConfig> sessions);

  // Each configured session, in configuration order.
  std::vector<SessionRunStatus> Status() const;

  // The configured sessions, in order.
  std::vector<SessionConfig> sessions() const;

 private:
  class Impl;
  explicit Service(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The passes recorded in a status file by session name (an empty map when
// the file does not exist). DataLossError for a file that does not parse.
IOREPL_EXPORT absl::StatusOr<std::vector<PassReport>> ReadPassRecords(
    const std::string& status_file);

}  // namespace ioreplication

#endif  // IOREPLICATION_SERVICE_H_
