// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "stores/sqlite_digest.h"

#include <optional>
#include <span>

#include "stores/folder_digest.h"
#include "stores/sqlite_db.h"

namespace ioreplication::stores_internal {
namespace {

std::span<const uint8_t> BlobArg(sqlite3_value* v) {
  const void* data = sqlite3_value_blob(v);
  const int size = sqlite3_value_bytes(v);
  if (data == nullptr || size <= 0) return {};
  return {static_cast<const uint8_t*>(data), static_cast<size_t>(size)};
}

// The term of the item row (source_key, cn_replica, cn_counter), or nullopt
// when a column does not decode.
std::optional<DigestTerm> TermOf(sqlite3_value** args) {
  absl::StatusOr<SourceKey> key = SourceKey::Decode(BlobArg(args[0]));
  absl::StatusOr<Guid> replica = Guid::Decode(BlobArg(args[1]));
  const sqlite3_int64 counter = sqlite3_value_int64(args[2]);
  if (!key.ok() || !replica.ok() || counter < 0) return std::nullopt;
  absl::StatusOr<GlobCnt> cn = GlobCnt::FromValue(static_cast<uint64_t>(counter));
  if (!cn.ok()) return std::nullopt;
  return ItemTerm(*key, ChangeNumber(*replica, *cn));
}

void ResultTerm(sqlite3_context* ctx, const DigestTerm& term) {
  sqlite3_result_blob(ctx, term.data(), static_cast<int>(term.size()),
                      SQLITE_TRANSIENT);
}

struct Total {
  DigestTerm sum;
  bool failed;
};

void TotalStep(sqlite3_context* ctx, int, sqlite3_value** args) {
  auto* total = static_cast<Total*>(
      sqlite3_aggregate_context(ctx, static_cast<int>(sizeof(Total))));
  if (total == nullptr) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  const std::optional<DigestTerm> term = TermOf(args);
  if (!term) {
    total->failed = true;
    return;
  }
  AddTerm(total->sum, *term);
}

void TotalFinal(sqlite3_context* ctx) {
  // Zeroed memory on first use: an empty group sums to zero.
  auto* total = static_cast<Total*>(
      sqlite3_aggregate_context(ctx, static_cast<int>(sizeof(Total))));
  if (total == nullptr) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  if (total->failed) {
    sqlite3_result_error(ctx, "corrupt item row: its keys do not decode", -1);
    return;
  }
  ResultTerm(ctx, total->sum);
}

}  // namespace

absl::Status RegisterDigestFunctions(sqlite3* db) {
  constexpr int kFlags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
  const int rc = sqlite3_create_function_v2(db, "iorepl_digest_total", 3,
                                            kFlags, nullptr, nullptr,
                                            TotalStep, TotalFinal, nullptr);
  if (rc != SQLITE_OK) return SqliteError(db, rc, "iorepl_digest_total");
  return absl::OkStatus();
}

}  // namespace ioreplication::stores_internal
