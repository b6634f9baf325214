// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// REPLGUID-based IDSET decoding (CNSET seen, IDSET given): no crash; whatever
// decodes re-encodes canonically and decodes to the same set.

#include "fuzz_util.h"
#include "ioreplication/idset.h"

using namespace ioreplication;
using ioreplication::fuzz::Bytes;
using ioreplication::fuzz::CheckRejection;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::StatusOr<IdSet> set = IdSet::Decode({data, size});
  if (!set.ok()) {
    CheckRejection(set.status());
    return 0;
  }
  const std::string wire = set->Encode();
  absl::StatusOr<IdSet> again = IdSet::Decode(Bytes(wire));
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(*again == *set);
  FUZZ_CHECK(again->Encode() == wire);
  FUZZ_CHECK(IdSet::Parse(set->ToString()).value() == *set);
  IdSet empty = *set;
  empty.Subtract(*again);
  FUZZ_CHECK(empty.empty());
  return 0;
}
