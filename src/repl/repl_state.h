// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// What a replica group member keeps in its own store: per folder, its CNSET,
// the cursor over its own change stream, what each peer reported, the
// backfill list, parked versions and refusals; per group, its message
// counter and timers. Plain values with their encodings
// (ReplFolderStateRecord, ReplGroupStateRecord in repl.proto); decoding
// checks every field, since a damaged blob must not crash a member.

#ifndef IOREPLICATION_SRC_REPL_REPL_STATE_H_
#define IOREPLICATION_SRC_REPL_REPL_STATE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "ioreplication/clock.h"
#include "ioreplication/globset.h"
#include "ioreplication/guid.h"
#include "ioreplication/ids.h"
#include "ioreplication/idset.h"
#include "ioreplication/statistics.h"
#include "ioreplication/store.h"
#include "ioreplication/v1/repl.pb.h"

namespace ioreplication::repl_internal {

struct PeerState {
  Guid member;
  Guid replica;
  uint32_t epoch = 0;
  IdSet seen;
  FileTime last_heard;
  uint64_t answer_latency = 0;  // FILETIME ticks; 0: never answered
};

struct BackfillEntry {
  Guid origin;
  GlobSet ranges;
  FileTime first_seen;
  FileTime next_try;  // zero: not asked yet
  uint32_t tries = 0;
  Guid source;
  FileTime asked;
  bool alarmed = false;
  std::vector<Guid> tried;
};

struct ParkedEntry {
  SourceKey sender_root;
  v1::ExchangeEntry entry;
  ChangeNumber change_key;
  SourceKey source_key;
  FileTime parked_at;
};

struct RefusedEntry {
  SourceKey source_key;
  ChangeNumber change_key;
  Reason reason = Reason::kInvalidObject;
  std::string why;
  FileTime at;
};

struct FolderState {
  std::optional<StoreIdentity> identity;
  std::optional<SourceKey> root;
  GlobSet cursor;
  IdSet seen;
  IdSet given;
  std::vector<PeerState> peers;
  std::vector<BackfillEntry> backfill;
  std::vector<ParkedEntry> parked;
  std::vector<RefusedEntry> refused;
  // Source keys to send again with the next changes (Resend, and versions
  // the group lacks that applying a message found).
  std::vector<SourceKey> resend;

  // The peer record of `member`, added when missing.
  PeerState& Peer(const Guid& member);
  const PeerState* FindPeer(const Guid& member) const;
};

struct GroupState {
  uint64_t sequence = 0;
  FileTime last_status;
  FileTime started;
  std::vector<Guid> status_wanted;
  // The store's replica GUIDs while in the group, oldest first.
  std::vector<Guid> own_replicas;
};

// The state without peers and backfill list, and those alone (two blobs:
// the first commits with every applied message, the second once a tick).
std::string EncodeFolderState(const FolderState& state);
std::string EncodeFolderPeers(const FolderState& state);
// DataLossError naming the field for a damaged blob.
absl::StatusOr<FolderState> DecodeFolderState(std::string_view blob);
// Sets state's peers and backfill list from EncodeFolderPeers' blob.
absl::Status DecodeFolderPeers(std::string_view blob, FolderState& state);

std::string EncodeGroupState(const GroupState& state);
absl::StatusOr<GroupState> DecodeGroupState(std::string_view blob);

// The change key a version carries (a tombstone's: its deletion change
// number), as an IdSet member.
void InsertKey(IdSet& set, const ChangeNumber& key);
bool ContainsKey(const IdSet& set, const ChangeNumber& key);

}  // namespace ioreplication::repl_internal

#endif  // IOREPLICATION_SRC_REPL_REPL_STATE_H_
