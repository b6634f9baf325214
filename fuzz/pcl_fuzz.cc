// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// PCL decoding: no crash; whatever decodes (a GUID listed twice included)
// re-encodes canonically and decodes to the same value; a decoded PCL is
// equal to itself and merges idempotently.

#include "fuzz_util.h"
#include "ioreplication/pcl.h"

using namespace ioreplication;
using ioreplication::fuzz::Bytes;
using ioreplication::fuzz::CheckRejection;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::StatusOr<Pcl> pcl = Pcl::Decode({data, size});
  if (!pcl.ok()) {
    CheckRejection(pcl.status());
    return 0;
  }
  const std::string wire = pcl->Encode();
  // Records are reordered, and a GUID listed more than once (as SOGo
  // writes it) is one record: never longer than the input.
  FUZZ_CHECK(wire.size() <= size);
  absl::StatusOr<Pcl> again = Pcl::Decode(Bytes(wire));
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(*again == *pcl);
  FUZZ_CHECK(again->Encode() == wire);
  FUZZ_CHECK(pcl->Compare(*again) == PclOrder::kEqual);
  Pcl merged = *pcl;
  FUZZ_CHECK(merged.MergeFrom(*again).ok());
  FUZZ_CHECK(merged == *pcl);
  // Split in two halves: the merge of the halves is the whole.
  Pcl left, right;
  for (size_t i = 0; i < pcl->size(); ++i) {
    FUZZ_CHECK((i % 2 ? left : right).Raise(pcl->entries()[i]).ok());
  }
  FUZZ_CHECK(left.MergeFrom(right).ok());
  FUZZ_CHECK(left == *pcl);
  return 0;
}
