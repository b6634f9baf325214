// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// iorepl/service.h: the library's Service behind an opaque handle, and the
// configuration fields only the service reads (schedule, max_tasks).

#include "iorepl/service.h"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "capi/args.h"
#include "capi/errors.h"
#include "capi/handles.h"
#include "capi/log.h"
#include "capi/statistics_c.h"
#include "ioreplication/service.h"
#include "session/schedule.h"

// The callbacks can change after the service is made; the service's hooks
// read them here, under the lock.
struct iorepl_service : ioreplication::capi_internal::HandleBase {
  static constexpr uint32_t kMagic = 0x494F5356;  // "IOSV"
  iorepl_service() : HandleBase(kMagic) {}
  std::mutex mu;
  iorepl_pass_fn pass_fn = nullptr;
  void* pass_user = nullptr;
  std::optional<ioreplication::capi_internal::LogTarget> log;
  // Declared last: destroyed (stopped) first, while the fields it calls
  // back into are still there.
  std::unique_ptr<ioreplication::Service> service;
};

struct iorepl_service_status : ioreplication::capi_internal::HandleBase {
  static constexpr uint32_t kMagic = 0x494F5353;  // "IOSS"
  iorepl_service_status() : HandleBase(kMagic) {}
  std::vector<ioreplication::SessionRunStatus> entries;
  std::vector<std::string> lines;  // each entry's statistics line
};

namespace ioreplication::capi_internal {
namespace {

inline constexpr size_t kServiceOptionsV1Size =
    EndOf(&iorepl_service_options::utc, offsetof(iorepl_service_options, utc));
inline constexpr size_t kScheduleV1Size =
    EndOf(&iorepl_schedule::window_end, offsetof(iorepl_schedule, window_end));
// Ten years: far beyond any schedule, and far from absl::Duration's limits.
inline constexpr uint64_t kMaxIntervalSeconds = uint64_t{10} * 366 * 86400;
inline constexpr size_t kSessionStatusV1Size =
    EndOf(&iorepl_session_status::last_pass,
          offsetof(iorepl_session_status, last_pass));

int64_t UnixMillis(absl::Time t) {
  if (t == absl::InfiniteFuture()) return std::numeric_limits<int64_t>::max();
  return absl::ToUnixMillis(t);
}

int ResultOf(PassReport::Result result) {
  switch (result) {
    case PassReport::Result::kOk:
      return IOREPL_PASS_OK;
    case PassReport::Result::kErrors:
      return IOREPL_PASS_ERRORS;
    case PassReport::Result::kFailed:
      return IOREPL_PASS_FAILED;
    case PassReport::Result::kInterrupted:
      return IOREPL_PASS_INTERRUPTED;
  }
  return IOREPL_PASS_FAILED;
}

// `report` as C; its strings point into `report` and `line`.
iorepl_pass_report ToCReport(const PassReport& report,
                             const std::string& line) {
  iorepl_pass_report c{};
  c.struct_size = sizeof(c);
  c.session = report.session.c_str();
  c.start_unix_ms = absl::ToUnixMillis(report.start);
  c.result = ResultOf(report.result());
  c.error = report.error.c_str();
  c.statistics_line = line.c_str();
  c.stats = ToCStatistics(report.stats);
  return c;
}

int ReadConfigs(const iorepl_config* const* configs, size_t count,
                std::vector<SessionConfig>* out) {
  if (count != 0 && configs == nullptr) return NullArgument("configs");
  for (size_t i = 0; i < count; ++i) {
    if (int rc = CheckHandle(configs[i], "configs[i]"); rc != IOREPL_OK) {
      return Fail(rc, absl::StrCat("configs[", i, "] is not a configuration"));
    }
    out->push_back(configs[i]->config);
  }
  return IOREPL_OK;
}

ServiceHooks HooksFor(iorepl_service* h) {
  ServiceHooks hooks;
  auto target = [h]() -> LogTarget {
    std::lock_guard<std::mutex> lock(h->mu);
    return h->log ? *h->log : ProcessLog();
  };
  hooks.service_log = [target](std::string_view line) {
    Emit(target(), IOREPL_LOG_INFO, "service", line);
  };
  hooks.session_log = [target](const SessionConfig& config, LogLevel level,
                               std::string_view line) {
    Emit(target(),
         level == LogLevel::kDetail ? IOREPL_LOG_DEBUG : IOREPL_LOG_INFO,
         "session", "session '" + config.name + "': " + std::string(line));
  };
  hooks.pass_finished = [h](const SessionConfig& config,
                            const PassReport& report) {
    iorepl_pass_fn fn;
    void* user;
    {
      std::lock_guard<std::mutex> lock(h->mu);
      fn = h->pass_fn;
      user = h->pass_user;
    }
    if (fn == nullptr) return;
    const std::string line =
        RenderStatisticsLine(config.type, config.name, report.stats);
    const iorepl_pass_report c = ToCReport(report, line);
    fn(user, &c);
  };
  return hooks;
}

}  // namespace
}  // namespace ioreplication::capi_internal

using namespace ioreplication;                 // NOLINT
using namespace ioreplication::capi_internal;  // NOLINT

int iorepl_service_options_init(iorepl_service_options* options,
                                size_t struct_size) {
  return Guard([&] {
    iorepl_service_options defaults = IOREPL_SERVICE_OPTIONS_INIT;
    return InitStruct(options, struct_size, kServiceOptionsV1Size, defaults);
  });
}

int iorepl_service_new(iorepl_service** out,
                       const iorepl_config* const* configs, size_t count,
                       const iorepl_service_options* options) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    *out = nullptr;
    iorepl_service_options o = IOREPL_SERVICE_OPTIONS_INIT;
    if (options != nullptr) {
      if (int rc = ReadStruct(options, kServiceOptionsV1Size, "options", &o);
          rc != IOREPL_OK) {
        return rc;
      }
    }
    if (o.tick_ms == 0) return Fail(IOREPL_EINVAL, "options: tick_ms is 0");
    if (o.utc != 0 && o.utc != 1) {
      return Fail(IOREPL_EINVAL, "options: utc is 0 or 1");
    }
    std::vector<SessionConfig> sessions;
    if (int rc = ReadConfigs(configs, count, &sessions); rc != IOREPL_OK) {
      return rc;
    }
    ServiceOptions service_options;
    service_options.status_file = o.status_file ? o.status_file : "";
    service_options.lock_directory = o.lock_directory ? o.lock_directory : "";
    service_options.tick = absl::Milliseconds(o.tick_ms);
    if (o.utc) service_options.time_zone = absl::UTCTimeZone();
    auto handle = std::make_unique<iorepl_service>();
    absl::StatusOr<std::unique_ptr<Service>> service =
        Service::Create(std::move(sessions), std::move(service_options),
                        HooksFor(handle.get()));
    if (!service.ok()) return FromStatus(service.status());
    handle->service = *std::move(service);
    *out = handle.release();
    return Succeed();
  });
}

void iorepl_service_free(iorepl_service* service) {
  Guard([&] {
    if (service == nullptr || !IsHandle(service)) return IOREPL_OK;
    service->service.reset();  // stops, while the callbacks still exist
    delete service;
    return IOREPL_OK;
  });
}

int iorepl_service_set_pass_callback(iorepl_service* service, iorepl_pass_fn fn,
                                     void* user) {
  return Guard([&] {
    if (int rc = CheckHandle(service, "service"); rc != IOREPL_OK) return rc;
    std::lock_guard<std::mutex> lock(service->mu);
    service->pass_fn = fn;
    service->pass_user = fn == nullptr ? nullptr : user;
    return Succeed();
  });
}

int iorepl_service_set_log(iorepl_service* service, iorepl_log_fn fn,
                           void* user, int max_level) {
  return Guard([&] {
    if (int rc = CheckHandle(service, "service"); rc != IOREPL_OK) return rc;
    if (max_level < IOREPL_LOG_ERROR || max_level > IOREPL_LOG_DEBUG) {
      return Fail(IOREPL_EINVAL, "max_level is not an IOREPL_LOG_* level");
    }
    std::lock_guard<std::mutex> lock(service->mu);
    if (fn == nullptr) {
      service->log.reset();
    } else {
      service->log = LogTarget{fn, user, max_level};
    }
    return Succeed();
  });
}

int iorepl_service_run_once(iorepl_service* service, const char* session) {
  return Guard([&] {
    if (int rc = CheckHandle(service, "service"); rc != IOREPL_OK) return rc;
    std::vector<std::string> names;
    if (session != nullptr) {
      if (int rc = CheckString(session, "session"); rc != IOREPL_OK) return rc;
      names.emplace_back(session);
    }
    absl::StatusOr<std::vector<PassReport>> reports =
        service->service->RunOnce(names);
    if (!reports.ok()) return FromStatus(reports.status());
    for (const PassReport& r : *reports) {
      if (r.result() == PassReport::Result::kFailed) {
        return Fail(IOREPL_EIO, absl::StrCat("session '", r.session,
                                             "': pass failed: ", r.error));
      }
    }
    for (const PassReport& r : *reports) {
      if (r.result() == PassReport::Result::kInterrupted) {
        return Fail(IOREPL_ECANCELLED,
                    absl::StrCat("session '", r.session,
                                 "': pass interrupted by a stop"));
      }
    }
    return Succeed();
  });
}

int iorepl_service_start(iorepl_service* service) {
  return Guard([&] {
    if (int rc = CheckHandle(service, "service"); rc != IOREPL_OK) return rc;
    return FromStatus(service->service->Start());
  });
}

int iorepl_service_stop(iorepl_service* service) {
  return Guard([&] {
    if (int rc = CheckHandle(service, "service"); rc != IOREPL_OK) return rc;
    service->service->Stop();
    return Succeed();
  });
}

int iorepl_service_request_stop(iorepl_service* service) {
  return Guard([&] {
    if (int rc = CheckHandle(service, "service"); rc != IOREPL_OK) return rc;
    service->service->RequestStop();
    return Succeed();
  });
}

int iorepl_service_reload(iorepl_service* service,
                          const iorepl_config* const* configs, size_t count) {
  return Guard([&] {
    if (int rc = CheckHandle(service, "service"); rc != IOREPL_OK) return rc;
    std::vector<SessionConfig> sessions;
    if (int rc = ReadConfigs(configs, count, &sessions); rc != IOREPL_OK) {
      return rc;
    }
    return FromStatus(service->service->Reload(std::move(sessions)));
  });
}

int iorepl_service_status_get(iorepl_service_status** out,
                              const iorepl_service* service) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    *out = nullptr;
    if (int rc = CheckHandle(service, "service"); rc != IOREPL_OK) return rc;
    auto list = std::make_unique<iorepl_service_status>();
    list->entries = service->service->Status();
    const std::vector<SessionConfig> configs = service->service->sessions();
    for (const SessionRunStatus& s : list->entries) {
      std::string line;
      if (s.last_pass.has_value()) {
        SessionType type = SessionType::kPublicFolder;
        for (const SessionConfig& c : configs) {
          if (c.name == s.session) type = c.type;
        }
        line = RenderStatisticsLine(type, s.session, s.last_pass->stats);
      }
      list->lines.push_back(std::move(line));
    }
    *out = list.release();
    return Succeed();
  });
}

size_t iorepl_service_status_size(const iorepl_service_status* list) {
  return GuardValue<size_t>(0, [&]() -> size_t {
    if (CheckHandle(list, "list") != IOREPL_OK) return 0;
    Succeed();
    return list->entries.size();
  });
}

int iorepl_service_status_at(iorepl_session_status* out,
                             const iorepl_service_status* list, size_t index) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    if (int rc = CheckHandle(list, "list"); rc != IOREPL_OK) return rc;
    if (index >= list->entries.size()) {
      return Fail(IOREPL_ERANGE, "index is past the last session");
    }
    const SessionRunStatus& s = list->entries[index];
    iorepl_session_status c{};
    c.struct_size = sizeof(c);
    c.session = s.session.c_str();
    c.running = s.running ? 1 : 0;
    c.next_run_unix_ms = UnixMillis(s.next_run);
    c.has_last_pass = s.last_pass.has_value() ? 1 : 0;
    if (s.last_pass.has_value()) {
      c.last_pass = ToCReport(*s.last_pass, list->lines[index]);
    }
    if (int rc = WriteStruct(c, kSessionStatusV1Size, "out", out);
        rc != IOREPL_OK) {
      return rc;
    }
    return Succeed();
  });
}

void iorepl_service_status_free(iorepl_service_status* list) {
  if (list != nullptr && IsHandle(list)) delete list;
}

int iorepl_config_set_schedule(iorepl_config* config,
                               const iorepl_schedule* schedule) {
  return Guard([&] {
    if (int rc = CheckHandle(config, "config"); rc != IOREPL_OK) return rc;
    iorepl_schedule s = IOREPL_SCHEDULE_INIT;
    if (int rc = ReadStruct(schedule, kScheduleV1Size, "schedule", &s);
        rc != IOREPL_OK) {
      return rc;
    }
    for (const char* text : {s.days, s.window_start, s.window_end}) {
      if (text == nullptr) continue;
      if (int rc = CheckString(text, "schedule"); rc != IOREPL_OK) return rc;
    }
    if (s.interval_seconds > kMaxIntervalSeconds) {
      return Fail(IOREPL_EINVAL,
                  absl::StrCat("schedule.interval_seconds ", s.interval_seconds,
                               " is above ", kMaxIntervalSeconds));
    }
    ScheduleConfig fresh;
    fresh.interval = absl::Seconds(static_cast<int64_t>(s.interval_seconds));
    if (s.days != nullptr && s.days[0] != '\0') {
      for (absl::string_view day : absl::StrSplit(s.days, ',')) {
        fresh.days.emplace_back(absl::StripAsciiWhitespace(day));
      }
    }
    fresh.window_start = s.window_start ? s.window_start : "";
    fresh.window_end = s.window_end ? s.window_end : "";
    // Only the schedule's own problems refuse it here; the rest of the
    // configuration may still be under construction.
    if (absl::StatusOr<session_internal::Schedule> parsed =
            session_internal::Schedule::Parse(fresh);
        !parsed.ok()) {
      return FromStatus(parsed.status());
    }
    config->config.schedule = std::move(fresh);
    return Succeed();
  });
}

int iorepl_config_get_schedule(iorepl_schedule* out,
                               const iorepl_config* config) {
  return Guard([&] {
    if (int rc = CheckHandle(config, "config"); rc != IOREPL_OK) return rc;
    const ScheduleConfig& s = config->config.schedule;
    // The handle keeps the joined days for the borrowed pointer.
    auto* mutable_config = const_cast<iorepl_config*>(config);
    mutable_config->days_text = absl::StrJoin(s.days, ",");
    iorepl_schedule c = IOREPL_SCHEDULE_INIT;
    c.interval_seconds =
        static_cast<uint64_t>(absl::ToInt64Seconds(s.interval));
    c.days = s.days.empty() ? nullptr : mutable_config->days_text.c_str();
    c.window_start = s.window_start.empty() ? nullptr : s.window_start.c_str();
    c.window_end = s.window_end.empty() ? nullptr : s.window_end.c_str();
    if (int rc = WriteStruct(c, kScheduleV1Size, "out", out); rc != IOREPL_OK) {
      return rc;
    }
    return Succeed();
  });
}

int iorepl_config_set_max_tasks(iorepl_config* config, uint32_t max_tasks) {
  return Guard([&] {
    if (int rc = CheckHandle(config, "config"); rc != IOREPL_OK) return rc;
    if (max_tasks == 0) return Fail(IOREPL_EINVAL, "max_tasks is at least 1");
    config->config.max_tasks = max_tasks;
    return Succeed();
  });
}

uint32_t iorepl_config_max_tasks(const iorepl_config* config) {
  return GuardValue<uint32_t>(0, [&]() -> uint32_t {
    if (CheckHandle(config, "config") != IOREPL_OK) return 0;
    Succeed();
    return config->config.max_tasks;
  });
}
