// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Session configuration: protobuf text format -> SessionConfig, and
// validation.

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "ioreplication/recipient.h"
#include "ioreplication/session.h"
#include "ioreplication/store.h"
#include "ioreplication/v1/config.pb.h"
#include "core/bounded_file.h"
#include "session/config_text.h"
#include "session/schedule.h"
#include "stores/store_uri.h"

namespace ioreplication {
namespace session_internal {
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

}  // namespace

absl::Status ParseConfigText(std::string_view text,
                             google::protobuf::Message* message) {
  if (text.size() > kMaxConfigBytes) {
    return absl::OutOfRangeError(absl::StrCat(
        "configuration text of ", text.size(), " bytes is longer than the ",
        kMaxConfigBytes >> 20, " MiB a configuration may hold"));
  }
  ErrorCollector errors;
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(std::string(text), message)) {
    return absl::InvalidArgumentError(
        absl::StrCat("configuration syntax: ", errors.Joined()));
  }
  return absl::OkStatus();
}

CredentialSource CredentialFromProto(const v1::Credential& p) {
  CredentialSource source;
  if (p.has_env()) source.env = p.env();
  if (p.has_file()) source.file = p.file();
  return source;
}

LoggingConfig LoggingFromProto(const v1::Logging& p) {
  LoggingConfig c;
  c.file = p.file();
  c.level = p.level() == v1::Logging::DETAIL ? LogLevel::kDetail
                                             : LogLevel::kSummary;
  c.log_each_message = p.log_each_message();
  c.log_each_folder = p.log_each_folder();
  return c;
}

ConflictPolicy PolicyFromProto(v1::SessionOptions::ConflictPolicy p) {
  switch (p) {
    case v1::SessionOptions::LAST_WRITER_WINS:
      return ConflictPolicy::kLastWriterWins;
    case v1::SessionOptions::PUBLISHER_WINS:
      return ConflictPolicy::kPublisherWins;
    case v1::SessionOptions::CALLBACK:
      return ConflictPolicy::kCallback;
    default:
      return ConflictPolicy::kKeepBoth;
  }
}

}  // namespace session_internal

namespace {

using session_internal::CredentialFromProto;
using session_internal::LoggingFromProto;
using session_internal::ParseConfigText;

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
  c.options.conflict_policy = session_internal::PolicyFromProto(o.conflict_policy());
  // Written as 0, they are refused by validation, as the setters refuse
  // them; only leaving them out means the default.
  if (o.has_batch_size()) c.options.batch_size = o.batch_size();
  if (o.has_max_item_size()) c.options.max_item_size = o.max_item_size();
  c.options.replication_account = o.replication_account();
  c.options.require_matching_rights = o.require_matching_rights();
  c.options.recipients_path = o.recipients_path();
  c.options.verify_interval = absl::Seconds(o.verify_interval_seconds());
  if (c.type == SessionType::kFreeBusy && c.mappings.empty()) {
    const std::string root(kFreeBusyRootPath);
    c.mappings.push_back({root, root, MappingDirection::kOneWay});
  }
  c.logging = LoggingFromProto(p.logging());
  c.schedule.interval = absl::Seconds(p.schedule().interval_seconds());
  c.schedule.days.assign(p.schedule().days().begin(),
                         p.schedule().days().end());
  c.schedule.window_start = p.schedule().window_start();
  c.schedule.window_end = p.schedule().window_end();
  c.max_tasks = p.has_max_tasks() ? p.max_tasks() : 1;
  for (const v1::StoreCredential& credential : p.credential()) {
    c.credentials.push_back(
        {credential.store(), CredentialFromProto(credential.credential())});
  }
  c.exchange_key = CredentialFromProto(p.exchange_key());
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

// The rules of free/busy sessions (and that other sessions have no
// free/busy options).
void ValidateFreeBusy(const SessionConfig& c, const std::string& who,
                      std::vector<std::string>& problems) {
  if (c.type != SessionType::kFreeBusy) {
    if (!c.options.recipients_path.empty()) {
      problems.push_back(absl::StrCat(
          who, ": recipients_path applies only to FREE_BUSY sessions"));
    }
    return;
  }
  for (size_t i = 0; i < c.mappings.size(); ++i) {
    if (c.mappings[i].direction == MappingDirection::kBidirectional) {
      problems.push_back(absl::StrCat(
          who, ": mapping ", i + 1,
          ": free/busy sessions are one way (publisher -> subscriber); a "
          "second session with the roles swapped gives the other direction"));
    }
  }
  const std::string recipients = c.options.recipients_path.empty()
                                     ? std::string(kDefaultRecipientsPath)
                                     : c.options.recipients_path;
  absl::StatusOr<std::vector<std::string>> names = SplitFolderPath(recipients);
  if (!names.ok()) {
    problems.push_back(
        absl::StrCat(who, ": recipients_path: ", names.status().message()));
    return;
  }
  for (size_t i = 0; i < c.mappings.size(); ++i) {
    absl::StatusOr<std::vector<std::string>> sub =
        SplitFolderPath(c.mappings[i].subscriber_path);
    if (sub.ok() && Nested(*names, *sub)) {
      problems.push_back(absl::StrCat(
          who, ": recipients_path \"", recipients, "\" overlaps mapping ",
          i + 1, "'s subscriber path \"", c.mappings[i].subscriber_path,
          "\" (the session would replicate into the recipient list)"));
    }
  }
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
  for (const std::string* uri : [&] {
         std::vector<const std::string*> all = {&c.publisher};
         for (const std::string& s : c.subscribers) all.push_back(&s);
         return all;
       }()) {
    if (uri->empty()) continue;
    if (absl::Status s = ValidateStoreUri(*uri); !s.ok()) {
      problems.push_back(absl::StrCat(who, ": ", s.message()));
    }
  }
  // Compared as the stores they open, not as written: "sqlite:x.db",
  // "sqlite:./x.db" and a link to x.db are one store, which would fail
  // every pass.
  absl::flat_hash_map<std::string, const std::string*> stores = {
      {stores_internal::CanonicalStoreUri(c.publisher), &c.publisher}};
  for (const std::string& s : c.subscribers) {
    auto [it, inserted] =
        stores.try_emplace(stores_internal::CanonicalStoreUri(s), &s);
    if (inserted) continue;
    if (*it->second == s) {
      problems.push_back(absl::StrCat(who, ": store \"", RedactStoreUri(s),
                                      "\" appears twice (publisher and "
                                      "subscribers must differ)"));
    } else {
      problems.push_back(absl::StrCat(
          who, ": stores \"", RedactStoreUri(*it->second), "\" and \"",
          RedactStoreUri(s), "\" are the same store (",
          RedactStoreUri(it->first),
          "); publisher and subscribers must differ"));
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
        SplitFolderPath(m.publisher_path);
    absl::StatusOr<std::vector<std::string>> sub =
        SplitFolderPath(m.subscriber_path);
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
  ValidateFreeBusy(c, who, problems);
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
  } else if (!c.subscribers.empty() && c.max_tasks > c.subscribers.size()) {
    problems.push_back(absl::StrCat(who, ": max_tasks is ", c.max_tasks,
                                    " but the session has only ",
                                    c.subscribers.size(), " subscriber",
                                    c.subscribers.size() == 1 ? "" : "s",
                                    " (a task serves one subscriber)"));
  }
  if (absl::StatusOr<session_internal::Schedule> schedule =
          session_internal::Schedule::Parse(c.schedule);
      !schedule.ok()) {
    for (absl::string_view line :
         absl::StrSplit(schedule.status().message(), '\n')) {
      problems.push_back(absl::StrCat(who, ": ", line));
    }
  }
  absl::flat_hash_set<std::string> with_credential;
  for (const StoreCredential& credential : c.credentials) {
    const bool ours = credential.store == c.publisher ||
                      std::find(c.subscribers.begin(), c.subscribers.end(),
                                credential.store) != c.subscribers.end();
    if (!ours) {
      problems.push_back(absl::StrCat(who, ": a credential names store \"",
                                      RedactStoreUri(credential.store),
                                      "\", which is not one of the session's"));
    } else if (!StoreTakesCredential(credential.store)) {
      problems.push_back(absl::StrCat(
          who, ": store \"", RedactStoreUri(credential.store),
          "\" takes no credential (memory and sqlite stores do not "
          "authenticate)"));
    }
    if (credential.source.empty()) {
      problems.push_back(absl::StrCat(who, ": the credential for \"",
                                      RedactStoreUri(credential.store),
                                      "\" names neither env nor file"));
    }
    if (!with_credential.insert(credential.store).second) {
      problems.push_back(absl::StrCat(who, ": store \"",
                                      RedactStoreUri(credential.store),
                                      "\" has two credentials"));
    }
  }
  if (problems.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrJoin(problems, "\n"));
}

absl::StatusOr<std::string> ResolveCredential(const CredentialSource& source) {
  std::string secret;
  if (!source.env.empty()) {
    const char* value = std::getenv(source.env.c_str());
    if (value == nullptr || *value == '\0') {
      return absl::NotFoundError(absl::StrCat(
          "credential: environment variable ", source.env, " is not set"));
    }
    secret = value;
  } else if (!source.file.empty()) {
    // A secret is short; 64 KiB bounds what a wrong path (a log, a
    // device) could make us read.
    absl::StatusOr<std::string> content = core_internal::ReadBoundedFile(
        source.file, "credential file", size_t{64} << 10);
    if (!content.ok()) {
      return absl::Status(content.status().code(),
                          absl::StrCat("credential: ", content.status().message()));
    }
    secret = *std::move(content);
    if (!secret.empty() && secret.back() == '\n') secret.pop_back();
    if (!secret.empty() && secret.back() == '\r') secret.pop_back();
    if (secret.empty()) {
      return absl::NotFoundError(
          absl::StrCat("credential: file ", source.file, " is empty"));
    }
  } else {
    return absl::NotFoundError("credential: neither env nor file is set");
  }
  return secret;
}

absl::StatusOr<SessionConfig> ParseSessionConfig(std::string_view text) {
  v1::SessionConfig proto;
  if (absl::Status s = ParseConfigText(text, &proto); !s.ok()) return s;
  SessionConfig config = FromProto(proto);
  if (absl::Status s = ValidateSessionConfig(config); !s.ok()) return s;
  return config;
}

absl::StatusOr<std::vector<SessionConfig>> ParseConfig(std::string_view text) {
  absl::StatusOr<ConfigFile> file = ParseConfigFile(text);
  if (!file.ok()) return file.status();
  return std::move(file->sessions);
}

absl::StatusOr<ConfigFile> ParseConfigFile(std::string_view text) {
  v1::Config proto;
  if (absl::Status s = ParseConfigText(text, &proto); !s.ok()) return s;
  ConfigFile file;
  file.status_file = proto.status_file();
  file.lock_directory = proto.lock_directory();
  std::vector<SessionConfig>& sessions = file.sessions;
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
  return file;
}

}  // namespace ioreplication
