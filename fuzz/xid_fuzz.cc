// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// XID, SizedXid and the typed 22-byte and 8-byte IDs: whatever decodes
// re-encodes to the same bytes (these forms have one encoding each).

#include "fuzz_util.h"
#include "ioreplication/ids.h"
#include "ioreplication/xid.h"

using namespace ioreplication;
using ioreplication::fuzz::Bytes;
using ioreplication::fuzz::CheckRejection;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> in(data, size);
  const std::string original(reinterpret_cast<const char*>(data), size);

  if (absl::StatusOr<Xid> xid = Xid::Decode(in); xid.ok()) {
    FUZZ_CHECK(xid->Encode() == original);
    FUZZ_CHECK(Xid::Decode(Bytes(xid->Encode())).value() == *xid);
  } else {
    CheckRejection(xid.status());
  }

  if (absl::StatusOr<Xid> sized = Xid::DecodeSized(in); sized.ok()) {
    std::string again;
    sized->AppendSizedTo(&again);
    FUZZ_CHECK(again == original);
  } else {
    CheckRejection(sized.status());
  }

  if (absl::StatusOr<ChangeNumber> cn = ChangeNumber::Decode(in); cn.ok()) {
    FUZZ_CHECK(cn->Encode() == original);
    FUZZ_CHECK(ChangeNumber::FromXid(cn->ToXid()).value() == *cn);
  } else {
    CheckRejection(cn.status());
  }

  if (absl::StatusOr<ShortId> id = ShortId::Decode(in); id.ok()) {
    FUZZ_CHECK(id->Encode() == original);
    FUZZ_CHECK(ShortId::FromUint64(id->ToUint64()) == *id);
  } else {
    CheckRejection(id.status());
  }
  return 0;
}
