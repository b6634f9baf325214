// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// A folder edited at one replica and deleted at another survives as a
// version of its own (SurvivorChangeKey, as an item does), the same one
// whichever side held the edit. Before, it kept the edit's change key with
// the union of the two PCLs, and a replica holding the deletion merged with
// another reached that very PCL without the folder: equal PCLs, a folder at
// one replica and a tombstone at the others, forever (group_sim_test seed
// 117 of folders,net,crash,disk).

#include <memory>

#include "gtest/gtest.h"
#include "ioreplication/replica.h"
#include "ioreplication/store.h"
#include "sync/conflict_resolver.h"
#include "sync/direction.h"
#include "sync/importer.h"

namespace ioreplication::sync_internal {
namespace {

struct Side {
  std::unique_ptr<Store> store;
  std::unique_ptr<Replica> replica;
  Folder root;
};

Side Open() {
  Side s;
  s.store = *OpenStore("memory:");
  s.replica = *Replica::Open(s.store.get());
  s.root = *s.replica->CreateRootFolder("Shared");
  return s;
}

// Applies `change` at `side` as a version from a replica whose folder
// `root` maps to side's root.
void Apply(Side& side, const SourceKey& root, Change change,
           uint64_t conflicts) {
  ImportOptions io;
  io.source_root = root;
  io.dest_root = side.root.source_key;
  io.replicate_deletions = true;
  io.keep_every_tombstone = true;
  io.source_is_publisher = false;
  Importer importer(side.store.get(), io);
  ASSERT_TRUE(importer.Start().ok());
  ExportBatch batch;
  change.local_cn = GlobCnt();
  batch.entries.push_back({Outgoing::Kind::kChange, std::move(change)});
  BatchOutcome outcome;
  ASSERT_TRUE(ApplyBatch(*side.store, importer, batch, outcome, nullptr,
                         [](const BatchOutcome&) { return absl::OkStatus(); })
                  .ok());
  EXPECT_EQ(outcome.stats.conflicts, conflicts);
}

TEST(FolderSurvivorTest, AnEditedFolderSurvivesADeletionAsAVersionOfItsOwn) {
  // A holds the folder and renames it; B, holding the same folder, deletes
  // it. Each then gets the other's version.
  Side a = Open();
  const Folder made = *a.replica->CreateFolder(a.root.source_key, "Plans");
  Side b = Open();
  // B gets A's folder as it was made (under B's root).
  Apply(b, a.root.source_key, Change{made, GlobCnt()}, 0);
  ASSERT_TRUE(b.store->GetFolder(made.source_key).ok());
  const Folder renamed = *a.replica->RenameFolder(made.source_key, "Plans 2027");
  ASSERT_TRUE(b.replica->DeleteFolder(made.source_key).ok());
  const Tombstone deleted = *b.store->GetTombstone(made.source_key);

  Apply(a, b.root.source_key, Change{deleted, GlobCnt()}, 1);
  Apply(b, a.root.source_key, Change{renamed, GlobCnt()}, 1);

  const Folder at_a = *a.store->GetFolder(made.source_key);
  const Folder at_b = *b.store->GetFolder(made.source_key);
  EXPECT_EQ(at_a.display_name, "Plans 2027");
  EXPECT_EQ(at_b.display_name, "Plans 2027");
  EXPECT_EQ(at_a.change_key, SurvivorChangeKey(renamed.change_key));
  EXPECT_EQ(at_b.change_key, at_a.change_key);
  EXPECT_EQ(at_a.pcl.Compare(at_b.pcl), PclOrder::kEqual);
  EXPECT_EQ(at_a.last_modified.ticks(), renamed.last_modified.ticks() + 1);
  // Newer than either side and than their mere union.
  EXPECT_EQ(at_a.pcl.Compare(renamed.pcl), PclOrder::kNewer);
  EXPECT_EQ(at_a.pcl.Compare(deleted.pcl), PclOrder::kNewer);
  Pcl union_only = renamed.pcl;
  ASSERT_TRUE(union_only.MergeFrom(deleted.pcl).ok());
  EXPECT_EQ(at_a.pcl.Compare(union_only), PclOrder::kNewer);
}

}  // namespace
}  // namespace ioreplication::sync_internal
