// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Tombstone: what remains of a deleted folder or item.
//
// A deletion is a change like any other: it has its own change number, so it
// travels in the same change stream as edits, and a PCL (the object's last
// PCL raised with the deletion), so that an older copy arriving later is
// recognized as older and not resurrected, and an edit made concurrently
// elsewhere is recognized as a conflict (DESIGN.md invariant 5).
//
// A scope exit is a tombstone too: the object left a mapped tree through
// replication (moved out of it at another organization, or gone from the
// source altogether) rather than being deleted. It travels onward like a
// deletion, so that every replica downstream drops its copy as well
// (DESIGN.md invariant 10), and it differs in two rules: a version arriving
// that conflicts with it, or that its folder brought into the source's tree
// again, brings the object back, and it removes a folder's whole subtree
// even when things were added there.
//
// Thread safety: a value.

#ifndef IOREPLICATION_TOMBSTONE_H_
#define IOREPLICATION_TOMBSTONE_H_

#include <optional>

#include "ioreplication/clock.h"
#include "ioreplication/ids.h"
#include "ioreplication/object_kind.h"
#include "ioreplication/pcl.h"

namespace ioreplication {

struct Tombstone {
  SourceKey source_key;
  // What was deleted: kFolder or kItem (never kTombstone).
  ObjectKind kind = ObjectKind::kItem;
  // The folder the object was in (for an item) or under (for a folder).
  SourceKey parent;
  ChangeNumber deletion_cn;
  Pcl pcl;
  FileTime deleted_at;
  // True for a scope exit (see above), false for a deletion.
  bool scope_exit = false;
  // For a scope exit of an object that left with a folder above it (that
  // folder's exit removed its whole subtree, or the object is out of the
  // source's tree only because that folder is; this exit records the
  // version the object had): that folder's source key. Where the
  // destination still holds that folder in its tree, such an exit of the
  // version the destination holds is ignored (the copy goes when the
  // folder does), so an object never leaves a folder that stays. An exit
  // without it acts as a deletion against equal and older versions.
  std::optional<SourceKey> left_with = std::nullopt;
  // For a tombstone kept for a key this store never held (a deletion a
  // session relayed, kept so that an older copy arriving later is not
  // brought back): the mapped root of that session's tree here. It decides
  // only for versions arriving into that tree, so what one partner sends
  // cannot shadow objects arriving through a session of another tree. Set
  // by the importer alone; whatever a source sends in it is dropped.
  std::optional<SourceKey> scope_root = std::nullopt;

  friend bool operator==(const Tombstone& a, const Tombstone& b) = default;
};

}  // namespace ioreplication

#endif  // IOREPLICATION_TOMBSTONE_H_
