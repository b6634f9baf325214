// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Typed identifiers built from a replica GUID and a GLOBCNT.
//
// Between organizations every object and every change is named by a GID
// (MS-OXCDATA section 2.2.1.3): the GUID of the replica that issued it and
// that replica's 48-bit counter. As bytes a GID is a 22-byte XID. Two roles
// share that shape and must never be mixed up, so each gets its own type:
//
//   ChangeNumber  one change made at one replica (PidTagChangeKey, PCL entries)
//   SourceKey     one folder or item, for its whole life (PidTagSourceKey)
//
// Inside one store, MS-OXCDATA also uses an 8-byte form: a 2-byte REPLID (the
// store's short alias for a replica GUID, never 0) and the GLOBCNT. ShortId is
// that form; it never travels between organizations.
//
// Thread safety: all types here are values.

#ifndef IOREPLICATION_IDS_H_
#define IOREPLICATION_IDS_H_

#include <compare>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "ioreplication/export.h"
#include "ioreplication/globcnt.h"
#include "ioreplication/guid.h"
#include "ioreplication/xid.h"

namespace ioreplication {

// A store-local alias of a replica GUID (MS-OXCSTOR). Valid REPLIDs are
// 1..65535; 0 is reserved.
using ReplId = uint16_t;

// Helpers shared by the typed GIDs below; not part of the API.
namespace ids_internal {
IOREPL_EXPORT absl::StatusOr<std::pair<Guid, GlobCnt>> DecodeGid(
    std::span<const uint8_t> bytes, const char* what);
IOREPL_EXPORT absl::StatusOr<std::pair<Guid, GlobCnt>> GidFromXid(
    const Xid& xid, const char* what);
IOREPL_EXPORT std::string GidToString(const Guid& guid, GlobCnt counter);
IOREPL_EXPORT absl::StatusOr<std::pair<Guid, GlobCnt>> ParseGid(
    std::string_view text, const char* what);
}  // namespace ids_internal

// A GID with a role. `Tag` only distinguishes the types.
template <typename Tag>
class GlobalId {
 public:
  static constexpr size_t kSize = Guid::kSize + GlobCnt::kSize;  // 22

  GlobalId() = default;
  GlobalId(const Guid& replica, GlobCnt counter)
      : replica_(replica), counter_(counter) {}

  // Decodes the 22-byte XID form. Returns DataLossError naming the byte
  // offset when `bytes` is not exactly 22 bytes long.
  [[nodiscard]] static absl::StatusOr<GlobalId> Decode(
      std::span<const uint8_t> bytes) {
    auto gid = ids_internal::DecodeGid(bytes, Tag::kName);
    if (!gid.ok()) return gid.status();
    return GlobalId(gid->first, gid->second);
  }

  // Converts an XID. Returns InvalidArgumentError unless its LocalId is
  // exactly 6 bytes (a GLOBCNT).
  [[nodiscard]] static absl::StatusOr<GlobalId> FromXid(const Xid& xid) {
    auto gid = ids_internal::GidFromXid(xid, Tag::kName);
    if (!gid.ok()) return gid.status();
    return GlobalId(gid->first, gid->second);
  }

  Xid ToXid() const { return Xid::FromGlobCnt(replica_, counter_); }

  // The 22-byte XID wire form.
  std::string Encode() const { return ToXid().Encode(); }
  void AppendTo(std::string* out) const {
    replica_.AppendTo(out);
    counter_.AppendTo(out);
  }

  // "{GUID}:<counter in decimal>".
  std::string ToString() const {
    return ids_internal::GidToString(replica_, counter_);
  }

  // Parses ToString()'s form (what logs and `iorepl status` print).
  // Returns InvalidArgumentError saying what is wrong otherwise.
  [[nodiscard]] static absl::StatusOr<GlobalId> Parse(std::string_view text) {
    auto gid = ids_internal::ParseGid(text, Tag::kName);
    if (!gid.ok()) return gid.status();
    return GlobalId(gid->first, gid->second);
  }

  const Guid& replica() const { return replica_; }
  GlobCnt counter() const { return counter_; }

  friend bool operator==(const GlobalId& a, const GlobalId& b) = default;
  // Orders by replica GUID (wire byte order), then counter.
  friend std::strong_ordering operator<=>(const GlobalId& a,
                                          const GlobalId& b) = default;

  template <typename H>
  friend H AbslHashValue(H h, const GlobalId& id) {
    return H::combine(std::move(h), id.replica_, id.counter_);
  }

 private:
  Guid replica_;
  GlobCnt counter_;
};

struct ChangeNumberTag {
  static constexpr const char* kName = "change number";
};
struct SourceKeyTag {
  static constexpr const char* kName = "source key";
};

// One change issued by one replica: that replica's GUID and counter value.
using ChangeNumber = GlobalId<ChangeNumberTag>;
// One folder or item: the GUID and counter of the replica that created it.
using SourceKey = GlobalId<SourceKeyTag>;

// The 8-byte store-local ID form of MS-OXCDATA section 2.2.1.1 (FID, MID, CN):
// a little-endian REPLID, then the big-endian GLOBCNT.
class IOREPL_EXPORT ShortId {
 public:
  static constexpr size_t kSize = 8;

  ShortId() = default;
  ShortId(ReplId replid, GlobCnt counter)
      : replid_(replid), counter_(counter) {}

  // Decodes exactly 8 bytes. Returns DataLossError naming the byte offset for
  // another length or a REPLID of 0.
  [[nodiscard]] static absl::StatusOr<ShortId> Decode(
      std::span<const uint8_t> bytes);

  // The ID as MAPI hosts hold it: the 8 wire bytes loaded as a little-endian
  // uint64, so REPLID 1 and GLOBCNT 5 give 0x0500000000000001.
  static ShortId FromUint64(uint64_t id);
  uint64_t ToUint64() const;

  std::string Encode() const;
  void AppendTo(std::string* out) const;

  ReplId replid() const { return replid_; }
  GlobCnt counter() const { return counter_; }

  friend bool operator==(const ShortId& a, const ShortId& b) = default;

 private:
  ReplId replid_ = 0;
  GlobCnt counter_;
};

}  // namespace ioreplication

#endif  // IOREPLICATION_IDS_H_
