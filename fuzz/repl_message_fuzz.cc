// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Replication messages from other organizations, and the member state that
// holds what they said: the frame checks (any bytes), the body parser and
// every entry's decoder (the body as it would be after a tag that checks),
// and the folder and group state decoders. No crash; a rejection is
// DataLoss (PermissionDenied for a bad tag or one of another kind than the
// sender's key, ResourceExhausted when too large).

#include "exchange/exchange_file.h"
#include "fuzz_util.h"
#include "repl/message_frame.h"
#include "repl/repl_state.h"

using namespace ioreplication;
using namespace ioreplication::repl_internal;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  // The frame checks, with a shared key and with an Ed25519 public key
  // (a fixed pair: the fuzzer's seeds are signed with its private half).
  static const FrameAuth hmac = FrameAuth::Hmac("fuzzing-key-0123456789");
  static const FrameAuth signer =
      FrameAuth::Ed25519Signer(std::string(32, '\x07')).value();
  static const FrameAuth verifier =
      FrameAuth::Ed25519Verifier(
          Ed25519PublicKeyOf(std::string(32, '\x07')).value())
          .value();
  if (absl::StatusOr<FrameHeader> h = ReadFrameHeader(bytes, 1 << 20); h.ok()) {
    for (const FrameAuth* auth : {&hmac, &verifier}) {
      absl::StatusOr<std::string_view> body = OpenMessage(bytes, *auth, 1 << 20);
      FUZZ_CHECK(body.ok() ||
                 body.status().code() == absl::StatusCode::kPermissionDenied);
      // The auth byte must match the key's kind, whatever the tag says.
      FUZZ_CHECK(!body.ok() || h->auth == auth->kind());
    }
  } else {
    FUZZ_CHECK(h.status().code() == absl::StatusCode::kDataLoss ||
               h.status().code() == absl::StatusCode::kResourceExhausted);
  }
  // The same bytes as a body whose tag checked.
  std::array<uint8_t, 16> id{};
  id[0] = 1;
  const Guid sender = Guid::FromBytes(id);
  if (absl::StatusOr<v1::ReplMessage> m = ParseMessage(bytes, sender); m.ok()) {
    for (const v1::ReplFolderPart& part : m->folder()) {
      for (const v1::ExchangeEntry& e : part.entry()) {
        absl::StatusOr<exchange_internal::ExchangeRecord> r =
            exchange_internal::DecodeEntryObject(e);
        FUZZ_CHECK(r.ok() || r.status().code() == absl::StatusCode::kDataLoss);
      }
    }
    // A sealed copy opens to the same body.
    const FrameAuth k = FrameAuth::Hmac("k");
    const std::string frame = SealMessage(sender, k, bytes).value();
    FUZZ_CHECK(OpenMessage(frame, k, frame.size()).value() == bytes);
    const std::string signed_frame = SealMessage(sender, signer, bytes).value();
    FUZZ_CHECK(OpenMessage(signed_frame, verifier, signed_frame.size()).value() ==
               bytes);
    FUZZ_CHECK(!OpenMessage(signed_frame, k, signed_frame.size()).ok());
  } else {
    FUZZ_CHECK(m.status().code() == absl::StatusCode::kDataLoss);
  }
  if (absl::StatusOr<FolderState> f = DecodeFolderState(bytes); f.ok()) {
    absl::StatusOr<FolderState> again = DecodeFolderState(EncodeFolderState(*f));
    FUZZ_CHECK(again.ok() && again->seen == f->seen && again->cursor == f->cursor);
    FolderState peers;
    FUZZ_CHECK(DecodeFolderPeers(EncodeFolderPeers(*f), peers).ok());
  } else {
    FUZZ_CHECK(f.status().code() == absl::StatusCode::kDataLoss);
  }
  FolderState into;
  if (absl::Status s = DecodeFolderPeers(bytes, into); !s.ok()) {
    FUZZ_CHECK(s.code() == absl::StatusCode::kDataLoss);
  }
  if (absl::StatusOr<GroupState> g = DecodeGroupState(bytes); !g.ok()) {
    FUZZ_CHECK(g.status().code() == absl::StatusCode::kDataLoss);
  }
  return 0;
}
