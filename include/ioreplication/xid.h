// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Xid: an identifier inside a namespace (MS-OXCFXICS section 2.2.2.2), and its
// SizedXid wire form (section 2.2.2.3.1).
//
// An XID is a NamespaceGuid followed by a LocalId of 1 to 8 bytes, so 17 to 24
// bytes in all. The LocalId is an unsigned big-endian integer; its length is
// part of the value (every XID of one namespace must use one length, and the
// GUID alone does not tell it), so two XIDs that differ only in LocalId length
// are different values. Change keys and source keys are XIDs with a 6-byte
// LocalId (a GLOBCNT); see ids.h for those typed forms.
//
// A SizedXid is one length byte (17..24) followed by the XID; PCLs are runs of
// them.
//
// Thread safety: an Xid is a value; const methods may be called concurrently.

#ifndef IOREPLICATION_XID_H_
#define IOREPLICATION_XID_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "ioreplication/export.h"
#include "ioreplication/globcnt.h"
#include "ioreplication/guid.h"

namespace ioreplication {

class IOREPL_EXPORT Xid {
 public:
  static constexpr size_t kMinLocalIdSize = 1;
  static constexpr size_t kMaxLocalIdSize = 8;
  static constexpr size_t kMinSize = Guid::kSize + kMinLocalIdSize;  // 17
  static constexpr size_t kMaxSize = Guid::kSize + kMaxLocalIdSize;  // 24

  // The nil GUID with a 6-byte LocalId of zero.
  Xid() = default;

  // An XID whose LocalId is `local_id` written in `local_id_size` bytes.
  // Returns InvalidArgumentError when the size is outside 1..8 or the value
  // does not fit in that many bytes.
  [[nodiscard]] static absl::StatusOr<Xid> Create(const Guid& namespace_guid,
                                                  uint64_t local_id,
                                                  size_t local_id_size);

  // The 22-byte XID of a GID: namespace GUID plus a 6-byte GLOBCNT LocalId.
  static Xid FromGlobCnt(const Guid& namespace_guid, GlobCnt counter);

  // Decodes an XID that fills `bytes` exactly (its length comes from the
  // enclosing property). Returns DataLossError naming the byte offset when
  // `bytes` is shorter than 17 or longer than 24 bytes.
  [[nodiscard]] static absl::StatusOr<Xid> Decode(
      std::span<const uint8_t> bytes);

  // Decodes a SizedXid that fills `bytes` exactly. Returns DataLossError
  // naming the byte offset for a size byte outside 17..24, a truncated XID or
  // bytes after it.
  [[nodiscard]] static absl::StatusOr<Xid> DecodeSized(
      std::span<const uint8_t> bytes);

  // The wire form: 16 GUID bytes, then the LocalId big-endian.
  std::string Encode() const;
  void AppendTo(std::string* out) const;

  // The SizedXid wire form: one size byte, then Encode().
  void AppendSizedTo(std::string* out) const;

  // "{GUID}:<LocalId in decimal>".
  std::string ToString() const;

  const Guid& namespace_guid() const { return namespace_guid_; }
  uint64_t local_id() const { return local_id_; }
  size_t local_id_size() const { return local_id_size_; }
  // Bytes of the wire form (without the SizedXid size byte).
  size_t encoded_size() const { return Guid::kSize + local_id_size_; }

  friend bool operator==(const Xid& a, const Xid& b) {
    return a.local_id_ == b.local_id_ && a.local_id_size_ == b.local_id_size_ &&
           a.namespace_guid_ == b.namespace_guid_;
  }

  template <typename H>
  friend H AbslHashValue(H h, const Xid& x) {
    return H::combine(std::move(h), x.namespace_guid_, x.local_id_,
                      x.local_id_size_);
  }

 private:
  Xid(const Guid& namespace_guid, uint64_t local_id, uint8_t local_id_size)
      : namespace_guid_(namespace_guid),
        local_id_(local_id),
        local_id_size_(local_id_size) {}

  Guid namespace_guid_;
  uint64_t local_id_ = 0;
  uint8_t local_id_size_ = GlobCnt::kSize;
};

}  // namespace ioreplication

#endif  // IOREPLICATION_XID_H_
