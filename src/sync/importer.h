// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Importer: applies export batches to the destination store.
//
// For each incoming version it finds the destination's version of the same
// source key and compares PCLs (DESIGN.md invariant 2): newer versions are
// written as they are (change key and PCL kept), older or equal ones are
// ignored, conflicts go to the conflict policy. Source folders map under the
// destination's mapped root; nothing is written outside the destination's
// mapped tree (invariant 7), and incoming objects are validated first.
//
// The importer works inside a transaction the caller opened; it reports what
// it did so the caller can record it (sync state, echo state, statistics) in
// that same transaction.

#ifndef IOREPLICATION_SRC_SYNC_IMPORTER_H_
#define IOREPLICATION_SRC_SYNC_IMPORTER_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "ioreplication/conflict.h"
#include "ioreplication/statistics.h"
#include "ioreplication/store.h"
#include "replica/change_number_source.h"
#include "sync/exporter.h"
#include "sync/log_buffer.h"
#include "sync/sync_state.h"

namespace ioreplication::sync_internal {

struct ImportOptions {
  SourceKey source_root;
  SourceKey dest_root;
  ConflictPolicy policy = ConflictPolicy::kKeepBoth;
  ConflictCallback callback;
  // True when the source of this direction is the session's publisher.
  bool source_is_publisher = true;
  bool replicate_deletions = true;
  bool replicate_permissions = false;
  // Items larger than this are ignored (too_large).
  size_t max_item_size = 64 << 20;
  // Called for every ignore and error, with a sentence saying what and why;
  // errors go to error_log instead when it is set.
  std::function<void(std::string_view)> log;
  std::function<void(std::string_view)> error_log;
  // When set, called for every item conflict with a line naming the item,
  // its folder, both versions, the policy and the winner.
  std::function<void(std::string_view)> conflict_log;
  // When set, called for every folder (folder = true) and message written
  // or deleted as received, with a line naming it.
  std::function<void(bool folder, std::string_view)> replicated_log;
  // When set, asked about every incoming message version before it is
  // written; an answer withholds it. A withheld message is a Message Ignore
  // with the answer's reason, the destination's copy of it (if any) is
  // removed as a Message Deletion, and the change is sent again on the next
  // pass, so a later answer can let it through.
  struct Withhold {
    Reason reason;
    std::string why;
  };
  std::function<std::optional<Withhold>(const Item&)> item_filter;
  // Refused versions the operator skipped (source key -> change key): taken
  // as seen without a word, so they are not sent again. Another version of
  // the object is imported as usual.
  absl::flat_hash_map<SourceKey, ChangeNumber> skipped;
  // Keep the tombstone of every deletion received, also of an object whose
  // folder is neither in the mapped tree nor deleted here (yet). A session
  // keeps none there, so a partner's deletions cannot shadow what other
  // sessions bring. A replica group member sets it: each member's deletion is
  // the group's, and its folder may simply not have arrived yet; without the
  // tombstone an older version arriving later, from anyone, would come back.
  bool keep_every_tombstone = false;
};

// What one batch did.
struct BatchOutcome {
  SessionStatistics stats;
  // Source local change numbers of entries to send again next pass.
  GlobSet retry;
  // Pulled entries (no local change number) to send again.
  std::vector<SourceKey> retry_pulled;
  // Objects the destination waits for (their moves or deletions at the
  // source): sent again next pass by key, whatever the source's stream
  // says (a deletion the stream would not send, for one).
  std::vector<SourceKey> resend;
  // Folders written over their scope exits that came as changes, not
  // pulled: the direction's state still counts their subtrees as held
  // (Exporter::Pull sends them).
  std::vector<SourceKey> pull_folders;
  // What was refused (errors, items too large), to list and send again.
  std::vector<Refusal> refusals;
  // Source keys the destination now holds / no longer holds.
  IdSet given_added;
  IdSet given_removed;
  // For the direction back: the destination's local change numbers of
  // versions written exactly as received, the source keys the source
  // holds, and tombstones to answer with (Importer::Answer).
  EchoState echo;
};

// The tombstone a scope exit entry (a folder or an item that left the
// source's mapped tree, as its version there) leaves at the destination.
Tombstone ExitOf(const Change& change);
Tombstone ExitOf(const Folder& folder);
Tombstone ExitOf(const Item& item);

class Importer {
 public:
  // `dest` must outlive the importer.
  Importer(Store* dest, ImportOptions options);

  // Reads the destination's mapped tree. Call once, before Apply.
  absl::Status Start();

  // Applies `batch` inside the destination's open transaction. Objects are
  // placed at the destination in place (their folders mapped), so `batch` is
  // changed; applying it again after a rollback is harmless. Per-object
  // problems are counted in `out` and do not fail the batch; an error return
  // means the store failed (the caller rolls back).
  absl::Status Apply(ExportBatch& batch, BatchOutcome& out);

  // The destination's transaction that ran Apply ended: its log lines go
  // out (committed) or are dropped, and change numbers reserved inside a
  // rolled-back one are forgotten. ApplyBatch calls it.
  void Ended(bool committed);

  // The importer's log lines (ImportOptions' log sinks), held while the
  // destination's transaction is open; the caller flushes them after it
  // ends (ApplyBatch does).
  LogBuffer& logs() { return logs_; }

  // Says whether the source holds a newer version of object `key` than the
  // destination's (`dest_pcl`, under `dest_parent` and, when `name` is not
  // empty, so named) that places it otherwise: under another parent or
  // name, or deleted. That change then follows, in this pass or the next. With
  // it, a name clash the source will not settle (two folders of one name made
  // at two replicas) is settled by a rename, one it will settle passes
  // (the folder is written meanwhile), and a folder deletion that finds
  // only objects the source will move or delete left in it waits a pass
  // for them instead of keeping the folder. Without it, every name clash is
  // an error retried next pass, and such a folder is kept.
  using SourceSettles = std::function<absl::StatusOr<bool>(
      const SourceKey& key, const SourceKey& dest_parent, std::string_view name,
      const Pcl& dest_pcl)>;
  void set_source_settles(SourceSettles settles) {
    source_settles_ = std::move(settles);
  }

 private:
  // Why `change` cannot be taken, when it names the destination's own
  // replica at a counter the destination never handed out (its source key,
  // change key or deletion change number, or a PCL entry): such a version
  // would make the destination believe its counter went back (restore
  // detection, a new replica identity) and collide with the objects it
  // makes next. Only the destination's own data may say that.
  std::optional<std::string> ForgedOwnCounter(const Change& change) const;

  // Why `change` cannot be taken, when it says it was made or deleted more
  // than a year after this host's clock when the importer started
  // (kFarFuture). Such a time would make a tombstone outlive every purge
  // (PurgeTombstones goes by deletion time) and a version win every
  // last-writer-wins decision for ever; no clock is that far off.
  std::optional<std::string> FromTheFarFuture(const Change& change) const;

  // What the destination holds of the key of an incoming version: its
  // folder or item of the version's kind (a tombstone's: of the kind it
  // deleted), or else its tombstone of the key. One lookup, from which each
  // case decides by PCL.
  struct LocalVersion {
    std::optional<Folder> folder;
    std::optional<Item> item;
    // Only when neither is held: the tombstone, and whether it was kept for
    // another mapped tree (Tombstone::scope_root). A foreign one does not
    // count for this session, and goes before the key is written.
    std::optional<Tombstone> tombstone;
    bool foreign = false;
    // The tombstone as it counts for this session: null when there is none
    // or it is foreign.
    const Tombstone* here() const;
  };
  absl::StatusOr<LocalVersion> FindLocal(const SourceKey& key, ObjectKind kind);

  // What happens to one incoming object, counted and logged as a folder's
  // or an item's: by the object's kind, a tombstone's by what it deleted.
  class Report {
   public:
    Report(Importer& importer, BatchOutcome& out, ObjectKind kind);

    BatchOutcome& out() { return out_; }

    // Counts an ignore with its reason and logs why.
    void Ignore(Reason reason, const SourceKey& key, absl::string_view why);
    // Counts an error with its reason, logs why, and refuses the change.
    void Error(Reason reason, const Change& change, absl::string_view why);
    // Records `change` as refused (BatchOutcome::refusals) and sends it
    // again next pass: a refusal stays visible until the object is taken,
    // changed at the source, or skipped (ImportOptions::skipped).
    void Refuse(Reason reason, const Change& change, absl::string_view why);
    // A store error: per-object (counted, the batch goes on) or fatal.
    absl::Status WriteFailed(const Change& change, const absl::Status& status);
    // Reports a write to replicated_log, when set.
    void Replicated(const Change& change, const char* what);
    // An incoming version equal to or older than the destination's is
    // ignored (and the key held): returns true when `order` says so.
    bool IgnoreUnlessNewer(PclOrder order, const SourceKey& key);
    // Likewise against the destination's tombstone of the key. An older
    // version means the source missed that deletion or exit (it held the
    // object outside its tree when it came): the tombstone is an answer
    // for the direction back.
    bool IgnoreUnlessNewerThanDeletion(PclOrder order,
                                       const Tombstone& tombstone);

   private:
    Importer& importer_;
    BatchOutcome& out_;
    const bool folder_;
  };

  absl::Status ApplyFolder(Outgoing& entry, BatchOutcome& out);
  absl::Status ApplyItem(Outgoing& entry, BatchOutcome& out);
  // A deletion or scope exit: of a folder or an item the destination holds
  // (ApplyExit, DeleteFolderHere, DeleteItemHere), or of a key it does not
  // hold (KeepTombstone).
  absl::Status ApplyTombstone(Outgoing& entry, BatchOutcome& out);
  // Deletes the destination's folder `local` (in the mapped tree) as the
  // deletion `change` says, with `mapped` as its tombstone here: unless the
  // destination's version is newer, or concurrent (the folder survives as a
  // successor of both), or holds what the deletion did not know of (kept,
  // or deleted next pass once the source has moved or deleted it).
  absl::Status DeleteFolderHere(const Change& change, Tombstone& mapped,
                                const Folder& local, Report& report);
  // Likewise for an item; a concurrent edit is a conflict (ResolveItem).
  absl::Status DeleteItemHere(const Change& change, Tombstone& mapped,
                              const Item& local, Report& report);
  // Nothing of the key here: keeps the tombstone (merged with one already
  // here) where this session may change things, so that an older copy
  // arriving from elsewhere is not resurrected.
  absl::Status KeepTombstone(const Change& change, Tombstone& mapped,
                             const LocalVersion& local, Report& report);
  // A scope exit (or a relayed one) of an object the destination holds in
  // its mapped tree, whose version there has `local_pcl`: removes it (a
  // folder with its subtree) and keeps the exit as its tombstone, unless the
  // object came back since (the exit is older).
  absl::Status ApplyExit(const Change& change, Tombstone exit,
                         const Pcl& local_pcl, const SourceKey& local_parent,
                         BatchOutcome& out);
  // Removes a folder with everything under it, without tombstones.
  absl::Status RemoveSubtree(const SourceKey& key, BatchOutcome& out);
  // Removes the destination's copy of an item, without a tombstone.
  absl::Status DropItem(const SourceKey& key, BatchOutcome& out);
  // ImportOptions::item_filter said no.
  absl::Status WithholdItem(const Change& change,
                            const ImportOptions::Withhold& withhold,
                            BatchOutcome& out);

  // The destination folder a source folder key maps to.
  SourceKey MapFolder(const SourceKey& source_folder) const;

  // Sends `change` again next pass.
  void Retry(const Change& change, BatchOutcome& out);
  // The change is a version ImportOptions::skipped names.
  bool Skipped(const Change& change) const;
  // The order of an incoming version against the destination's version of
  // the same object: their PCLs' order, except that two versions with equal
  // PCLs but different change keys (each a merge of the other's history,
  // made at two replicas at once) order by change key, so that every
  // replica keeps the same one of them.
  // Sets `tied` when that is why the incoming version is older: the
  // source then lacks the kept one, so it is sent back (EchoState::resend).
  static PclOrder VersionOrder(const Pcl& in_pcl, const ChangeNumber& in_ck,
                               const Pcl& local_pcl,
                               const ChangeNumber& local_ck, bool& tied);
  // True when an incoming version (change key `in`, in `order` against the
  // destination's scope exit of its key) is the object coming back. Any
  // version of a subtree that entered the source's tree (pulled: its folder
  // moved in again) does. Against an exit that left with a folder above
  // (Tombstone::left_with), so does the version the exit recorded or an
  // equal one (the folder is here, or the version would have no parent). A
  // plain exit acts as a deletion: a newer version is applied anyway, an
  // equal or older one streamed is stale.
  static bool ComesBack(const Change& change, const ChangeNumber& in,
                        PclOrder order, const Tombstone& exit);
  // Every one of them, in `parent` here, the source will move or delete
  // (SourceSettles).
  absl::StatusOr<bool> AllSettled(const SourceKey& parent,
                                  const std::vector<Folder>& folders,
                                  const std::vector<SourceKey>& items);

  // The destination holds the object of an incoming version outside its
  // mapped tree: answers the source, on the direction back, with `exit`
  // (the incoming version as a scope exit), so that the object leaves the
  // other replicas' trees as well. The exit has the incoming version's PCL,
  // not one merged with the destination's: this replica's own version must
  // still be able to come back (its folder moved in again).
  void Answer(Tombstone exit, BatchOutcome& out);
  // Marks the version just written as received unchanged (no echo back).
  absl::Status Echo(const SourceKey& key, BatchOutcome& out);
  void Hold(const SourceKey& key, BatchOutcome& out);
  void Release(const SourceKey& key, BatchOutcome& out);

  // A folder under `parent` at the destination named `name` (ignoring
  // case), other than `self`.
  absl::StatusOr<std::optional<Folder>> SiblingNamed(const SourceKey& parent,
                                                     const std::string& name,
                                                     const SourceKey& self);
  absl::StatusOr<bool> KeyUsed(const SourceKey& key);
  // The destination's folders from `parent` up to (not including) `key`
  // when moving `key` under `parent` would put it inside its own subtree;
  // empty otherwise.
  absl::StatusOr<std::vector<Folder>> CyclePath(const SourceKey& key,
                                                const SourceKey& parent);
  // Breaks the cycle `incoming` would close with `path` (CyclePath): the
  // loser moves to the mapped root, `incoming` itself (then not `plain`) or
  // a folder of the path (written here).
  absl::Status BreakCycle(Folder& incoming, std::vector<Folder> path,
                          bool& plain, BatchOutcome& out);
  // Two same-named siblings: `incoming` (then not `plain`) or the other is
  // renamed (RenamedFolder), or the clash passes (SourceSettles). True when
  // a clash remains (an error, retried).
  absl::StatusOr<bool> SettleNameClash(Folder& incoming, bool& plain,
                                       BatchOutcome& out);
  // Writes a folder of the destination's changed by a tree conflict's
  // resolution, renamed as well if its name is taken where it now is.
  absl::Status WriteResolved(Folder& folder, BatchOutcome& out);

  // For an item version whose folder is not in the tree: decides it against
  // the destination's tombstone of the key, when that is possible without
  // the folder (the version is older, or a concurrent one that the deletion
  // beats under the session's policy). True when decided (ignored, or the
  // tombstone rewritten with both PCLs), false when only the folder can.
  absl::StatusOr<bool> DecideAgainstDeletion(const Change& change,
                                             const Item& mapped,
                                             BatchOutcome& out);

  // Resolves a conflict on change's source key between the local side and
  // the incoming one (both placed at the destination) and writes the result.
  absl::Status ResolveItem(const Change& change, ConflictSide local,
                           ConflictSide incoming, BatchOutcome& out);

  Store* dest_;
  FileTime far_future_;  // set at construction: now plus a year
  LogBuffer logs_;       // before options_, whose sinks write into it
  ImportOptions options_;
  absl::flat_hash_set<SourceKey> tree_;  // the destination's mapped tree
  // The destination's own change numbers, for versions a conflict makes
  // its own (set by Start).
  std::optional<replica_internal::ChangeNumberSource> counters_;
  // The destination's replica GUID and counter high-water mark when the
  // importer first started: what an incoming object may name of it.
  struct OwnCounters {
    Guid replica;
    uint64_t high_water = 0;
  };
  std::optional<OwnCounters> own_;
  SourceSettles source_settles_;
};

}  // namespace ioreplication::sync_internal

#endif  // IOREPLICATION_SRC_SYNC_IMPORTER_H_
