// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// The recipient list's CSV parser (iorepl recipients import). No crash;
// whatever parses holds only valid, distinct addresses and names, and
// written back as CSV parses to the same list.

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "fuzz_util.h"
#include "ioreplication/recipient.h"

using namespace ioreplication;

namespace {

std::string Quoted(const std::string& field) {
  return absl::StrCat("\"", absl::StrReplaceAll(field, {{"\"", "\"\""}}), "\"");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<std::vector<Recipient>> list = ParseRecipientsCsv(text);
  if (!list.ok()) {
    FUZZ_CHECK(list.status().code() == absl::StatusCode::kInvalidArgument);
    return 0;
  }
  absl::flat_hash_set<std::string> keys;
  std::string csv = "display_name,smtp_address\r\n";
  for (const Recipient& r : *list) {
    FUZZ_CHECK(ValidateSmtpAddress(r.smtp_address).ok());
    FUZZ_CHECK(keys.insert(SmtpAddressKey(r.smtp_address)).second);
    absl::StrAppend(&csv, Quoted(r.display_name), ",", Quoted(r.smtp_address),
                    "\r\n");
  }
  FUZZ_CHECK(ParseRecipientsCsv(csv).value() == *list);
  return 0;
}
