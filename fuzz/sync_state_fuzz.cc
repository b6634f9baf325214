// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// The sync-state decoders (a damaged or hostile store file is outside
// input): no crash; a rejection is DataLoss; whatever decodes re-encodes to
// a blob that decodes to the same state.

#include "fuzz_util.h"
#include "sync/sync_state.h"

using namespace ioreplication;
using namespace ioreplication::sync_internal;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (absl::StatusOr<SyncState> s = DecodeSyncState(bytes); s.ok()) {
    FUZZ_CHECK(DecodeSyncState(EncodeSyncState(*s)).value() == *s);
  } else {
    FUZZ_CHECK(s.status().code() == absl::StatusCode::kDataLoss);
  }
  if (absl::StatusOr<EchoState> e = DecodeEchoState(bytes); e.ok()) {
    FUZZ_CHECK(DecodeEchoState(EncodeEchoState(*e)).value() == *e);
  } else {
    FUZZ_CHECK(e.status().code() == absl::StatusCode::kDataLoss);
  }
  return 0;
}
