// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "ioreplication/pcl.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/byte_reader.h"
#include "core/xid_codec.h"

namespace ioreplication {
namespace {

bool GuidLess(const Xid& entry, const Guid& guid) {
  return entry.namespace_guid() < guid;
}

absl::Status SizeMismatch(const Xid& have, const Xid& got) {
  return absl::InvalidArgumentError(absl::StrCat(
      "PCL entry for ", have.namespace_guid().ToString(), " has a ",
      have.local_id_size(), "-byte LocalId; cannot combine it with a ",
      got.local_id_size(), "-byte one"));
}

}  // namespace

std::string_view PclOrderName(PclOrder order) {
  switch (order) {
    case PclOrder::kEqual:
      return "equal";
    case PclOrder::kNewer:
      return "newer";
    case PclOrder::kOlder:
      return "older";
    case PclOrder::kConflict:
      return "conflict";
  }
  return "unknown";
}

absl::StatusOr<Pcl> Pcl::Decode(std::span<const uint8_t> bytes) {
  core_internal::ByteReader in(bytes, "PCL");
  Pcl pcl;
  while (!in.empty()) {
    const size_t at = in.offset();
    absl::StatusOr<Xid> xid = core_internal::ReadSizedXid(in);
    if (!xid.ok()) return xid.status();
    auto& entries = pcl.entries_;
    // Writers sort by GUID, so appending is the common case.
    if (entries.empty() ||
        entries.back().namespace_guid() < xid->namespace_guid()) {
      entries.push_back(*xid);
      continue;
    }
    auto pos = std::lower_bound(entries.begin(), entries.end(),
                                xid->namespace_guid(), GuidLess);
    if (pos->namespace_guid() != xid->namespace_guid()) {
      entries.insert(pos, *xid);
      continue;
    }
    // SOGo's update path appends a GUID it already lists instead of raising
    // it; gromox reads such a list as one entry holding the maximum, and so
    // do we. Two lengths for one GUID have no maximum: that stays malformed.
    if (pos->local_id_size() != xid->local_id_size()) {
      return in.ErrorAt(at, "namespace GUID ", xid->namespace_guid().ToString(),
                        " appears twice, with a ", pos->local_id_size(),
                        "-byte and a ", xid->local_id_size(), "-byte LocalId");
    }
    if (xid->local_id() > pos->local_id()) *pos = *xid;
  }
  return pcl;
}

std::string Pcl::Encode() const {
  std::string out;
  AppendTo(&out);
  return out;
}

void Pcl::AppendTo(std::string* out) const {
  size_t total = 0;
  for (const Xid& x : entries_) total += 1 + x.encoded_size();
  out->reserve(out->size() + total);
  for (const Xid& x : entries_) x.AppendSizedTo(out);
}

absl::Status Pcl::Raise(const Xid& xid) {
  auto pos = std::lower_bound(entries_.begin(), entries_.end(),
                              xid.namespace_guid(), GuidLess);
  if (pos == entries_.end() || pos->namespace_guid() != xid.namespace_guid()) {
    entries_.insert(pos, xid);
    return absl::OkStatus();
  }
  if (pos->local_id_size() != xid.local_id_size()) {
    return SizeMismatch(*pos, xid);
  }
  if (xid.local_id() > pos->local_id()) *pos = xid;
  return absl::OkStatus();
}

PclOrder Pcl::Compare(const Pcl& other) const {
  // One merge walk over both sorted lists computes both inclusion tests.
  bool a_includes_b = true;
  bool b_includes_a = true;
  const Xid* a = entries_.data();
  const Xid* const a_end = a + entries_.size();
  const Xid* b = other.entries_.data();
  const Xid* const b_end = b + other.entries_.size();
  while (a != a_end && b != b_end) {
    const auto order = a->namespace_guid() <=> b->namespace_guid();
    if (order < 0) {
      b_includes_a = false;  // only A has this GUID
      ++a;
    } else if (order > 0) {
      a_includes_b = false;  // only B has this GUID
      ++b;
    } else {
      if (a->local_id_size() != b->local_id_size()) {
        a_includes_b = b_includes_a = false;
      } else if (a->local_id() > b->local_id()) {
        b_includes_a = false;
      } else if (a->local_id() < b->local_id()) {
        a_includes_b = false;
      }
      ++a;
      ++b;
    }
    if (!a_includes_b && !b_includes_a) return PclOrder::kConflict;
  }
  if (a != a_end) b_includes_a = false;
  if (b != b_end) a_includes_b = false;
  if (a_includes_b) return b_includes_a ? PclOrder::kEqual : PclOrder::kNewer;
  return b_includes_a ? PclOrder::kOlder : PclOrder::kConflict;
}

bool Pcl::Includes(const Pcl& other) const {
  const PclOrder order = Compare(other);
  return order == PclOrder::kEqual || order == PclOrder::kNewer;
}

absl::Status Pcl::MergeFrom(const Pcl& other) {
  decltype(entries_) merged;
  merged.reserve(entries_.size() + other.entries_.size());
  auto a = entries_.begin();
  auto b = other.entries_.begin();
  while (a != entries_.end() || b != other.entries_.end()) {
    if (b == other.entries_.end() ||
        (a != entries_.end() && a->namespace_guid() < b->namespace_guid())) {
      merged.push_back(*a++);
    } else if (a == entries_.end() ||
               b->namespace_guid() < a->namespace_guid()) {
      merged.push_back(*b++);
    } else {
      if (a->local_id_size() != b->local_id_size()) {
        return SizeMismatch(*a, *b);
      }
      merged.push_back(a->local_id() >= b->local_id() ? *a : *b);
      ++a;
      ++b;
    }
  }
  entries_ = std::move(merged);
  return absl::OkStatus();
}

const Xid* Pcl::Find(const Guid& guid) const {
  auto pos = std::lower_bound(entries_.begin(), entries_.end(), guid, GuidLess);
  if (pos == entries_.end() || pos->namespace_guid() != guid) return nullptr;
  return &*pos;
}

std::string Pcl::ToString() const {
  return absl::StrCat("[",
                      absl::StrJoin(entries_, ", ",
                                    [](std::string* out, const Xid& x) {
                                      out->append(x.ToString());
                                    }),
                      "]");
}

}  // namespace ioreplication
