// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// The text forms iorepl accepts on its command line: hex, GUIDs, source
// keys, GLOBSET and IDSET text; folder paths; SMTP addresses; and UTF-8
// validation of names and strings. No crash; whatever parses prints back to text that parses to
// the same value.

#include "core/text.h"
#include "core/utf8.h"
#include "fuzz_util.h"
#include "ioreplication/folder_path.h"
#include "ioreplication/guid.h"
#include "ioreplication/ids.h"
#include "ioreplication/idset.h"
#include "ioreplication/recipient.h"

using namespace ioreplication;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);

  if (absl::StatusOr<std::string> bytes = core_internal::ParseHex(text);
      bytes.ok()) {
    FUZZ_CHECK(core_internal::ParseHex(core_internal::ToHex(*bytes)).value() ==
               *bytes);
  }
  if (core_internal::ValidateUtf8(text, "text").ok()) {
    FUZZ_CHECK(core_internal::CodePointCount(text) <= text.size());
  }
  if (absl::StatusOr<Guid> guid = Guid::Parse(text); guid.ok()) {
    FUZZ_CHECK(Guid::Parse(guid->ToString()).value() == *guid);
  }
  if (absl::StatusOr<SourceKey> key = SourceKey::Parse(text); key.ok()) {
    FUZZ_CHECK(SourceKey::Parse(key->ToString()).value() == *key);
  }
  if (absl::StatusOr<GlobSet> set = GlobSet::Parse(text); set.ok()) {
    FUZZ_CHECK(GlobSet::Parse(set->ToString()).value() == *set);
  }
  if (absl::StatusOr<IdSet> set = IdSet::Parse(text); set.ok()) {
    FUZZ_CHECK(IdSet::Parse(set->ToString()).value() == *set);
  }
  if (absl::StatusOr<ReplIdSet> set = ReplIdSet::Parse(text); set.ok()) {
    FUZZ_CHECK(ReplIdSet::Parse(set->ToString()).value() == *set);
  }
  if (absl::StatusOr<std::vector<std::string>> names = SplitFolderPath(text);
      names.ok()) {
    FUZZ_CHECK(SplitFolderPath(JoinFolderPath(*names)).value() == *names);
  }
  if (ValidateSmtpAddress(text).ok()) {
    FUZZ_CHECK(ValidateSmtpAddress(SmtpAddressKey(text)).ok());
  }
  return 0;
}
