// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// The configuration parser (an administrator's file, possibly damaged): no
// crash; a rejection is InvalidArgument with a message; whatever parses
// passes validation.

#include "fuzz_util.h"
#include "ioreplication/session.h"

using namespace ioreplication;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<std::vector<SessionConfig>> all = ParseConfig(text);
  if (all.ok()) {
    for (const SessionConfig& c : *all) {
      FUZZ_CHECK(ValidateSessionConfig(c).ok());
    }
  } else {
    FUZZ_CHECK(all.status().code() == absl::StatusCode::kInvalidArgument);
    FUZZ_CHECK(!all.status().message().empty());
  }
  absl::StatusOr<SessionConfig> one = ParseSessionConfig(text);
  if (!one.ok()) {
    FUZZ_CHECK(one.status().code() == absl::StatusCode::kInvalidArgument);
  }
  return 0;
}
