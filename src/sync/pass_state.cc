// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "sync/pass_state.h"

#include <algorithm>

#include "absl/algorithm/container.h"
#include "sync/direction.h"

namespace ioreplication::sync_internal {

PassState::PassState(Store* dest, std::string state_name,
                     std::string back_echo_name, SyncState state,
                     EchoState back_echo)
    : dest_(dest),
      state_name_(std::move(state_name)),
      back_echo_name_(std::move(back_echo_name)),
      state_(std::move(state)),
      back_echo_(std::move(back_echo)),
      start_resend_(state_.resend),
      start_skipped_(state_.skipped) {}

absl::Status PassState::Claim() {
  absl::StatusOr<SyncState> stored =
      LoadSyncStateForPass(*dest_, state_name_, state_.generation);
  if (!stored.ok()) return stored.status();
  for (const SourceKey& key : stored->resend) {
    if (!absl::c_linear_search(start_resend_, key) &&
        !absl::c_linear_search(state_.resend, key)) {
      state_.resend.push_back(key);
    }
  }
  for (const auto& skip : stored->skipped) {
    if (!absl::c_linear_search(start_skipped_, skip) &&
        !absl::c_linear_search(state_.skipped, skip)) {
      state_.skipped.push_back(skip);
    }
  }
  return absl::OkStatus();
}

void PassState::MoveGiven(const BatchOutcome& outcome) {
  state_.given.Subtract(outcome.given_removed);
  state_.given.UnionWith(outcome.given_added);
  released_.UnionWith(outcome.given_removed);
  released_.Subtract(outcome.given_added);
}

void PassState::Advance(const GlobSet& consumed, const BatchOutcome& outcome) {
  GlobSet seen = consumed;
  seen.Subtract(outcome.retry);
  state_.seen.UnionWith(seen);
  MoveGiven(outcome);
  retry_.UnionWith(outcome.retry);
  resend_next_.insert(outcome.retry_pulled.begin(), outcome.retry_pulled.end());
  resend_next_.insert(outcome.resend.begin(), outcome.resend.end());
  for (const Refusal& r : outcome.refusals) {
    refused_.insert_or_assign(r.source_key, r);
  }
}

void PassState::FinishPass(GlobCnt start_high_water, const GlobSet& deferred,
                           const IdSet& own_echo_given,
                           const BatchOutcome& final_outcome, FileTime now) {
  GlobSet fill = UpTo(start_high_water);
  fill.Subtract(deferred);
  fill.Subtract(retry_);
  state_.seen.UnionWith(fill);
  state_.source_high = start_high_water;
  state_.given.UnionWith(own_echo_given);
  state_.given.Subtract(released_);
  for (const Refusal& r : final_outcome.refusals) {
    refused_.insert_or_assign(r.source_key, r);
  }
  // The pass saw every refused version again (they are not consumed): the
  // list is what it refused.
  state_.refused.clear();
  for (auto& [key, r] : refused_) state_.refused.push_back(std::move(r));
  refused_.clear();
  std::sort(state_.refused.begin(), state_.refused.end(),
            [](const Refusal& a, const Refusal& b) {
              return a.source_key < b.source_key;
            });
  // The skips and resends this pass started with are spent.
  std::erase_if(state_.skipped, [&](const auto& skip) {
    return absl::c_linear_search(start_skipped_, skip);
  });
  std::erase_if(state_.resend, [&](const SourceKey& key) {
    return absl::c_linear_search(start_resend_, key);
  });
  for (const SourceKey& key : resend_next_) {
    if (!absl::c_linear_search(state_.resend, key)) {
      state_.resend.push_back(key);
    }
  }
  state_.last_pass = now;
  MoveGiven(final_outcome);
}

absl::Status PassState::Write(const BatchOutcome& outcome) {
  ++state_.generation;
  if (absl::Status s =
          dest_->PutSyncState(state_name_, EncodeSyncState(state_));
      !s.ok()) {
    return s;
  }
  if (back_echo_name_.empty() || outcome.echo.empty()) {
    return absl::OkStatus();
  }
  back_echo_.seen.UnionWith(outcome.echo.seen);
  back_echo_.given.UnionWith(outcome.echo.given);
  for (const Tombstone& t : outcome.echo.answers) back_echo_.AddAnswer(t);
  for (const SourceKey& key : outcome.echo.resend) back_echo_.AddResend(key);
  return dest_->PutSyncState(back_echo_name_, EncodeEchoState(back_echo_));
}

}  // namespace ioreplication::sync_internal
