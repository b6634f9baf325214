// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Mail from anywhere, as the mail transport and `iorepl receive` read it:
// ExtractReplicationFrame on any bytes. No crash; a rejection is
// InvalidArgument; a frame it accepts is within the bound, and goes back
// into a mail and out again unchanged.

#include "fuzz_util.h"
#include "ioreplication/mail_transport.h"

using namespace ioreplication;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  constexpr size_t kMaxFrame = 64 * 1024;
  const std::string_view mail(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<std::string> frame = ExtractReplicationFrame(mail, kMaxFrame);
  if (!frame.ok()) {
    FUZZ_CHECK(frame.status().code() == absl::StatusCode::kInvalidArgument);
    return 0;
  }
  FUZZ_CHECK(frame->size() <= kMaxFrame);
  const std::vector<std::string> to = {"b@fabrikam.test"};
  absl::StatusOr<std::string> again =
      ComposeReplicationMail(*frame, "a@contoso.test", to);
  FUZZ_CHECK(again.ok());
  absl::StatusOr<std::string> back = ExtractReplicationFrame(*again, kMaxFrame);
  FUZZ_CHECK(back.ok() && *back == *frame);
  return 0;
}
