// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// The exchange file reader (files come from another organization). The
// input's last 32 bytes are replaced by the right SHA-256 of the rest, so
// that mutations reach the framing and the records behind the digest; the
// input as it is is read too (then almost always refused by the digest).
// No crash; a refusal is DataLoss or PermissionDenied; an accepted file
// holds as many records as its trailer says, each of a mapping it names.

#include <google/protobuf/stubs/logging.h>

#include "exchange/exchange_file.h"
#include "fuzz_util.h"

using namespace ioreplication;
using namespace ioreplication::exchange_internal;

namespace {

void Check(std::string_view bytes, std::string_view key) {
  absl::StatusOr<ExchangeContent> content = ReadExchangeFile(bytes, key);
  if (!content.ok()) {
    FUZZ_CHECK(content.status().code() == absl::StatusCode::kDataLoss ||
               content.status().code() == absl::StatusCode::kPermissionDenied);
    return;
  }
  FUZZ_CHECK(content->trailer.entry_count() == content->records.size());
  for (const ExchangeRecord& r : content->records) {
    FUZZ_CHECK(r.mapping <
               static_cast<uint32_t>(content->header.mapping_size()));
  }
}

}  // namespace

// Protobuf logs each invalid UTF-8 string it parses; the reader reports
// those itself.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  Check(raw, "");
  if (size < kTagSize) return 0;
  std::string fixed(raw.substr(0, size - kTagSize));
  // The keyed variant: the auth byte says which tag to compute.
  const bool keyed = fixed.size() > kMagic.size() &&
                     static_cast<uint8_t>(fixed[kMagic.size()]) == 1;
  const std::string_view key = keyed ? "fuzz key" : "";
  Tagger tagger(key);
  tagger.Update(fixed);
  fixed += tagger.Final();
  Check(fixed, key);
  return 0;
}
