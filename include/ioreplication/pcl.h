// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Pcl: a predecessor change list (MS-OXCFXICS sections 2.2.2.3 and 3.1.5.6).
//
// A PCL records which changes a version of an object includes: for each
// replica (namespace GUID) that ever changed the object, the highest LocalId
// from that replica folded into this version. Conflict detection is PCL
// inclusion (DESIGN.md invariant 2):
//
//   A includes B  <=>  for every entry of B, A has an entry with the same GUID,
//                      the same LocalId length, and a LocalId >= B's.
//
// Compare() turns the two inclusion tests into equal / newer / older /
// conflict, and Merge() gives the least upper bound a conflict resolution
// needs. Entries are kept sorted by the wire bytes of their GUID, one per
// GUID, which is also the order the binary encoding requires.
//
// Example:
//   Pcl local;
//   local.Raise(ChangeNumber(my_replica, cn));
//   switch (incoming.Compare(local)) {
//     case PclOrder::kNewer:    apply incoming; break;
//     case PclOrder::kConflict: hand both to the policy; break;
//     default:                  ignore incoming;  // equal or older
//   }
//
// Thread safety: const methods may be called concurrently; mutation needs
// exclusive access.

#ifndef IOREPLICATION_PCL_H_
#define IOREPLICATION_PCL_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "absl/container/inlined_vector.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "ioreplication/export.h"
#include "ioreplication/guid.h"
#include "ioreplication/ids.h"
#include "ioreplication/xid.h"

namespace ioreplication {

// How version A relates to version B of the same object.
enum class PclOrder {
  kEqual,     // each includes the other: the same version
  kNewer,     // A includes B, B does not include A
  kOlder,     // B includes A, A does not include B
  kConflict,  // neither includes the other
};

// "equal", "newer", "older" or "conflict".
IOREPL_EXPORT std::string_view PclOrderName(PclOrder order);

class IOREPL_EXPORT Pcl {
 public:
  // The empty PCL (included by every PCL).
  Pcl() = default;

  // Decodes the binary form: SizedXid records back to back, nothing else. An
  // empty buffer is the empty PCL. Records out of GUID order are accepted and
  // sorted; a GUID listed twice with LocalIds of one length is one entry
  // holding the larger (as SOGo writes and gromox reads). Returns
  // DataLossError naming the byte offset for a size byte outside 17..24, a
  // record that runs past the end, or a GUID listed with two LocalId lengths.
  [[nodiscard]] static absl::StatusOr<Pcl> Decode(
      std::span<const uint8_t> bytes);

  // The binary form: one SizedXid per entry, sorted by GUID wire bytes.
  std::string Encode() const;
  void AppendTo(std::string* out) const;

  // Records `xid`: adds it when its GUID is new, otherwise keeps the larger
  // LocalId. Returns InvalidArgumentError, and changes nothing, when the PCL
  // already holds that GUID with a LocalId of another length.
  [[nodiscard]] absl::Status Raise(const Xid& xid);
  [[nodiscard]] absl::Status Raise(const ChangeNumber& cn) {
    return Raise(cn.ToXid());
  }

  // True when this PCL includes `other` (see the file comment). Every PCL
  // includes the empty PCL. Entries with the same GUID but LocalIds of
  // different lengths never include each other. Does not allocate.
  bool Includes(const Pcl& other) const;

  // Relates this version (A) to `other` (B) in one pass. Does not allocate.
  PclOrder Compare(const Pcl& other) const;

  // Makes this PCL the least upper bound of itself and `other`: the union of
  // the GUIDs, each with the larger LocalId. The result includes both inputs,
  // and any PCL that includes both includes the result. Returns
  // InvalidArgumentError, and changes nothing, when a GUID appears in both
  // with LocalIds of different lengths (such PCLs have no upper bound).
  [[nodiscard]] absl::Status MergeFrom(const Pcl& other);

  // The entry for `guid`, or nullptr.
  const Xid* Find(const Guid& guid) const;

  // The entries, sorted by GUID wire bytes, one per GUID.
  std::span<const Xid> entries() const {
    return {entries_.data(), entries_.size()};
  }
  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }

  // One "{GUID}:<LocalId>" per entry, joined by ", ", inside brackets.
  std::string ToString() const;

  friend bool operator==(const Pcl& a, const Pcl& b) {
    return a.entries_ == b.entries_;
  }

 private:
  // Four entries cover a replica and a few partners without touching the heap.
  absl::InlinedVector<Xid, 4> entries_;
};

}  // namespace ioreplication

#endif  // IOREPLICATION_PCL_H_
