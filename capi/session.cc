// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// iorepl/session.h: configurations, sessions, passes and statistics.

#include "iorepl/session.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "capi/args.h"
#include "capi/errors.h"
#include "capi/handles.h"
#include "capi/log.h"
#include "capi/statistics_c.h"
#include "ioreplication/session.h"
#include "ioreplication/statistics.h"

namespace ioreplication::capi_internal {
namespace {

constexpr int kPolicies[] = {IOREPL_KEEP_BOTH, IOREPL_LAST_WRITER_WINS,
                             IOREPL_PUBLISHER_WINS, IOREPL_CALLBACK};

iorepl_session_options OptionsOf(const SessionConfig& config) {
  iorepl_session_options o = IOREPL_SESSION_OPTIONS_INIT;
  const SessionOptions& s = config.options;
  o.replicate_deletions = s.replicate_deletions ? 1 : 0;
  o.replicate_permissions = s.replicate_permissions ? 1 : 0;
  switch (s.conflict_policy) {
    case ConflictPolicy::kLastWriterWins:
      o.conflict_policy = IOREPL_LAST_WRITER_WINS;
      break;
    case ConflictPolicy::kPublisherWins:
      o.conflict_policy = IOREPL_PUBLISHER_WINS;
      break;
    case ConflictPolicy::kCallback:
      o.conflict_policy = IOREPL_CALLBACK;
      break;
    default:
      o.conflict_policy = IOREPL_KEEP_BOTH;
  }
  o.batch_size = s.batch_size;
  o.batch_bytes = s.batch_bytes;
  o.max_item_size = s.max_item_size;
  o.replication_account =
      s.replication_account.empty() ? nullptr : s.replication_account.c_str();
  o.require_matching_rights = s.require_matching_rights ? 1 : 0;
  o.log_level = config.logging.level == LogLevel::kDetail ? IOREPL_LOG_DEBUG
                                                          : IOREPL_LOG_INFO;
  o.verify_interval_seconds = static_cast<uint64_t>(
      absl::ToInt64Seconds(s.verify_interval));
  return o;
}

int CheckUri(const char* uri, const char* name) {
  if (int rc = CheckString(uri, name); rc != IOREPL_OK) return rc;
  if (absl::Status s = ValidateStoreUri(uri); !s.ok()) {
    return Fail(IOREPL_EINVAL, absl::StrCat(name, ": ", s.message()));
  }
  return IOREPL_OK;
}

int CheckPath(const char* path, const char* name) {
  if (int rc = CheckString(path, name); rc != IOREPL_OK) return rc;
  if (path[0] != '/') {
    return Fail(IOREPL_EINVAL,
                absl::StrCat(name, ": \"", path, "\" must start with '/'"));
  }
  return IOREPL_OK;
}

// Wires the session's callbacks into the C++ hooks for one run.
SessionHooks HooksFor(iorepl_session* s, bool* cancelled) {
  SessionHooks hooks;
  const LogTarget target = s->log ? *s->log : ProcessLog();
  if (target.fn != nullptr) {
    hooks.log = [target](LogLevel level, std::string_view line) {
      Emit(target,
           level == LogLevel::kDetail ? IOREPL_LOG_DEBUG : IOREPL_LOG_INFO,
           "session", line);
    };
  }
  if (s->progress_fn != nullptr) {
    hooks.progress = [s, cancelled](const Progress& p) {
      const std::string mapping(p.mapping);
      const std::string direction(p.direction);
      iorepl_progress c{sizeof(c), mapping.c_str(), direction.c_str(), p.done};
      if (s->progress_fn(s->progress_user, &c) != 0) {
        *cancelled = true;
        return false;
      }
      return true;
    };
  }
  if (s->conflict_fn != nullptr) {
    hooks.conflict_callback =
        [s](const ConflictContext& c) -> absl::StatusOr<ConflictChoice> {
      // Handles for the call: copies, since a handle owns its item.
      std::optional<iorepl_item> local, incoming;
      if (c.local.item != nullptr) local.emplace(*c.local.item);
      if (c.incoming.item != nullptr) incoming.emplace(*c.incoming.item);
      const iorepl_conflict conflict{
          sizeof(conflict), local ? &*local : nullptr,
          incoming ? &*incoming : nullptr, c.local.from_publisher ? 1 : 0,
          c.incoming.from_publisher ? 1 : 0};
      int incoming_wins = 0, keep_loser = 0;
      if (const int rc = s->conflict_fn(s->conflict_user, &conflict,
                                        &incoming_wins, &keep_loser);
          rc != 0) {
        return absl::UnavailableError(
            absl::StrCat("the host's conflict callback returned ", rc));
      }
      return ConflictChoice{incoming_wins != 0, keep_loser != 0};
    };
  }
  return hooks;
}

}  // namespace

namespace {

void CopyReasons(const ReasonCounts& from, uint64_t* to) {
  for (size_t r = 0; r < kReasonCount; ++r) {
    to[r] = from[static_cast<Reason>(r)];
  }
}

}  // namespace

iorepl_statistics ToCStatistics(const SessionStatistics& s) {
  iorepl_statistics c = IOREPL_STATISTICS_INIT;
  c.message_changes = s.message_changes;
  c.message_deletions = s.message_deletions;
  c.message_ignores = s.message_ignores;
  c.message_errors = s.message_errors;
  c.folder_changes = s.folder_changes;
  c.folder_deletions = s.folder_deletions;
  c.folder_ignores = s.folder_ignores;
  c.folder_errors = s.folder_errors;
  c.conflicts = s.conflicts;
  c.bytes = s.bytes;
  c.reconciliations = s.reconciliations;
  c.duration_us = static_cast<uint64_t>(
      std::max<int64_t>(0, absl::ToInt64Microseconds(s.duration)));
  CopyReasons(s.message_ignore_reasons, c.message_ignore_reasons);
  CopyReasons(s.message_error_reasons, c.message_error_reasons);
  CopyReasons(s.folder_ignore_reasons, c.folder_ignore_reasons);
  CopyReasons(s.folder_error_reasons, c.folder_error_reasons);
  return c;
}

}  // namespace ioreplication::capi_internal

using namespace ioreplication;                 // NOLINT
using namespace ioreplication::capi_internal;  // NOLINT

extern "C" {

int iorepl_session_options_init(iorepl_session_options* options,
                                size_t struct_size) {
  return Guard([&] {
    iorepl_session_options defaults = IOREPL_SESSION_OPTIONS_INIT;
    return InitStruct(options, struct_size, kSessionOptionsV1Size, defaults);
  });
}

int iorepl_config_parse(iorepl_config** out, const char* text, size_t len) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    *out = nullptr;
    if (int rc = CheckText(text, len, "text"); rc != IOREPL_OK) return rc;
    absl::StatusOr<SessionConfig> config =
        ParseSessionConfig(std::string_view(len == 0 ? "" : text, len));
    if (!config.ok()) return FromStatus(config.status());
    auto handle = std::make_unique<iorepl_config>();
    handle->config = *std::move(config);
    *out = handle.release();
    return Succeed();
  });
}

int iorepl_config_new(iorepl_config** out, const char* name) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    *out = nullptr;
    if (int rc = CheckString(name, "name"); rc != IOREPL_OK) return rc;
    if (name[0] == '\0') return Fail(IOREPL_EINVAL, "name: must not be empty");
    auto handle = std::make_unique<iorepl_config>();
    handle->config.name = name;
    *out = handle.release();
    return Succeed();
  });
}

void iorepl_config_free(iorepl_config* config) {
  if (config != nullptr && IsHandle(config)) delete config;
}

int iorepl_config_set_publisher(iorepl_config* config, const char* uri) {
  return Guard([&] {
    if (int rc = CheckHandle(config, "config"); rc != IOREPL_OK) return rc;
    if (int rc = CheckUri(uri, "uri"); rc != IOREPL_OK) return rc;
    config->config.publisher = uri;
    return Succeed();
  });
}

int iorepl_config_add_subscriber(iorepl_config* config, const char* uri) {
  return Guard([&] {
    if (int rc = CheckHandle(config, "config"); rc != IOREPL_OK) return rc;
    if (int rc = CheckUri(uri, "uri"); rc != IOREPL_OK) return rc;
    config->config.subscribers.push_back(uri);
    return Succeed();
  });
}

int iorepl_config_add_mapping(iorepl_config* config, const char* publisher_path,
                              const char* subscriber_path, int direction) {
  return Guard([&] {
    if (int rc = CheckHandle(config, "config"); rc != IOREPL_OK) return rc;
    if (int rc = CheckPath(publisher_path, "publisher_path"); rc != IOREPL_OK) {
      return rc;
    }
    if (int rc = CheckPath(subscriber_path, "subscriber_path");
        rc != IOREPL_OK) {
      return rc;
    }
    if (direction != IOREPL_ONE_WAY && direction != IOREPL_BIDIRECTIONAL) {
      return Fail(IOREPL_EINVAL, absl::StrCat("direction ", direction,
                                              " is neither IOREPL_ONE_WAY nor "
                                              "IOREPL_BIDIRECTIONAL"));
    }
    config->config.mappings.push_back(FolderMapping{
        publisher_path, subscriber_path,
        direction == IOREPL_BIDIRECTIONAL ? MappingDirection::kBidirectional
                                          : MappingDirection::kOneWay});
    return Succeed();
  });
}

int iorepl_config_set_options(iorepl_config* config,
                              const iorepl_session_options* options) {
  return Guard([&] {
    if (int rc = CheckHandle(config, "config"); rc != IOREPL_OK) return rc;
    iorepl_session_options o = OptionsOf(config->config);
    if (int rc = ReadStruct(options, kSessionOptionsV1Size, "options", &o);
        rc != IOREPL_OK) {
      return rc;
    }
    if (std::find(std::begin(kPolicies), std::end(kPolicies),
                  o.conflict_policy) == std::end(kPolicies)) {
      return Fail(IOREPL_EINVAL,
                  absl::StrCat("options.conflict_policy ", o.conflict_policy,
                               " is not an IOREPL_* conflict policy"));
    }
    if (o.log_level != IOREPL_LOG_INFO && o.log_level != IOREPL_LOG_DEBUG) {
      return Fail(IOREPL_EINVAL,
                  "options.log_level must be IOREPL_LOG_INFO or "
                  "IOREPL_LOG_DEBUG");
    }
    if (o.batch_size == 0 || o.batch_bytes == 0 || o.max_item_size == 0 ||
        o.batch_size > kMaxBufferSize || o.batch_bytes > kMaxBufferSize ||
        o.max_item_size > kMaxBufferSize) {
      return Fail(IOREPL_EINVAL,
                  "options: batch_size, batch_bytes and max_item_size must be "
                  "above 0 and below 2^40");
    }
    if (o.verify_interval_seconds > UINT32_MAX) {
      return Fail(IOREPL_EINVAL,
                  absl::StrCat("options.verify_interval_seconds ",
                               o.verify_interval_seconds,
                               " is above 4294967295 (136 years)"));
    }
    if (o.replication_account != nullptr) {
      if (int rc =
              CheckString(o.replication_account, "options.replication_account");
          rc != IOREPL_OK) {
        return rc;
      }
    }
    SessionConfig& c = config->config;
    c.options.replicate_deletions = o.replicate_deletions != 0;
    c.options.replicate_permissions = o.replicate_permissions != 0;
    c.options.conflict_policy = o.conflict_policy == IOREPL_LAST_WRITER_WINS
                                    ? ConflictPolicy::kLastWriterWins
                                : o.conflict_policy == IOREPL_PUBLISHER_WINS
                                    ? ConflictPolicy::kPublisherWins
                                : o.conflict_policy == IOREPL_CALLBACK
                                    ? ConflictPolicy::kCallback
                                    : ConflictPolicy::kKeepBoth;
    c.options.batch_size = static_cast<size_t>(o.batch_size);
    c.options.batch_bytes = static_cast<size_t>(o.batch_bytes);
    c.options.max_item_size = static_cast<size_t>(o.max_item_size);
    c.options.replication_account =
        o.replication_account == nullptr ? "" : o.replication_account;
    c.options.require_matching_rights = o.require_matching_rights != 0;
    c.logging.level = o.log_level == IOREPL_LOG_DEBUG ? LogLevel::kDetail
                                                      : LogLevel::kSummary;
    c.options.verify_interval =
        absl::Seconds(static_cast<int64_t>(o.verify_interval_seconds));
    return Succeed();
  });
}

int iorepl_config_get_options(iorepl_session_options* out,
                              const iorepl_config* config) {
  return Guard([&] {
    if (int rc = CheckHandle(config, "config"); rc != IOREPL_OK) return rc;
    if (int rc = WriteStruct(OptionsOf(config->config), kSessionOptionsV1Size,
                             "out", out);
        rc != IOREPL_OK) {
      return rc;
    }
    return Succeed();
  });
}

const char* iorepl_config_name(const iorepl_config* config) {
  return GuardValue<const char*>(nullptr, [&]() -> const char* {
    if (CheckHandle(config, "config") != IOREPL_OK) return nullptr;
    Succeed();
    return config->config.name.c_str();
  });
}

const char* iorepl_config_publisher(const iorepl_config* config) {
  return GuardValue<const char*>(nullptr, [&]() -> const char* {
    if (CheckHandle(config, "config") != IOREPL_OK) return nullptr;
    Succeed();
    return config->config.publisher.c_str();
  });
}

size_t iorepl_config_subscriber_count(const iorepl_config* config) {
  return GuardValue<size_t>(0, [&]() -> size_t {
    if (CheckHandle(config, "config") != IOREPL_OK) return 0;
    Succeed();
    return config->config.subscribers.size();
  });
}

const char* iorepl_config_subscriber(const iorepl_config* config,
                                     size_t index) {
  return GuardValue<const char*>(nullptr, [&]() -> const char* {
    if (CheckHandle(config, "config") != IOREPL_OK) return nullptr;
    if (index >= config->config.subscribers.size()) {
      Fail(IOREPL_ERANGE, "index is past the last subscriber");
      return nullptr;
    }
    Succeed();
    return config->config.subscribers[index].c_str();
  });
}

size_t iorepl_config_mapping_count(const iorepl_config* config) {
  return GuardValue<size_t>(0, [&]() -> size_t {
    if (CheckHandle(config, "config") != IOREPL_OK) return 0;
    Succeed();
    return config->config.mappings.size();
  });
}

int iorepl_config_mapping(const char** publisher_path,
                          const char** subscriber_path, int* direction,
                          const iorepl_config* config, size_t index) {
  return Guard([&] {
    if (int rc = CheckHandle(config, "config"); rc != IOREPL_OK) return rc;
    if (index >= config->config.mappings.size()) {
      return Fail(IOREPL_ERANGE, "index is past the last mapping");
    }
    const FolderMapping& m = config->config.mappings[index];
    if (publisher_path != nullptr) *publisher_path = m.publisher_path.c_str();
    if (subscriber_path != nullptr) {
      *subscriber_path = m.subscriber_path.c_str();
    }
    if (direction != nullptr) {
      *direction = m.direction == MappingDirection::kBidirectional
                       ? IOREPL_BIDIRECTIONAL
                       : IOREPL_ONE_WAY;
    }
    return Succeed();
  });
}

int iorepl_config_type(const iorepl_config* config) {
  return GuardValue<int>(-1, [&]() -> int {
    if (CheckHandle(config, "config") != IOREPL_OK) return -1;
    Succeed();
    return config->config.type == SessionType::kFreeBusy ? IOREPL_FREE_BUSY
                                                         : IOREPL_PUBLIC_FOLDER;
  });
}

int iorepl_config_validate(const iorepl_config* config) {
  return Guard([&] {
    if (int rc = CheckHandle(config, "config"); rc != IOREPL_OK) return rc;
    return FromStatus(ValidateSessionConfig(config->config));
  });
}

int iorepl_session_open(iorepl_session** out, const iorepl_config* config) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    *out = nullptr;
    if (int rc = CheckHandle(config, "config"); rc != IOREPL_OK) return rc;
    absl::StatusOr<std::unique_ptr<Session>> session =
        Session::Open(config->config);
    if (!session.ok()) return FromStatus(session.status());
    auto handle = std::make_unique<iorepl_session>();
    handle->session = *std::move(session);
    *out = handle.release();
    return Succeed();
  });
}

int iorepl_session_new(iorepl_session** out, const iorepl_config* config,
                       iorepl_store* publisher,
                       iorepl_store* const* subscribers, size_t count) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    *out = nullptr;
    if (int rc = CheckHandle(config, "config"); rc != IOREPL_OK) return rc;
    if (int rc = CheckHandle(publisher, "publisher"); rc != IOREPL_OK) {
      return rc;
    }
    if (count != 0 && subscribers == nullptr)
      return NullArgument("subscribers");
    if (count != config->config.subscribers.size()) {
      return Fail(
          IOREPL_EINVAL,
          absl::StrCat("count: ", count, " stores for the config's ",
                       config->config.subscribers.size(), " subscribers"));
    }
    auto handle = std::make_unique<iorepl_session>();
    handle->stores.push_back(publisher->state);
    std::vector<Store*> subs;
    for (size_t i = 0; i < count; ++i) {
      if (int rc = CheckHandle(subscribers[i], "subscribers[i]");
          rc != IOREPL_OK) {
        return rc;
      }
      for (const auto& held : handle->stores) {
        if (held == subscribers[i]->state) {
          return Fail(IOREPL_EINVAL,
                      absl::StrCat("subscribers[", i,
                                   "]: a store may appear once per session"));
        }
      }
      handle->stores.push_back(subscribers[i]->state);
      subs.push_back(subscribers[i]->state->store.get());
    }
    absl::StatusOr<std::unique_ptr<Session>> session = Session::WithStores(
        config->config, publisher->state->store.get(), std::move(subs));
    if (!session.ok()) return FromStatus(session.status());
    handle->session = *std::move(session);
    *out = handle.release();
    return Succeed();
  });
}

void iorepl_session_free(iorepl_session* session) {
  if (session != nullptr && IsHandle(session)) delete session;
}

const char* iorepl_reason_name(int reason) {
  if (reason < 0 || static_cast<size_t>(reason) >= kReasonCount) {
    return nullptr;
  }
  return ReasonName(static_cast<Reason>(reason)).data();
}

int iorepl_session_run(iorepl_statistics* stats, iorepl_session* session) {
  return Guard([&] {
    if (int rc = CheckHandle(session, "session"); rc != IOREPL_OK) return rc;
    if (stats != nullptr) {
      if (int rc = CheckStructSize(stats->struct_size, kStatisticsV1Size,
                                   "stats");
          rc != IOREPL_OK) {
        return rc;
      }
    }
    bool cancelled = false;
    session->session->set_hooks(HooksFor(session, &cancelled));
    absl::StatusOr<SessionStatistics> result = session->session->Run();
    session->session->set_hooks({});
    // Filled after a failed pass too: what it committed before it stopped.
    if (stats != nullptr) {
      WriteStruct(ToCStatistics(session->session->last_run()), kStatisticsV1Size,
                  "stats", stats);
    }
    if (!result.ok()) return FromStatus(result.status());
    if (cancelled) {
      return Fail(IOREPL_ECANCELLED,
                  "the progress callback stopped the pass; the next pass "
                  "continues where it stopped");
    }
    return Succeed();
  });
}

int iorepl_statistics_line(char** out, const iorepl_session* session,
                           const iorepl_statistics* stats) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    *out = nullptr;
    if (int rc = CheckHandle(session, "session"); rc != IOREPL_OK) return rc;
    iorepl_statistics c = IOREPL_STATISTICS_INIT;
    if (int rc = ReadStruct(stats, kStatisticsV1Size, "stats", &c);
        rc != IOREPL_OK) {
      return rc;
    }
    SessionStatistics s;
    s.message_changes = c.message_changes;
    s.message_deletions = c.message_deletions;
    s.message_ignores = c.message_ignores;
    s.message_errors = c.message_errors;
    s.folder_changes = c.folder_changes;
    s.folder_deletions = c.folder_deletions;
    s.folder_ignores = c.folder_ignores;
    s.folder_errors = c.folder_errors;
    const SessionConfig& config = session->session->config();
    char* line = MallocCopy(RenderStatisticsLine(config.type, config.name, s));
    if (line == nullptr) return Fail(IOREPL_ENOMEM, "out of memory");
    *out = line;
    return Succeed();
  });
}

int iorepl_session_set_progress(iorepl_session* session, iorepl_progress_fn fn,
                                void* user) {
  return Guard([&] {
    if (int rc = CheckHandle(session, "session"); rc != IOREPL_OK) return rc;
    session->progress_fn = fn;
    session->progress_user = user;
    return Succeed();
  });
}

int iorepl_session_set_conflict_callback(iorepl_session* session,
                                        iorepl_conflict_fn fn, void* user) {
  return Guard([&] {
    if (int rc = CheckHandle(session, "session"); rc != IOREPL_OK) return rc;
    session->conflict_fn = fn;
    session->conflict_user = user;
    return Succeed();
  });
}

int iorepl_session_set_log(iorepl_session* session, iorepl_log_fn fn,
                           void* user, int max_level) {
  return Guard([&] {
    if (int rc = CheckHandle(session, "session"); rc != IOREPL_OK) return rc;
    if (fn == nullptr) {
      session->log.reset();
      return Succeed();
    }
    if (max_level < IOREPL_LOG_ERROR || max_level > IOREPL_LOG_DEBUG) {
      return Fail(IOREPL_EINVAL, absl::StrCat("max_level ", max_level,
                                              " is not an IOREPL_LOG_* level"));
    }
    session->log = LogTarget{fn, user, max_level};
    return Succeed();
  });
}

}  // extern "C"
