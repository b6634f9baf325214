// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "sync/importer.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "core/text.h"
#include "sync/conflict_resolver.h"
#include "sync/folder_tree.h"

namespace ioreplication::sync_internal {
namespace {

// Makes `folder` (whose PCL already took in the deletion's) the version the
// edit `edit` becomes when it survives a deletion: SurvivorChangeKey, later
// than the edit. Both sides of the conflict make the same one.
absl::Status BecomeSurvivor(Folder& folder, const Folder& edit) {
  folder.change_key = SurvivorChangeKey(edit.change_key);
  folder.last_modified = FileTime::FromTicks(edit.last_modified.ticks() + 1);
  return folder.pcl.Raise(folder.change_key);
}


// Store errors that concern one object: the write changed nothing and the
// transaction goes on. Anything else is storage trouble.
bool IsPerObject(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kResourceExhausted:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kOutOfRange:
      return true;
    default:
      return false;
  }
}

}  // namespace

Tombstone ExitOf(const Folder& f) {
  return Tombstone{f.source_key,
                   ObjectKind::kFolder,
                   f.parent.value_or(SourceKey()),
                   f.change_key,
                   f.pcl,
                   f.last_modified,
                   /*scope_exit=*/true};
}

Tombstone ExitOf(const Item& i) {
  return Tombstone{
      i.source_key,       ObjectKind::kItem, i.folder, i.change_key, i.pcl,
      i.last_modified,
      /*scope_exit=*/true};
}

Tombstone ExitOf(const Change& change) {
  if (const Folder* f = std::get_if<Folder>(&change.object)) return ExitOf(*f);
  if (const Item* i = std::get_if<Item>(&change.object)) return ExitOf(*i);
  Tombstone exit = std::get<Tombstone>(change.object);
  exit.scope_exit = true;
  return exit;
}

Importer::Importer(Store* dest, ImportOptions options)
    : dest_(dest), options_(std::move(options)) {
  // Nothing is logged while the destination's transaction holds its write
  // lock: the lines wait in logs_.
  options_.log = logs_.Defer(std::move(options_.log));
  options_.error_log = logs_.Defer(std::move(options_.error_log));
  options_.conflict_log = logs_.Defer(std::move(options_.conflict_log));
  options_.replicated_log = logs_.Defer(std::move(options_.replicated_log));
  far_future_ = FileTime::FromAbslTime(absl::Now() + absl::Hours(24 * 366));
}

std::optional<std::string> Importer::FromTheFarFuture(
    const Change& change) const {
  FileTime when;
  const char* what = "it was changed";
  if (const Item* item = std::get_if<Item>(&change.object)) {
    when = item->last_modified;
  } else if (const Folder* folder = std::get_if<Folder>(&change.object)) {
    when = folder->last_modified;
  } else if (const Tombstone* t = std::get_if<Tombstone>(&change.object)) {
    when = t->deleted_at;
    what = "it was deleted";
  }
  if (when <= far_future_) return std::nullopt;
  return absl::StrCat(what, " at ", absl::FormatTime(when.ToAbslTime()),
                      ", more than a year after this host's clock (",
                      absl::FormatTime(absl::Now()),
                      "): such a time would make it outlive every purge or "
                      "win every conflict");
}

absl::Status Importer::Start() {
  absl::StatusOr<absl::flat_hash_map<SourceKey, int>> tree =
      SubtreeDepths(*dest_, options_.dest_root);
  if (!tree.ok()) return tree.status();
  tree_.clear();
  for (const auto& [key, depth] : *tree) tree_.insert(key);
  // Read once: counters the importer reserves itself later in the pass are
  // not for incoming objects to name either.
  absl::StatusOr<StoreIdentity> identity = dest_->Identity();
  if (!identity.ok()) return identity.status();
  absl::StatusOr<GlobCnt> high = dest_->CounterHighWater();
  if (!high.ok()) return high.status();
  own_ = OwnCounters{identity->replica, high->value()};
  // A conflict rarely needs one: a small block, reserved when it does.
  counters_.emplace(dest_, identity->replica, /*block_size=*/64);
  return absl::OkStatus();
}

void Importer::Ended(bool committed) {
  if (counters_) counters_->Ended(committed);
  if (committed) {
    logs_.Flush();
  } else {
    logs_.Drop();
  }
}

std::optional<std::string> Importer::ForgedOwnCounter(
    const Change& change) const {
  if (!own_.has_value()) return std::nullopt;
  const Guid& own = own_->replica;
  auto above = [&](const char* what, const Guid& replica,
                   GlobCnt counter) -> std::optional<std::string> {
    if (replica != own || counter.value() <= own_->high_water) {
      return std::nullopt;
    }
    return absl::StrCat(what, " names the destination's own replica at ",
                        ChangeNumber(replica, counter).ToString(),
                        ", above the highest counter it has handed out (",
                        own_->high_water, ")");
  };
  const SourceKey key = change.source_key();
  std::optional<std::string> why =
      above("its source key", key.replica(), key.counter());
  const Pcl* pcl = nullptr;
  if (const Item* item = std::get_if<Item>(&change.object)) {
    if (!why) {
      why = above("its change key", item->change_key.replica(),
                  item->change_key.counter());
    }
    pcl = &item->pcl;
  } else if (const Folder* folder = std::get_if<Folder>(&change.object)) {
    if (!why) {
      why = above("its change key", folder->change_key.replica(),
                  folder->change_key.counter());
    }
    pcl = &folder->pcl;
  } else if (const Tombstone* t = std::get_if<Tombstone>(&change.object)) {
    if (!why) {
      why = above("its deletion change number", t->deletion_cn.replica(),
                  t->deletion_cn.counter());
    }
    pcl = &t->pcl;
  }
  if (why || pcl == nullptr) return why;
  const Xid* entry = pcl->Find(own);
  if (entry == nullptr) return std::nullopt;
  absl::StatusOr<ChangeNumber> cn = ChangeNumber::FromXid(*entry);
  if (!cn.ok()) {
    return absl::StrCat("its PCL names the destination's own replica with ",
                        "a LocalId it never writes: ", cn.status().message());
  }
  return above("its PCL", cn->replica(), cn->counter());
}

SourceKey Importer::MapFolder(const SourceKey& source_folder) const {
  return source_folder == options_.source_root ? options_.dest_root
                                               : source_folder;
}

Importer::Report::Report(Importer& importer, BatchOutcome& out, ObjectKind kind)
    : importer_(importer), out_(out), folder_(kind == ObjectKind::kFolder) {}

void Importer::Report::Ignore(Reason reason, const SourceKey& key,
                              absl::string_view why) {
  if (folder_) {
    ++out_.stats.folder_ignores;
    out_.stats.folder_ignore_reasons.Add(reason);
  } else {
    ++out_.stats.message_ignores;
    out_.stats.message_ignore_reasons.Add(reason);
  }
  if (importer_.options_.log) {
    importer_.options_.log(absl::StrCat(
        folder_ ? "folder " : "message ", key.ToString(), " ignored (",
        core_internal::Sv(ReasonName(reason)), "): ", why));
  }
}

void Importer::Report::Replicated(const Change& change, const char* what) {
  if (!importer_.options_.replicated_log) return;
  std::string line;
  if (const Folder* f = std::get_if<Folder>(&change.object)) {
    line = absl::StrCat("folder \"", f->display_name, "\" (",
                        f->source_key.ToString(), ") ", what);
  } else if (const Item* item = std::get_if<Item>(&change.object)) {
    line =
        absl::StrCat("message ", item->source_key.ToString(), " (",
                     item->message_class, ", ", item->ByteSize(),
                     " bytes) in folder ", item->folder.ToString(), " ", what);
  } else {
    line = absl::StrCat(folder_ ? "folder " : "message ",
                        change.source_key().ToString(), " ", what);
  }
  importer_.options_.replicated_log(folder_, line);
}

bool Importer::Skipped(const Change& change) const {
  if (options_.skipped.empty() ||
      std::holds_alternative<Tombstone>(change.object)) {
    return false;
  }
  const auto it = options_.skipped.find(change.source_key());
  return it != options_.skipped.end() && it->second == change.change_key();
}

void Importer::Retry(const Change& change, BatchOutcome& out) {
  if (change.local_cn != GlobCnt()) {
    out.retry.Insert(change.local_cn);
  } else {
    out.retry_pulled.push_back(change.source_key());
  }
}

void Importer::Report::Refuse(Reason reason, const Change& change,
                              absl::string_view why) {
  importer_.Retry(change, out_);
  out_.refusals.push_back({change.source_key(), folder_, reason,
                           std::string(why), change.change_key()});
}

void Importer::Report::Error(Reason reason, const Change& change,
                             absl::string_view why) {
  if (folder_) {
    ++out_.stats.folder_errors;
    out_.stats.folder_error_reasons.Add(reason);
  } else {
    ++out_.stats.message_errors;
    out_.stats.message_error_reasons.Add(reason);
  }
  Refuse(reason, change, why);
  const auto& log = importer_.options_.error_log ? importer_.options_.error_log
                                                 : importer_.options_.log;
  if (log) {
    const Item* item = std::get_if<Item>(&change.object);
    log(absl::StrCat(
        folder_ ? "folder " : "message ", change.source_key().ToString(),
        item != nullptr ? absl::StrCat(" in folder ", item->folder.ToString())
                        : std::string(),
        " error (", core_internal::Sv(ReasonName(reason)), "): ", why));
  }
}

absl::Status Importer::Report::WriteFailed(const Change& change,
                                           const absl::Status& status) {
  if (!IsPerObject(status)) return status;
  if (absl::IsAlreadyExists(status)) {
    // The source key names another object here: an error every pass until
    // one of the two goes.
    Error(Reason::kInvalidObject, change,
          absl::StrCat("the source key is taken at the destination: ",
                       status.message()));
    return absl::OkStatus();
  }
  Error(Reason::kWriteFailed, change,
        absl::StrCat("the destination refused the write: ", status.message()));
  return absl::OkStatus();
}

absl::Status Importer::Echo(const SourceKey& key, BatchOutcome& out) {
  absl::StatusOr<GlobCnt> written = dest_->LocalCnHighWater();
  if (!written.ok()) return written.status();
  out.echo.seen.Insert(*written);
  out.echo.given.Insert(key.replica(), key.counter());
  return absl::OkStatus();
}

void Importer::Answer(Tombstone exit, BatchOutcome& out) {
  out.echo.answers.push_back(std::move(exit));
}

absl::StatusOr<bool> Importer::AllSettled(const SourceKey& parent,
                                          const std::vector<Folder>& folders,
                                          const std::vector<SourceKey>& items) {
  for (const Folder& f : folders) {
    absl::StatusOr<bool> settled =
        source_settles_(f.source_key, parent, "", f.pcl);
    if (!settled.ok() || !*settled) return settled;
  }
  for (const SourceKey& key : items) {
    absl::StatusOr<Item> item = dest_->GetItem(key);
    if (!item.ok()) return item.status();
    absl::StatusOr<bool> settled = source_settles_(key, parent, "", item->pcl);
    if (!settled.ok() || !*settled) return settled;
  }
  return true;
}

bool Importer::ComesBack(const Change& change, const ChangeNumber& in,
                         PclOrder order, const Tombstone& exit) {
  // Pulled entries have no local change number: their folder entered the
  // source's tree, so the object is back whatever exits its versions left.
  // A plain exit is as final as a deletion against what is not newer: if
  // an equal version brought the object back while that exit removed the
  // copies elsewhere, the two would go round a ring of replicas for good.
  if (!exit.left_with.has_value()) return change.local_cn == GlobCnt();
  return order == PclOrder::kEqual || change.local_cn == GlobCnt() ||
         in == exit.deletion_cn;
}

PclOrder Importer::VersionOrder(const Pcl& in_pcl, const ChangeNumber& in_ck,
                                const Pcl& local_pcl,
                                const ChangeNumber& local_ck, bool& tied) {
  const PclOrder order = in_pcl.Compare(local_pcl);
  tied = false;
  if (order != PclOrder::kEqual || in_ck == local_ck) return order;
  if (in_ck > local_ck) return PclOrder::kNewer;
  tied = true;
  return PclOrder::kOlder;
}

bool Importer::Report::IgnoreUnlessNewer(PclOrder order, const SourceKey& key) {
  if (order != PclOrder::kEqual && order != PclOrder::kOlder) return false;
  // Either way the destination holds the key.
  importer_.Hold(key, out_);
  if (order == PclOrder::kEqual) {
    Ignore(Reason::kAlreadyPresent, key, "same version");
  } else {
    Ignore(Reason::kOlderVersion, key, "the destination's is newer");
  }
  return true;
}

bool Importer::Report::IgnoreUnlessNewerThanDeletion(
    PclOrder order, const Tombstone& tombstone) {
  if (order != PclOrder::kEqual && order != PclOrder::kOlder) return false;
  Ignore(Reason::kOlderVersion, tombstone.source_key,
         "the destination deleted a newer version");
  if (order == PclOrder::kOlder) importer_.Answer(tombstone, out_);
  return true;
}

void Importer::Hold(const SourceKey& key, BatchOutcome& out) {
  out.given_added.Insert(key.replica(), key.counter());
  out.echo.given.Insert(key.replica(), key.counter());
}

void Importer::Release(const SourceKey& key, BatchOutcome& out) {
  out.given_removed.Insert(key.replica(), key.counter());
}

absl::StatusOr<std::optional<Folder>> Importer::SiblingNamed(
    const SourceKey& parent, const std::string& name, const SourceKey& self) {
  absl::StatusOr<std::vector<Folder>> siblings =
      dest_->ListChildFolders(parent);
  if (!siblings.ok()) return siblings.status();
  for (Folder& f : *siblings) {
    if (f.source_key != self && absl::EqualsIgnoreCase(f.display_name, name)) {
      return std::move(f);
    }
  }
  return std::nullopt;
}

const Tombstone* Importer::LocalVersion::here() const {
  return tombstone.has_value() && !foreign ? &*tombstone : nullptr;
}

absl::StatusOr<Importer::LocalVersion> Importer::FindLocal(const SourceKey& key,
                                                           ObjectKind kind) {
  LocalVersion local;
  if (kind == ObjectKind::kFolder) {
    absl::StatusOr<Folder> folder = dest_->GetFolder(key);
    if (folder.ok()) {
      local.folder = *std::move(folder);
      return local;
    }
    if (!absl::IsNotFound(folder.status())) return folder.status();
  } else {
    absl::StatusOr<Item> item = dest_->GetItem(key);
    if (item.ok()) {
      local.item = *std::move(item);
      return local;
    }
    if (!absl::IsNotFound(item.status())) return item.status();
  }
  absl::StatusOr<Tombstone> tomb = dest_->GetTombstone(key);
  if (absl::IsNotFound(tomb.status())) return local;
  if (!tomb.ok()) return tomb.status();
  local.foreign =
      tomb->scope_root.has_value() && *tomb->scope_root != options_.dest_root;
  local.tombstone = *std::move(tomb);
  return local;
}

absl::StatusOr<bool> Importer::KeyUsed(const SourceKey& key) {
  for (absl::Status s :
       {dest_->GetItem(key).status(), dest_->GetFolder(key).status(),
        dest_->GetTombstone(key).status()}) {
    if (s.ok()) return true;
    if (!absl::IsNotFound(s)) return s;
  }
  return false;
}

absl::StatusOr<std::vector<Folder>> Importer::CyclePath(
    const SourceKey& key, const SourceKey& parent) {
  std::vector<Folder> path;
  std::optional<SourceKey> at = parent;
  // The tree is finite; a damaged store could still loop, so bound the walk.
  for (size_t steps = 0; at.has_value() && steps <= tree_.size() + 1; ++steps) {
    if (*at == key) return path;
    if (*at == options_.dest_root) return std::vector<Folder>();
    absl::StatusOr<Folder> up = dest_->GetFolder(*at);
    if (!up.ok()) return up.status();
    at = up->parent;
    path.push_back(*std::move(up));
  }
  return absl::DataLossError(
      "the destination's folder tree has a cycle above the mapped root");
}

absl::Status Importer::BreakCycle(Folder& incoming, std::vector<Folder> path,
                                  bool& plain, BatchOutcome& out) {
  // The latest write among the folders of the cycle stands; the one written
  // before it (the other of two concurrent moves, as a rule) goes to the
  // mapped root. Every replica that meets the cycle sees the same versions
  // and so moves the same folder the same way.
  auto later = [](const Folder& a, const Folder& b) {
    return LaterWriter(a.last_modified, a.change_key, b.last_modified,
                       b.change_key);
  };
  const Folder* latest = &incoming;
  const Folder* loser = nullptr;
  for (const Folder& f : path) {
    if (later(f, *latest)) {
      loser = latest;
      latest = &f;
    } else if (loser == nullptr || later(f, *loser)) {
      loser = &f;
    }
  }
  ++out.stats.conflicts;
  if (options_.log) {
    options_.log(absl::StrCat("folder ", incoming.source_key.ToString(),
                              ": concurrent moves made a cycle; folder ",
                              loser->source_key.ToString(), " (\"",
                              loser->display_name,
                              "\") moved to the mapped root"));
  }
  if (loser == &incoming) {
    incoming = RelocatedFolder(incoming, options_.dest_root);
    plain = false;
    return absl::OkStatus();
  }
  Folder moved = RelocatedFolder(*loser, options_.dest_root);
  return WriteResolved(moved, out);
}

absl::Status Importer::WriteResolved(Folder& folder, BatchOutcome& out) {
  absl::StatusOr<std::optional<Folder>> clash =
      SiblingNamed(*folder.parent, folder.display_name, folder.source_key);
  if (!clash.ok()) return clash.status();
  if (clash->has_value()) folder = RenamedFolder(folder);
  if (absl::Status s = dest_->UpdateFolder(folder); !s.ok()) return s;
  ++out.stats.folder_changes;
  Hold(folder.source_key, out);
  return absl::OkStatus();
}

absl::StatusOr<bool> Importer::SettleNameClash(Folder& incoming, bool& plain,
                                               BatchOutcome& out) {
  absl::StatusOr<std::optional<Folder>> sibling = SiblingNamed(
      *incoming.parent, incoming.display_name, incoming.source_key);
  if (!sibling.ok()) return sibling.status();
  if (!sibling->has_value()) return false;
  if (!source_settles_) return true;
  Folder& other = **sibling;
  // A sibling the source holds otherwise (renamed, moved or deleted there
  // before this folder took the name) follows in this pass or the next:
  // the clash is passing, and waiting for it could deadlock (two folders
  // that swapped names or places), so the folder is written now.
  absl::StatusOr<bool> settles = source_settles_(
      other.source_key, *other.parent, other.display_name, other.pcl);
  if (!settles.ok()) return settles.status();
  if (*settles) return false;
  // Two folders made at different replicas: the one with the greater source
  // key takes a name derived from its key, the same at every replica.
  ++out.stats.conflicts;
  const bool incoming_loses = incoming.source_key > other.source_key;
  if (options_.log) {
    options_.log(
        absl::StrCat("folders ", incoming.source_key.ToString(), " and ",
                     other.source_key.ToString(), " are both named \"",
                     incoming.display_name, "\" under one parent; ",
                     (incoming_loses ? incoming : other).source_key.ToString(),
                     " is renamed"));
  }
  if (!incoming_loses) {
    Folder renamed = RenamedFolder(other);
    if (absl::Status s = WriteResolved(renamed, out); !s.ok()) return s;
    return false;
  }
  incoming = RenamedFolder(incoming);
  plain = false;
  absl::StatusOr<std::optional<Folder>> still = SiblingNamed(
      *incoming.parent, incoming.display_name, incoming.source_key);
  if (!still.ok()) return still.status();
  return still->has_value();
}

absl::Status Importer::Apply(ExportBatch& batch, BatchOutcome& out) {
  for (Outgoing& entry : batch.entries) {
    if (Skipped(entry.change)) continue;
    std::optional<std::string> forged = ForgedOwnCounter(entry.change);
    if (!forged) forged = FromTheFarFuture(entry.change);
    if (forged) {
      const bool folder =
          std::holds_alternative<Folder>(entry.change.object) ||
          (std::holds_alternative<Tombstone>(entry.change.object) &&
           std::get<Tombstone>(entry.change.object).kind ==
               ObjectKind::kFolder);
      Report(*this, out, folder ? ObjectKind::kFolder : ObjectKind::kItem)
          .Error(Reason::kInvalidObject, entry.change, *forged);
      continue;
    }
    if (entry.kind == Outgoing::Kind::kScopeExit) {
      // Applied as the tombstone it leaves here, so that it replicates
      // onward (in place: applying the batch again is the same).
      // A version from the source's stream that is out of its tree left
      // with the folder above it, unless that version moved it out (then
      // it is newer than any copy here, and the mark does not matter). The
      // copies of objects gone from the source altogether (ReconcileGiven,
      // no change number) left with nothing: they go wherever they are.
      std::optional<SourceKey> above;
      if (entry.change.local_cn != GlobCnt()) {
        if (const Folder* f = std::get_if<Folder>(&entry.change.object)) {
          if (f->parent.has_value()) above = MapFolder(*f->parent);
        } else if (const Item* i = std::get_if<Item>(&entry.change.object)) {
          above = MapFolder(i->folder);
        }
      }
      entry.change.object = ExitOf(entry.change);
      if (above.has_value()) {
        std::get<Tombstone>(entry.change.object).left_with = above;
      }
      entry.kind = Outgoing::Kind::kChange;
    }
    const Change& change = entry.change;
    absl::Status s;
    if (std::holds_alternative<Folder>(change.object)) {
      s = ApplyFolder(entry, out);
    } else if (std::holds_alternative<Item>(change.object)) {
      s = ApplyItem(entry, out);
    } else {
      s = ApplyTombstone(entry, out);
    }
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

// ---- Folders ----

absl::Status Importer::ApplyFolder(Outgoing& entry, BatchOutcome& out) {
  Report report(*this, out, ObjectKind::kFolder);
  const Change& change = entry.change;
  const Folder& in = std::get<Folder>(change.object);
  const SourceKey& key = in.source_key;
  if (key == options_.dest_root || key == options_.source_root) {
    report.Ignore(Reason::kMappingRoot, key, "a mapped root folder");
    return absl::OkStatus();
  }
  if (!in.parent.has_value()) {
    report.Error(Reason::kInvalidObject, change, "a folder without a parent");
    return absl::OkStatus();
  }
  if (absl::Status v = ValidateFolderName(in.display_name); !v.ok()) {
    report.Error(Reason::kInvalidObject, change,
                 absl::StrCat("folder name rejected: ", v.message()));
    return absl::OkStatus();
  }
  Folder result = in;
  result.parent = MapFolder(*in.parent);
  if (!tree_.contains(*result.parent)) {
    report.Error(Reason::kParentMissing, change,
                 absl::StrCat("parent folder ", result.parent->ToString(),
                              " is not in the destination's mapped tree"));
    return absl::OkStatus();
  }
  absl::StatusOr<LocalVersion> found = FindLocal(key, ObjectKind::kFolder);
  if (!found.ok()) return found.status();
  const std::optional<Folder>& local = found->folder;
  bool plain = true;  // written exactly as received
  if (local.has_value()) {
    if (!tree_.contains(key)) {
      report.Ignore(
          Reason::kOutOfScope, key,
          "the destination holds this folder outside the mapped tree");
      Answer(ExitOf(result), out);
      return absl::OkStatus();
    }
    bool tied = false;
    const PclOrder order = VersionOrder(in.pcl, in.change_key, local->pcl,
                                        local->change_key, tied);
    if (tied) out.echo.AddResend(key);
    if (report.IgnoreUnlessNewer(order, key)) return absl::OkStatus();
    switch (order) {
      case PclOrder::kEqual:
      case PclOrder::kOlder:
      case PclOrder::kNewer:
        break;
      case PclOrder::kConflict: {
        absl::StatusOr<Folder> resolved = ResolveFolderConflict(*local, result);
        if (!resolved.ok()) {
          report.Error(Reason::kInvalidObject, change,
                       resolved.status().message());
          return absl::OkStatus();
        }
        result = *std::move(resolved);
        plain = false;
        ++out.stats.conflicts;
        break;
      }
    }
    if (!options_.replicate_permissions) result.acl = local->acl;
    if (result.parent != local->parent) {
      absl::StatusOr<std::vector<Folder>> cycle =
          CyclePath(key, *result.parent);
      if (!cycle.ok()) return cycle.status();
      if (!cycle->empty()) {
        if (absl::Status s = BreakCycle(result, *std::move(cycle), plain, out);
            !s.ok()) {
          return s;
        }
      }
    }
  } else {
    if (const Tombstone* tomb = found->here()) {
      const PclOrder order = in.pcl.Compare(tomb->pcl);
      const bool back = tomb->scope_exit &&
                        ComesBack(change, result.change_key, order, *tomb);
      if (!back && report.IgnoreUnlessNewerThanDeletion(order, *tomb)) {
        return absl::OkStatus();
      }
      if (back && order == PclOrder::kOlder) {
        // Back, after the exit took in versions made elsewhere meanwhile:
        // it succeeds the exit now, so it travels onward.
        if (absl::Status s = result.pcl.MergeFrom(tomb->pcl); !s.ok()) {
          report.Error(Reason::kInvalidObject, change, s.message());
          return absl::OkStatus();
        }
        plain = false;
      }
      if (order == PclOrder::kConflict) {
        // Edited at one end and deleted or moved out at the other: the
        // folder survives, a successor of both, so it travels onward; a
        // deletion's survivor as DeleteFolderHere makes it where the
        // folder is local.
        if (absl::Status s = result.pcl.MergeFrom(tomb->pcl); !s.ok()) {
          report.Error(Reason::kInvalidObject, change, s.message());
          return absl::OkStatus();
        }
        if (!tomb->scope_exit) {
          if (absl::Status s = BecomeSurvivor(result, in); !s.ok()) {
            report.Error(Reason::kInvalidObject, change, s.message());
            return absl::OkStatus();
          }
        }
        plain = false;
        ++out.stats.conflicts;
      }
    }
    // An item holding the key makes the insert fail with AlreadyExists.
    if (!options_.replicate_permissions) result.acl = Acl();
  }
  absl::StatusOr<bool> clash = SettleNameClash(result, plain, out);
  if (!clash.ok()) return clash.status();
  if (*clash) {
    report.Error(
        Reason::kNameClash, change,
        absl::StrCat("another folder named \"", result.display_name,
                     "\" exists under the same parent at the destination"));
    return absl::OkStatus();
  }
  absl::Status written;
  if (local.has_value()) {
    written = dest_->UpdateFolder(result);
  } else {
    // Any tombstone of the key goes, this tree's or another's.
    if (const std::optional<Tombstone>& t = found->tombstone; t.has_value()) {
      if (absl::Status s = dest_->DeleteTombstone(key); !s.ok()) {
        return report.WriteFailed(change, s);
      }
      // Back after a scope exit, as a change: this direction's state still
      // counted what was in it as held (it left through another one).
      if (t->scope_exit && change.local_cn != GlobCnt()) {
        out.pull_folders.push_back(key);
      }
    }
    written = dest_->InsertFolder(result);
  }
  if (!written.ok()) return report.WriteFailed(change, written);
  tree_.insert(key);
  ++out.stats.folder_changes;
  report.Replicated(change, "replicated");
  Hold(key, out);
  return plain ? Echo(key, out) : absl::OkStatus();
}

absl::Status Importer::RemoveSubtree(const SourceKey& key, BatchOutcome& out) {
  // Items first, then folders deepest first. Each leaves a scope exit of the
  // version it had here, so that a replica whose tree had another shape
  // (the folder moved in there, not yet here) drops it as well. They are
  // not echo-marked: the source's tree may have had another shape too.
  std::vector<Folder> folders;
  absl::StatusOr<Folder> top = dest_->GetFolder(key);
  if (!top.ok()) return top.status();
  folders.push_back(*std::move(top));
  std::vector<Item> items;
  for (size_t i = 0; i < folders.size(); ++i) {
    const SourceKey at = folders[i].source_key;
    absl::StatusOr<std::vector<Folder>> children = dest_->ListChildFolders(at);
    if (!children.ok()) return children.status();
    for (Folder& f : *children) folders.push_back(std::move(f));
    absl::StatusOr<std::vector<SourceKey>> keys = dest_->ListItems(at);
    if (!keys.ok()) return keys.status();
    for (const SourceKey& k : *keys) {
      absl::StatusOr<Item> item = dest_->GetItem(k);
      if (!item.ok()) return item.status();
      items.push_back(*std::move(item));
    }
  }
  // What is below the top stays held for the source's exporter: the
  // source still sends its later exits and deletions here (a collateral
  // exit is weaker than either, and this destination relays what it
  // holds). The top folder itself is let go: it enters again, with its
  // subtree, when it comes back.
  for (const Item& item : items) {
    if (absl::Status s = dest_->DeleteItem(item.source_key); !s.ok()) return s;
    Tombstone exit = ExitOf(item);
    exit.left_with = item.folder;
    if (absl::Status s = dest_->PutTombstone(exit); !s.ok()) return s;
    ++out.stats.message_deletions;
  }
  // The top folder's own exit is its caller's.
  for (size_t i = folders.size(); i-- > 0;) {
    const Folder& f = folders[i];
    if (absl::Status s = dest_->DeleteFolder(f.source_key); !s.ok()) return s;
    ++out.stats.folder_deletions;
    tree_.erase(f.source_key);
    if (i == 0) {
      Release(f.source_key, out);
      break;
    }
    Tombstone exit = ExitOf(f);
    exit.left_with = f.parent;
    if (absl::Status s = dest_->PutTombstone(exit); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status Importer::ApplyExit(const Change& change, Tombstone exit,
                                 const Pcl& local_pcl,
                                 const SourceKey& local_parent,
                                 BatchOutcome& out) {
  const bool is_folder = exit.kind == ObjectKind::kFolder;
  Report report(*this, out, exit.kind);
  const SourceKey key = exit.source_key;
  const PclOrder order = exit.pcl.Compare(local_pcl);
  if (order == PclOrder::kOlder) {
    // The object came back since (moved in again): this exit is stale.
    report.Ignore(Reason::kOlderVersion, key,
                  "the destination's version is newer than its scope exit");
    return absl::OkStatus();
  }
  if (exit.left_with.has_value() && order == PclOrder::kEqual &&
      tree_.contains(*exit.left_with)) {
    // It left with a folder above it that this destination still holds in
    // its tree: the copy here is the version that left, and it goes only
    // when that folder does (its own exit or deletion removes the whole
    // subtree). Until then it stays, and the source, which holds the exit,
    // is sent the copy back (EchoState::resend), so the two agree. One
    // rule, from what the destination holds, decides the same way
    // wherever a version and such an exit meet; otherwise they would
    // chase each other round a ring of replicas.
    out.echo.AddResend(key);
    report.Ignore(
        Reason::kOlderVersion, key,
        absl::StrCat("it left with folder ", exit.left_with->ToString(),
                     ", which the destination keeps"));
    return absl::OkStatus();
  }
  // A version made concurrently here goes with the object: the exit
  // dominates both, so every replica drops it alike.
  const bool plain = order != PclOrder::kConflict;
  if (!plain) {
    if (absl::Status s = exit.pcl.MergeFrom(local_pcl); !s.ok()) {
      report.Error(Reason::kInvalidObject, change, s.message());
      return absl::OkStatus();
    }
    ++out.stats.conflicts;
  }
  exit.parent = local_parent;
  if (is_folder) {
    if (absl::Status s = RemoveSubtree(key, out); !s.ok()) return s;
  } else {
    if (absl::Status s = dest_->DeleteItem(key); !s.ok()) {
      return report.WriteFailed(change, s);
    }
    ++out.stats.message_deletions;
    Release(key, out);
  }
  if (absl::Status s = dest_->PutTombstone(exit); !s.ok()) return s;
  report.Replicated(change, "left the mapped tree");
  return plain ? Echo(key, out) : absl::OkStatus();
}

// ---- Items ----

absl::Status Importer::ApplyItem(Outgoing& entry, BatchOutcome& out) {
  Report report(*this, out, ObjectKind::kItem);
  const Change& change = entry.change;
  Item& in = std::get<Item>(entry.change.object);
  const SourceKey& key = in.source_key;
  if (in.ByteSize() > options_.max_item_size) {
    const std::string why =
        absl::StrCat(in.ByteSize(), " bytes, above the session's maximum of ",
                     options_.max_item_size);
    report.Ignore(Reason::kTooLarge, key, why);
    // Sent again every pass, so that it arrives once the limit is raised.
    report.Refuse(Reason::kTooLarge, change, why);
    return absl::OkStatus();
  }
  if (absl::Status v = ValidateItem(in); !v.ok()) {
    report.Error(Reason::kInvalidObject, change, v.message());
    return absl::OkStatus();
  }
  if (options_.item_filter) {
    if (std::optional<ImportOptions::Withhold> no = options_.item_filter(in)) {
      return WithholdItem(change, *no, out);
    }
  }
  // Placed at the destination in place: no copy of the content.
  in.folder = MapFolder(in.folder);
  const Item& mapped = in;
  if (!tree_.contains(mapped.folder)) {
    absl::StatusOr<Folder> away = dest_->GetFolder(mapped.folder);
    if (!away.ok() && !absl::IsNotFound(away.status())) return away.status();
    absl::StatusOr<Item> held = dest_->GetItem(key);
    if (!held.ok() && !absl::IsNotFound(held.status())) return held.status();
    if (away.ok() && !(held.ok() && tree_.contains(held->folder))) {
      // The destination moved its folder out of the mapped tree (and holds
      // no copy in it): ignored once, like the folder's own versions, not
      // refused every pass, and answered the same way: the source drops
      // the item too (it went with its folder). Without the answer a source
      // kept it for good when the folder came back here without it.
      report.Ignore(Reason::kOutOfScope, key,
                    "the destination holds its folder outside the mapped tree");
      Answer(ExitOf(mapped), out);
      return absl::OkStatus();
    }
    // Deleted here, and its folder with it: the deletion may still decide
    // without the folder. An older version is ignored; a concurrent one
    // that the deletion beats (last writer wins) merges into it, as where
    // the folder was still there when they met. Only a version that wins
    // needs the folder.
    if (absl::StatusOr<bool> decided = DecideAgainstDeletion(change, mapped, out);
        !decided.ok() || *decided) {
      return decided.status();
    }
    report.Error(Reason::kParentMissing, change,
                 absl::StrCat("folder ", mapped.folder.ToString(),
                              " is not in the destination's mapped tree"));
    return absl::OkStatus();
  }
  absl::StatusOr<LocalVersion> found = FindLocal(key, ObjectKind::kItem);
  if (!found.ok()) return found.status();
  const std::optional<Item>& local = found->item;
  absl::Status written;
  bool plain = true;  // written exactly as received
  // The version written when it succeeds a scope exit here: a copy, since
  // the batch entry must stay as it came (a batch can be applied again,
  // after the importer took change numbers, and must decide the same way).
  std::optional<Item> merged;
  if (local.has_value()) {
    if (!tree_.contains(local->folder)) {
      report.Ignore(Reason::kOutOfScope, key,
                    "the destination holds this item outside the mapped tree");
      Answer(ExitOf(mapped), out);
      return absl::OkStatus();
    }
    bool tied = false;
    const PclOrder order = VersionOrder(in.pcl, in.change_key, local->pcl,
                                        local->change_key, tied);
    if (tied) out.echo.AddResend(key);
    if (report.IgnoreUnlessNewer(order, key)) return absl::OkStatus();
    if (order == PclOrder::kConflict && in.change_key == local->change_key) {
      // One version (a change key names one), known here and there with
      // different PCLs: each took in other deletions it survived. Not a
      // conflict: the PCLs merge, and the merged one travels onward.
      merged = mapped;
      if (absl::Status s = merged->pcl.MergeFrom(local->pcl); !s.ok()) {
        report.Error(Reason::kInvalidObject, change, s.message());
        return absl::OkStatus();
      }
      plain = false;
    } else if (order == PclOrder::kConflict) {
      return ResolveItem(change, ConflictSide{&*local, nullptr, false},
                         ConflictSide{&mapped, nullptr, false}, out);
    }
    written = dest_->UpdateItem(merged.has_value() ? *merged : mapped);
  } else {
    if (found->foreign) {
      if (absl::Status s = dest_->DeleteTombstone(key); !s.ok()) {
        return report.WriteFailed(change, s);
      }
    }
    if (const Tombstone* tomb = found->here()) {
      const PclOrder order = in.pcl.Compare(tomb->pcl);
      const bool back =
          tomb->scope_exit && ComesBack(change, in.change_key, order, *tomb);
      if (!back && report.IgnoreUnlessNewerThanDeletion(order, *tomb)) {
        return absl::OkStatus();
      }
      if (back && order == PclOrder::kOlder) {
        // Back, after the exit took in versions made elsewhere meanwhile:
        // it succeeds the exit now, so it travels onward.
        merged = mapped;
        if (absl::Status s = merged->pcl.MergeFrom(tomb->pcl); !s.ok()) {
          report.Error(Reason::kInvalidObject, change, s.message());
          return absl::OkStatus();
        }
        plain = false;
      }
      if (order == PclOrder::kConflict && !tomb->scope_exit) {
        return ResolveItem(change, ConflictSide{nullptr, &*tomb, false},
                           ConflictSide{&mapped, nullptr, false}, out);
      }
      if (order == PclOrder::kConflict) {
        // Against a scope exit the version wins: it may be the item moving
        // in again. It now succeeds the exit, so it travels onward.
        merged = mapped;
        if (absl::Status s = merged->pcl.MergeFrom(tomb->pcl); !s.ok()) {
          report.Error(Reason::kInvalidObject, change, s.message());
          return absl::OkStatus();
        }
        plain = false;
        ++out.stats.conflicts;
      }
      if (absl::Status s = dest_->DeleteTombstone(key); !s.ok()) {
        return report.WriteFailed(change, s);
      }
    }
    // A folder holding the key makes the insert fail with AlreadyExists.
    written = dest_->InsertItem(merged.has_value() ? *merged : mapped);
  }
  if (!written.ok()) return report.WriteFailed(change, written);
  ++out.stats.message_changes;
  out.stats.bytes += mapped.ByteSize();
  report.Replicated(change, "replicated");
  Hold(key, out);
  return plain ? Echo(key, out) : absl::OkStatus();
}

absl::StatusOr<bool> Importer::DecideAgainstDeletion(const Change& change,
                                                     const Item& mapped,
                                                     BatchOutcome& out) {
  Report report(*this, out, ObjectKind::kItem);
  absl::StatusOr<LocalVersion> found = FindLocal(mapped.source_key, ObjectKind::kItem);
  if (!found.ok()) return found.status();
  const Tombstone* tomb = found->item.has_value() ? nullptr : found->here();
  if (tomb == nullptr || tomb->scope_exit) return false;
  const PclOrder order = mapped.pcl.Compare(tomb->pcl);
  if (report.IgnoreUnlessNewerThanDeletion(order, *tomb)) return true;
  if (order != PclOrder::kConflict) return false;
  // The folder is gone, so its resolve method cannot be read: the session's
  // policy decides, as it does for every folder without one.
  absl::StatusOr<Resolution> r = ResolveItemConflict(
      ConflictContext{ConflictSide{nullptr, tomb, !options_.source_is_publisher},
                      ConflictSide{&mapped, nullptr, options_.source_is_publisher}},
      options_.policy, options_.callback);
  if (!r.ok()) return r.status();
  const Tombstone* merged = std::get_if<Tombstone>(&r->result);
  if (merged == nullptr) return false;  // the version wins: it needs the folder
  if (absl::Status s = dest_->PutTombstone(*merged); !s.ok()) {
    if (absl::Status w = report.WriteFailed(change, s); !w.ok()) return w;
    return true;
  }
  ++out.stats.conflicts;
  report.Ignore(Reason::kOlderVersion, mapped.source_key,
                "deleted here later, with its folder");
  return true;
}

absl::Status Importer::WithholdItem(const Change& change,
                                    const ImportOptions::Withhold& withhold,
                                    BatchOutcome& out) {
  Report report(*this, out, ObjectKind::kItem);
  const SourceKey& key = change.source_key();
  report.Ignore(withhold.reason, key, withhold.why);
  Retry(change, out);
  // A copy written while the filter let it through goes now.
  return DropItem(key, out);
}

absl::Status Importer::DropItem(const SourceKey& key, BatchOutcome& out) {
  absl::StatusOr<Item> local = dest_->GetItem(key);
  if (absl::IsNotFound(local.status())) return absl::OkStatus();
  if (!local.ok()) return local.status();
  if (!tree_.contains(local->folder)) return absl::OkStatus();
  if (absl::Status s = dest_->DeleteItem(key); !s.ok()) return s;
  ++out.stats.message_deletions;
  Release(key, out);
  return absl::OkStatus();
}

absl::Status Importer::ResolveItem(const Change& change, ConflictSide local,
                                   ConflictSide incoming, BatchOutcome& out) {
  Report report(*this, out, ObjectKind::kItem);
  const SourceKey& key = change.source_key();
  local.from_publisher = !options_.source_is_publisher;
  incoming.from_publisher = options_.source_is_publisher;
  // The folder whose resolve method applies: that of the later item version
  // (or of the only one, against a deletion), so every replica consults the
  // same one.
  const bool incoming_later =
      incoming.item && local.item
          ? LaterWriter(incoming.item->last_modified, incoming.item->change_key,
                        local.item->last_modified, local.item->change_key)
          : incoming.item != nullptr;
  const SourceKey& policy_folder =
      incoming_later ? incoming.item->folder : local.item->folder;
  absl::StatusOr<Folder> dest_folder = dest_->GetFolder(policy_folder);
  if (!dest_folder.ok()) return dest_folder.status();
  const ConflictPolicy policy = EffectivePolicy(*dest_folder, options_.policy);
  absl::StatusOr<Resolution> r = ResolveItemConflict(
      ConflictContext{local, incoming}, policy, options_.callback);
  if (!r.ok()) {
    report.Error(Reason::kInvalidObject, change, r.status().message());
    return absl::OkStatus();
  }
  ++out.stats.conflicts;
  if (options_.conflict_log) {
    auto version = [](const ConflictSide& side) {
      return side.item != nullptr
                 ? side.item->change_key.ToString()
                 : absl::StrCat("deletion ",
                                side.tombstone->deletion_cn.ToString());
    };
    const Item* any = incoming.item != nullptr ? incoming.item : local.item;
    const PropValue* subject = any->properties.Get(kPropSubject);
    const std::string* text =
        subject != nullptr ? std::get_if<std::string>(subject) : nullptr;
    options_.conflict_log(absl::StrCat(
        "conflict on message ", key.ToString(), " \"",
        text != nullptr ? *text : std::string("(no subject)"),
        "\" in folder \"", dest_folder->display_name, "\" (",
        dest_folder->source_key.ToString(), "): here ", version(local),
        ", arriving ", version(incoming), "; policy ",
        core_internal::Sv(ConflictPolicyName(policy)), ": the ",
        r->incoming_wins ? "arriving" : "local", " version wins",
        r->conflict_item.has_value() ? ", the other is kept as a conflict item"
                                     : ""));
  }
  absl::Status written;
  if (const Item* item = std::get_if<Item>(&r->result)) {
    if (local.item != nullptr) {
      written = dest_->UpdateItem(*item);
    } else {
      written = dest_->DeleteTombstone(key);
      if (written.ok()) written = dest_->InsertItem(*item);
    }
    if (written.ok()) {
      ++out.stats.message_changes;
      out.stats.bytes += item->ByteSize();
      Hold(key, out);
    }
  } else {
    const Tombstone& t = std::get<Tombstone>(r->result);
    if (local.item != nullptr) {
      written = dest_->DeleteItem(key);
      if (written.ok()) written = dest_->PutTombstone(t);
      if (written.ok()) {
        ++out.stats.message_deletions;
        Release(key, out);
      }
    } else {
      written = dest_->PutTombstone(t);
    }
  }
  if (!written.ok()) return report.WriteFailed(change, written);
  // The conflict item and notice are the same objects on every replica that
  // resolves this conflict: add them only where they are not yet.
  for (const std::optional<Item>* extra : {&r->conflict_item, &r->notice}) {
    if (!extra->has_value()) continue;
    absl::StatusOr<bool> used = KeyUsed((*extra)->source_key);
    if (!used.ok()) return used.status();
    if (*used) continue;
    if (absl::Status s = dest_->InsertItem(**extra); !s.ok()) {
      return report.WriteFailed(change, s);
    }
  }
  return absl::OkStatus();
}

// ---- Deletions ----

absl::Status Importer::ApplyTombstone(Outgoing& entry, BatchOutcome& out) {
  const Change& change = entry.change;
  const Tombstone& in = std::get<Tombstone>(change.object);
  if (!options_.replicate_deletions && !in.scope_exit) return absl::OkStatus();
  const SourceKey& key = in.source_key;
  const bool is_folder = in.kind == ObjectKind::kFolder;
  Report report(*this, out, in.kind);
  Tombstone mapped = in;
  mapped.scope_root = std::nullopt;  // the importer's to set, never a source's
  mapped.parent = MapFolder(in.parent);
  if (mapped.left_with.has_value()) {
    mapped.left_with = MapFolder(*mapped.left_with);
  }
  if (is_folder && (key == options_.dest_root || key == options_.source_root)) {
    report.Ignore(Reason::kMappingRoot, key, "a mapped root folder");
    return absl::OkStatus();
  }
  // Whatever happens to it here, the source no longer counts a folder it
  // moved out as held: should it move in again, it enters with its subtree
  // (what was added to it outside the tree was never sent).
  if (is_folder && in.scope_exit) Release(key, out);
  absl::StatusOr<LocalVersion> found = FindLocal(key, in.kind);
  if (!found.ok()) return found.status();
  if (!found->folder.has_value() && !found->item.has_value()) {
    return KeepTombstone(change, mapped, *found, report);
  }
  const Pcl& local_pcl = is_folder ? found->folder->pcl : found->item->pcl;
  const SourceKey local_parent =
      is_folder ? found->folder->parent.value_or(mapped.parent)
                : found->item->folder;
  if (!tree_.contains(is_folder ? key : local_parent)) {
    report.Ignore(Reason::kOutOfScope, key,
                  is_folder ? "the destination holds this folder outside the "
                              "mapped tree"
                            : "the destination holds this item outside the "
                              "mapped tree");
    Release(key, out);
    return absl::OkStatus();
  }
  if (in.scope_exit) {
    return ApplyExit(change, mapped, local_pcl, local_parent, out);
  }
  return is_folder ? DeleteFolderHere(change, mapped, *found->folder, report)
                   : DeleteItemHere(change, mapped, *found->item, report);
}

absl::Status Importer::DeleteFolderHere(const Change& change, Tombstone& mapped,
                                        const Folder& local, Report& report) {
  const Tombstone& in = std::get<Tombstone>(change.object);
  const SourceKey& key = in.source_key;
  BatchOutcome& out = report.out();
  switch (in.pcl.Compare(local.pcl)) {
    case PclOrder::kEqual:
    case PclOrder::kOlder:
      report.Ignore(Reason::kOlderVersion, key,
                    "the destination's folder is newer than the deletion");
      return absl::OkStatus();
    case PclOrder::kConflict: {
      // Edited here, deleted there: the folder survives, now a
      // successor of the deletion so the other side brings it back.
      Folder kept = local;
      if (absl::Status s = kept.pcl.MergeFrom(in.pcl); !s.ok()) {
        report.Error(Reason::kInvalidObject, change, s.message());
        return absl::OkStatus();
      }
      if (absl::Status s = BecomeSurvivor(kept, local); !s.ok()) {
        report.Error(Reason::kInvalidObject, change, s.message());
        return absl::OkStatus();
      }
      ++out.stats.conflicts;
      if (absl::Status s = dest_->UpdateFolder(kept); !s.ok()) {
        return report.WriteFailed(change, s);
      }
      ++out.stats.folder_changes;
      return absl::OkStatus();
    }
    case PclOrder::kNewer:
      break;
  }
  absl::StatusOr<std::vector<Folder>> children = dest_->ListChildFolders(key);
  if (!children.ok()) return children.status();
  absl::StatusOr<std::vector<SourceKey>> items = dest_->ListItems(key);
  if (!items.ok()) return items.status();
  if (!children->empty() || !items->empty()) {
    absl::StatusOr<bool> settled =
        source_settles_ ? AllSettled(key, *children, *items) : false;
    if (!settled.ok()) return settled.status();
    if (*settled) {
      // Everything left in the folder is the source's too: their moves
      // or deletions (later in its stream than the folder's, which
      // superseded their moves) come in this pass; the deletion is
      // applied next pass, once they have. They are asked for by key
      // as well: the source's stream does not send a deletion of an
      // object it never sent here whose folder is gone there.
      for (const Folder& f : *children) out.resend.push_back(f.source_key);
      for (const SourceKey& k : *items) out.resend.push_back(k);
      Retry(change, out);
      return absl::OkStatus();
    }
    // The destination put things in the folder the deletion did not
    // know of: the folder stays, as a new version that supersedes the
    // deletion, so the other side brings it back and the things in it
    // can follow. That needs a change number of the destination's own.
    Folder kept = local;
    if (absl::Status s = kept.pcl.MergeFrom(in.pcl); !s.ok()) {
      report.Error(Reason::kInvalidObject, change, s.message());
      return absl::OkStatus();
    }
    absl::StatusOr<ChangeNumber> own = counters_->Next(&kept.pcl);
    if (!own.ok()) return own.status();
    kept.change_key = *own;
    if (absl::Status s = kept.pcl.Raise(kept.change_key); !s.ok()) {
      return s;
    }
    kept.last_modified = FileTime::FromTicks(
        std::max(local.last_modified.ticks(), in.deleted_at.ticks()) + 1);
    if (absl::Status s = dest_->UpdateFolder(kept); !s.ok()) {
      return report.WriteFailed(change, s);
    }
    ++out.stats.conflicts;
    ++out.stats.folder_changes;
    if (options_.log) {
      options_.log(absl::StrCat("folder ", key.ToString(),
                                " kept: deleted at the source while ",
                                children->size(), " folders and ",
                                items->size(), " items were added here"));
    }
    return absl::OkStatus();
  }
  mapped.parent = local.parent.value_or(mapped.parent);
  if (absl::Status s = dest_->DeleteFolder(key); !s.ok()) {
    return report.WriteFailed(change, s);
  }
  if (absl::Status s = dest_->PutTombstone(mapped); !s.ok()) return s;
  tree_.erase(key);
  ++out.stats.folder_deletions;
  report.Replicated(change, "deleted");
  Release(key, out);
  return Echo(key, out);
}

absl::Status Importer::DeleteItemHere(const Change& change, Tombstone& mapped,
                                      const Item& local, Report& report) {
  const Tombstone& in = std::get<Tombstone>(change.object);
  const SourceKey& key = in.source_key;
  BatchOutcome& out = report.out();
  switch (in.pcl.Compare(local.pcl)) {
    case PclOrder::kEqual:
    case PclOrder::kOlder:
      report.Ignore(Reason::kOlderVersion, key,
                    "the destination's item is newer than the deletion");
      return absl::OkStatus();
    case PclOrder::kConflict:
      return ResolveItem(change, ConflictSide{&local, nullptr, false},
                         ConflictSide{nullptr, &mapped, false}, out);
    case PclOrder::kNewer:
      break;
  }
  if (absl::Status s = dest_->DeleteItem(key); !s.ok()) {
    return report.WriteFailed(change, s);
  }
  if (absl::Status s = dest_->PutTombstone(mapped); !s.ok()) return s;
  ++out.stats.message_deletions;
  report.Replicated(change, "deleted");
  Release(key, out);
  return Echo(key, out);
}

absl::Status Importer::KeepTombstone(const Change& change, Tombstone& mapped,
                                     const LocalVersion& local,
                                     Report& report) {
  const Tombstone& in = std::get<Tombstone>(change.object);
  const SourceKey& key = in.source_key;
  BatchOutcome& out = report.out();
  // Nothing of that key here: keep the tombstone (unless a newer one is
  // already here) so an older copy arriving from elsewhere is not
  // resurrected. Nothing was deleted, so nothing is counted. It is kept
  // only where this session may change things (its folder in the mapped
  // tree, or a folder deleted here), and only for this tree
  // (Tombstone::scope_root): a partner's deletions of keys never held here
  // must not shadow what arrives through other sessions, nor travel on
  // through them.
  mapped.scope_root = options_.dest_root;
  if (local.foreign) return absl::OkStatus();  // another tree's: it stays
  if (const Tombstone* existing = local.here()) {
    mapped.scope_root = existing->scope_root;
    const PclOrder order = in.pcl.Compare(existing->pcl);
    if (order == PclOrder::kConflict) {
      // Deleted at both ends: not a conflict, but the tombstones merge so
      // that every replica ends with the same one.
      const bool incoming_later =
          LaterWriter(in.deleted_at, in.deletion_cn, existing->deleted_at,
                      existing->deletion_cn);
      Tombstone merged = incoming_later ? mapped : *existing;
      if (absl::Status s =
              merged.pcl.MergeFrom(incoming_later ? existing->pcl : in.pcl);
          !s.ok()) {
        report.Error(Reason::kInvalidObject, change, s.message());
        return absl::OkStatus();
      }
      if (absl::Status s = dest_->PutTombstone(merged); !s.ok()) {
        return report.WriteFailed(change, s);
      }
      return absl::OkStatus();
    }
    if (order != PclOrder::kNewer) return absl::OkStatus();
  } else {
    absl::StatusOr<bool> used = KeyUsed(key);
    if (!used.ok()) return used.status();
    if (*used) return absl::OkStatus();  // an object of the other kind
    if (!options_.keep_every_tombstone && !tree_.contains(mapped.parent)) {
      absl::StatusOr<Tombstone> parent = dest_->GetTombstone(mapped.parent);
      if (absl::IsNotFound(parent.status())) return absl::OkStatus();
      if (!parent.ok()) return parent.status();
      if (parent->scope_root.has_value() &&
          *parent->scope_root != options_.dest_root) {
        return absl::OkStatus();
      }
    }
  }
  if (absl::Status s = dest_->PutTombstone(mapped); !s.ok()) {
    return report.WriteFailed(change, s);
  }
  return Echo(key, out);
}

}  // namespace ioreplication::sync_internal
