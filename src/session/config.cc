// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Session configuration: protobuf text format -> SessionConfig, and
// validation.

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "ioreplication/session.h"
#include "ioreplication/v1/config.pb.h"
#include "sync/folder_tree.h"

namespace ioreplication {
namespace {

// Collects the parser's messages as "line L, column C: message".
class ErrorCollector : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    errors_.push_back(absl::StrCat("line ", line + 1, ", column ", column + 1,
                                   ": ", message));
  }
  void AddWarning(int line, google::protobuf::io::ColumnNumber column,
                  const std::string& message) override {
    AddError(line, column, message);
  }
  std::string Joined() const { return absl::StrJoin(errors_, "\n"); }

 private:
  std::vector<std::string> errors_;
};

template <typename Message>
absl::Status ParseText(std::string_view text, Message* message) {
  ErrorCollector errors;
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(std::string(text), message)) {
    return absl::InvalidArgumentError(
        absl::StrCat("configuration syntax: ", errors.Joined()));
  }
  return absl::OkStatus();
}

SessionConfig FromProto(const v1::SessionConfig& p) {
  SessionConfig c;
  c.name = p.name();
  c.type = p.type() == v1::SessionConfig::FREE_BUSY
               ? SessionType::kFreeBusy
               : SessionType::kPublicFolder;
  c.publisher = p.publisher();
  c.subscribers.assign(p.subscriber().begin(), p.subscriber().end());
  for (const v1::FolderMapping& m : p.mapping()) {
    c.mappings.push_back({m.publisher_path(), m.subscriber_path(),
                          m.direction() == v1::FolderMapping::BIDIRECTIONAL
                              ? MappingDirection::kBidirectional
                              : MappingDirection::kOneWay});
  }
  const v1::SessionOptions& o = p.options();
  if (o.has_replicate_deletions()) {
    c.options.replicate_deletions = o.replicate_deletions();
  }
  c.options.replicate_permissions = o.replicate_permissions();
  switch (o.conflict_policy()) {
    case v1::SessionOptions::LAST_WRITER_WINS:
      c.options.conflict_policy = ConflictPolicy::kLastWriterWins;
      break;
    case v1::SessionOptions::PUBLISHER_WINS:
      c.options.conflict_policy = ConflictPolicy::kPublisherWins;
      break;
    case v1::SessionOptions::CALLBACK:
      c.options.conflict_policy = ConflictPolicy::kCallback;
      break;
    default:
      c.options.conflict_policy = ConflictPolicy::kKeepBoth;
  }
  if (o.batch_size() != 0) c.options.batch_size = o.batch_size();
  if (o.max_item_size() != 0) c.options.max_item_size = o.max_item_size();
  c.options.replication_account = o.replication_account();
  c.options.require_matching_rights = o.require_matching_rights();
  c.logging.file = p.logging().file();
  c.logging.level = p.logging().level() == v1::Logging::DETAIL
                        ? LogLevel::kDetail
                        : LogLevel::kSummary;
  c.logging.log_each_message = p.logging().log_each_message();
  c.logging.log_each_folder = p.logging().log_each_folder();
  c.schedule.interval = absl::Seconds(p.schedule().interval_seconds());
  c.schedule.days.assign(p.schedule().days().begin(),
                         p.schedule().days().end());
  c.schedule.window_start = p.schedule().window_start();
  c.schedule.window_end = p.schedule().window_end();
  c.max_tasks = p.max_tasks() == 0 ? 1 : p.max_tasks();
  return c;
}

// True when path a is b or lies under it (or the reverse).
bool Nested(const std::vector<std::string>& a,
            const std::vector<std::string>& b) {
  const size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    if (!absl::EqualsIgnoreCase(a[i], b[i])) return false;
  }
  return true;
}

}  // namespace

std::string_view ConflictPolicyName(ConflictPolicy policy) {
  switch (policy) {
    case ConflictPolicy::kKeepBoth:
      return "keep_both";
    case ConflictPolicy::kLastWriterWins:
      return "last_writer_wins";
    case ConflictPolicy::kPublisherWins:
      return "publisher_wins";
    case ConflictPolicy::kCallback:
      return "callback";
  }
  return "unknown";
}

absl::Status ValidateSessionConfig(const SessionConfig& c) {
  std::vector<std::string> problems;
  const std::string who =
      c.name.empty() ? "session" : absl::StrCat("session '", c.name, "'");
  if (c.name.empty()) problems.push_back("session: the name is empty");
  if (c.publisher.empty()) {
    problems.push_back(absl::StrCat(who, ": no publisher store"));
  }
  if (c.subscribers.empty()) {
    problems.push_back(absl::StrCat(who, ": no subscriber store"));
  }
  absl::flat_hash_set<std::string> uris = {c.publisher};
  for (const std::string& s : c.subscribers) {
    if (!uris.insert(s).second) {
      problems.push_back(absl::StrCat(who, ": store \"", s,
                                      "\" appears twice (publisher and "
                                      "subscribers must differ)"));
    }
  }
  if (c.mappings.empty()) {
    problems.push_back(absl::StrCat(who, ": no folder mapping"));
  }
  std::vector<std::vector<std::string>> pub_paths, sub_paths;
  for (size_t i = 0; i < c.mappings.size(); ++i) {
    const FolderMapping& m = c.mappings[i];
    const std::string where = absl::StrCat(who, ": mapping ", i + 1);
    absl::StatusOr<std::vector<std::string>> pub =
        sync_internal::SplitFolderPath(m.publisher_path);
    absl::StatusOr<std::vector<std::string>> sub =
        sync_internal::SplitFolderPath(m.subscriber_path);
    if (!pub.ok()) {
      problems.push_back(absl::StrCat(where, ": ", pub.status().message()));
    }
    if (!sub.ok()) {
      problems.push_back(absl::StrCat(where, ": ", sub.status().message()));
    }
    if (!pub.ok() || !sub.ok()) continue;
    for (size_t j = 0; j < pub_paths.size(); ++j) {
      if (Nested(*pub, pub_paths[j])) {
        problems.push_back(absl::StrCat(where, ": publisher path \"",
                                        m.publisher_path,
                                        "\" overlaps mapping ", j + 1, "'s \"",
                                        c.mappings[j].publisher_path, "\""));
      }
      if (Nested(*sub, sub_paths[j])) {
        problems.push_back(absl::StrCat(where, ": subscriber path \"",
                                        m.subscriber_path,
                                        "\" overlaps mapping ", j + 1, "'s \"",
                                        c.mappings[j].subscriber_path, "\""));
      }
    }
    pub_paths.push_back(*pub);
    sub_paths.push_back(*sub);
  }
  if (c.options.batch_size == 0) {
    problems.push_back(absl::StrCat(who, ": batch_size must be at least 1"));
  }
  if (c.options.max_item_size == 0) {
    problems.push_back(absl::StrCat(who, ": max_item_size must be positive"));
  }
  if (c.options.require_matching_rights &&
      c.options.replication_account.empty()) {
    problems.push_back(absl::StrCat(
        who, ": require_matching_rights needs a replication_account"));
  }
  if (c.max_tasks == 0) {
    problems.push_back(absl::StrCat(who, ": max_tasks must be at least 1"));
  }
  if (problems.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrJoin(problems, "\n"));
}

absl::StatusOr<SessionConfig> ParseSessionConfig(std::string_view text) {
  v1::SessionConfig proto;
  if (absl::Status s = ParseText(text, &proto); !s.ok()) return s;
  SessionConfig config = FromProto(proto);
  if (absl::Status s = ValidateSessionConfig(config); !s.ok()) return s;
  return config;
}

absl::StatusOr<std::vector<SessionConfig>> ParseConfig(std::string_view text) {
  v1::Config proto;
  if (absl::Status s = ParseText(text, &proto); !s.ok()) return s;
  std::vector<SessionConfig> sessions;
  std::vector<std::string> problems;
  absl::flat_hash_set<std::string> names;
  for (const v1::SessionConfig& p : proto.session()) {
    SessionConfig config = FromProto(p);
    if (absl::Status s = ValidateSessionConfig(config); !s.ok()) {
      problems.emplace_back(s.message());
    }
    if (!config.name.empty() && !names.insert(config.name).second) {
      problems.push_back(
          absl::StrCat("session '", config.name, "' is defined twice"));
    }
    sessions.push_back(std::move(config));
  }
  if (!problems.empty()) {
    return absl::InvalidArgumentError(absl::StrJoin(problems, "\n"));
  }
  return sessions;
}

}  // namespace ioreplication
