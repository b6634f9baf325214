// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// PassState: one direction's sync state over one pass. It owns every change
// the pass makes to the state: each batch's advance (in the batch's
// transaction), the end of the pass, and the compare-and-set that keeps two
// passes from writing over each other. RunDirection (direction.cc) only says
// when.
//
// The stored SyncState (sync_state.h) stays a plain value; what a pass
// gathers on the way (what it retries, refuses and must send again, what
// the destination let go of, the resends and skips it started with) lives
// here and reaches the stored state when the pass finishes.

#ifndef IOREPLICATION_SRC_SYNC_PASS_STATE_H_
#define IOREPLICATION_SRC_SYNC_PASS_STATE_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/container/btree_set.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "ioreplication/clock.h"
#include "ioreplication/globset.h"
#include "ioreplication/idset.h"
#include "ioreplication/store.h"
#include "sync/importer.h"
#include "sync/sync_state.h"

namespace ioreplication::sync_internal {

class PassState {
 public:
  // `state` is what the pass starts from (as loaded, or emptied of what it
  // saw when it cannot be trusted), kept in `dest` under `state_name`.
  // `back_echo_name` names the echo state for the direction back (empty
  // for a one-way mapping), `back_echo` its value as loaded.
  PassState(Store* dest, std::string state_name, std::string back_echo_name,
            SyncState state, EchoState back_echo);

  const SyncState& state() const { return state_; }

  // First thing in every transaction that writes the state: OK when no
  // other pass wrote it since this one read or last wrote it
  // (LoadSyncStateForPass); resends and skips others added meanwhile
  // (Session::Verify, Session::SkipRefused) are taken in, to keep.
  absl::Status Claim();

  // A batch was applied: what it consumed is seen, except what it retries;
  // the source keys the destination now holds or let go of move; and its
  // retries, resends and refusals are gathered for the end of the pass.
  void Advance(const GlobSet& consumed, const BatchOutcome& outcome);

  // The pass is complete: every source local change number up to
  // `start_high_water` is seen except `deferred` ones and retries; the
  // echo's IDSET (`own_echo_given`, covered by this state from now on) is
  // folded in, without what the destination let go of; the refusals of
  // the pass are the list; the resends and skips it started with are spent
  // and what it must send again is queued; `final_outcome` (the deletion
  // reconciliation's) moves the IDSET last; `now` stamps the pass.
  void FinishPass(GlobCnt start_high_water, const GlobSet& deferred,
                  const IdSet& own_echo_given,
                  const BatchOutcome& final_outcome, FileTime now);

  // Inside the open transaction: writes the state (one generation more)
  // and, for a bidirectional mapping, the echo back with what `outcome`
  // echoes.
  absl::Status Write(const BatchOutcome& outcome);

 private:
  void MoveGiven(const BatchOutcome& outcome);

  Store* const dest_;
  const std::string state_name_;
  const std::string back_echo_name_;
  SyncState state_;
  EchoState back_echo_;
  // What the pass started with, spent when it finishes.
  const std::vector<SourceKey> start_resend_;
  const std::vector<std::pair<SourceKey, ChangeNumber>> start_skipped_;
  // What the destination let go of this pass: the source's echo of keys
  // the destination holds must not bring them back.
  IdSet released_;
  GlobSet retry_;
  absl::btree_set<SourceKey> resend_next_;
  absl::flat_hash_map<SourceKey, Refusal> refused_;
};

}  // namespace ioreplication::sync_internal

#endif  // IOREPLICATION_SRC_SYNC_PASS_STATE_H_
