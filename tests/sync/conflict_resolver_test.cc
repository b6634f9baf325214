// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// ResolveItemConflict's rule for an edit that survives a deletion: the
// survivor is a version of its own (derived change key raised into the
// merged PCL, one tick later), the same whichever side is local, and
// different again when that survivor survives another deletion.

#include "sync/conflict_resolver.h"

#include <array>

#include "gtest/gtest.h"

namespace ioreplication::sync_internal {
namespace {

Guid G(uint8_t b) {
  std::array<uint8_t, 16> bytes{};
  bytes[0] = b;
  bytes[7] = 0x40;
  return Guid::FromBytes(bytes);
}

ChangeNumber Cn(uint8_t replica, uint64_t n) {
  return ChangeNumber(G(replica), *GlobCnt::FromValue(n));
}

Item Edit(const ChangeNumber& ck) {
  Item item;
  item.source_key = SourceKey(G(1), *GlobCnt::FromValue(7));
  item.folder = SourceKey(G(1), *GlobCnt::FromValue(2));
  item.change_key = ck;
  EXPECT_TRUE(item.pcl.Raise(ck).ok());
  item.last_modified = FileTime::FromTicks(1000);
  return item;
}

Tombstone Deletion(const ChangeNumber& cn) {
  Tombstone t;
  t.source_key = SourceKey(G(1), *GlobCnt::FromValue(7));
  t.kind = ObjectKind::kItem;
  t.parent = SourceKey(G(1), *GlobCnt::FromValue(2));
  t.deletion_cn = cn;
  EXPECT_TRUE(t.pcl.Raise(cn).ok());
  t.deleted_at = FileTime::FromTicks(2000);
  return t;
}

Item Survivor(const Item& edit, const Tombstone& deletion, bool edit_is_local) {
  ConflictSide e{&edit, nullptr, false};
  ConflictSide d{nullptr, &deletion, false};
  absl::StatusOr<Resolution> r = ResolveItemConflict(
      edit_is_local ? ConflictContext{e, d} : ConflictContext{d, e},
      ConflictPolicy::kKeepBoth, nullptr);
  EXPECT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(std::holds_alternative<Item>(r->result));
  return std::get<Item>(r->result);
}

TEST(ConflictResolverTest, AnEditThatSurvivesADeletionIsAVersionOfItsOwn) {
  const Item edit = Edit(Cn(1, 10));
  const Tombstone deletion = Deletion(Cn(2, 20));
  const Item s = Survivor(edit, deletion, true);
  EXPECT_NE(s.change_key, edit.change_key);
  EXPECT_EQ(s.change_key.counter(), edit.change_key.counter());
  EXPECT_EQ(s.last_modified.ticks(), edit.last_modified.ticks() + 1);
  // Its PCL names both sides and itself, so it is newer than each, and no
  // merge of deletions that never met it can reach it.
  EXPECT_EQ(s.pcl.Compare(edit.pcl), PclOrder::kNewer);
  EXPECT_EQ(s.pcl.Compare(deletion.pcl), PclOrder::kNewer);
  Pcl union_only = edit.pcl;
  ASSERT_TRUE(union_only.MergeFrom(deletion.pcl).ok());
  EXPECT_EQ(s.pcl.Compare(union_only), PclOrder::kNewer);
  // The same survivor whichever side held the edit.
  const Item other = Survivor(edit, deletion, false);
  EXPECT_EQ(other.change_key, s.change_key);
  EXPECT_EQ(other.pcl.Compare(s.pcl), PclOrder::kEqual);
  // Surviving again gives a new key, never an old one back.
  const Item again = Survivor(s, Deletion(Cn(3, 30)), true);
  EXPECT_NE(again.change_key, s.change_key);
  EXPECT_NE(again.change_key, edit.change_key);
}

}  // namespace
}  // namespace ioreplication::sync_internal
