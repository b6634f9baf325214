// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "repl/message_frame.h"

#include <cstring>

#include "absl/strings/str_cat.h"
#include "core/byte_reader.h"
#include "core/text.h"
#include "exchange/exchange_file.h"
#include "ioreplication/globset.h"
#include "ioreplication/ids.h"
#include "ioreplication/idset.h"

namespace ioreplication::repl_internal {
namespace {

using core_internal::AsBytes;

uint32_t LoadLittle32(const char* p) {
  const auto* u = reinterpret_cast<const uint8_t*>(p);
  return static_cast<uint32_t>(u[0]) | (static_cast<uint32_t>(u[1]) << 8) |
         (static_cast<uint32_t>(u[2]) << 16) |
         (static_cast<uint32_t>(u[3]) << 24);
}

absl::Status CheckGuid(const std::string& bytes, absl::string_view field,
                       bool may_be_empty) {
  if (bytes.empty() && may_be_empty) return absl::OkStatus();
  if (bytes.size() != Guid::kSize) {
    return absl::DataLossError(absl::StrCat(field, " holds ", bytes.size(),
                                            " bytes, not a 16-byte GUID"));
  }
  return absl::OkStatus();
}

absl::Status CheckIdSet(const std::string& bytes, absl::string_view field) {
  if (bytes.empty()) return absl::OkStatus();
  absl::StatusOr<IdSet> set = IdSet::Decode(AsBytes(bytes));
  if (!set.ok()) {
    return absl::DataLossError(
        absl::StrCat(field, ": ", set.status().message()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> SealMessage(const Guid& sender,
                                        const FrameAuth& auth,
                                        std::string_view body) {
  std::string frame;
  frame.reserve(kFrameHeaderSize + body.size() + auth.tag_size());
  frame.append(kFrameMagic);
  frame.push_back(static_cast<char>(auth.kind()));
  sender.AppendTo(&frame);
  const uint32_t n = static_cast<uint32_t>(body.size());
  for (int i = 0; i < 4; ++i) frame.push_back(static_cast<char>(n >> (8 * i)));
  frame.append(body);
  absl::StatusOr<std::string> tag = auth.Tag(frame);
  if (!tag.ok()) return tag.status();
  frame.append(*tag);
  return frame;
}

absl::StatusOr<FrameHeader> ReadFrameHeader(std::string_view frame,
                                            size_t max_bytes) {
  if (frame.size() > max_bytes) {
    return absl::ResourceExhaustedError(
        absl::StrCat("message of ", frame.size(), " bytes, above the limit of ",
                     max_bytes));
  }
  if (frame.size() < kFrameHeaderSize) {
    return absl::DataLossError(
        absl::StrCat("message of ", frame.size(), " bytes, shorter than a frame"));
  }
  if (frame.substr(0, kFrameMagic.size()) != kFrameMagic) {
    return absl::DataLossError("not a replication message (magic)");
  }
  FrameHeader header;
  header.auth = static_cast<uint8_t>(frame[8]);
  const size_t tag_size = AuthTagSize(header.auth);
  if (tag_size == 0) {
    return absl::DataLossError(
        absl::StrCat("unknown authentication ", static_cast<int>(header.auth)));
  }
  if (frame.size() < kFrameHeaderSize + tag_size) {
    return absl::DataLossError(
        absl::StrCat("message of ", frame.size(), " bytes, shorter than a frame"));
  }
  const uint32_t length = LoadLittle32(frame.data() + 25);
  if (length != frame.size() - kFrameHeaderSize - tag_size) {
    return absl::DataLossError(absl::StrCat(
        "body length ", length, " does not match the frame's ",
        frame.size() - kFrameHeaderSize - tag_size));
  }
  absl::StatusOr<Guid> sender =
      Guid::Decode(AsBytes(frame.substr(9, Guid::kSize)));
  if (!sender.ok()) return sender.status();
  header.sender = *sender;
  return header;
}

absl::StatusOr<std::string_view> OpenMessage(std::string_view frame,
                                             const FrameAuth& auth,
                                             size_t max_bytes) {
  absl::StatusOr<FrameHeader> header = ReadFrameHeader(frame, max_bytes);
  if (!header.ok()) return header.status();
  if (header->auth != auth.kind()) {
    return absl::PermissionDeniedError(absl::StrCat(
        "authenticated by ", AuthName(header->auth), ", where the group has ",
        AuthName(auth.kind()), " for this sender"));
  }
  const size_t tagged = frame.size() - auth.tag_size();
  if (!auth.Check(frame.substr(0, tagged), frame.substr(tagged))) {
    return absl::PermissionDeniedError(
        absl::StrCat("the ", AuthName(auth.kind()),
                     " tag does not check with the sender's key"));
  }
  return frame.substr(kFrameHeaderSize, tagged - kFrameHeaderSize);
}

absl::StatusOr<v1::ReplMessage> ParseMessage(std::string_view body,
                                             const Guid& frame_sender) {
  v1::ReplMessage m;
  if (!m.ParseFromArray(body.data(), static_cast<int>(body.size()))) {
    return absl::DataLossError("the body is not a ReplMessage");
  }
  if (m.format_version() != 1) {
    return absl::DataLossError(
        absl::StrCat("format version ", m.format_version(), ", not 1"));
  }
  if (m.kind() < v1::REPL_CHANGES || m.kind() > v1::REPL_BACKFILL_ANSWER) {
    return absl::DataLossError(
        absl::StrCat("unknown message kind ", static_cast<int>(m.kind())));
  }
  if (absl::Status s = CheckGuid(m.sender(), "sender", false); !s.ok()) return s;
  if (m.sender() != core_internal::AsString(frame_sender.bytes())) {
    return absl::DataLossError("the body's sender is not the frame's");
  }
  if (absl::Status s = CheckGuid(m.sender_replica(), "sender_replica", false);
      !s.ok()) {
    return s;
  }
  for (const std::string& r : m.recipients()) {
    if (absl::Status s = CheckGuid(r, "a recipient", false); !s.ok()) return s;
  }
  if (m.recipients().empty()) return absl::DataLossError("no recipient");
  for (const v1::ReplFolderPart& part : m.folder()) {
    const std::string where = absl::StrCat("folder \"", part.path(), "\": ");
    if (part.path().empty()) return absl::DataLossError("a folder part without a path");
    if (!part.root().empty() || m.kind() == v1::REPL_CHANGES ||
        m.kind() == v1::REPL_BACKFILL_ANSWER) {
      absl::StatusOr<SourceKey> root = SourceKey::Decode(AsBytes(part.root()));
      if (!root.ok()) {
        return absl::DataLossError(
            absl::StrCat(where, "root: ", root.status().message()));
      }
    }
    if (absl::Status s = CheckIdSet(part.seen(), where + "seen"); !s.ok()) return s;
    if (absl::Status s = CheckIdSet(part.covers(), where + "covers"); !s.ok()) {
      return s;
    }
    if (absl::Status s = CheckIdSet(part.wanted(), where + "wanted"); !s.ok()) {
      return s;
    }
    const bool carries = m.kind() == v1::REPL_CHANGES ||
                         m.kind() == v1::REPL_BACKFILL_ANSWER;
    if (!carries && part.entry_size() > 0) {
      return absl::DataLossError(where + "versions in a message of a kind that carries none");
    }
  }
  return m;
}

}  // namespace ioreplication::repl_internal
