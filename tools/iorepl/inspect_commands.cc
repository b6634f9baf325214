// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "inspect_commands.h"

#include <span>

#include "absl/status/statusor.h"
#include "core/byte_reader.h"
#include "core/text.h"
#include "ioreplication/idset.h"
#include "ioreplication/pcl.h"
#include "ioreplication/xid.h"

namespace ioreplication::iorepl {
namespace {

using core_internal::AsBytes;

// Prints an IDSET of either kind, one replica a line.
template <typename Set>
absl::Status PrintIdSet(const std::string& bytes, std::ostream& out) {
  absl::StatusOr<Set> set = Set::Decode(AsBytes(bytes));
  if (!set.ok()) return set.status();
  const std::string text = set->ToString();
  if (!text.empty()) out << text << "\n";
  return absl::OkStatus();
}

template <typename Set>
absl::Status PrintEncoded(const std::string& text, std::ostream& out) {
  absl::StatusOr<Set> set = Set::Parse(text);
  if (!set.ok()) return set.status();
  out << core_internal::ToHex(set->Encode()) << "\n";
  return absl::OkStatus();
}

}  // namespace

absl::Status InspectXid(const std::string& hex, std::ostream& out) {
  absl::StatusOr<std::string> bytes = core_internal::ParseHex(hex);
  if (!bytes.ok()) return bytes.status();
  absl::StatusOr<Xid> xid = Xid::Decode(AsBytes(*bytes));
  if (!xid.ok()) return xid.status();
  out << xid->ToString() << "\n";
  return absl::OkStatus();
}

absl::Status InspectPcl(const std::string& hex, std::ostream& out) {
  absl::StatusOr<std::string> bytes = core_internal::ParseHex(hex);
  if (!bytes.ok()) return bytes.status();
  // Validate the whole PCL first, so that bad input prints nothing.
  absl::StatusOr<Pcl> pcl = Pcl::Decode(AsBytes(*bytes));
  if (!pcl.ok()) return pcl.status();
  // Decode sorts by GUID; the listing keeps the stored order.
  const std::span<const uint8_t> all = AsBytes(*bytes);
  for (size_t at = 0; at < all.size(); at += 1 + all[at]) {
    absl::StatusOr<Xid> xid = Xid::DecodeSized(all.subspan(at, 1 + all[at]));
    if (!xid.ok()) return xid.status();
    out << xid->ToString() << "\n";
  }
  return absl::OkStatus();
}

absl::Status InspectIdSet(const std::string& hex, bool replid,
                          std::ostream& out) {
  absl::StatusOr<std::string> bytes = core_internal::ParseHex(hex);
  if (!bytes.ok()) return bytes.status();
  return replid ? PrintIdSet<ReplIdSet>(*bytes, out)
                : PrintIdSet<IdSet>(*bytes, out);
}

absl::Status ComparePcls(const std::string& hex_a, const std::string& hex_b,
                         std::ostream& out) {
  absl::StatusOr<std::string> bytes_a = core_internal::ParseHex(hex_a);
  if (!bytes_a.ok()) return bytes_a.status();
  absl::StatusOr<std::string> bytes_b = core_internal::ParseHex(hex_b);
  if (!bytes_b.ok()) return bytes_b.status();
  absl::StatusOr<Pcl> a = Pcl::Decode(AsBytes(*bytes_a));
  if (!a.ok()) return a.status();
  absl::StatusOr<Pcl> b = Pcl::Decode(AsBytes(*bytes_b));
  if (!b.ok()) return b.status();
  out << PclOrderName(a->Compare(*b)) << "\n";
  return absl::OkStatus();
}

absl::Status EncodeIdSet(const std::string& text, bool replid,
                         std::ostream& out) {
  return replid ? PrintEncoded<ReplIdSet>(text, out)
                : PrintEncoded<IdSet>(text, out);
}

}  // namespace ioreplication::iorepl
