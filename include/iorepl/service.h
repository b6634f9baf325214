/* Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
 *
 * iorepl/service.h: sessions on their schedules, in the host's process.
 *
 * An iorepl_service runs configured sessions the way `iorepl run` does
 * (it is the same code: ioreplication/service.h): each session with a
 * schedule interval when it is due (at once the first time), never
 * overlapping itself, its subscribers served by up to max_tasks tasks at a
 * time, tasks that write the same destination folders taking turns (within
 * the process, and across processes that name the same lock directory),
 * every pass recorded in the status file when one is named.
 *
 *   iorepl_service_options options = IOREPL_SERVICE_OPTIONS_INIT;
 *   options.status_file = "/var/lib/iorepl/iorepl.status";
 *   options.lock_directory = "/run/iorepl";
 *   iorepl_service *service = NULL;
 *   if (iorepl_service_new(&service, configs, count, &options) == IOREPL_OK) {
 *     iorepl_service_set_pass_callback(service, on_pass, host);
 *     iorepl_service_start(service);
 *     ...
 *     iorepl_service_stop(service);
 *   }
 *   iorepl_service_free(service);
 *
 * Threads: every function may be called from any thread. Callbacks (pass,
 * log) arrive on the service's own threads, possibly several at once: they
 * must be thread-safe and must not call iorepl_service_stop, _reload or
 * _free. Set callbacks before iorepl_service_start or _run_once
 * (IOREPL_ESTATE while passes run).
 */
#ifndef IOREPL_SERVICE_H_
#define IOREPL_SERVICE_H_

#include "iorepl/common.h"
#include "iorepl/session.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct iorepl_service iorepl_service;

/* ---- What a configuration says to the service ---- */

/* When a session runs (docs/config.md, `schedule`): every
 * interval_seconds from the start of its last pass, on the allowed days,
 * inside the daily window; read in the service's time zone. */
typedef struct iorepl_schedule {
  size_t struct_size;
  uint64_t interval_seconds; /* 0 (default): only iorepl_service_run_once */
  /* Allowed days, comma-separated ("mon,tue,fri"; any case); NULL or "":
   * every day. */
  const char* days;
  const char* window_start; /* "HH:MM" or NULL: no window */
  const char* window_end;   /* "HH:MM"; before the start wraps past midnight */
} iorepl_schedule;

#define IOREPL_SCHEDULE_INIT { sizeof(iorepl_schedule), 0, NULL, NULL, NULL }

/* Sets the session's schedule (strings copied). Checked as
 * iorepl_config_validate checks it: IOREPL_EINVAL lists every problem
 * (unknown days, malformed or equal window times, days or a window without
 * an interval) and leaves the configuration as it was. */
IOREPL_API int iorepl_config_set_schedule(iorepl_config* config,
                                          const iorepl_schedule* schedule);
/* Reads the schedule; its strings are borrowed from the config (valid until
 * it changes or is freed). */
IOREPL_API int iorepl_config_get_schedule(iorepl_schedule* out,
                                          const iorepl_config* config);
/* Subscribers the service serves at the same time: 1 (default) .. the
 * number of subscribers (checked by iorepl_config_validate and the
 * service). */
IOREPL_API int iorepl_config_set_max_tasks(iorepl_config* config,
                                           uint32_t max_tasks);
/* 0 for a bad handle. */
IOREPL_API uint32_t iorepl_config_max_tasks(const iorepl_config* config);

typedef struct iorepl_service_options {
  size_t struct_size;
  /* Where each pass is recorded (the text format of run_status.proto, read
   * by `iorepl status`); NULL or "": nowhere. Copied. */
  const char* status_file;
  /* A directory (created if missing) for the file locks through which
   * processes writing the same folders take turns; NULL or "": within this
   * process only. Copied. */
  const char* lock_directory;
  /* How often, in milliseconds, the scheduler looks for due sessions and a
   * waiting task for its locks; default 100, at least 1. */
  uint32_t tick_ms;
  /* 1: schedules' days and windows are read in UTC; 0 (default): in the
   * process's local time zone. */
  int utc;
} iorepl_service_options;

#define IOREPL_SERVICE_OPTIONS_INIT \
  { sizeof(iorepl_service_options), NULL, NULL, 100, 0 }

IOREPL_API int iorepl_service_options_init(iorepl_service_options* options,
                                           size_t struct_size);

/* How a pass ended. */
enum {
  IOREPL_PASS_OK = 0,         /* every object went through */
  IOREPL_PASS_ERRORS = 1,     /* some were refused (counted, retried) */
  IOREPL_PASS_FAILED = 2,     /* a store failed; `error` says why */
  IOREPL_PASS_INTERRUPTED = 3 /* stopped; the next pass continues */
};

/* One pass of one session; strings are borrowed (valid during the
 * callback, or until the status list that holds them is freed). */
typedef struct iorepl_pass_report {
  size_t struct_size;
  const char* session;
  int64_t start_unix_ms;
  int result;                  /* IOREPL_PASS_* */
  const char* error;           /* "" unless IOREPL_PASS_FAILED */
  const char* statistics_line; /* the classic line */
  iorepl_statistics stats;     /* every subscriber together */
} iorepl_pass_report;

/* Called after each pass (once it is recorded in the status file). */
typedef void (*iorepl_pass_fn)(void* user, const iorepl_pass_report* report);

/* Validates the `count` configurations (copied): each as
 * iorepl_config_validate does, unique names, and schedules that can fire.
 * IOREPL_EINVAL lists every problem, one per line. Starts nothing. */
IOREPL_API int iorepl_service_new(iorepl_service** out,
                                  const iorepl_config* const* configs,
                                  size_t count,
                                  const iorepl_service_options* options);
/* Stops the service (as iorepl_service_stop) and frees it. NULL is a
 * no-op. */
IOREPL_API void iorepl_service_free(iorepl_service* service);

/* Sets (NULL `fn`: clears) the callback told of every pass. */
IOREPL_API int iorepl_service_set_pass_callback(iorepl_service* service,
                                                iorepl_pass_fn fn, void* user);
/* Sends the sessions' and the service's log lines (subsystem "session" or
 * "service") to `fn` instead of the process-wide callback (iorepl_set_log);
 * NULL `fn` goes back to that one. */
IOREPL_API int iorepl_service_set_log(iorepl_service* service, iorepl_log_fn fn,
                                      void* user, int max_level);

/* Runs the session named `session` (NULL: every session) once, now, and
 * returns when the passes have ended; the pass callback hears of each.
 * A session the scheduler is running is waited for first. IOREPL_OK when
 * every pass ended ok or with counted refusals; IOREPL_EIO when one failed
 * (the message names the session and why); IOREPL_ECANCELLED when one was
 * stopped by iorepl_service_stop; IOREPL_ENOTFOUND for an unknown name. */
IOREPL_API int iorepl_service_run_once(iorepl_service* service,
                                       const char* session);

/* Starts the scheduler thread. IOREPL_ESTATE when it runs already or the
 * service was stopped. */
IOREPL_API int iorepl_service_start(iorepl_service* service);
/* Lets running passes finish their current batch, ends the scheduler and
 * returns when all have (the next pass continues where they stopped). A
 * stopped service stays stopped. Idempotent. */
IOREPL_API int iorepl_service_stop(iorepl_service* service);
/* Like iorepl_service_stop, but returns at once (e.g. from a thread that
 * saw a signal); iorepl_service_stop or _free still waits. */
IOREPL_API int iorepl_service_request_stop(iorepl_service* service);

/* Replaces the sessions, validated as in iorepl_service_new; on an error
 * nothing changes. Sessions that stay (by name) keep their last start; a
 * pass that runs finishes under the configuration it started with. */
IOREPL_API int iorepl_service_reload(iorepl_service* service,
                                     const iorepl_config* const* configs,
                                     size_t count);

/* What the service knows of each session, in configuration order. */
typedef struct iorepl_service_status iorepl_service_status;

typedef struct iorepl_session_status {
  size_t struct_size;
  const char* session;      /* borrowed from the list */
  int running;              /* 1 while a pass runs */
  /* When the next pass is due; INT64_MAX for a session without an interval
   * or one that runs now. */
  int64_t next_run_unix_ms;
  /* 1 when last_pass holds the last pass this service ran, or else the one
   * the status file holds; 0: none (last_pass is zeroed). */
  int has_last_pass;
  iorepl_pass_report last_pass;
} iorepl_session_status;

IOREPL_API int iorepl_service_status_get(iorepl_service_status** out,
                                         const iorepl_service* service);
IOREPL_API size_t iorepl_service_status_size(const iorepl_service_status* list);
/* Entry `index`; `out->struct_size` must be set. */
IOREPL_API int iorepl_service_status_at(iorepl_session_status* out,
                                        const iorepl_service_status* list,
                                        size_t index);
IOREPL_API void iorepl_service_status_free(iorepl_service_status* list);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* IOREPL_SERVICE_H_ */
