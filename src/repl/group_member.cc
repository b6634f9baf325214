// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// GroupMember: one member of a replica group (ioreplication/replica_group.h;
// the protocol is in docs/replication-messages.md).

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "core/byte_reader.h"
#include "core/text.h"
#include "exchange/exchange_file.h"
#include "ioreplication/replica_group.h"
#include "repl/message_frame.h"
#include "repl/repl_state.h"
#include "sync/direction.h"
#include "sync/exporter.h"
#include "sync/folder_tree.h"
#include "sync/importer.h"

namespace ioreplication {
namespace repl_internal {
namespace {

using core_internal::AsBytes;
using core_internal::AsString;
using exchange_internal::DecodeEntryObject;
using exchange_internal::EncodeEntryObject;
using sync_internal::BatchOutcome;
using sync_internal::ExportBatch;
using sync_internal::Importer;
using sync_internal::Outgoing;
using sync_internal::Transact;

uint64_t Ticks(absl::Duration d) {
  return static_cast<uint64_t>(std::max<int64_t>(0, absl::ToInt64Nanoseconds(d) / 100));
}

std::string GuidBytes(const Guid& g) { return AsString(g.bytes()); }

// A decoded version of a message, with what it was sent as.
struct Incoming {
  Change change;
  bool scope_exit = false;
  bool pulled = false;
  const v1::ExchangeEntry* raw = nullptr;
};

const Pcl& PclOf(const Change& change) {
  if (const Folder* f = std::get_if<Folder>(&change.object)) return f->pcl;
  if (const Item* i = std::get_if<Item>(&change.object)) return i->pcl;
  return std::get<Tombstone>(change.object).pcl;
}

// Adds every entry of `pcl` that names a GLOBCNT.
void InsertPcl(IdSet& set, const Pcl& pcl) {
  for (const Xid& x : pcl.entries()) {
    absl::StatusOr<GlobCnt> n = GlobCnt::FromValue(x.local_id());
    if (x.local_id_size() == GlobCnt::kSize && n.ok()) {
      set.Insert(x.namespace_guid(), *n);
    }
  }
}

// True when `pcl` names a member of `set`.
bool PclNamesAny(const Pcl& pcl, const IdSet& set) {
  for (const Xid& x : pcl.entries()) {
    absl::StatusOr<GlobCnt> n = GlobCnt::FromValue(x.local_id());
    if (x.local_id_size() == GlobCnt::kSize && n.ok() &&
        set.Contains(x.namespace_guid(), *n)) {
      return true;
    }
  }
  return false;
}

IdSet DecodeSet(const std::string& bytes) {
  if (bytes.empty()) return IdSet();
  absl::StatusOr<IdSet> s = IdSet::Decode(AsBytes(bytes));
  return s.ok() ? *std::move(s) : IdSet();  // checked by ParseMessage
}

// The change keys of `set` that `a` has and `b` lacks, per origin.
IdSet Minus(const IdSet& a, const IdSet& b) {
  IdSet out = a;
  out.Subtract(b);
  return out;
}

}  // namespace

class GroupMemberImpl {
 public:
  GroupMemberImpl(Store* store, Transport* transport,
                  ReplicaGroupConfig config, GroupMemberOptions options)
      : store_(store),
        transport_(transport),
        config_(std::move(config)),
        options_(std::move(options)) {
    for (const GroupMemberConfig& m : config_.members) {
      if (m.name == config_.self) self_ = &m;
    }
  }

  // The authenticators of every member (checked by ValidateGroupConfig, so
  // only OpenSSL itself can fail here).
  absl::Status MakeAuths() {
    for (const GroupMemberConfig& m : config_.members) {
      if (m.public_key.empty()) {
        auths_.push_back(FrameAuth::Hmac(m.key));
        continue;
      }
      absl::StatusOr<FrameAuth> a =
          &m == self_ ? FrameAuth::Ed25519Signer(config_.signing_key)
                      : FrameAuth::Ed25519Verifier(m.public_key);
      if (!a.ok()) return a.status();
      auths_.push_back(*std::move(a));
    }
    return absl::OkStatus();
  }

  absl::Status Tick();
  void RequestStatus() { status_requested_ = true; }
  absl::Status Resend(absl::Duration window);
  // Adds every version of folder `fi` modified at or after `since` (FILETIME
  // ticks) to its resend list (in memory; saved with the folder's state).
  absl::Status QueueResend(size_t fi, uint64_t since);
  absl::StatusOr<GroupStatus> Status();
  absl::StatusOr<GroupLeaveReadiness> LeaveReadiness();
  const GroupTickStats& stats() const { return stats_; }

 private:
  struct FolderSlot {
    std::string path;
    std::string state_name;
    FolderState state;
  };
  struct PendingAnswer {
    Guid peer;
    size_t folder = 0;
    IdSet wanted;
  };

  FileTime Now() const {
    return options_.now ? options_.now() : FileTime::FromAbslTime(absl::Now());
  }
  void Log(std::string_view line) const {
    if (options_.log) options_.log(line);
  }
  std::string GroupStateName() const {
    return absl::StrCat("repl|", config_.name);
  }
  const FrameAuth& AuthOf(const GroupMemberConfig* m) const {
    return auths_[static_cast<size_t>(m - config_.members.data())];
  }
  const GroupMemberConfig* MemberById(const Guid& id) const {
    for (const GroupMemberConfig& m : config_.members) {
      if (m.id == id) return &m;
    }
    return nullptr;
  }
  std::string MemberName(const Guid& id) const {
    const GroupMemberConfig* m = MemberById(id);
    return m != nullptr ? m->name : id.ToString();
  }
  std::vector<const GroupMemberConfig*> Peers() const {
    std::vector<const GroupMemberConfig*> out;
    for (const GroupMemberConfig& m : config_.members) {
      if (&m != self_) out.push_back(&m);
    }
    return out;
  }
  int FolderIndex(std::string_view path) const {
    for (size_t i = 0; i < folders_.size(); ++i) {
      if (folders_[i].path == path) return static_cast<int>(i);
    }
    return -1;
  }

  absl::Status Load();
  void NoteOwnReplica(const Guid& replica);
  // Load() unless the states in memory are current (the member is the only
  // writer of its states; a failed tick or a new store identity reloads).
  absl::Status EnsureLoaded();
  absl::Status TickOnce();
  // The folder's state that must commit with the versions applied: CNSET,
  // cursor, given, parked, refused.
  absl::Status SaveFolder(const FolderSlot& f) {
    return store_->PutSyncState(f.state_name, EncodeFolderState(f.state));
  }
  // What peers reported and the backfill list: soft state, written once a
  // tick (lost in a crash, it is learnt again from the next messages).
  absl::Status SavePeers(const FolderSlot& f) {
    return store_->PutSyncState(f.state_name + "|peers",
                                EncodeFolderPeers(f.state));
  }
  absl::Status SaveGroup() {
    return store_->PutSyncState(GroupStateName(), EncodeGroupState(group_));
  }
  absl::Status SaveAll() {
    return Transact(*store_, [&]() -> absl::Status {
      for (const FolderSlot& f : folders_) {
        if (absl::Status s = SaveFolder(f); !s.ok()) return s;
        if (absl::Status s = SavePeers(f); !s.ok()) return s;
      }
      return SaveGroup();
    });
  }

  // ---- Sending ----
  v1::ReplMessage NewMessage(v1::ReplKind kind,
                             const std::vector<const GroupMemberConfig*>& to);
  v1::ReplFolderPart* AddPart(v1::ReplMessage& m, const FolderSlot& f);
  absl::Status Send(const v1::ReplMessage& m,
                    const std::vector<const GroupMemberConfig*>& to);
  // Sends `entries` (and, in the last message, `covers`) for folder `fi` in
  // as many messages of `kind` as the size bound needs.
  absl::Status SendEntries(v1::ReplKind kind, size_t fi,
                           std::vector<v1::ExchangeEntry> entries,
                           const IdSet& covers,
                           const std::vector<const GroupMemberConfig*>& to);
  // True when the folder's cursor holds every local change number the store
  // issued: nothing can be waiting to be sent (false does not mean something
  // is: the cursor has holes where versions were replaced).
  absl::StatusOr<bool> CursorCoversStore(const FolderSlot& f);
  absl::Status SendOwnChanges(size_t fi);
  absl::Status AnswerBackfill(const PendingAnswer& a);
  absl::Status SendStatus(const std::vector<const GroupMemberConfig*>& to);
  absl::Status ScheduleBackfill(size_t fi);

  // ---- Receiving ----
  absl::Status ReceiveAll();
  absl::Status Handle(std::string_view bytes);
  void Drop(const std::string& why) {
    ++stats_.messages_dropped;
    Log(absl::StrCat("replication message dropped: ", why));
  }
  void NotePeer(FolderState& fs, const v1::ReplMessage& m, const IdSet& seen);
  // Applies `in` (the versions of one folder part from `sender`, whose
  // folder there is `sender_root`) in the open transaction.
  absl::Status Apply(size_t fi, const Guid& sender, const SourceKey& sender_root,
                     std::vector<Incoming>& in, bool parked_retry);
  absl::Status RetryParked(size_t fi);
  // True when this store holds `key` (an item, folder or tombstone) at a
  // version whose PCL includes `change_key`: that version was replaced.
  absl::StatusOr<bool> Superseded(const SourceKey& key,
                                  const ChangeNumber& change_key);
  bool SenderHasSeen(const Guid& sender, size_t fi, const Pcl& pcl) const;

  Store* store_;
  Transport* transport_;
  ReplicaGroupConfig config_;
  GroupMemberOptions options_;
  const GroupMemberConfig* self_ = nullptr;

  StoreIdentity identity_;
  GroupState group_;
  std::vector<FolderSlot> folders_;
  GroupTickStats stats_;
  bool status_requested_ = false;
  bool restore_alarm_ = false;
  bool loaded_ = false;
  std::vector<PendingAnswer> answers_;
  // Per member, in config_.members' order.
  std::vector<FrameAuth> auths_;
  // Versions applied in the open transaction (ReceiveAll).
  size_t applied_uncommitted_ = 0;
  // The sender whose message is being applied (for source_settles).
  const IdSet* applying_seen_ = nullptr;
};

absl::Status GroupMemberImpl::Load() {
  absl::StatusOr<StoreIdentity> id = store_->Identity();
  if (!id.ok()) return id.status();
  identity_ = *id;
  absl::StatusOr<std::optional<std::string>> g =
      store_->GetSyncState(GroupStateName());
  if (!g.ok()) return g.status();
  group_ = GroupState();
  if (g->has_value()) {
    absl::StatusOr<GroupState> decoded = DecodeGroupState(**g);
    if (!decoded.ok()) return decoded.status();
    group_ = *std::move(decoded);
  }
  folders_.clear();
  for (const std::string& path : config_.folders) {
    FolderSlot f;
    f.path = path;
    f.state_name = absl::StrCat("repl|", config_.name, "|", path);
    absl::StatusOr<std::optional<std::string>> blob =
        store_->GetSyncState(f.state_name);
    if (!blob.ok()) return blob.status();
    if (blob->has_value()) {
      absl::StatusOr<FolderState> decoded = DecodeFolderState(**blob);
      if (!decoded.ok()) {
        return absl::DataLossError(absl::StrCat(
            "replica group ", config_.name, ", folder ", path, ": ",
            decoded.status().message()));
      }
      f.state = *std::move(decoded);
    }
    absl::StatusOr<std::optional<std::string>> peers =
        store_->GetSyncState(f.state_name + "|peers");
    if (!peers.ok()) return peers.status();
    if (peers->has_value()) {
      if (absl::Status s = DecodeFolderPeers(**peers, f.state); !s.ok()) {
        return absl::DataLossError(absl::StrCat(
            "replica group ", config_.name, ", folder ", path, ": ",
            s.message()));
      }
    }
    absl::StatusOr<std::optional<Folder>> root = FindFolderByPath(*store_, path);
    if (!root.ok()) return root.status();
    if (!root->has_value()) {
      // (EnsureFolderPath makes its own transactions, through a Replica.)
      absl::StatusOr<Folder> made = sync_internal::EnsureFolderPath(*store_, path);
      if (!made.ok()) return made.status();
      *root = *made;
    }
    if (f.state.root.has_value() && *f.state.root != (**root).source_key) {
      // Another folder at the path now: what the state knew is of the old.
      Log(absl::StrCat("replica group ", config_.name, ": folder ", path,
                       " is a new folder; starting over"));
      f.state = FolderState();
    }
    f.state.root = (**root).source_key;
    // A state written under another identity: the store had that replica
    // GUID before (a restore from backup); changes it made are this
    // member's still.
    const bool new_identity =
        f.state.identity.has_value() && f.state.identity->replica != identity_.replica;
    if (f.state.identity.has_value()) NoteOwnReplica(f.state.identity->replica);
    f.state.identity = identity_;
    folders_.push_back(std::move(f));
    if (new_identity) {
      // Restored from a backup: peers may count versions held here as
      // replaced by ones this store made after the backup and lost with
      // it. Sending everything again once lets them apply, by PCL, what
      // they lack.
      Log(absl::StrCat("replica group ", config_.name, ", folder ", path,
                       ": the store has a new identity (restored from a "
                       "backup?); sending the whole folder again"));
      if (absl::Status s = QueueResend(folders_.size() - 1, 0); !s.ok()) return s;
    }
  }
  NoteOwnReplica(identity_.replica);
  return absl::OkStatus();
}

void GroupMemberImpl::NoteOwnReplica(const Guid& replica) {
  std::vector<Guid>& own = group_.own_replicas;
  if (std::find(own.begin(), own.end(), replica) == own.end()) {
    own.push_back(replica);
  }
}

v1::ReplMessage GroupMemberImpl::NewMessage(
    v1::ReplKind kind, const std::vector<const GroupMemberConfig*>& to) {
  v1::ReplMessage m;
  m.set_format_version(1);
  m.set_group(config_.name);
  m.set_sender(GuidBytes(self_->id));
  m.set_sender_replica(GuidBytes(identity_.replica));
  m.set_sender_epoch(identity_.epoch);
  m.set_sent(Now().ticks());
  m.set_sequence(++group_.sequence);
  for (const GroupMemberConfig* r : to) m.add_recipients(GuidBytes(r->id));
  m.set_kind(kind);
  return m;
}

v1::ReplFolderPart* GroupMemberImpl::AddPart(v1::ReplMessage& m,
                                             const FolderSlot& f) {
  v1::ReplFolderPart* part = m.add_folder();
  part->set_path(f.path);
  part->set_root(f.state.root->Encode());
  part->set_seen(f.state.seen.Encode());
  return part;
}

absl::Status GroupMemberImpl::Send(
    const v1::ReplMessage& m, const std::vector<const GroupMemberConfig*>& to) {
  if (to.empty()) return absl::OkStatus();
  absl::StatusOr<std::string> sealed =
      SealMessage(self_->id, AuthOf(self_), m.SerializeAsString());
  if (!sealed.ok()) return sealed.status();
  const std::string& frame = *sealed;
  std::vector<std::string> addresses;
  for (const GroupMemberConfig* r : to) addresses.push_back(r->address);
  if (absl::Status s = transport_->Send(frame, addresses); !s.ok()) return s;
  if (options_.detail) {
    size_t entries = 0;
    for (const v1::ReplFolderPart& p : m.folder()) entries += p.entry_size();
    options_.detail(absl::StrCat("sent message ", m.sequence(), " (",
                                 v1::ReplKind_Name(m.kind()), ", ", entries,
                                 " versions, ", frame.size(), " bytes) to ",
                                 to.size(), " member(s)"));
  }
  ++stats_.messages_sent;
  stats_.bytes_sent += frame.size();
  return absl::OkStatus();
}

absl::Status GroupMemberImpl::SendEntries(
    v1::ReplKind kind, size_t fi, std::vector<v1::ExchangeEntry> entries,
    const IdSet& covers, const std::vector<const GroupMemberConfig*>& to) {
  const FolderSlot& f = folders_[fi];
  size_t next = 0;
  do {
    v1::ReplMessage m = NewMessage(kind, to);
    v1::ReplFolderPart* part = AddPart(m, f);
    const size_t base = m.ByteSizeLong() + kFrameOverhead +
                        (covers.empty() ? 0 : covers.Encode().size() + 8);
    if (base >= config_.max_message_bytes) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "replica group ", config_.name, ", folder ", f.path,
          ": the status alone needs ", base, " bytes, above max_message_bytes"));
    }
    size_t room = config_.max_message_bytes - base;
    while (next < entries.size()) {
      const size_t need = entries[next].ByteSizeLong() + 8;
      if (need > room) break;
      room -= need;
      *part->add_entry() = std::move(entries[next]);
      ++next;
    }
    if (part->entry_size() == 0 && next < entries.size()) {
      // One version too large for any message: refused at its origin.
      ++stats_.unsendable;
      absl::StatusOr<exchange_internal::ExchangeRecord> rec =
          DecodeEntryObject(entries[next]);
      Log(absl::StrCat("replica group ", config_.name, ", folder ", f.path,
                       ": version ",
                       rec.ok() ? rec->change.change_key().ToString() : "?",
                       " of ", entries[next].ByteSizeLong(),
                       " bytes does not fit in a message of max_message_bytes (",
                       config_.max_message_bytes, "); not sent"));
      ++next;
      continue;
    }
    if (next >= entries.size() && !covers.empty()) {
      part->set_covers(covers.Encode());
    }
    if (part->entry_size() == 0 && covers.empty() && kind != v1::REPL_BACKFILL_ANSWER) {
      break;
    }
    if (absl::Status s = Send(m, to); !s.ok()) return s;
  } while (next < entries.size());
  return absl::OkStatus();
}

absl::StatusOr<bool> GroupMemberImpl::CursorCoversStore(const FolderSlot& f) {
  absl::StatusOr<GlobCnt> high = store_->LocalCnHighWater();
  if (!high.ok()) return high.status();
  return high->value() == 0 || f.state.cursor.Includes(sync_internal::UpTo(*high));
}

absl::Status GroupMemberImpl::SendOwnChanges(size_t fi) {
  FolderSlot& f = folders_[fi];
  if (f.state.resend.empty()) {
    // Nothing written since the cursor: no export (no tree read).
    absl::StatusOr<bool> covered = CursorCoversStore(f);
    if (!covered.ok()) return covered.status();
    if (*covered) return absl::OkStatus();
  }
  const std::vector<const GroupMemberConfig*> peers = Peers();
  sync_internal::ExportOptions eo;
  eo.batch_size = options_.batch_size;
  eo.batch_bytes = std::max<size_t>(config_.max_message_bytes * 4, 1 << 20);
  // Taken out of the state here; written back by SaveFolder below (or, if
  // this tick fails, read again from the store: nothing is lost).
  eo.resend = std::move(f.state.resend);
  f.state.resend.clear();
  sync_internal::Exporter exporter(store_, *f.state.root, f.state.cursor,
                                   f.state.given, eo);
  if (absl::Status s = exporter.Start(); !s.ok()) return s;
  while (true) {
    absl::StatusOr<ExportBatch> batch = exporter.Next();
    if (!batch.ok()) return batch.status();
    if (batch->entries.empty()) break;
    std::vector<v1::ExchangeEntry> entries;
    entries.reserve(batch->entries.size());
    IdSet keys;
    IdSet given_added;
    IdSet given_removed;
    for (const Outgoing& out : batch->entries) {
      v1::ExchangeEntry e;
      EncodeEntryObject(out.change, e);
      e.set_scope_exit(out.kind == Outgoing::Kind::kScopeExit);
      e.set_pulled(out.change.local_cn == GlobCnt());
      entries.push_back(std::move(e));
      InsertKey(keys, out.change.change_key());
      InsertPcl(keys, PclOf(out.change));
      const SourceKey& key = out.change.source_key();
      if (out.kind == Outgoing::Kind::kScopeExit ||
          std::holds_alternative<Tombstone>(out.change.object)) {
        given_removed.Insert(key.replica(), key.counter());
      } else {
        given_added.Insert(key.replica(), key.counter());
      }
    }
    IdSet unseen = keys;
    unseen.Subtract(f.state.seen);
    f.state.seen.UnionWith(keys);
    if (absl::Status s = SendEntries(v1::REPL_CHANGES, fi, std::move(entries),
                                     IdSet(), peers);
        !s.ok()) {
      f.state.seen.Subtract(unseen);
      return s;
    }
    f.state.cursor.UnionWith(batch->consumed);
    f.state.given.Subtract(given_removed);
    f.state.given.UnionWith(given_added);
    if (absl::Status s = Transact(*store_, [&] { return SaveFolder(f); });
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::Status GroupMemberImpl::AnswerBackfill(const PendingAnswer& a) {
  FolderSlot& f = folders_[a.folder];
  const GroupMemberConfig* peer = MemberById(a.peer);
  if (peer == nullptr) return absl::OkStatus();
  IdSet wanted = a.wanted;
  wanted.IntersectWith(f.state.seen);  // only what this member has seen
  if (wanted.empty()) return absl::OkStatus();
  std::vector<v1::ExchangeEntry> entries;
  IdSet sent;
  auto take = [&](const Change& change, bool scope_exit) {
    v1::ExchangeEntry e;
    EncodeEntryObject(change, e);
    e.set_scope_exit(scope_exit);
    e.set_pulled(true);
    entries.push_back(std::move(e));
    InsertKey(sent, change.change_key());
    // A version answers for what its PCL names too: a version replaced by
    // a merge (a resolved conflict, deletions at two members) is known
    // here only by the PCL entry of its successor.
    InsertPcl(sent, PclOf(change));
  };
  // Folders parents first, then their items.
  absl::flat_hash_set<SourceKey> taken_items;
  std::vector<SourceKey> order{*f.state.root};
  for (size_t i = 0; i < order.size(); ++i) {
    absl::StatusOr<std::vector<Folder>> children =
        store_->ListChildFolders(order[i]);
    if (!children.ok()) return children.status();
    for (Folder& c : *children) {
      order.push_back(c.source_key);
      if (ContainsKey(wanted, c.change_key) || PclNamesAny(c.pcl, wanted)) {
        take(Change{std::move(c), GlobCnt()}, false);
      }
    }
  }
  for (const SourceKey& folder : order) {
    absl::StatusOr<std::vector<ItemVersion>> versions =
        store_->ListItemVersions(folder);
    if (!versions.ok()) return versions.status();
    for (const ItemVersion& v : *versions) {
      if (!ContainsKey(wanted, v.change_key)) continue;
      absl::StatusOr<Item> item = store_->GetItem(v.source_key);
      if (!item.ok()) return item.status();
      taken_items.insert(v.source_key);
      take(Change{*std::move(item), GlobCnt()}, false);
    }
  }
  // Deletions: a change key in this folder's CNSET names a change of this
  // folder, so a tombstone with one is this folder's.
  GlobCnt after;
  ChangeStreamOptions co;
  co.kinds = KindBit(ObjectKind::kTombstone);
  co.batch_size = 4096;
  while (true) {
    absl::StatusOr<std::vector<Change>> batch =
        store_->ReadChanges(GlobSet(), after, co);
    if (!batch.ok()) return batch.status();
    if (batch->empty()) break;
    for (Change& c : *batch) {
      after = c.local_cn;
      const Tombstone& t = std::get<Tombstone>(c.object);
      // (A tombstone kept for another tree is not this folder's.)
      if (t.scope_root.has_value() && *t.scope_root != *f.state.root) continue;
      // A tombstone answers for its own deletion and for every version its
      // PCL names: deletions at two members merge into one tombstone with
      // the later one's change number, and the other's is then known only
      // by its PCL entry.
      bool answers = ContainsKey(wanted, t.deletion_cn);
      for (const Xid& x : t.pcl.entries()) {
        if (answers) break;
        absl::StatusOr<GlobCnt> n = GlobCnt::FromValue(x.local_id());
        answers = x.local_id_size() == GlobCnt::kSize && n.ok() &&
                  wanted.Contains(x.namespace_guid(), *n);
      }
      if (!answers) continue;
      take(c, false);
      InsertPcl(sent, t.pcl);
    }
  }
  IdSet covers = wanted;
  covers.Subtract(sent);
  if (!covers.empty()) {
    // Keys with no version of their own: the versions that replaced them
    // by a merge name them in their PCLs. Items are read whole for that,
    // only when some key is left (a lost message is answered without).
    for (const SourceKey& folder : order) {
      absl::StatusOr<std::vector<SourceKey>> keys = store_->ListItems(folder);
      if (!keys.ok()) return keys.status();
      for (const SourceKey& k : *keys) {
        if (taken_items.contains(k)) continue;
        absl::StatusOr<Item> item = store_->GetItem(k);
        if (!item.ok()) return item.status();
        if (!PclNamesAny(item->pcl, covers)) continue;
        take(Change{*std::move(item), GlobCnt()}, false);
      }
    }
    covers = wanted;
    covers.Subtract(sent);
  }
  // The rest is vouched for without a version: each is in this member's
  // CNSET, so this store holds it or what replaced it, and what replaced it
  // is found above unless no PCL here names it any more (a version whose
  // successor took a derived change key). A deletion of an object this
  // store never held is kept as a tombstone (keep_every_tombstone), so it
  // too is found above.
  ++stats_.backfill_answers_sent;
  if (options_.detail) {
    options_.detail(absl::StrCat("answering ", peer->name, " for ",
                                 wanted.ToString(), ": ", entries.size(),
                                 " versions; no version of ", covers.ToString()));
  }
  return SendEntries(v1::REPL_BACKFILL_ANSWER, a.folder, std::move(entries),
                     covers, {peer});
}

absl::Status GroupMemberImpl::SendStatus(
    const std::vector<const GroupMemberConfig*>& to) {
  if (to.empty()) return absl::OkStatus();
  v1::ReplMessage m = NewMessage(v1::REPL_STATUS, to);
  for (const FolderSlot& f : folders_) AddPart(m, f);
  ++stats_.status_sent;
  return Send(m, to);
}

bool GroupMemberImpl::SenderHasSeen(const Guid&, size_t, const Pcl& pcl) const {
  if (applying_seen_ == nullptr) return false;
  for (const Xid& entry : pcl.entries()) {
    absl::StatusOr<GlobCnt> counter = GlobCnt::FromValue(entry.local_id());
    if (entry.local_id_size() != GlobCnt::kSize || !counter.ok() ||
        !applying_seen_->Contains(entry.namespace_guid(), *counter)) {
      return false;
    }
  }
  return true;
}

void GroupMemberImpl::NotePeer(FolderState& fs, const v1::ReplMessage& m,
                               const IdSet& seen) {
  absl::StatusOr<Guid> sender = Guid::Decode(AsBytes(m.sender()));
  absl::StatusOr<Guid> replica = Guid::Decode(AsBytes(m.sender_replica()));
  if (!sender.ok() || !replica.ok()) return;
  PeerState& p = fs.Peer(*sender);
  const bool fresh = p.last_heard == FileTime();
  if (fresh || m.sender_epoch() > p.epoch ||
      (m.sender_epoch() == p.epoch && *replica != p.replica)) {
    p.seen = seen;
    p.epoch = m.sender_epoch();
    p.replica = *replica;
  } else if (m.sender_epoch() == p.epoch) {
    p.seen.UnionWith(seen);
  }
  p.last_heard = Now();
}

absl::Status GroupMemberImpl::Apply(size_t fi, const Guid& sender,
                                    const SourceKey& sender_root,
                                    std::vector<Incoming>& in,
                                    bool parked_retry) {
  FolderSlot& f = folders_[fi];
  sync_internal::ImportOptions io;
  io.source_root = sender_root;
  io.dest_root = *f.state.root;
  io.policy = config_.policy;
  io.source_is_publisher = false;
  io.replicate_deletions = true;
  io.keep_every_tombstone = true;
  io.replicate_permissions = config_.replicate_permissions;
  io.max_item_size = config_.max_item_size;
  // A parked version tried again fails the same way until its parent comes:
  // said once when parked, then only at the detail level.
  io.error_log = parked_retry ? options_.detail : options_.log;
  if (options_.detail) {
    io.log = options_.detail;
    io.replicated_log = [this](bool, std::string_view line) {
      options_.detail(line);
    };
  }
  Importer importer(store_, io);
  if (absl::Status s = importer.Start(); !s.ok()) return s;
  importer.set_source_settles(
      [this, &sender, fi](const SourceKey&, const SourceKey&, std::string_view,
                          const Pcl& dest_pcl) -> absl::StatusOr<bool> {
        return SenderHasSeen(sender, fi, dest_pcl);
      });
  applied_uncommitted_ += in.size();
  ExportBatch batch;
  batch.entries.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    Change c = in[i].change;
    c.local_cn = in[i].pulled ? GlobCnt() : *GlobCnt::FromValue(i + 1);
    batch.entries.push_back({in[i].scope_exit ? Outgoing::Kind::kScopeExit
                                              : Outgoing::Kind::kChange,
                             std::move(c)});
  }
  BatchOutcome outcome;
  auto record = [&](const BatchOutcome& out) -> absl::Status {
    absl::flat_hash_set<SourceKey> retried_pulled(out.retry_pulled.begin(),
                                                  out.retry_pulled.end());
    absl::flat_hash_map<SourceKey, const sync_internal::Refusal*> refusals;
    for (const sync_internal::Refusal& r : out.refusals) {
      refusals[r.source_key] = &r;
    }
    for (size_t i = 0; i < in.size(); ++i) {
      const SourceKey& key = in[i].change.source_key();
      const ChangeNumber ck = in[i].change.change_key();
      const bool failed =
          in[i].pulled ? retried_pulled.contains(key)
                       : out.retry.Contains(*GlobCnt::FromValue(i + 1));
      // A parked version that now went through leaves the park.
      std::erase_if(f.state.parked, [&](const ParkedEntry& p) {
        return !failed && p.source_key == key && p.change_key == ck;
      });
      if (!failed) {
        // This store now holds the version or a newer one: its change key
        // and every version its PCL names are seen.
        InsertKey(f.state.seen, ck);
        InsertPcl(f.state.seen, PclOf(in[i].change));
        std::erase_if(f.state.refused, [&](const RefusedEntry& r) {
          return r.source_key == key;
        });
        continue;
      }
      auto it = refusals.find(key);
      if (it != refusals.end() && it->second->reason == Reason::kParentMissing) {
        const bool already = std::any_of(
            f.state.parked.begin(), f.state.parked.end(),
            [&](const ParkedEntry& p) {
              return p.source_key == key && p.change_key == ck;
            });
        if (!already && in[i].raw != nullptr) {
          f.state.parked.push_back(
              ParkedEntry{sender_root, *in[i].raw, ck, key, Now()});
          ++stats_.parked;
          Log(absl::StrCat("replica group ", config_.name, ", folder ", f.path,
                           ": version ", ck.ToString(), " of ", key.ToString(),
                           " parked until its parent arrives (",
                           it->second->why, ")"));
        }
      } else if (it != refusals.end()) {
        std::erase_if(f.state.refused, [&](const RefusedEntry& r) {
          return r.source_key == key;
        });
        f.state.refused.push_back(RefusedEntry{key, ck, it->second->reason,
                                               it->second->why, Now()});
      }
    }
    f.state.cursor.UnionWith(out.echo.seen);
    f.state.given.Subtract(out.given_removed);
    f.state.given.UnionWith(out.given_added);
    // What the group lacks from here: the sender sent a version with this
    // store's PCL but a lower change key (the tie every member breaks
    // alike, Importer::VersionOrder), or an older version of what this
    // store deleted. Its CNSET may already name our version's change key
    // (met earlier with a smaller PCL), so backfill would never ask: this
    // member sends its version again with its next changes. Kept with the
    // folder's state, so a restart between the two does not forget it.
    std::vector<SourceKey>& keys = f.state.resend;
    auto add = [&keys](const SourceKey& key) {
      if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
        keys.push_back(key);
      }
    };
    for (const SourceKey& key : out.echo.resend) add(key);
    for (const Tombstone& t : out.echo.answers) add(t.source_key);
    return SaveFolder(f);
  };
  absl::Status s = sync_internal::ApplyBatch(*store_, importer, batch, outcome,
                                             nullptr, record);
  if (!s.ok()) return s;
  stats_.applied.Merge(outcome.stats);
  return absl::OkStatus();
}

absl::StatusOr<bool> GroupMemberImpl::Superseded(
    const SourceKey& key, const ChangeNumber& change_key) {
  std::optional<Pcl> pcl;
  if (absl::StatusOr<Item> item = store_->GetItem(key); item.ok()) {
    pcl = item->pcl;
  } else if (!absl::IsNotFound(item.status())) {
    return item.status();
  } else if (absl::StatusOr<Folder> folder = store_->GetFolder(key);
             folder.ok()) {
    pcl = folder->pcl;
  } else if (!absl::IsNotFound(folder.status())) {
    return folder.status();
  } else if (absl::StatusOr<Tombstone> t = store_->GetTombstone(key); t.ok()) {
    pcl = t->pcl;
  } else if (!absl::IsNotFound(t.status())) {
    return t.status();
  }
  if (!pcl.has_value()) return false;
  const Xid* x = pcl->Find(change_key.replica());
  return x != nullptr && x->local_id() >= change_key.counter().value();
}

absl::Status GroupMemberImpl::RetryParked(size_t fi) {
  FolderSlot& f = folders_[fi];
  // Versions replaced here meanwhile (a later move or deletion arrived)
  // leave the park: they are seen.
  for (size_t i = 0; i < f.state.parked.size();) {
    const ParkedEntry& p = f.state.parked[i];
    absl::StatusOr<bool> gone = Superseded(p.source_key, p.change_key);
    if (!gone.ok()) return gone.status();
    if (*gone) {
      InsertKey(f.state.seen, p.change_key);
      f.state.parked.erase(f.state.parked.begin() + static_cast<ptrdiff_t>(i));
      ++stats_.unparked;
    } else {
      ++i;
    }
  }
  // Each round applies what parents arrived for; stops when nothing moved.
  for (int round = 0; round < 64 && !f.state.parked.empty(); ++round) {
    const size_t before = f.state.parked.size();
    // Group by the sender's root: each group is one import.
    std::map<std::string, std::vector<ParkedEntry>> by_root;
    for (const ParkedEntry& p : f.state.parked) {
      by_root[p.sender_root.Encode()].push_back(p);
    }
    for (auto& [root_bytes, entries] : by_root) {
      std::vector<Incoming> in;
      for (const ParkedEntry& p : entries) {
        absl::StatusOr<exchange_internal::ExchangeRecord> rec =
            DecodeEntryObject(p.entry);
        if (!rec.ok()) continue;
        in.push_back(Incoming{std::move(rec->change), p.entry.scope_exit(),
                              p.entry.pulled(), &p.entry});
      }
      const SourceKey root = entries.front().sender_root;
      const size_t parked_before = f.state.parked.size();
      if (absl::Status s = Apply(fi, Guid(), root, in, true); !s.ok()) return s;
      if (f.state.parked.size() < parked_before) {
        stats_.unparked += parked_before - f.state.parked.size();
      }
    }
    if (f.state.parked.size() == before) break;
  }
  return absl::OkStatus();
}

absl::Status GroupMemberImpl::Handle(std::string_view bytes) {
  absl::StatusOr<FrameHeader> header =
      ReadFrameHeader(bytes, config_.max_message_bytes);
  if (!header.ok()) {
    Drop(std::string(header.status().message()));
    return absl::OkStatus();
  }
  const Guid* sender = &header->sender;
  const GroupMemberConfig* member = MemberById(*sender);
  if (member == nullptr) {
    Drop(absl::StrCat("unknown sender ", sender->ToString()));
    return absl::OkStatus();
  }
  if (member == self_) {
    Drop("sent by this member");
    return absl::OkStatus();
  }
  absl::StatusOr<std::string_view> body =
      OpenMessage(bytes, AuthOf(member), config_.max_message_bytes);
  if (!body.ok()) {
    Drop(absl::StrCat("from ", member->name, ": ", body.status().message()));
    return absl::OkStatus();
  }
  absl::StatusOr<v1::ReplMessage> m = ParseMessage(*body, *sender);
  if (!m.ok()) {
    Drop(absl::StrCat("from ", member->name, ": ", m.status().message()));
    return absl::OkStatus();
  }
  if (m->group() != config_.name) {
    Drop(absl::StrCat("from ", member->name, ": for group \"", m->group(),
                      "\""));
    return absl::OkStatus();
  }
  const std::string self_bytes = GuidBytes(self_->id);
  if (std::find(m->recipients().begin(), m->recipients().end(), self_bytes) ==
      m->recipients().end()) {
    Drop(absl::StrCat("from ", member->name, ": not addressed to ",
                      self_->name));
    return absl::OkStatus();
  }
  // Every version decodes before anything is applied.
  std::vector<std::vector<Incoming>> parts(m->folder_size());
  for (int p = 0; p < m->folder_size(); ++p) {
    const v1::ReplFolderPart& part = m->folder(p);
    for (const v1::ExchangeEntry& e : part.entry()) {
      absl::StatusOr<exchange_internal::ExchangeRecord> rec =
          DecodeEntryObject(e);
      if (!rec.ok()) {
        Drop(absl::StrCat("from ", member->name, ": folder ", part.path(),
                          ": ", rec.status().message()));
        return absl::OkStatus();
      }
      if (options_.detail) {
        options_.detail(absl::StrCat("  carries ", rec->change.source_key().ToString(),
                                     " at ", rec->change.change_key().ToString(),
                                     e.scope_exit() ? " (exit)" : ""));
      }
      parts[p].push_back(
          Incoming{std::move(rec->change), e.scope_exit(), e.pulled(), &e});
    }
  }
  ++stats_.messages_received;
  stats_.bytes_received += bytes.size();
  if (options_.detail) {
    options_.detail(absl::StrCat("received message ", m->sequence(), " (",
                                 v1::ReplKind_Name(m->kind()), ") from ",
                                 member->name));
  }
  if (m->kind() == v1::REPL_STATUS_REQUEST) {
    if (std::find(group_.status_wanted.begin(), group_.status_wanted.end(),
                  *sender) == group_.status_wanted.end()) {
      group_.status_wanted.push_back(*sender);
    }
  }
  for (int p = 0; p < m->folder_size(); ++p) {
    const v1::ReplFolderPart& part = m->folder(p);
    const int fi = FolderIndex(part.path());
    if (fi < 0) {
      Log(absl::StrCat("replication message from ", member->name,
                       ": folder ", part.path(),
                       " is not one of the group's; part ignored"));
      continue;
    }
    FolderSlot& f = folders_[fi];
    const IdSet seen = DecodeSet(part.seen());
    NotePeer(f.state, *m, seen);
    switch (m->kind()) {
      case v1::REPL_CHANGES:
      case v1::REPL_BACKFILL_ANSWER: {
        const SourceKey root = *SourceKey::Decode(AsBytes(part.root()));
        const PeerState* peer = f.state.FindPeer(*sender);
        applying_seen_ = peer != nullptr ? &peer->seen : nullptr;
        absl::Status s = Apply(fi, *sender, root, parts[p], false);
        applying_seen_ = nullptr;
        if (!s.ok()) return s;
        if (m->kind() == v1::REPL_BACKFILL_ANSWER) {
          // What the answer says it has no version of counts as seen for
          // what was asked of this sender, nothing else.
          IdSet asked;
          for (BackfillEntry& b : f.state.backfill) {
            if (b.source != *sender) continue;
            for (const GlobRange& r : b.ranges.ranges()) {
              (void)asked.InsertRange(b.origin, *GlobCnt::FromValue(r.low),
                                      *GlobCnt::FromValue(r.high));
            }
            if (b.asked != FileTime()) {
              const uint64_t latency = Now().ticks() - b.asked.ticks();
              PeerState& ps = f.state.Peer(*sender);
              ps.answer_latency = ps.answer_latency == 0
                                      ? std::max<uint64_t>(latency, 1)
                                      : (ps.answer_latency + latency) / 2;
            }
          }
          IdSet covers = DecodeSet(part.covers());
          covers.IntersectWith(asked);
          // Vouched for by a member that has them in its CNSET and no version
          // naming them: they were replaced (AnswerBackfill says when). A
          // member could lie here, as it could forge a version: the group is
          // one circle of trust (GroupMemberConfig::key).
          f.state.seen.UnionWith(covers);
        }
        if (absl::Status r = RetryParked(fi); !r.ok()) return r;
        break;
      }
      case v1::REPL_BACKFILL_REQUEST: {
        IdSet wanted = DecodeSet(part.wanted());
        if (!wanted.empty()) answers_.push_back({*sender, static_cast<size_t>(fi), wanted});
        break;
      }
      default:
        break;
    }
  }
  // Peer reports and requests are saved at the end of the tick.
  return absl::OkStatus();
}

absl::Status GroupMemberImpl::ReceiveAll() {
  absl::StatusOr<std::vector<std::string>> msgs =
      transport_->Receive(config_.max_receive);
  if (!msgs.ok()) return msgs.status();
  const bool parked = std::any_of(folders_.begin(), folders_.end(),
                                  [](const FolderSlot& f) { return !f.state.parked.empty(); });
  if (msgs->empty() && !parked) return absl::OkStatus();
  // The messages of a tick are applied in transactions of about batch_size
  // versions, as a session commits its batches, not one per message (a 300
  // KB message holds some 70 versions of 4 KiB, and each commit syncs the
  // disk). A crash before a commit loses what the transport handed out
  // since the last one; backfill recovers it, as for a lost message.
  absl::Status status = Transact(*store_, [&]() -> absl::Status {
    for (const std::string& bytes : *msgs) {
      if (absl::Status s = Handle(bytes); !s.ok()) return s;
      if (applied_uncommitted_ >= options_.batch_size) {
        if (absl::Status s = store_->Commit(); !s.ok()) return s;
        applied_uncommitted_ = 0;
        if (absl::Status s = store_->Begin(); !s.ok()) return s;
      }
    }
    for (size_t i = 0; i < folders_.size(); ++i) {
      if (absl::Status s = RetryParked(i); !s.ok()) return s;
    }
    return absl::OkStatus();
  });
  applied_uncommitted_ = 0;
  return status;
}

absl::Status GroupMemberImpl::ScheduleBackfill(size_t fi) {
  FolderSlot& f = folders_[fi];
  FolderState& st = f.state;
  const FileTime now = Now();
  IdSet have = st.seen;
  for (const ParkedEntry& p : st.parked) InsertKey(have, p.change_key);
  // What peers reported and this member lacks.
  IdSet missing;
  for (const PeerState& p : st.peers) {
    if (MemberById(p.member) == nullptr) continue;
    missing.UnionWith(p.seen);
  }
  missing.Subtract(have);
  // Restore evidence: a peer saw this store's own counters above what it
  // ever reserved.
  if (const GlobSet* own = missing.Find(identity_.replica); own != nullptr) {
    absl::StatusOr<GlobCnt> high = store_->CounterHighWater();
    if (!high.ok()) return high.status();
    if (own->Max().has_value() && own->Max()->value() > high->value() &&
        !restore_alarm_) {
      restore_alarm_ = true;
      Log(absl::StrCat(
          "replica group ", config_.name, ": peers hold changes of this "
          "store's replica ", identity_.replica.ToString(), " up to ",
          own->Max()->value(), ", above its counter ", high->value(),
          ": the store was restored from a backup; mark it restored "
          "(iorepl store mark-restored) before making changes"));
    }
  }
  // Drop what arrived; add what is new.
  for (BackfillEntry& b : st.backfill) {
    if (const GlobSet* h = have.Find(b.origin)) b.ranges.Subtract(*h);
    const GlobSet* m = missing.Find(b.origin);
    if (m == nullptr) {
      b.ranges.clear();
    } else {
      b.ranges.IntersectWith(*m);
    }
  }
  std::erase_if(st.backfill, [](const BackfillEntry& b) { return b.ranges.empty(); });
  IdSet known;
  for (const BackfillEntry& b : st.backfill) {
    for (const GlobRange& r : b.ranges.ranges()) {
      (void)known.InsertRange(b.origin, *GlobCnt::FromValue(r.low),
                              *GlobCnt::FromValue(r.high));
    }
  }
  IdSet fresh = Minus(missing, known);
  for (const auto& e : fresh) {
    st.backfill.push_back(BackfillEntry{.origin = e.key,
                                        .ranges = e.globset,
                                        .first_seen = now,
                                        .next_try = FileTime(),
                                        .source = Guid(),
                                        .asked = FileTime(),
                                        .alarmed = false,
                                        .tried = {}});
  }
  // Ask for what is due, one request per source.
  std::map<Guid, IdSet, std::less<>> requests;
  const uint64_t delay = Ticks(config_.backfill_delay);
  for (BackfillEntry& b : st.backfill) {
    if (now.ticks() < b.first_seen.ticks() + delay) continue;
    if (b.next_try != FileTime() && now < b.next_try) continue;
    // The peers that reported any of it: each once in a round, fastest
    // answer first.
    const PeerState* best = nullptr;
    auto rank = [&](const PeerState& p) {
      const bool tried = std::find(b.tried.begin(), b.tried.end(), p.member) !=
                         b.tried.end();
      const uint64_t latency =
          p.answer_latency == 0 ? Ticks(config_.backfill_delay)
                                : p.answer_latency;
      return std::make_tuple(tried, latency, p.member.ToString());
    };
    for (const PeerState& p : st.peers) {
      if (MemberById(p.member) == nullptr || MemberById(p.member) == self_) {
        continue;
      }
      const GlobSet* has = p.seen.Find(b.origin);
      if (has == nullptr) continue;
      GlobSet overlap = b.ranges;
      overlap.IntersectWith(*has);
      if (overlap.empty()) continue;
      if (best == nullptr || rank(p) < rank(*best)) best = &p;
    }
    if (best == nullptr) continue;
    GlobSet ask = b.ranges;
    ask.IntersectWith(*best->seen.Find(b.origin));
    IdSet& req = requests[best->member];
    for (const GlobRange& r : ask.ranges()) {
      (void)req.InsertRange(b.origin, *GlobCnt::FromValue(r.low),
                            *GlobCnt::FromValue(r.high));
    }
    const uint64_t wait = std::min(
        delay << std::min<uint32_t>(b.tries, 16), Ticks(config_.backfill_retry_max));
    b.next_try = FileTime::FromTicks(now.ticks() + std::max<uint64_t>(wait, 1));
    b.source = best->member;
    if (std::find(b.tried.begin(), b.tried.end(), best->member) != b.tried.end()) {
      b.tried.clear();  // everyone was asked: a new round
    }
    b.tried.push_back(best->member);
    b.asked = now;
    ++b.tries;
    if (!b.alarmed &&
        now.ticks() >= b.first_seen.ticks() + Ticks(config_.backfill_give_up)) {
      b.alarmed = true;
      Log(absl::StrCat("replica group ", config_.name, ", folder ", f.path,
                       ": ALARM: ", b.ranges.Count(), " change(s) of ",
                       b.origin.ToString(), " missing since ",
                       absl::FormatTime(b.first_seen.ToAbslTime()),
                       " after ", b.tries, " backfill requests"));
    }
  }
  for (auto& [member, wanted] : requests) {
    const GroupMemberConfig* to = MemberById(member);
    v1::ReplMessage m = NewMessage(v1::REPL_BACKFILL_REQUEST, {to});
    v1::ReplFolderPart* part = AddPart(m, f);
    part->set_wanted(wanted.Encode());
    if (absl::Status s = Send(m, {to}); !s.ok()) return s;
    ++stats_.backfill_requests_sent;
  }
  return absl::OkStatus();
}

absl::Status GroupMemberImpl::Tick() {
  absl::Status status = TickOnce();
  // What is held in memory may be ahead of the store after a failure: read
  // it again next time.
  if (!status.ok()) loaded_ = false;
  return status;
}

absl::Status GroupMemberImpl::EnsureLoaded() {
  absl::StatusOr<StoreIdentity> id = store_->Identity();
  if (!id.ok()) return id.status();
  if (loaded_ && *id == identity_) return absl::OkStatus();
  if (absl::Status s = Load(); !s.ok()) return s;
  loaded_ = true;
  return absl::OkStatus();
}

absl::Status GroupMemberImpl::TickOnce() {
  if (absl::Status s = EnsureLoaded(); !s.ok()) return s;
  const FileTime now = Now();
  const bool first = group_.started == FileTime();
  if (first) group_.started = now;
  if (absl::Status s = ReceiveAll(); !s.ok()) return s;
  for (size_t i = 0; i < folders_.size(); ++i) {
    if (absl::Status s = SendOwnChanges(i); !s.ok()) return s;
  }
  std::vector<PendingAnswer> answers = std::move(answers_);
  answers_.clear();
  for (const PendingAnswer& a : answers) {
    if (absl::Status s = AnswerBackfill(a); !s.ok()) return s;
  }
  if (first || status_requested_) {
    const std::vector<const GroupMemberConfig*> peers = Peers();
    v1::ReplMessage m = NewMessage(v1::REPL_STATUS_REQUEST, peers);
    for (const FolderSlot& f : folders_) AddPart(m, f);
    if (absl::Status s = Send(m, peers); !s.ok()) return s;
    status_requested_ = false;
  }
  if (!group_.status_wanted.empty() ||
      now.ticks() >= group_.last_status.ticks() + Ticks(config_.status_interval)) {
    std::vector<const GroupMemberConfig*> to;
    const bool periodic = now.ticks() >=
                          group_.last_status.ticks() + Ticks(config_.status_interval);
    if (periodic) {
      to = Peers();
      group_.last_status = now;
    } else {
      for (const Guid& g : group_.status_wanted) {
        const GroupMemberConfig* m = MemberById(g);
        if (m != nullptr && m != self_) to.push_back(m);
      }
    }
    if (absl::Status s = SendStatus(to); !s.ok()) return s;
    group_.status_wanted.clear();
  }
  for (size_t i = 0; i < folders_.size(); ++i) {
    if (absl::Status s = ScheduleBackfill(i); !s.ok()) return s;
  }
  return SaveAll();
}

absl::Status GroupMemberImpl::Resend(absl::Duration window) {
  if (absl::Status s = EnsureLoaded(); !s.ok()) return s;
  const uint64_t since = Now().ticks() - std::min(Now().ticks(), Ticks(window));
  for (size_t fi = 0; fi < folders_.size(); ++fi) {
    if (absl::Status s = QueueResend(fi, since); !s.ok()) return s;
  }
  // Kept in the store at once: an operator's resend survives a restart
  // before the next tick.
  return Transact(*store_, [&]() -> absl::Status {
    for (const FolderSlot& f : folders_) {
      if (absl::Status s = SaveFolder(f); !s.ok()) return s;
    }
    return absl::OkStatus();
  });
}

absl::Status GroupMemberImpl::QueueResend(size_t fi, uint64_t since) {
  std::vector<SourceKey>& keys = folders_[fi].state.resend;
  std::vector<SourceKey> order{*folders_[fi].state.root};
  for (size_t i = 0; i < order.size(); ++i) {
    absl::StatusOr<std::vector<Folder>> children =
        store_->ListChildFolders(order[i]);
    if (!children.ok()) return children.status();
    for (const Folder& c : *children) {
      order.push_back(c.source_key);
      if (c.last_modified.ticks() >= since) keys.push_back(c.source_key);
    }
  }
  for (const SourceKey& folder : order) {
    absl::StatusOr<std::vector<SourceKey>> items = store_->ListItems(folder);
    if (!items.ok()) return items.status();
    for (const SourceKey& k : *items) {
      // Every version qualifies for a whole-folder resend: no item read.
      if (since > 0) {
        absl::StatusOr<Item> item = store_->GetItem(k);
        if (!item.ok()) return item.status();
        if (item->last_modified.ticks() < since) continue;
      }
      keys.push_back(k);
    }
  }
  // Asked twice, sent once.
  absl::flat_hash_set<SourceKey> once;
  std::erase_if(keys, [&once](const SourceKey& k) { return !once.insert(k).second; });
  return absl::OkStatus();
}

absl::StatusOr<GroupLeaveReadiness> GroupMemberImpl::LeaveReadiness() {
  if (absl::Status s = EnsureLoaded(); !s.ok()) return s;
  GroupLeaveReadiness out;
  const std::vector<const GroupMemberConfig*> peers = Peers();
  std::vector<uint64_t> missing(peers.size(), 0);
  std::vector<bool> heard(peers.size(), true);
  // Every change number of the store's own replica GUIDs.
  IdSet mask;
  for (const Guid& g : group_.own_replicas) {
    (void)mask.InsertRange(g, *GlobCnt::FromValue(1),
                           GlobCnt::Max());
  }
  for (const FolderSlot& f : folders_) {
    absl::StatusOr<bool> covered = CursorCoversStore(f);
    if (!covered.ok()) return covered.status();
    if (!f.state.resend.empty()) {
      out.unsent = true;
    } else if (!*covered) {
      // The cursor has holes where versions were replaced or written outside
      // the folder: whether anything is left to send, only the exporter
      // knows (it reads, and writes nothing).
      sync_internal::ExportOptions eo;
      eo.batch_size = 1;
      sync_internal::Exporter exporter(store_, *f.state.root, f.state.cursor,
                                       f.state.given, eo);
      if (absl::Status s = exporter.Start(); !s.ok()) return s;
      absl::StatusOr<ExportBatch> batch = exporter.Next();
      if (!batch.ok()) return batch.status();
      if (!batch->entries.empty()) out.unsent = true;
    }
    IdSet own = f.state.seen;
    own.IntersectWith(mask);
    out.originated += own.Count();
    IdSet only_here = Minus(f.state.seen, own);
    for (size_t i = 0; i < peers.size(); ++i) {
      const PeerState* p = f.state.FindPeer(peers[i]->id);
      if (p == nullptr || p->last_heard == FileTime()) {
        heard[i] = false;
        missing[i] += own.Count();
      } else {
        missing[i] += Minus(own, p->seen).Count();
        only_here.Subtract(p->seen);
      }
    }
    out.only_here += only_here.Count();
  }
  for (size_t i = 0; i < peers.size(); ++i) {
    if (missing[i] > 0 || !heard[i]) {
      out.waiting.push_back({peers[i]->name, missing[i], !heard[i]});
    }
  }
  out.ready = !out.unsent && out.waiting.empty() && out.only_here == 0;
  return out;
}

absl::StatusOr<GroupStatus> GroupMemberImpl::Status() {
  if (absl::Status s = EnsureLoaded(); !s.ok()) return s;
  GroupStatus out;
  out.group = config_.name;
  out.self = config_.self;
  out.identity = identity_;
  for (const FolderSlot& f : folders_) {
    GroupFolderStatus fs;
    fs.path = f.path;
    fs.seen = f.state.seen.Count();
    fs.cnset = f.state.seen;
    for (const GroupMemberConfig* m : Peers()) {
      GroupPeerStatus ps;
      ps.name = m->name;
      ps.id = m->id;
      if (const PeerState* p = f.state.FindPeer(m->id)) {
        ps.replica = p->replica;
        ps.epoch = p->epoch;
        ps.last_heard = p->last_heard;
        ps.seen = p->seen.Count();
        ps.missing_here = Minus(p->seen, f.state.seen).Count();
      }
      fs.peers.push_back(std::move(ps));
    }
    for (const BackfillEntry& b : f.state.backfill) {
      fs.backfill.push_back(GroupBackfillStatus{
          b.origin, b.ranges.Count(), b.first_seen, b.next_try, b.tries,
          b.tries > 0 ? MemberName(b.source) : std::string(), b.alarmed});
      if (b.alarmed) ++out.alarms;
    }
    fs.parked = f.state.parked.size();
    for (const ParkedEntry& p : f.state.parked) {
      GroupParkedStatus ps{p.source_key, p.change_key, SourceKey(), p.parked_at};
      if (absl::StatusOr<exchange_internal::ExchangeRecord> rec =
              DecodeEntryObject(p.entry);
          rec.ok()) {
        if (const Folder* pf = std::get_if<Folder>(&rec->change.object)) {
          ps.parent = pf->parent.value_or(SourceKey());
        } else if (const Item* pi = std::get_if<Item>(&rec->change.object)) {
          ps.parent = pi->folder;
        } else {
          ps.parent = std::get<Tombstone>(rec->change.object).parent;
        }
      }
      fs.parked_versions.push_back(ps);
    }
    fs.refused = f.state.refused.size();
    out.folders.push_back(std::move(fs));
  }
  return out;
}

}  // namespace repl_internal

// ---- Public surface ----

absl::Status ValidateGroupConfig(const ReplicaGroupConfig& config) {
  auto bad = [](std::string_view what) {
    return absl::InvalidArgumentError(
        absl::StrCat("replica group: ", core_internal::Sv(what)));
  };
  if (config.name.empty()) return bad("no name");
  if (config.folders.empty()) return bad("no folders");
  absl::flat_hash_set<std::string> paths;
  for (const std::string& p : config.folders) {
    absl::StatusOr<std::vector<std::string>> parts = SplitFolderPath(p);
    if (!parts.ok()) {
      return bad(absl::StrCat("folder \"", p, "\": ", parts.status().message()));
    }
    if (!paths.insert(p).second) return bad(absl::StrCat("folder \"", p, "\" named twice"));
  }
  if (config.members.size() < 2) return bad("fewer than two members");
  absl::flat_hash_set<std::string> names, addresses;
  absl::flat_hash_set<Guid> ids;
  bool self = false;
  for (const GroupMemberConfig& m : config.members) {
    if (m.name.empty()) return bad("a member without a name");
    if (!names.insert(m.name).second) return bad(absl::StrCat("member \"", m.name, "\" named twice"));
    if (m.id.IsNil()) return bad(absl::StrCat("member \"", m.name, "\" has a null id"));
    if (!ids.insert(m.id).second) return bad(absl::StrCat("member \"", m.name, "\" repeats an id"));
    if (m.address.empty()) return bad(absl::StrCat("member \"", m.name, "\" has no address"));
    if (!addresses.insert(m.address).second) {
      return bad(absl::StrCat("member \"", m.name, "\" repeats an address"));
    }
    if (m.key.empty() == m.public_key.empty()) {
      return bad(absl::StrCat("member \"", m.name,
                              "\" needs exactly one of a shared key and a "
                              "public key"));
    }
    if (m.public_key.empty() && m.key.size() < 16) {
      return bad(absl::StrCat("member \"", m.name,
                              "\": the key must be at least 16 bytes"));
    }
    if (!m.public_key.empty()) {
      if (absl::StatusOr<repl_internal::FrameAuth> a =
              repl_internal::FrameAuth::Ed25519Verifier(m.public_key);
          !a.ok()) {
        return bad(absl::StrCat("member \"", m.name, "\": ", a.status().message()));
      }
    }
    if (m.name == config.self) {
      self = true;
      if (m.public_key.empty() && !config.signing_key.empty()) {
        return bad(absl::StrCat("a signing key for self \"", m.name,
                                "\", whose messages use a shared key"));
      }
      if (!m.public_key.empty()) {
        if (config.signing_key.empty()) {
          return bad(absl::StrCat("self \"", m.name,
                                  "\" has a public key but no signing key"));
        }
        absl::StatusOr<std::string> pub = GroupPublicKeyOf(config.signing_key);
        if (!pub.ok()) return bad(absl::StrCat("signing key: ", pub.status().message()));
        if (*pub != m.public_key) {
          return bad(absl::StrCat("the signing key is not the private half of "
                                  "self \"", m.name, "\"'s public key"));
        }
      }
    }
  }
  if (!self) return bad(absl::StrCat("self \"", config.self, "\" is not a member"));
  if (config.max_message_bytes < 4096) return bad("max_message_bytes below 4096");
  if (config.max_receive == 0) return bad("max_receive is 0");
  if (config.status_interval <= absl::ZeroDuration() ||
      config.backfill_delay <= absl::ZeroDuration() ||
      config.backfill_retry_max <= absl::ZeroDuration() ||
      config.backfill_give_up <= absl::ZeroDuration()) {
    return bad("an interval that is not positive");
  }
  if (config.policy == ConflictPolicy::kPublisherWins ||
      config.policy == ConflictPolicy::kCallback) {
    return bad(absl::StrCat("conflict policy ", core_internal::Sv(ConflictPolicyName(config.policy)),
                            " cannot be used: a group has no publisher, and "
                            "every member must resolve alike"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<GroupMember>> GroupMember::Open(
    Store* store, Transport* transport, ReplicaGroupConfig config,
    GroupMemberOptions options) {
  if (store == nullptr || transport == nullptr) {
    return absl::InvalidArgumentError("a group member needs a store and a transport");
  }
  if (absl::Status s = ValidateGroupConfig(config); !s.ok()) return s;
  auto impl = std::make_unique<repl_internal::GroupMemberImpl>(
      store, transport, std::move(config), std::move(options));
  if (absl::Status s = impl->MakeAuths(); !s.ok()) return s;
  return std::unique_ptr<GroupMember>(new GroupMember(std::move(impl)));
}

absl::StatusOr<GroupSigningKeys> NewGroupSigningKeys() {
  absl::StatusOr<repl_internal::Ed25519KeyPair> pair =
      repl_internal::NewEd25519KeyPair();
  if (!pair.ok()) return pair.status();
  return GroupSigningKeys{std::move(pair->private_key),
                          std::move(pair->public_key)};
}

absl::StatusOr<std::string> GroupPublicKeyOf(std::string_view private_key) {
  return repl_internal::Ed25519PublicKeyOf(private_key);
}

GroupMember::GroupMember(std::unique_ptr<repl_internal::GroupMemberImpl> impl)
    : impl_(std::move(impl)) {}
GroupMember::~GroupMember() = default;

absl::Status GroupMember::Tick() { return impl_->Tick(); }
void GroupMember::RequestStatus() { impl_->RequestStatus(); }
absl::Status GroupMember::Resend(absl::Duration window) {
  return impl_->Resend(window);
}
absl::StatusOr<GroupStatus> GroupMember::Status() { return impl_->Status(); }
absl::StatusOr<GroupLeaveReadiness> GroupMember::LeaveReadiness() {
  return impl_->LeaveReadiness();
}
const GroupTickStats& GroupMember::stats() const { return impl_->stats(); }

}  // namespace ioreplication
