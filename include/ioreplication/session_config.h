// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// SessionConfig: what a session is (the InterOrg Replication tool's
// configuration program defined the same): a name, a type, a publisher
// store, subscriber stores, folder mappings, options, logging, a schedule,
// credentials; and the configuration text format that writes one
// (proto/ioreplication/v1/config.proto, docs/config.md), with its parsers
// and validation.
//
// Sessions run these (ioreplication/session.h); a Service runs them on
// their schedules (ioreplication/service.h).
//
// Thread safety: plain values; the functions are thread-safe.

#ifndef IOREPLICATION_SESSION_CONFIG_H_
#define IOREPLICATION_SESSION_CONFIG_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "ioreplication/conflict.h"
#include "ioreplication/export.h"
#include "ioreplication/statistics.h"

namespace ioreplication {

enum class MappingDirection : uint8_t {
  kOneWay,         // publisher -> subscriber
  kBidirectional,  // both ways, without echo
};

struct FolderMapping {
  // Absolute folder paths from each store's root: "/" is the root,
  // "/Sales/EMEA" a folder two levels down (names compared ignoring case;
  // a '/' inside a name is written "%2F", see ioreplication/folder_path.h).
  std::string publisher_path;
  std::string subscriber_path;
  MappingDirection direction = MappingDirection::kOneWay;
};

struct SessionOptions {
  bool replicate_deletions = true;
  bool replicate_permissions = false;
  ConflictPolicy conflict_policy = ConflictPolicy::kKeepBoth;
  // Changes per transaction.
  size_t batch_size = 1000;
  // Bytes of item content per transaction (at least one item).
  size_t batch_bytes = 16 << 20;
  // Items larger than this are not replicated (a Message Ignore, too_large).
  size_t max_item_size = 64 << 20;
  // With require_matching_rights, a folder replicates only where
  // replication_account has the same rights on both sides; otherwise it is
  // a Folder Error naming the member and both rights.
  std::string replication_account;
  bool require_matching_rights = false;
  // Free/busy sessions: the folder of each subscriber's recipient list
  // (ioreplication/recipient.h); empty means kDefaultRecipientsPath.
  std::string recipients_path;
  // When positive, a pass that ends at least this long after the last
  // verify (recorded in the stores, so it holds across processes) runs
  // Verify(/*repair=*/true) after it: differences are counted in the
  // statistics (SessionStatistics::differences) and logged, and the next
  // pass sends those objects again. Zero: never (iorepl verify by hand).
  absl::Duration verify_interval = absl::ZeroDuration();
};

// Where MS-OXOPFFB keeps free/busy messages: the "SCHEDULE+ FREE BUSY"
// folder of the non-IPM subtree, with one subfolder per site
// ("EX:/o=Org/ou=Site", written EX:%2Fo=Org%2Fou=Site in a path). A
// free/busy session without mappings maps this folder to the same path at
// each subscriber.
inline constexpr std::string_view kFreeBusyRootPath =
    "/NON_IPM_SUBTREE/SCHEDULE+ FREE BUSY";

// How much a session logs (SessionHooks::log).
enum class LogLevel : uint8_t {
  kSummary,  // reconciliations, folder errors such as permission mismatches
  kDetail,   // also every ignore and error with its reason and object
};

struct LoggingConfig {
  std::string file;
  LogLevel level = LogLevel::kSummary;
  bool log_each_message = false;
  bool log_each_folder = false;
};

struct ScheduleConfig {
  absl::Duration interval;        // zero: only when run by hand
  std::vector<std::string> days;  // "mon".."sun"; empty: every day
  std::string window_start;       // "HH:MM" or empty
  std::string window_end;
};

// Where a secret comes from: exactly one of the two is set. Secrets never
// stand in a configuration, and the library never logs them or puts them in
// error messages.
struct CredentialSource {
  std::string env;   // the name of an environment variable
  std::string file;  // a file holding the secret (one trailing newline dropped)
  bool empty() const { return env.empty() && file.empty(); }
};

// The credential the store with this URI opens with.
struct StoreCredential {
  std::string store;  // one of the session's publisher / subscriber URIs
  CredentialSource source;
};

// Reads the secret. NotFoundError naming the variable or file when it is
// unset, missing or empty; never the secret itself.
IOREPL_EXPORT absl::StatusOr<std::string> ResolveCredential(
    const CredentialSource& source);

struct SessionConfig {
  std::string name;
  SessionType type = SessionType::kPublicFolder;
  std::string publisher;                 // store URI
  std::vector<std::string> subscribers;  // store URIs
  std::vector<FolderMapping> mappings;
  SessionOptions options;
  LoggingConfig logging;
  ScheduleConfig schedule;
  // Subscribers served at the same time by the service (1..subscribers).
  uint32_t max_tasks = 1;
  std::vector<StoreCredential> credentials;
  // Authenticates exchange files (iorepl export / import); optional.
  CredentialSource exchange_key;
};

// The most configuration text ParseSessionConfig, ParseConfig and
// ParseConfigFile take (16 MiB, far beyond any real configuration); longer
// text is an OutOfRangeError before any parsing, and `iorepl` reads no more
// of a configuration file than this.
inline constexpr size_t kMaxConfigBytes = size_t{16} << 20;

// Parses one session in protobuf text format (proto/ioreplication/v1/
// config.proto, message SessionConfig). InvalidArgumentError with line and
// column for syntax errors, and ValidateSessionConfig's errors.
IOREPL_EXPORT absl::StatusOr<SessionConfig> ParseSessionConfig(
    std::string_view text);

// Parses a configuration file's text: any number of `session { ... }`
// blocks (message Config). Each session is validated; so is the uniqueness
// of their names.
IOREPL_EXPORT absl::StatusOr<std::vector<SessionConfig>> ParseConfig(
    std::string_view text);

// A whole configuration file.
struct ConfigFile {
  std::vector<SessionConfig> sessions;
  // Where the service records each session's last pass; empty means the
  // default (the tool's choice: the file's path plus ".status").
  std::string status_file;
  // Where processes running these sessions take turns through file locks
  // (ServiceOptions::lock_directory); empty means the default (the tool's
  // choice: the status file's path plus ".locks").
  std::string lock_directory;
};

// Like ParseConfig, keeping the file-level settings too.
IOREPL_EXPORT absl::StatusOr<ConfigFile> ParseConfigFile(std::string_view text);

// OK when the configuration can run: a name, a publisher, at least one
// subscriber, valid store URIs of known schemes (without passwords in them),
// at least one mapping, valid paths, no two mappings overlapping or nesting
// on either side, sensible sizes, max_tasks within 1..subscribers,
// credentials only for stores of the session that take one, and a schedule
// that can fire: known day names ("mon".."sun"), a window of two "HH:MM"
// times that differ (it may wrap past midnight), and an interval whenever
// days or a window are given. InvalidArgumentError lists every problem, one
// per line.
IOREPL_EXPORT absl::Status ValidateSessionConfig(const SessionConfig& config);

}  // namespace ioreplication

#endif  // IOREPLICATION_SESSION_CONFIG_H_
