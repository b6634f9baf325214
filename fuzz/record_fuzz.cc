// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// The persisted-record decoders of the SQLite store (a damaged or hostile
// database file is outside input): no crash; a rejection is DataLoss or
// InvalidArgument; whatever decodes re-encodes to a record that decodes to
// the same object.

#include "fuzz_util.h"
#include "stores/record_codec.h"

using namespace ioreplication;
using namespace ioreplication::stores_internal;

namespace {

void CheckRejected(const absl::Status& status) {
  FUZZ_CHECK(status.code() == absl::StatusCode::kDataLoss ||
             status.code() == absl::StatusCode::kInvalidArgument);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (absl::StatusOr<Folder> f = DecodeFolder(bytes); f.ok()) {
    FUZZ_CHECK(DecodeFolder(EncodeFolder(*f)).value() == *f);
  } else {
    CheckRejected(f.status());
  }
  if (absl::StatusOr<Item> i = DecodeItem(bytes); i.ok()) {
    FUZZ_CHECK(DecodeItem(EncodeItem(*i)).value() == *i);
  } else {
    CheckRejected(i.status());
  }
  if (absl::StatusOr<Tombstone> t = DecodeTombstone(bytes); t.ok()) {
    FUZZ_CHECK(DecodeTombstone(EncodeTombstone(*t)).value() == *t);
  } else {
    CheckRejected(t.status());
  }
  return 0;
}
