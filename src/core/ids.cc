// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "ioreplication/ids.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/byte_reader.h"
#include "core/text.h"

namespace ioreplication {

using core_internal::ByteReader;

namespace ids_internal {

absl::StatusOr<std::pair<Guid, GlobCnt>> DecodeGid(
    std::span<const uint8_t> bytes, const char* what) {
  constexpr size_t kGidSize = Guid::kSize + GlobCnt::kSize;
  ByteReader in(bytes, what);
  if (bytes.size() < kGidSize) return in.TruncatedAt(0, what, kGidSize);
  if (bytes.size() > kGidSize) {
    return in.ErrorAt(kGidSize, bytes.size() - kGidSize,
                      " trailing bytes after a 22-byte ", what);
  }
  return std::make_pair(
      Guid::FromBytes(bytes.first<Guid::kSize>()),
      GlobCnt::FromBytes(bytes.subspan<Guid::kSize, GlobCnt::kSize>()));
}

absl::StatusOr<std::pair<Guid, GlobCnt>> GidFromXid(const Xid& xid,
                                                    const char* what) {
  if (xid.local_id_size() != GlobCnt::kSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("a ", what, " needs a 6-byte LocalId, XID ",
                     xid.ToString(), " has ", xid.local_id_size()));
  }
  // A 6-byte LocalId always fits a GLOBCNT.
  return std::make_pair(xid.namespace_guid(),
                        *GlobCnt::FromValue(xid.local_id()));
}

std::string GidToString(const Guid& guid, GlobCnt counter) {
  return absl::StrCat(guid.ToString(), ":", counter.value());
}

absl::StatusOr<std::pair<Guid, GlobCnt>> ParseGid(std::string_view text,
                                                  const char* what) {
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, " \"", core_internal::Sv(text),
        "\": expected {GUID}:<counter>"));
  }
  absl::StatusOr<Guid> guid = Guid::Parse(text.substr(0, colon));
  if (!guid.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": ", guid.status().message()));
  }
  absl::StatusOr<uint64_t> counter =
      core_internal::ParseGlobCntText(text.substr(colon + 1));
  if (!counter.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " counter: ", counter.status().message()));
  }
  return std::pair(*guid, *GlobCnt::FromValue(*counter));
}

}  // namespace ids_internal

absl::StatusOr<ShortId> ShortId::Decode(std::span<const uint8_t> bytes) {
  ByteReader in(bytes, "ID");
  if (bytes.size() < kSize) return in.TruncatedAt(0, "ID", kSize);
  if (bytes.size() > kSize) {
    return in.ErrorAt(kSize, bytes.size() - kSize,
                      " trailing bytes after an 8-byte ID");
  }
  const ReplId replid = static_cast<ReplId>(bytes[0] | bytes[1] << 8);
  if (replid == 0) return in.ErrorAt(0, "REPLID 0 is reserved");
  return ShortId(replid,
                 GlobCnt::FromBytes(bytes.subspan<2, GlobCnt::kSize>()));
}

ShortId ShortId::FromUint64(uint64_t id) {
  // The wire bytes are the uint64 stored little-endian: REPLID in bytes 0-1,
  // then the GLOBCNT most significant byte first.
  uint8_t wire[kSize];
  for (size_t i = 0; i < kSize; ++i) wire[i] = (id >> (8 * i)) & 0xFF;
  return ShortId(static_cast<ReplId>(wire[0] | wire[1] << 8),
                 GlobCnt::FromBytes(std::span<const uint8_t, 6>(wire + 2, 6)));
}

uint64_t ShortId::ToUint64() const {
  const std::string wire = Encode();
  uint64_t id = 0;
  for (size_t i = 0; i < kSize; ++i) {
    id |= uint64_t{static_cast<uint8_t>(wire[i])} << (8 * i);
  }
  return id;
}

std::string ShortId::Encode() const {
  std::string out;
  out.reserve(kSize);
  AppendTo(&out);
  return out;
}

void ShortId::AppendTo(std::string* out) const {
  out->push_back(static_cast<char>(replid_ & 0xFF));
  out->push_back(static_cast<char>(replid_ >> 8));
  counter_.AppendTo(out);
}

}  // namespace ioreplication
