// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Session: replicates the folders its mappings name from a publisher store
// to subscriber stores (and back, for bidirectional mappings).
//
// A free/busy session (SessionType::kFreeBusy) is strictly one way, and
// writes a message at a subscriber only when the subscriber's recipient list
// (ioreplication/recipient.h) has the message's SMTP address
// (PidTagSmtpAddress, compared ignoring case). Other messages are Message
// Ignores (reason no_recipient, naming the address at LogLevel::kDetail)
// and are sent again on each pass, so a contact added later gets the
// message on the next one; a subscriber copy of a message whose contact has
// gone is removed when the message next changes.
//
// A session is what the InterOrg Replication tool's configuration program
// defined: a name, a publisher, subscribers, folder mappings, options.
// Run() performs one pass: for every mapping and subscriber it moves what
// changed since the last pass (nothing else), detects conflicting edits by
// PCL, applies deletions, and returns statistics. Progress is kept in sync
// states inside the destination stores, written in the same transaction as
// each batch, so a pass interrupted anywhere (crash, cancellation, error)
// is simply completed by the next one, with nothing duplicated or lost.
//
// What a session writes: only under the subscriber (and, for bidirectional
// mappings, publisher) folders its mappings name. A missing subscriber
// mapping folder is created; a missing publisher folder is a Folder Error.
// Folder names arriving from the other side are validated (ValidateFolderName;
// "." and ".." are refused too).
//
// Example:
//   absl::StatusOr<SessionConfig> config = ParseSessionConfig(R"(
//     name: "Sales share"
//     publisher: "sqlite:/var/lib/iorepl/contoso.db"
//     subscriber: "sqlite:/var/lib/iorepl/fabrikam.db"
//     mapping { publisher_path: "/Sales" subscriber_path: "/Contoso/Sales"
//               direction: BIDIRECTIONAL }
//   )");
//   absl::StatusOr<std::unique_ptr<Session>> session = Session::Open(*config);
//   absl::StatusOr<SessionStatistics> stats = (*session)->Run();
//   std::cout << RenderStatisticsLine(SessionType::kPublicFolder,
//                                     config->name, *stats) << "\n";
//
// Thread safety: one thread at a time per Session (it owns store handles).

#ifndef IOREPLICATION_SESSION_H_
#define IOREPLICATION_SESSION_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "ioreplication/conflict.h"
#include "ioreplication/export.h"
#include "ioreplication/session_config.h"
#include "ioreplication/statistics.h"
#include "ioreplication/store.h"

namespace ioreplication {
namespace session_internal {
struct SessionState;
}  // namespace session_internal

// Where a pass is.
struct Progress {
  std::string_view mapping;    // "publisher_path -> subscriber_path"
  std::string_view direction;  // "publisher -> subscriber #N" or back
  uint64_t done = 0;           // changes handled in this direction so far
};

struct SessionHooks {
  // Log lines: reconciliations, and at LogLevel::kDetail every ignore and
  // error with its reason.
  std::function<void(LogLevel, std::string_view)> log;
  // Called after each batch; return false to stop the pass there (the
  // stores stay consistent; the next pass continues).
  std::function<bool(const Progress&)> progress;
  // For ConflictPolicy::kCallback.
  ConflictCallback conflict_callback;
};

class IOREPL_EXPORT Session {
 public:
  // Validates `config` and opens its stores by URI, each with its
  // credential (config.credentials, resolved here).
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<Session>> Open(
      SessionConfig config, const StoreOptions& store_options = {});

  // Uses stores the caller opened (e.g. a host's own). `publisher` and every
  // subscriber must outlive the session; their URIs in `config` only name
  // the sync states. `subscribers` must match config.subscribers in number.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<Session>> WithStores(
      SessionConfig config, Store* publisher, std::vector<Store*> subscribers);

  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Replaces the callbacks (the next Run() uses them).
  void set_hooks(SessionHooks hooks);
  const SessionConfig& config() const;

  // One pass over every mapping and subscriber. Per-object and per-folder
  // problems are counted in the statistics (and retried next pass); an
  // error return means a store failed, and the pass stopped there (what was
  // committed stays committed, and last_run() counts it).
  absl::StatusOr<SessionStatistics> Run();

  // What the last Run() committed: the statistics it returned, or, when it
  // returned an error, what it had committed before it stopped (a pass that
  // fills the disk after 1,980 items counts those 1,980). Zero before any
  // Run().
  const SessionStatistics& last_run() const;

  // What a pass would send now, per mapping, subscriber and direction,
  // computed from the sync states and the stores' change streams exactly as
  // Run() would (so it reads what Run() reads, item content included).
  // Writes nothing. A mapping whose publisher folder is missing is left out.
  struct Pending {
    std::string mapping;    // "publisher_path -> subscriber_path"
    std::string direction;  // "publisher -> subscriber N" or back
    uint64_t changes = 0;   // changes, deletions and scope exits to send
  };
  absl::StatusOr<std::vector<Pending>> CountPending();

  // An object a destination refused: an error (the destination refused the
  // write, a parent is missing, a name clash that waits) or an item above
  // max_item_size. A refusal is never forgotten: the object is sent again,
  // and counted again, on every pass until it is taken (say, once the size
  // limit is raised or the destination's problem is fixed), it changes at
  // its source, or the operator skips it (SkipRefused).
  struct Refused {
    std::string mapping;    // "publisher_path -> subscriber_path"
    std::string direction;  // as in Pending
    SourceKey source_key;
    bool folder = false;
    Reason reason = Reason::kInvalidObject;
    std::string why;          // the sentence the log has
    ChangeNumber change_key;  // the version refused
    bool skipped = false;     // SkipRefused was called; the next pass takes it
  };
  // What the last complete pass of each direction refused, read from the
  // sync states. Writes nothing.
  absl::StatusOr<std::vector<Refused>> ListRefused();
  // Skips the refused version of `key` in every direction that refused it:
  // the next pass takes it as seen, without counting it, and it leaves the
  // list. Another version of the object (an edit at its source) is
  // imported as usual. NotFoundError when no direction refused `key`.
  absl::Status SkipRefused(const SourceKey& key);

  // Anti-entropy (DESIGN.md invariant 10): compares each mapping's two
  // trees at every subscriber, folder by folder. For each folder it compares
  // the two stores' digests of its items (Store::GetFolderDigest: the count
  // and a sum of SHA-256 over each (source key, change key), which the
  // memory and SQLite stores keep as items change); only the folders whose
  // digests differ are compared item by item, from the stores' indexes
  // (Store::ListItemVersions: no item content). Subfolders are compared by
  // key, change key and name. Cost, on stores that keep digests: one
  // subfolder listing and one digest per folder and side, plus a merge of
  // the items of differing folders. Writes nothing unless
  // `repair`: then the next pass of each direction sends exactly the
  // differing objects again (as a reconciliation of those only), and the
  // PCLs decide as on any pass.
  struct Difference {
    enum class Kind : uint8_t {
      kMissingAtSubscriber,  // the publisher has it, the subscriber not
      kMissingAtPublisher,   // the subscriber has it, the publisher not
      kDifferentVersion,     // both, with other change keys (or names)
      kDifferentPlace,       // both, in other folders
    };
    std::string mapping;    // "publisher_path -> subscriber_path"
    size_t subscriber = 0;  // index in config().subscribers
    std::string path;       // the folder, below the mapped folder ("" for it)
    bool folder = false;    // the object is a folder (else an item in `path`)
    SourceKey source_key;
    Kind kind = Kind::kDifferentVersion;
    std::string detail;  // the change keys seen
  };
  struct VerifyReport {
    uint64_t folders = 0;            // folders compared
    uint64_t items = 0;              // items compared, both sides
    uint64_t differing_folders = 0;  // folders compared item by item
    std::vector<Difference> differences;
  };
  absl::StatusOr<VerifyReport> Verify(bool repair = false);

  // The conflict items keep_both left in the session's mapped trees
  // (ioreplication/conflict.h), in every store of the session: each with
  // the item it lost to as that store holds it now.
  struct Conflict {
    std::string store;         // the store's URI, as in the configuration
    std::string mapping;       // "publisher_path -> subscriber_path"
    Item conflict_item;        // the losing version, marked in conflict
    std::optional<Item> item;  // the winner it names (nullopt if gone)
  };
  absl::StatusOr<std::vector<Conflict>> ListConflicts();
  // An owner's choice about the conflict item `conflict_item`, made as
  // local changes in the first store of the session that holds it, so that
  // it replicates like any edit:
  //   kKeepMine   the item stays as it is; the conflict item goes
  //   kKeepTheirs the item takes the conflict item's content (a new
  //               version); the conflict item goes
  //   kKeepBoth   the conflict item becomes an ordinary item of its own
  // The conflict notice goes in every case. NotFoundError when no store
  // holds the key, FailedPreconditionError when it is not a conflict item.
  // Resolve a conflict once: until the next pass carries the choice to the
  // other stores, they still hold the conflict item, and a second call
  // would make a second, concurrent choice there.
  enum class ConflictResolution : uint8_t { kKeepMine, kKeepTheirs, kKeepBoth };
  absl::Status ResolveConflict(const SourceKey& conflict_item,
                               ConflictResolution how);

  // The classic statistics line for `stats` under this session's name.
  std::string StatisticsLine(const SessionStatistics& stats) const {
    return RenderStatisticsLine(config().type, config().name, stats);
  }

 private:
  explicit Session(std::unique_ptr<session_internal::SessionState> state);
  absl::Status RunMapping(const FolderMapping& mapping, size_t subscriber,
                          SessionStatistics& stats, bool& cancelled);
  // SessionOptions::verify_interval, after a complete pass.
  absl::Status VerifyIfDue(SessionStatistics& stats);

  // The configuration, the stores, the hooks and the last run's counts
  // (src/session/session_state.h).
  std::unique_ptr<session_internal::SessionState> state_;
};

}  // namespace ioreplication

#endif  // IOREPLICATION_SESSION_H_
