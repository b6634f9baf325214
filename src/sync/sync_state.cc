// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "sync/sync_state.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "core/byte_reader.h"
#include "ioreplication/v1/sync_state.pb.h"
#include "stores/record_codec.h"

namespace ioreplication::sync_internal {
namespace {

absl::Status Damaged(const char* what, const absl::Status& cause) {
  return absl::DataLossError(
      absl::StrCat("sync state: ", what, ": ", cause.message()));
}

absl::StatusOr<std::optional<SourceKey>> OptionalKey(const std::string& bytes,
                                                     const char* what) {
  if (bytes.empty()) return std::nullopt;
  absl::StatusOr<SourceKey> key =
      SourceKey::Decode(core_internal::AsBytes(bytes));
  if (!key.ok()) return Damaged(what, key.status());
  return *key;
}

}  // namespace

std::string EncodeSyncState(const SyncState& state) {
  v1::SyncStateRecord r;
  if (state.source) {
    r.set_source_replica(
        core_internal::AsString(state.source->replica.bytes()));
    r.set_source_epoch(state.source->epoch);
  }
  r.set_source_high(state.source_high.value());
  r.set_seen(state.seen.Encode());
  r.set_given(state.given.Encode());
  if (state.source_root) r.set_source_root(state.source_root->Encode());
  if (state.dest_root) r.set_dest_root(state.dest_root->Encode());
  r.set_last_pass(state.last_pass.ticks());
  for (const Refusal& refusal : state.refused) {
    v1::RefusalRecord* out = r.add_refused();
    out->set_source_key(refusal.source_key.Encode());
    out->set_is_folder(refusal.folder);
    out->set_reason(static_cast<uint32_t>(refusal.reason));
    out->set_why(refusal.why);
    out->set_change_key(refusal.change_key.Encode());
  }
  for (const auto& [key, change_key] : state.skipped) {
    v1::SkippedRecord* out = r.add_skipped();
    out->set_source_key(key.Encode());
    out->set_change_key(change_key.Encode());
  }
  for (const SourceKey& key : state.resend) r.add_resend(key.Encode());
  r.set_last_verify(state.last_verify.ticks());
  r.set_generation(state.generation);
  return r.SerializeAsString();
}

absl::StatusOr<SyncState> DecodeSyncState(std::string_view blob) {
  v1::SyncStateRecord r;
  if (!r.ParseFromArray(blob.data(), static_cast<int>(blob.size()))) {
    return absl::DataLossError("sync state: not a SyncStateRecord");
  }
  SyncState state;
  if (!r.source_replica().empty()) {
    absl::StatusOr<Guid> guid =
        Guid::Decode(core_internal::AsBytes(r.source_replica()));
    if (!guid.ok()) return Damaged("source replica", guid.status());
    state.source = StoreIdentity{*guid, r.source_epoch()};
  }
  absl::StatusOr<GlobCnt> high = GlobCnt::FromValue(r.source_high());
  if (!high.ok()) return Damaged("source high-water mark", high.status());
  state.source_high = *high;
  absl::StatusOr<GlobSet> seen =
      GlobSet::Decode(core_internal::AsBytes(r.seen()));
  if (!seen.ok()) return Damaged("seen", seen.status());
  state.seen = *std::move(seen);
  absl::StatusOr<IdSet> given =
      IdSet::Decode(core_internal::AsBytes(r.given()));
  if (!given.ok()) return Damaged("given", given.status());
  state.given = *std::move(given);
  absl::StatusOr<std::optional<SourceKey>> source_root =
      OptionalKey(r.source_root(), "source root");
  if (!source_root.ok()) return source_root.status();
  state.source_root = *source_root;
  absl::StatusOr<std::optional<SourceKey>> dest_root =
      OptionalKey(r.dest_root(), "destination root");
  if (!dest_root.ok()) return dest_root.status();
  state.dest_root = *dest_root;
  state.last_pass = FileTime::FromTicks(r.last_pass());
  for (const v1::RefusalRecord& in : r.refused()) {
    Refusal refusal;
    absl::StatusOr<SourceKey> key =
        SourceKey::Decode(core_internal::AsBytes(in.source_key()));
    if (!key.ok()) return Damaged("refused source key", key.status());
    absl::StatusOr<ChangeNumber> change_key =
        ChangeNumber::Decode(core_internal::AsBytes(in.change_key()));
    if (!change_key.ok()) {
      return Damaged("refused change key", change_key.status());
    }
    if (in.reason() >= kReasonCount) {
      return absl::DataLossError(absl::StrCat(
          "sync state: refused reason ", in.reason(), " is unknown"));
    }
    refusal.source_key = *key;
    refusal.folder = in.is_folder();
    refusal.reason = static_cast<Reason>(in.reason());
    refusal.why = in.why();
    refusal.change_key = *change_key;
    state.refused.push_back(std::move(refusal));
  }
  for (const v1::SkippedRecord& in : r.skipped()) {
    absl::StatusOr<SourceKey> key =
        SourceKey::Decode(core_internal::AsBytes(in.source_key()));
    if (!key.ok()) return Damaged("skipped source key", key.status());
    absl::StatusOr<ChangeNumber> change_key =
        ChangeNumber::Decode(core_internal::AsBytes(in.change_key()));
    if (!change_key.ok()) {
      return Damaged("skipped change key", change_key.status());
    }
    state.skipped.emplace_back(*key, *change_key);
  }
  for (const std::string& bytes : r.resend()) {
    absl::StatusOr<SourceKey> key =
        SourceKey::Decode(core_internal::AsBytes(bytes));
    if (!key.ok()) return Damaged("resend source key", key.status());
    state.resend.push_back(*key);
  }
  state.last_verify = FileTime::FromTicks(r.last_verify());
  state.generation = r.generation();
  return state;
}

void EchoState::AddAnswer(const Tombstone& answer) {
  for (Tombstone& t : answers) {
    if (t.source_key == answer.source_key) {
      t = answer;
      return;
    }
  }
  answers.push_back(answer);
}

void EchoState::RemoveAnswers(const std::vector<Tombstone>& sent) {
  std::erase_if(answers, [&](const Tombstone& t) {
    return std::find(sent.begin(), sent.end(), t) != sent.end();
  });
}

void EchoState::AddResend(const SourceKey& key) {
  if (std::find(resend.begin(), resend.end(), key) == resend.end()) {
    resend.push_back(key);
  }
}

std::string EncodeEchoState(const EchoState& state) {
  v1::EchoRecord r;
  r.set_seen(state.seen.Encode());
  r.set_given(state.given.Encode());
  for (const Tombstone& t : state.answers) {
    r.add_answers(stores_internal::EncodeTombstone(t));
  }
  for (const SourceKey& key : state.resend) r.add_resend(key.Encode());
  return r.SerializeAsString();
}

absl::StatusOr<EchoState> DecodeEchoState(std::string_view blob) {
  v1::EchoRecord r;
  if (!r.ParseFromArray(blob.data(), static_cast<int>(blob.size()))) {
    return absl::DataLossError("echo state: not an EchoRecord");
  }
  EchoState state;
  absl::StatusOr<GlobSet> seen =
      GlobSet::Decode(core_internal::AsBytes(r.seen()));
  if (!seen.ok()) return Damaged("echo seen", seen.status());
  state.seen = *std::move(seen);
  absl::StatusOr<IdSet> given =
      IdSet::Decode(core_internal::AsBytes(r.given()));
  if (!given.ok()) return Damaged("echo given", given.status());
  state.given = *std::move(given);
  for (const std::string& bytes : r.answers()) {
    absl::StatusOr<Tombstone> answer = stores_internal::DecodeTombstone(bytes);
    if (!answer.ok()) return Damaged("echo answers", answer.status());
    state.answers.push_back(*std::move(answer));
  }
  for (const std::string& bytes : r.resend()) {
    absl::StatusOr<SourceKey> key =
        SourceKey::Decode(core_internal::AsBytes(bytes));
    if (!key.ok()) return Damaged("echo resend source key", key.status());
    state.resend.push_back(*key);
  }
  return state;
}

absl::StatusOr<SyncState> LoadSyncState(Store& store, std::string_view name) {
  absl::StatusOr<std::optional<std::string>> blob = store.GetSyncState(name);
  if (!blob.ok()) return blob.status();
  if (!blob->has_value()) return SyncState();
  return DecodeSyncState(**blob);
}

absl::StatusOr<SyncState> LoadSyncStateForPass(Store& store,
                                               std::string_view name,
                                               uint64_t generation) {
  absl::StatusOr<SyncState> stored = LoadSyncState(store, name);
  if (!stored.ok()) return stored.status();
  if (stored->generation != generation) {
    return absl::AbortedError(absl::StrCat(
        "another pass wrote sync state \"", std::string(name),
        "\" while this one ran (two processes running one session?); this "
        "pass stopped without writing over it, and the next pass continues "
        "from it"));
  }
  return stored;
}

absl::StatusOr<EchoState> LoadEchoState(Store& store, std::string_view name) {
  absl::StatusOr<std::optional<std::string>> blob = store.GetSyncState(name);
  if (!blob.ok()) return blob.status();
  if (!blob->has_value()) return EchoState();
  return DecodeEchoState(**blob);
}

}  // namespace ioreplication::sync_internal
