// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// REPLID-based IDSETs (MetaTagIdsetDeleted and friends): see
// idset_fuzz_body.h.

#include "idset_fuzz_body.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ioreplication::fuzz::FuzzIdSet<ioreplication::ReplIdSet>(data, size);
  return 0;
}
