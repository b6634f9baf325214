// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "ioreplication/xid.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/byte_reader.h"
#include "core/xid_codec.h"

namespace ioreplication {

using core_internal::ByteReader;

namespace core_internal {

Xid XidFromWire(const uint8_t* p, size_t size) {
  const size_t local_size = size - Guid::kSize;
  // Create() cannot fail here: the size is in range and the value was read
  // from local_size bytes.
  return *Xid::Create(
      Guid::FromBytes(std::span<const uint8_t, Guid::kSize>(p, Guid::kSize)),
      LoadBigEndian(p + Guid::kSize, local_size), local_size);
}

absl::StatusOr<Xid> ReadSizedXid(ByteReader& in) {
  const size_t at = in.offset();
  const uint8_t* size_byte = in.Take(1);
  if (size_byte == nullptr) return in.TruncatedAt(at, "SizedXid", 1);
  const size_t size = *size_byte;
  if (size < Xid::kMinSize || size > Xid::kMaxSize) {
    return in.ErrorAt(at, "XidSize ", size, " is outside 17..24");
  }
  const uint8_t* body = in.Take(size);
  if (body == nullptr) return in.TruncatedAt(at + 1, "XID", size);
  return XidFromWire(body, size);
}

}  // namespace core_internal

absl::StatusOr<Xid> Xid::Create(const Guid& namespace_guid, uint64_t local_id,
                                size_t local_id_size) {
  if (local_id_size < kMinLocalIdSize || local_id_size > kMaxLocalIdSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("XID LocalId size ", local_id_size, " is outside 1..8"));
  }
  if (local_id_size < 8 && (local_id >> (8 * local_id_size)) != 0) {
    return absl::InvalidArgumentError(absl::StrCat("XID LocalId ", local_id,
                                                   " does not fit in ",
                                                   local_id_size, " bytes"));
  }
  return Xid(namespace_guid, local_id, static_cast<uint8_t>(local_id_size));
}

Xid Xid::FromGlobCnt(const Guid& namespace_guid, GlobCnt counter) {
  return Xid(namespace_guid, counter.value(), GlobCnt::kSize);
}

absl::StatusOr<Xid> Xid::Decode(std::span<const uint8_t> bytes) {
  ByteReader in(bytes, "XID");
  if (bytes.size() < kMinSize) return in.TruncatedAt(0, "XID", kMinSize);
  if (bytes.size() > kMaxSize) {
    return in.ErrorAt(kMaxSize, bytes.size() - kMaxSize,
                      " trailing bytes: an XID is 17 to 24 bytes");
  }
  return core_internal::XidFromWire(bytes.data(), bytes.size());
}

absl::StatusOr<Xid> Xid::DecodeSized(std::span<const uint8_t> bytes) {
  ByteReader in(bytes, "SizedXid");
  absl::StatusOr<Xid> xid = core_internal::ReadSizedXid(in);
  if (!xid.ok()) return xid.status();
  if (!in.empty()) {
    return in.ErrorAt(in.offset(), in.remaining(),
                      " trailing bytes after the XID");
  }
  return xid;
}

std::string Xid::Encode() const {
  std::string out;
  out.reserve(encoded_size());
  AppendTo(&out);
  return out;
}

void Xid::AppendTo(std::string* out) const {
  namespace_guid_.AppendTo(out);
  core_internal::AppendBigEndian(local_id_, local_id_size_, out);
}

void Xid::AppendSizedTo(std::string* out) const {
  out->push_back(static_cast<char>(encoded_size()));
  AppendTo(out);
}

std::string Xid::ToString() const {
  return absl::StrCat(namespace_guid_.ToString(), ":", local_id_);
}

}  // namespace ioreplication
