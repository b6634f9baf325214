// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// The configuration parser (an administrator's file, possibly damaged): no
// crash; a rejection is InvalidArgument with a message; whatever parses
// passes validation (sessions and replica groups).

#include "fuzz_util.h"
#include "ioreplication/group_config.h"
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
  // Replica group blocks: whatever parses names a store, a transport and,
  // for each member, exactly one way to authenticate it.
  absl::StatusOr<std::vector<GroupFileConfig>> groups = ParseGroupConfigs(text);
  if (groups.ok()) {
    for (const GroupFileConfig& g : *groups) {
      FUZZ_CHECK(!g.store.empty());
      FUZZ_CHECK(g.member_keys.size() == g.group.members.size());
      for (size_t i = 0; i < g.group.members.size(); ++i) {
        FUZZ_CHECK(g.group.members[i].public_key.empty() !=
                   g.member_keys[i].empty());
      }
    }
  } else {
    FUZZ_CHECK(groups.status().code() == absl::StatusCode::kInvalidArgument);
    FUZZ_CHECK(!groups.status().message().empty());
  }
  absl::StatusOr<SessionConfig> one = ParseSessionConfig(text);
  if (!one.ok()) {
    FUZZ_CHECK(one.status().code() == absl::StatusCode::kInvalidArgument);
  }
  return 0;
}
