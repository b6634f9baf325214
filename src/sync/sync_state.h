// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// SyncState and EchoState: what one direction of a mapping knows, as kept in
// stores (proto/ioreplication/v1/sync_state.proto).

#ifndef IOREPLICATION_SRC_SYNC_SYNC_STATE_H_
#define IOREPLICATION_SRC_SYNC_SYNC_STATE_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "ioreplication/clock.h"
#include "ioreplication/globset.h"
#include "ioreplication/idset.h"
#include "ioreplication/statistics.h"
#include "ioreplication/store.h"
#include "ioreplication/tombstone.h"

namespace ioreplication::sync_internal {

// An object the destination refused (an error, or an item too large). It is
// sent again every pass until it is taken, changed at the source, or skipped.
struct Refusal {
  SourceKey source_key;
  bool folder = false;
  Reason reason = Reason::kInvalidObject;
  std::string why;
  ChangeNumber change_key;  // the version refused

  friend bool operator==(const Refusal& a, const Refusal& b) = default;
};

// What a destination has of one source for one mapping direction.
struct SyncState {
  // The source's identity when the state was last advanced; nullopt for a
  // state never used.
  std::optional<StoreIdentity> source;
  // Every source local change number up to this was seen.
  GlobCnt source_high;
  // CNSET seen (source local change numbers) and IDSET given (source keys
  // the destination holds).
  GlobSet seen;
  IdSet given;
  std::optional<SourceKey> source_root;
  std::optional<SourceKey> dest_root;
  FileTime last_pass;
  // What the last complete pass refused, one entry per source key.
  std::vector<Refusal> refused;
  // Refused versions the operator skipped (source key, change key): the
  // next pass takes them as seen.
  std::vector<std::pair<SourceKey, ChangeNumber>> skipped;
  // Source keys a verify repair asked to send again (Session::Verify): the
  // next complete pass sends the source's current version of each.
  std::vector<SourceKey> resend;
  // When the last periodic verify of this mapping and subscriber ran (kept
  // in the publisher -> subscriber direction's state; 0: never).
  FileTime last_verify;
  // How many times a pass wrote the state (LoadSyncStateForPass).
  uint64_t generation = 0;

  friend bool operator==(const SyncState& a, const SyncState& b) = default;
};

// What a store received from its peer, kept for the direction back.
struct EchoState {
  GlobSet seen;  // this store's local change numbers
  IdSet given;   // source keys the peer holds
  // Answers for the peer, tombstones that supersede versions it sent: scope
  // exits of objects this store holds outside the mapped tree, and this
  // store's tombstones of what the peer sent older versions of.
  std::vector<Tombstone> answers;
  // Source keys to send the peer again: it sent a version with this
  // store's PCL but a lower change key (Importer::VersionOrder), so it does
  // not hold the version every replica keeps.
  std::vector<SourceKey> resend;

  bool empty() const {
    return seen.empty() && given.empty() && answers.empty() && resend.empty();
  }
  // Adds `key` unless it is there.
  void AddResend(const SourceKey& key);
  // Adds `answer`, replacing an earlier one for the same source key.
  void AddAnswer(const Tombstone& answer);
  // Removes the answers equal to one in `sent`.
  void RemoveAnswers(const std::vector<Tombstone>& sent);
  friend bool operator==(const EchoState& a, const EchoState& b) = default;
};

std::string EncodeSyncState(const SyncState& state);
// DataLossError naming the field for a damaged blob.
absl::StatusOr<SyncState> DecodeSyncState(std::string_view blob);

std::string EncodeEchoState(const EchoState& state);
absl::StatusOr<EchoState> DecodeEchoState(std::string_view blob);

// The state stored under `name` in `store`, or an empty one.
absl::StatusOr<SyncState> LoadSyncState(Store& store, std::string_view name);

// Compare-and-set for a pass's writes of its state. Inside the open
// transaction of a write, returns the stored state when it still has
// `generation`, the one the pass read or last wrote, so that the pass may
// write over it (with generation + 1). AbortedError naming the state, and
// the caller writes nothing, when another pass wrote it meanwhile (two
// processes running one session): the other's newer state stays, and the
// next pass continues from it.
absl::StatusOr<SyncState> LoadSyncStateForPass(Store& store,
                                               std::string_view name,
                                               uint64_t generation);
absl::StatusOr<EchoState> LoadEchoState(Store& store, std::string_view name);

}  // namespace ioreplication::sync_internal

#endif  // IOREPLICATION_SRC_SYNC_SYNC_STATE_H_
