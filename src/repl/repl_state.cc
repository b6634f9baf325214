// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "repl/repl_state.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "core/byte_reader.h"
#include "core/text.h"
#include "exchange/exchange_file.h"

namespace ioreplication::repl_internal {
namespace {

using core_internal::AsBytes;
using core_internal::AsString;

std::string GuidBytes(const Guid& g) { return AsString(g.bytes()); }

absl::StatusOr<Guid> DecodeGuid(const std::string& bytes,
                                absl::string_view field) {
  absl::StatusOr<Guid> g = Guid::Decode(AsBytes(bytes));
  if (!g.ok()) {
    return absl::DataLossError(absl::StrCat(field, ": ", g.status().message()));
  }
  return g;
}

absl::StatusOr<IdSet> DecodeIds(const std::string& bytes,
                                absl::string_view field) {
  if (bytes.empty()) return IdSet();
  absl::StatusOr<IdSet> s = IdSet::Decode(AsBytes(bytes));
  if (!s.ok()) {
    return absl::DataLossError(absl::StrCat(field, ": ", s.status().message()));
  }
  return s;
}

absl::StatusOr<GlobSet> DecodeGlobs(const std::string& bytes,
                                    absl::string_view field) {
  if (bytes.empty()) return GlobSet();
  absl::StatusOr<GlobSet> s = GlobSet::Decode(AsBytes(bytes));
  if (!s.ok()) {
    return absl::DataLossError(absl::StrCat(field, ": ", s.status().message()));
  }
  return s;
}

template <typename Id>
absl::StatusOr<Id> DecodeId(const std::string& bytes, absl::string_view field) {
  absl::StatusOr<Id> id = Id::Decode(AsBytes(bytes));
  if (!id.ok()) {
    return absl::DataLossError(
        absl::StrCat(field, ": ", id.status().message()));
  }
  return id;
}

absl::Status DecodePeersInto(const v1::ReplFolderStateRecord& r,
                             FolderState& state) {
  state.peers.clear();
  state.backfill.clear();
  for (const v1::ReplPeerRecord& pr : r.peer()) {
    PeerState p;
    absl::StatusOr<Guid> member = DecodeGuid(pr.member(), "peer member");
    if (!member.ok()) return member.status();
    p.member = *member;
    absl::StatusOr<Guid> replica = DecodeGuid(pr.replica(), "peer replica");
    if (!replica.ok()) return replica.status();
    p.replica = *replica;
    p.epoch = pr.epoch();
    absl::StatusOr<IdSet> ps = DecodeIds(pr.seen(), "peer seen");
    if (!ps.ok()) return ps.status();
    p.seen = *std::move(ps);
    p.last_heard = FileTime::FromTicks(pr.last_heard());
    p.answer_latency = pr.answer_latency();
    state.peers.push_back(std::move(p));
  }
  for (const v1::ReplBackfillRecord& br : r.backfill()) {
    BackfillEntry b;
    absl::StatusOr<Guid> origin = DecodeGuid(br.origin(), "backfill origin");
    if (!origin.ok()) return origin.status();
    b.origin = *origin;
    absl::StatusOr<GlobSet> ranges = DecodeGlobs(br.ranges(), "backfill ranges");
    if (!ranges.ok()) return ranges.status();
    b.ranges = *std::move(ranges);
    b.first_seen = FileTime::FromTicks(br.first_seen());
    b.next_try = FileTime::FromTicks(br.next_try());
    b.tries = br.tries();
    absl::StatusOr<Guid> source = DecodeGuid(br.source(), "backfill source");
    if (!source.ok()) return source.status();
    b.source = *source;
    b.asked = FileTime::FromTicks(br.asked());
    b.alarmed = br.alarmed();
    for (const std::string& t : br.tried()) {
      absl::StatusOr<Guid> g = DecodeGuid(t, "backfill tried");
      if (!g.ok()) return g.status();
      b.tried.push_back(*g);
    }
    state.backfill.push_back(std::move(b));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status DecodeFolderPeers(std::string_view blob, FolderState& state) {
  v1::ReplFolderStateRecord r;
  if (!r.ParseFromArray(blob.data(), static_cast<int>(blob.size()))) {
    return absl::DataLossError("replica group peer state: not a record");
  }
  return DecodePeersInto(r, state);
}

PeerState& FolderState::Peer(const Guid& member) {
  for (PeerState& p : peers) {
    if (p.member == member) return p;
  }
  PeerState fresh;
  fresh.member = member;
  peers.push_back(std::move(fresh));
  return peers.back();
}

const PeerState* FolderState::FindPeer(const Guid& member) const {
  for (const PeerState& p : peers) {
    if (p.member == member) return &p;
  }
  return nullptr;
}

void InsertKey(IdSet& set, const ChangeNumber& key) {
  set.Insert(key.replica(), key.counter());
}

bool ContainsKey(const IdSet& set, const ChangeNumber& key) {
  return set.Contains(key.replica(), key.counter());
}

std::string EncodeFolderState(const FolderState& state) {
  v1::ReplFolderStateRecord r;
  if (state.identity.has_value()) {
    r.set_replica(GuidBytes(state.identity->replica));
    r.set_epoch(state.identity->epoch);
  }
  if (state.root.has_value()) r.set_root(state.root->Encode());
  r.set_cursor(state.cursor.Encode());
  r.set_seen(state.seen.Encode());
  r.set_given(state.given.Encode());
  for (const ParkedEntry& p : state.parked) {
    v1::ReplParkedRecord* pr = r.add_parked();
    pr->set_sender_root(p.sender_root.Encode());
    *pr->mutable_entry() = p.entry;
    pr->set_parked_at(p.parked_at.ticks());
  }
  for (const RefusedEntry& f : state.refused) {
    v1::ReplRefusalRecord* fr = r.add_refused();
    fr->set_source_key(f.source_key.Encode());
    fr->set_change_key(f.change_key.Encode());
    fr->set_reason(static_cast<uint32_t>(f.reason));
    fr->set_why(f.why);
    fr->set_at(f.at.ticks());
  }
  for (const SourceKey& k : state.resend) r.add_resend(k.Encode());
  return r.SerializeAsString();
}

std::string EncodeFolderPeers(const FolderState& state) {
  v1::ReplFolderStateRecord r;
  for (const PeerState& p : state.peers) {
    v1::ReplPeerRecord* pr = r.add_peer();
    pr->set_member(GuidBytes(p.member));
    pr->set_replica(GuidBytes(p.replica));
    pr->set_epoch(p.epoch);
    pr->set_seen(p.seen.Encode());
    pr->set_last_heard(p.last_heard.ticks());
    pr->set_answer_latency(p.answer_latency);
  }
  for (const BackfillEntry& b : state.backfill) {
    v1::ReplBackfillRecord* br = r.add_backfill();
    br->set_origin(GuidBytes(b.origin));
    br->set_ranges(b.ranges.Encode());
    br->set_first_seen(b.first_seen.ticks());
    br->set_next_try(b.next_try.ticks());
    br->set_tries(b.tries);
    br->set_source(GuidBytes(b.source));
    br->set_asked(b.asked.ticks());
    br->set_alarmed(b.alarmed);
    for (const Guid& g : b.tried) br->add_tried(GuidBytes(g));
  }
  return r.SerializeAsString();
}

absl::StatusOr<FolderState> DecodeFolderState(std::string_view blob) {
  v1::ReplFolderStateRecord r;
  if (!r.ParseFromArray(blob.data(), static_cast<int>(blob.size()))) {
    return absl::DataLossError("replica group folder state: not a record");
  }
  FolderState state;
  if (!r.replica().empty()) {
    absl::StatusOr<Guid> g = DecodeGuid(r.replica(), "replica");
    if (!g.ok()) return g.status();
    state.identity = StoreIdentity{*g, r.epoch()};
  }
  if (!r.root().empty()) {
    absl::StatusOr<SourceKey> root = DecodeId<SourceKey>(r.root(), "root");
    if (!root.ok()) return root.status();
    state.root = *root;
  }
  absl::StatusOr<GlobSet> cursor = DecodeGlobs(r.cursor(), "cursor");
  if (!cursor.ok()) return cursor.status();
  state.cursor = *std::move(cursor);
  absl::StatusOr<IdSet> seen = DecodeIds(r.seen(), "seen");
  if (!seen.ok()) return seen.status();
  state.seen = *std::move(seen);
  absl::StatusOr<IdSet> given = DecodeIds(r.given(), "given");
  if (!given.ok()) return given.status();
  state.given = *std::move(given);
  if (absl::Status st = DecodePeersInto(r, state); !st.ok()) return st;
  for (const v1::ReplParkedRecord& pr : r.parked()) {
    ParkedEntry p;
    absl::StatusOr<SourceKey> root =
        DecodeId<SourceKey>(pr.sender_root(), "parked sender root");
    if (!root.ok()) return root.status();
    p.sender_root = *root;
    absl::StatusOr<exchange_internal::ExchangeRecord> rec =
        exchange_internal::DecodeEntryObject(pr.entry());
    if (!rec.ok()) {
      return absl::DataLossError(
          absl::StrCat("parked version: ", rec.status().message()));
    }
    p.entry = pr.entry();
    p.change_key = rec->change.change_key();
    p.source_key = rec->change.source_key();
    p.parked_at = FileTime::FromTicks(pr.parked_at());
    state.parked.push_back(std::move(p));
  }
  for (const v1::ReplRefusalRecord& fr : r.refused()) {
    RefusedEntry f;
    absl::StatusOr<SourceKey> key =
        DecodeId<SourceKey>(fr.source_key(), "refused source key");
    if (!key.ok()) return key.status();
    f.source_key = *key;
    absl::StatusOr<ChangeNumber> ck =
        DecodeId<ChangeNumber>(fr.change_key(), "refused change key");
    if (!ck.ok()) return ck.status();
    f.change_key = *ck;
    f.reason = static_cast<Reason>(fr.reason());
    f.why = fr.why();
    f.at = FileTime::FromTicks(fr.at());
    state.refused.push_back(std::move(f));
  }
  for (const std::string& k : r.resend()) {
    absl::StatusOr<SourceKey> key = DecodeId<SourceKey>(k, "resend source key");
    if (!key.ok()) return key.status();
    state.resend.push_back(*key);
  }
  return state;
}

std::string EncodeGroupState(const GroupState& state) {
  v1::ReplGroupStateRecord r;
  r.set_sequence(state.sequence);
  r.set_last_status(state.last_status.ticks());
  r.set_started(state.started.ticks());
  for (const Guid& g : state.status_wanted) r.add_status_wanted(GuidBytes(g));
  for (const Guid& g : state.own_replicas) r.add_own_replica(GuidBytes(g));
  return r.SerializeAsString();
}

absl::StatusOr<GroupState> DecodeGroupState(std::string_view blob) {
  v1::ReplGroupStateRecord r;
  if (!r.ParseFromArray(blob.data(), static_cast<int>(blob.size()))) {
    return absl::DataLossError("replica group state: not a record");
  }
  GroupState state;
  state.sequence = r.sequence();
  state.last_status = FileTime::FromTicks(r.last_status());
  state.started = FileTime::FromTicks(r.started());
  for (const std::string& b : r.status_wanted()) {
    absl::StatusOr<Guid> g = DecodeGuid(b, "status_wanted");
    if (!g.ok()) return g.status();
    state.status_wanted.push_back(*g);
  }
  for (const std::string& b : r.own_replica()) {
    absl::StatusOr<Guid> g = DecodeGuid(b, "own_replica");
    if (!g.ok()) return g.status();
    state.own_replicas.push_back(*g);
  }
  return state;
}

}  // namespace ioreplication::repl_internal
