// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// The IDSET fuzz check, for both key kinds: no crash; a rejection is a
// DataLoss error naming a byte; whatever decodes re-encodes canonically,
// decodes to the same set, and round-trips through the text form.

#ifndef IOREPLICATION_FUZZ_IDSET_FUZZ_BODY_H_
#define IOREPLICATION_FUZZ_IDSET_FUZZ_BODY_H_

#include "fuzz_util.h"
#include "ioreplication/idset.h"

namespace ioreplication::fuzz {

template <typename Set>
void FuzzIdSet(const uint8_t* data, size_t size) {
  absl::StatusOr<Set> set = Set::Decode({data, size});
  if (!set.ok()) {
    CheckRejection(set.status());
    return;
  }
  const std::string wire = set->Encode();
  absl::StatusOr<Set> again = Set::Decode(Bytes(wire));
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(*again == *set);
  FUZZ_CHECK(again->Encode() == wire);
  FUZZ_CHECK(Set::Parse(set->ToString()).value() == *set);
  Set empty = *set;
  empty.Subtract(*again);
  FUZZ_CHECK(empty.empty());
}

}  // namespace ioreplication::fuzz

#endif  // IOREPLICATION_FUZZ_IDSET_FUZZ_BODY_H_
