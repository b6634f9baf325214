// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// The VFREEBUSY parser (iorepl freebusy import). No crash; whatever parses
// is a message the free/busy properties accept, and rendered again it
// parses to the same message.

#include "fuzz_util.h"
#include "ioreplication/freebusy_ical.h"

using namespace ioreplication;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<FreeBusyMessage> m = ParseVFreeBusy(text);
  if (!m.ok()) {
    FUZZ_CHECK(m.status().code() == absl::StatusCode::kInvalidArgument);
    return 0;
  }
  PropertyBag bag;
  FUZZ_CHECK(WriteFreeBusyProperties(*m, &bag).ok());
  FUZZ_CHECK(ParseVFreeBusy(RenderVFreeBusy(*m)).value() == *m);
  return 0;
}
