// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "sync/direction.h"

#include "absl/algorithm/container.h"
#include "absl/container/btree_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "sync/batch_reader.h"
#include "sync/pass_state.h"
#include "sync/sync_state.h"

namespace ioreplication::sync_internal {

absl::Status Transact(Store& store, const std::function<absl::Status()>& body) {
  if (store.InTransaction()) return body();
  if (absl::Status s = store.Begin(); !s.ok()) return s;
  absl::Status status = body();
  if (status.ok()) status = store.Commit();
  if (!status.ok() && store.InTransaction()) (void)store.Rollback();
  return status;
}

GlobSet UpTo(GlobCnt high) {
  GlobSet set;
  if (high.value() > 0) (void)set.InsertRange(*GlobCnt::FromValue(1), high);
  return set;
}

namespace {

// Why the recorded state cannot be trusted, or empty.
std::string Distrust(const SyncState& state, const StoreIdentity& identity,
                     GlobCnt high, const DirectionSpec& spec) {
  if (!state.source.has_value()) return "";
  if (*state.source != identity) {
    return absl::StrCat("the source's replica identity changed from ",
                        state.source->replica.ToString(), " epoch ",
                        state.source->epoch, " to ",
                        identity.replica.ToString(), " epoch ", identity.epoch,
                        " (restored from backup or re-created)");
  }
  if (high < state.source_high) {
    return absl::StrCat("the source's change counter went back from ",
                        state.source_high.value(), " to ", high.value(),
                        " (restored from backup)");
  }
  if (state.source_root != spec.import.source_root ||
      state.dest_root != spec.import.dest_root) {
    return "the mapping now names other folders";
  }
  return "";
}

// IDSET given reconciliation: the destination's copies of source keys that
// no longer exist at the source (their tombstones were purged before this
// direction saw them) are removed, unless edited at the destination since.
absl::Status ReconcileGiven(const DirectionSpec& spec, const IdSet& given,
                            const Guid& dest_replica, Importer& importer,
                            BatchOutcome& out) {
  ExportBatch vanished;
  for (const IdSet::Entry& entry : given) {
    for (const GlobRange& range : entry.globset.ranges()) {
      for (uint64_t v = range.low; v <= range.high; ++v) {
        const SourceKey key(entry.key, *GlobCnt::FromValue(v));
        bool exists = false;
        for (absl::Status s : {spec.source->GetItem(key).status(),
                               spec.source->GetFolder(key).status(),
                               spec.source->GetTombstone(key).status()}) {
          if (s.ok()) exists = true;
          if (!s.ok() && !absl::IsNotFound(s)) return s;
        }
        if (exists) continue;
        // The destination's copy, as a scope exit (removed, no tombstone).
        if (absl::StatusOr<Item> item = spec.dest->GetItem(key); item.ok()) {
          if (item->change_key.replica() == dest_replica) {
            ++out.stats.conflicts;
            if (spec.log) {
              spec.log(absl::StrCat("message ", key.ToString(),
                                    " kept: deleted at the source, edited "
                                    "at the destination"));
            }
            continue;
          }
          vanished.entries.push_back(
              {Outgoing::Kind::kScopeExit, Change{*item, GlobCnt()}});
        } else if (absl::StatusOr<Folder> folder = spec.dest->GetFolder(key);
                   folder.ok()) {
          vanished.entries.push_back(
              {Outgoing::Kind::kScopeExit, Change{*folder, GlobCnt()}});
        }
      }
    }
  }
  // Items before folders, so a folder whose items all vanished goes too.
  std::stable_partition(vanished.entries.begin(), vanished.entries.end(),
                        [](const Outgoing& o) {
                          return std::holds_alternative<Item>(o.change.object);
                        });
  return importer.Apply(vanished, out);
}

// True when the source holds a newer version of the object `key` than the
// destination's (`dest_pcl`, under `dest_parent` and, for a folder with
// `name` non-empty, so named) that places it otherwise: under another
// parent or name, or deleted.
absl::StatusOr<bool> SourceSettles(const DirectionSpec& spec,
                                   const SourceKey& key,
                                   const SourceKey& dest_parent,
                                   std::string_view name, const Pcl& dest_pcl) {
  auto placed = [&](const SourceKey& parent) {
    return parent == spec.import.source_root ? spec.import.dest_root : parent;
  };
  absl::StatusOr<Folder> folder = spec.source->GetFolder(key);
  if (folder.ok()) {
    return folder->pcl.Compare(dest_pcl) == PclOrder::kNewer &&
           (placed(folder->parent.value_or(SourceKey())) != dest_parent ||
            (!name.empty() &&
             !absl::EqualsIgnoreCase(
                 folder->display_name,
                 absl::string_view(name.data(), name.size()))));
  }
  if (!absl::IsNotFound(folder.status())) return folder.status();
  absl::StatusOr<Item> item = spec.source->GetItem(key);
  if (item.ok()) {
    return item->pcl.Compare(dest_pcl) == PclOrder::kNewer &&
           placed(item->folder) != dest_parent;
  }
  if (!absl::IsNotFound(item.status())) return item.status();
  absl::StatusOr<Tombstone> gone = spec.source->GetTombstone(key);
  if (gone.ok()) return gone->pcl.Compare(dest_pcl) == PclOrder::kNewer;
  if (!absl::IsNotFound(gone.status())) return gone.status();
  return false;
}

// What a direction starts from: the destination's state and the source's
// echo, both emptied of what they saw when the source is not the one they
// were recorded against (Distrust), and the source's identity now.
struct DirectionStart {
  SyncState state;
  EchoState own_echo;
  StoreIdentity identity;
  std::string distrust;  // why the state was not trusted, or empty
};

absl::StatusOr<DirectionStart> StartDirection(const DirectionSpec& spec) {
  DirectionStart start;
  absl::StatusOr<SyncState> state = LoadSyncState(*spec.dest, spec.state_name);
  if (!state.ok()) return state.status();
  start.state = *std::move(state);
  if (!spec.own_echo_name.empty()) {
    absl::StatusOr<EchoState> echo =
        LoadEchoState(*spec.source, spec.own_echo_name);
    if (!echo.ok()) return echo.status();
    start.own_echo = *std::move(echo);
  }
  absl::StatusOr<StoreIdentity> identity = spec.source->Identity();
  if (!identity.ok()) return identity.status();
  start.identity = *identity;
  absl::StatusOr<GlobCnt> high = spec.source->LocalCnHighWater();
  if (!high.ok()) return high.status();
  start.distrust = Distrust(start.state, *identity, *high, spec);
  if (!start.distrust.empty()) {
    // Start over, comparing everything. IDSET given stays: what the
    // destination holds has not changed.
    start.state.seen.clear();
    start.state.source_high = GlobCnt();
    start.own_echo = EchoState();
  }
  return start;
}

// The exporter of what the destination has not seen, echo excluded.
Exporter MakeExporter(const DirectionSpec& spec, const DirectionStart& start) {
  GlobSet exclude = start.state.seen;
  exclude.UnionWith(start.own_echo.seen);
  IdSet given = start.state.given;
  given.UnionWith(start.own_echo.given);
  ExportOptions options = spec.export_options;
  options.answers = start.own_echo.answers;
  options.resend = start.state.resend;
  options.resend.insert(options.resend.end(), start.own_echo.resend.begin(),
                        start.own_echo.resend.end());
  return Exporter(spec.source, spec.import.source_root, std::move(exclude),
                  std::move(given), std::move(options));
}

}  // namespace

absl::Status ApplyBatch(
    Store& dest, Importer& importer, ExportBatch& batch, BatchOutcome& outcome,
    const std::function<absl::Status()>& check,
    const std::function<absl::Status(const BatchOutcome&)>& record) {
  absl::Status status = Transact(dest, [&]() -> absl::Status {
    if (check) {
      if (absl::Status s = check(); !s.ok()) return s;
    }
    if (absl::Status s = importer.Apply(batch, outcome); !s.ok()) return s;
    return record(outcome);
  });
  importer.Ended(status.ok());
  return status;
}

absl::Status RunDirection(const DirectionSpec& spec, DirectionResult& result) {
  Store& source = *spec.source;
  Store& dest = *spec.dest;
  const bool bidirectional = !spec.own_echo_name.empty();

  absl::StatusOr<DirectionStart> start = StartDirection(spec);
  if (!start.ok()) return start.status();
  SyncState& state = start->state;
  const EchoState& own_echo = start->own_echo;
  absl::StatusOr<GlobCnt> horizon = source.TombstoneHorizon();
  if (!horizon.ok()) return horizon.status();
  if (!start->distrust.empty()) {
    if (spec.log) {
      spec.log(absl::StrCat("full reconciliation of ", spec.state_name, ": ",
                            start->distrust));
    }
    ++result.stats.reconciliations;
  }
  const bool reconcile_given = state.source.has_value() &&
                               horizon->value() > 0 &&
                               !state.seen.Includes(UpTo(*horizon));
  if (reconcile_given) {
    if (spec.log) {
      spec.log(absl::StrCat("reconciling deletions of ", spec.state_name,
                            ": the source purged tombstones up to ",
                            horizon->value(),
                            " that this destination had not seen"));
    }
    ++result.stats.reconciliations;
  }
  state.source = start->identity;
  state.source_root = spec.import.source_root;
  state.dest_root = spec.import.dest_root;

  EchoState back_echo;
  if (bidirectional) {
    absl::StatusOr<EchoState> echo = LoadEchoState(dest, spec.back_echo_name);
    if (!echo.ok()) return echo.status();
    back_echo = *std::move(echo);
  }

  Exporter exporter = MakeExporter(spec, *start);
  if (absl::Status s = exporter.Start(); !s.ok()) return s;
  ImportOptions import = spec.import;
  for (const auto& [key, change_key] : state.skipped) {
    import.skipped.emplace(key, change_key);
  }
  // Declared before the importer, whose question below waits for it.
  BatchReader reader(exporter, spec.read_ahead && !source.CallerThreadOnly());
  Importer importer(&dest, std::move(import));
  importer.set_source_settles(
      [&](const SourceKey& key, const SourceKey& dest_parent,
          std::string_view name, const Pcl& dest_pcl) -> absl::StatusOr<bool> {
        reader.Wait();  // the source, one thread at a time
        return SourceSettles(spec, key, dest_parent, name, dest_pcl);
      });
  if (absl::Status s = importer.Start(); !s.ok()) return s;

  PassState pass(&dest, spec.state_name,
                 bidirectional ? spec.back_echo_name : std::string(),
                 std::move(state), std::move(back_echo));
  uint64_t done = 0;
  while (true) {
    absl::StatusOr<ExportBatch> batch = reader.Next();
    if (!batch.ok()) return batch.status();
    if (batch->entries.empty() && batch->consumed.empty()) break;
    reader.ReadAhead();
    // A failed batch fails the pass, so what the pass state took in memory
    // needs no undoing: the next pass starts from the stored state.
    BatchOutcome outcome;
    absl::Status status = ApplyBatch(
        dest, importer, *batch, outcome, [&] { return pass.Claim(); },
        [&](const BatchOutcome& applied) {
          pass.Advance(batch->consumed, applied);
          return pass.Write(applied);
        });
    if (!status.ok()) return status;
    if (!outcome.retry_pulled.empty() || !outcome.pull_folders.empty()) {
      reader.Wait();  // none was read ahead (LastBatchStreamed)
    }
    for (const SourceKey& key : outcome.retry_pulled) exporter.Retry(key);
    for (const SourceKey& key : outcome.pull_folders) {
      if (absl::Status s = exporter.Pull(key); !s.ok()) return s;
    }
    result.stats.Merge(outcome.stats);
    done += batch->entries.size();
    if (spec.progress && !spec.progress(done)) {
      result.cancelled = true;
      return absl::OkStatus();
    }
  }

  reader.Wait();
  // The pass is complete. Deletion reconciliation, if needed, goes in the
  // same transaction as its end.
  BatchOutcome final_outcome;
  absl::Status status = Transact(dest, [&]() -> absl::Status {
    if (absl::Status s = pass.Claim(); !s.ok()) return s;
    if (reconcile_given) {
      absl::StatusOr<StoreIdentity> dest_identity = dest.Identity();
      if (!dest_identity.ok()) return dest_identity.status();
      // Its lines wait with the importer's until the transaction ends.
      DirectionSpec deferred = spec;
      deferred.log = importer.logs().Defer(spec.log);
      if (absl::Status s =
              ReconcileGiven(deferred, pass.state().given,
                             dest_identity->replica, importer, final_outcome);
          !s.ok()) {
        return s;
      }
    }
    pass.FinishPass(exporter.start_high_water(), exporter.deferred(),
                    own_echo.given, final_outcome,
                    spec.now ? spec.now() : pass.state().last_pass);
    return pass.Write(final_outcome);
  });
  importer.Ended(status.ok());
  if (!status.ok()) return status;
  result.stats.Merge(final_outcome.stats);

  // The source's echo for this direction is now covered by the state.
  if (bidirectional && !own_echo.empty()) {
    status = Transact(source, [&]() -> absl::Status {
      absl::StatusOr<EchoState> current =
          LoadEchoState(source, spec.own_echo_name);
      if (!current.ok()) return current.status();
      current->seen.Subtract(UpTo(exporter.start_high_water()));
      current->given.Subtract(own_echo.given);
      current->RemoveAnswers(own_echo.answers);
      std::erase_if(current->resend, [&](const SourceKey& key) {
        return std::find(own_echo.resend.begin(), own_echo.resend.end(), key) !=
               own_echo.resend.end();
      });
      return source.PutSyncState(spec.own_echo_name, EncodeEchoState(*current));
    });
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

absl::StatusOr<uint64_t> CountPending(const DirectionSpec& spec) {
  absl::StatusOr<DirectionStart> start = StartDirection(spec);
  if (!start.ok()) return start.status();
  Exporter exporter = MakeExporter(spec, *start);
  if (absl::Status s = exporter.Start(); !s.ok()) return s;
  uint64_t count = 0;
  while (true) {
    absl::StatusOr<ExportBatch> batch = exporter.Next();
    if (!batch.ok()) return batch.status();
    if (batch->entries.empty() && batch->consumed.empty()) break;
    count += batch->entries.size();
  }
  return count;
}

}  // namespace ioreplication::sync_internal
