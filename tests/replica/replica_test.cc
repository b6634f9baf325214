// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "ioreplication/replica.h"

#include <unistd.h>

#include <cstdio>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ioreplication {
namespace {

using ::testing::HasSubstr;

GlobCnt GC(uint64_t v) { return GlobCnt::FromValue(v).value(); }

ItemContent Post(std::string body) {
  ItemContent c;
  c.message_class = "IPM.Post";
  c.body = std::move(body);
  return c;
}

class ReplicaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = OpenStore("memory:").value();
    replica_ = Replica::Open(store_.get(), Options()).value();
    root_ = replica_->CreateRootFolder("Public Folders").value();
  }

  ReplicaOptions Options() {
    ReplicaOptions options;
    options.counter_block = 8;  // small, so tests cross block boundaries
    options.time_source = [this] { return now_; };
    return options;
  }

  uint64_t Total() {
    const StoreCounts c = store_->Count().value();
    return c.folders + c.items + c.tombstones;
  }

  absl::Time now_ = absl::FromUnixSeconds(1763750000);
  std::unique_ptr<Store> store_;
  std::unique_ptr<Replica> replica_;
  Folder root_;
};

TEST_F(ReplicaTest, LocalChangesGetFreshChangeNumbersKeysAndPcls) {
  const Guid me = replica_->identity().replica;
  EXPECT_EQ(root_.source_key.replica(), me);
  EXPECT_FALSE(root_.parent.has_value());

  std::set<uint64_t> counters = {root_.source_key.counter().value(),
                                 root_.change_key.counter().value()};
  SourceKey parent = root_.source_key;
  ChangeNumber last = root_.change_key;
  for (int i = 0; i < 20; ++i) {  // crosses several counter blocks
    const Folder f =
        replica_->CreateFolder(parent, absl::StrCat("Level ", i)).value();
    EXPECT_EQ(f.change_key.replica(), me);
    EXPECT_GT(f.change_key, last);
    EXPECT_EQ(f.pcl.size(), 1u);
    EXPECT_EQ(f.pcl.Find(me)->local_id(), f.change_key.counter().value());
    EXPECT_TRUE(counters.insert(f.source_key.counter().value()).second);
    EXPECT_TRUE(counters.insert(f.change_key.counter().value()).second);
    EXPECT_EQ(store_->GetFolder(f.source_key).value(), f);
    parent = f.source_key;
    last = f.change_key;
  }
}

TEST_F(ReplicaTest, ModifyRaisesThePclAndTheTime) {
  const Item item = replica_->CreateItem(root_.source_key, Post("v1")).value();
  now_ += absl::Seconds(5);
  const Item edited = replica_->ModifyItem(item.source_key, Post("v2")).value();
  EXPECT_EQ(edited.source_key, item.source_key);
  EXPECT_GT(edited.change_key, item.change_key);
  EXPECT_EQ(edited.pcl.Compare(item.pcl), PclOrder::kNewer);
  EXPECT_GT(edited.last_modified, item.last_modified);
  EXPECT_EQ(store_->GetItem(item.source_key).value().body, "v2");
}

TEST_F(ReplicaTest, TimestampsNeverGoBackwards) {
  const Item a = replica_->CreateItem(root_.source_key, Post("a")).value();
  now_ -= absl::Hours(3);  // the wall clock steps back
  const Item b = replica_->CreateItem(root_.source_key, Post("b")).value();
  const Item c = replica_->ModifyItem(a.source_key, Post("a2")).value();
  EXPECT_GT(b.last_modified, a.last_modified);
  EXPECT_GT(c.last_modified, b.last_modified);
}

TEST_F(ReplicaTest, NamesAreUniqueUnderOneParentIgnoringCase) {
  const Folder sales =
      replica_->CreateFolder(root_.source_key, "Sales").value();
  EXPECT_EQ(replica_->CreateFolder(root_.source_key, "SALES").status().code(),
            absl::StatusCode::kAlreadyExists);
  const Folder emea = replica_->CreateFolder(sales.source_key, "Sales").value();
  const Folder support =
      replica_->CreateFolder(root_.source_key, "Support").value();
  EXPECT_EQ(replica_->RenameFolder(support.source_key, "sales").status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_TRUE(replica_->RenameFolder(sales.source_key, "SALES").ok());
  // Moving into a parent that has the name taken is refused too.
  EXPECT_EQ(
      replica_->MoveFolder(emea.source_key, root_.source_key).status().code(),
      absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(replica_->CreateFolder(root_.source_key, "a\x01b").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(ReplicaTest, MissingParentsAreRejected) {
  const SourceKey ghost(replica_->identity().replica, GC(999999));
  EXPECT_THAT(
      std::string(replica_->CreateFolder(ghost, "X").status().message()),
      HasSubstr("does not exist"));
  EXPECT_EQ(replica_->CreateItem(ghost, Post("x")).status().code(),
            absl::StatusCode::kFailedPrecondition);
  const Item item = replica_->CreateItem(root_.source_key, Post("x")).value();
  EXPECT_EQ(replica_->MoveItem(item.source_key, ghost).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_->GetItem(item.source_key).value(), item);
}

TEST_F(ReplicaTest, MovesRejectCycles) {
  const Folder a = replica_->CreateFolder(root_.source_key, "A").value();
  const Folder b = replica_->CreateFolder(a.source_key, "B").value();
  const Folder c = replica_->CreateFolder(b.source_key, "C").value();
  EXPECT_THAT(
      std::string(
          replica_->MoveFolder(a.source_key, c.source_key).status().message()),
      HasSubstr("into its own subtree"));
  EXPECT_EQ(replica_->MoveFolder(a.source_key, a.source_key).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      replica_->MoveFolder(root_.source_key, a.source_key).status().code(),
      absl::StatusCode::kFailedPrecondition);
  const Folder moved =
      replica_->MoveFolder(c.source_key, root_.source_key).value();
  EXPECT_EQ(moved.parent, root_.source_key);
  EXPECT_GT(moved.change_key, c.change_key);
}

TEST_F(ReplicaTest, DeletingAFolderTombstonesItsWholeSubtree) {
  const Folder a = replica_->CreateFolder(root_.source_key, "A").value();
  const Folder b = replica_->CreateFolder(a.source_key, "B").value();
  const Item i1 = replica_->CreateItem(a.source_key, Post("1")).value();
  const Item i2 = replica_->CreateItem(b.source_key, Post("2")).value();
  const Item keep = replica_->CreateItem(root_.source_key, Post("3")).value();
  const ChangeNumber before = keep.change_key;
  ASSERT_TRUE(replica_->DeleteFolder(a.source_key).ok());

  const StoreCounts counts = store_->Count().value();
  EXPECT_EQ(counts.folders, 1u);
  EXPECT_EQ(counts.items, 1u);
  EXPECT_EQ(counts.tombstones, 4u);
  std::set<ChangeNumber> deletion_cns;
  for (const SourceKey& k :
       {a.source_key, b.source_key, i1.source_key, i2.source_key}) {
    const Tombstone t = store_->GetTombstone(k).value();
    EXPECT_GT(t.deletion_cn, before);
    EXPECT_TRUE(deletion_cns.insert(t.deletion_cn).second);
    // The deletion is a change of this replica, recorded in the PCL.
    EXPECT_EQ(t.pcl.Find(t.deletion_cn.replica())->local_id(),
              t.deletion_cn.counter().value());
  }
  const Tombstone ti = store_->GetTombstone(i1.source_key).value();
  EXPECT_EQ(ti.pcl.Compare(i1.pcl), PclOrder::kNewer);
  EXPECT_EQ(ti.kind, ObjectKind::kItem);
  EXPECT_EQ(ti.parent, a.source_key);
  EXPECT_EQ(store_->GetTombstone(b.source_key).value().kind,
            ObjectKind::kFolder);
  EXPECT_EQ(replica_->DeleteFolder(root_.source_key).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(replica_->DeleteFolder(a.source_key).code(),
            absl::StatusCode::kNotFound);
}

TEST_F(ReplicaTest, DeletingAnItemLeavesATombstone) {
  const Item item = replica_->CreateItem(root_.source_key, Post("x")).value();
  ASSERT_TRUE(replica_->DeleteItem(item.source_key).ok());
  EXPECT_EQ(store_->GetItem(item.source_key).status().code(),
            absl::StatusCode::kNotFound);
  const Tombstone t = store_->GetTombstone(item.source_key).value();
  EXPECT_GT(t.deletion_cn, item.change_key);
  EXPECT_EQ(replica_->DeleteItem(item.source_key).code(),
            absl::StatusCode::kNotFound);
}

TEST_F(ReplicaTest, AclEditsAreChanges) {
  const Folder f = replica_->CreateFolder(root_.source_key, "Shared").value();
  const Folder granted =
      replica_->SetAclMember(f.source_key, "ana@example.org", rights::kEditor)
          .value();
  EXPECT_GT(granted.change_key, f.change_key);
  EXPECT_EQ(granted.acl.Get("ana@example.org"), rights::kEditor);
  // Bad rights: an error, and nothing changes (not even the change key).
  EXPECT_EQ(replica_->SetAclMember(f.source_key, "bo@example.org", 0x4)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->GetFolder(f.source_key).value(), granted);
  EXPECT_EQ(replica_->RemoveAclMember(f.source_key, "nobody").status().code(),
            absl::StatusCode::kNotFound);
  const Folder removed =
      replica_->RemoveAclMember(f.source_key, "ana@example.org").value();
  EXPECT_TRUE(removed.acl.empty());
  const Folder with_property =
      replica_
          ->SetFolderProperty(f.source_key, PropTag(0x3001, PropType::kString),
                              std::string("Shared folder"))
          .value();
  EXPECT_NE(with_property.properties.Get(PropTag(0x3001, PropType::kString)),
            nullptr);
}

TEST_F(ReplicaTest, AFailedChangeWritesNothing) {
  const uint64_t before = Total();
  ItemContent bad = Post("x");
  bad.message_class = "not a class";
  EXPECT_EQ(replica_->CreateItem(root_.source_key, bad).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Total(), before);
  EXPECT_FALSE(store_->InTransaction());
  EXPECT_EQ(replica_->CreateRootFolder("Again").status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Total(), before);
}

TEST_F(ReplicaTest, AStoreWhoseCounterWentBackTakesANewIdentity) {
  // Data using a counter value the store never reserved: what a restore of
  // an old counter beside newer data looks like.
  const StoreIdentity old = replica_->identity();
  Folder stray = root_;
  stray.source_key = SourceKey(old.replica, GC(100000));
  stray.parent = root_.source_key;
  stray.display_name = "From the future";
  ASSERT_TRUE(store_->Begin().ok());
  ASSERT_TRUE(store_->InsertFolder(stray).ok());
  ASSERT_TRUE(store_->Commit().ok());

  std::unique_ptr<Replica> reopened =
      Replica::Open(store_.get(), Options()).value();
  EXPECT_NE(reopened->identity().replica, old.replica);
  EXPECT_EQ(reopened->identity().epoch, old.epoch + 1);
  EXPECT_THAT(reopened->identity_changed(), HasSubstr("restored or damaged"));
  const Folder f = reopened->CreateFolder(root_.source_key, "After").value();
  EXPECT_EQ(f.change_key.replica(), reopened->identity().replica);
  // A healthy store keeps its identity.
  std::unique_ptr<Replica> again =
      Replica::Open(store_.get(), Options()).value();
  EXPECT_EQ(again->identity(), reopened->identity());
  EXPECT_TRUE(again->identity_changed().empty());
}

TEST_F(ReplicaTest, MarkRestoredTakesANewIdentity) {
  const StoreIdentity old = replica_->identity();
  ASSERT_TRUE(replica_->MarkRestored().ok());
  EXPECT_NE(replica_->identity().replica, old.replica);
  EXPECT_EQ(replica_->identity().epoch, 1u);
  EXPECT_EQ(store_->Identity().value(), replica_->identity());
  const Item item = replica_->CreateItem(root_.source_key, Post("x")).value();
  EXPECT_EQ(item.change_key.replica(), replica_->identity().replica);
  // The PCL of an item edited after the restore names both GUIDs.
  const Folder f = replica_->RenameFolder(root_.source_key, "Renamed").value();
  EXPECT_EQ(f.pcl.size(), 2u);
}

TEST(ReplicaSqliteTest, CountersAndClockSurviveARestart) {
  const std::string path =
      absl::StrCat(::testing::TempDir(), "/replica_", getpid(), ".db");
  for (const char* s : {"", "-wal", "-shm"}) std::remove((path + s).c_str());
  absl::Time now = absl::FromUnixSeconds(1763750000);
  ReplicaOptions options;
  options.counter_block = 100;
  options.time_source = [&] { return now; };
  std::set<ChangeNumber> seen;
  FileTime last;
  SourceKey root;
  {
    std::unique_ptr<Store> store = OpenStore("sqlite:" + path).value();
    std::unique_ptr<Replica> replica =
        Replica::Open(store.get(), options).value();
    const Folder r = replica->CreateRootFolder("Public").value();
    root = r.source_key;
    seen.insert(r.change_key);
    for (int i = 0; i < 5; ++i) {
      const Item item = replica->CreateItem(root, Post("x")).value();
      EXPECT_TRUE(seen.insert(item.change_key).second);
      last = item.last_modified;
    }
  }
  now -= absl::Hours(10);  // the restarted process has a clock far behind
  std::unique_ptr<Store> store = OpenStore("sqlite:" + path).value();
  std::unique_ptr<Replica> replica =
      Replica::Open(store.get(), options).value();
  EXPECT_TRUE(replica->identity_changed().empty());
  for (int i = 0; i < 5; ++i) {
    const Item item = replica->CreateItem(root, Post("y")).value();
    EXPECT_TRUE(seen.insert(item.change_key).second)
        << item.change_key.ToString();
    EXPECT_GT(item.last_modified, last);
    last = item.last_modified;
  }
}

// Another handle on the same store (another process, or a session's
// importer) used counters above this handle's block on an object: the next
// local change takes a fresh block, so it still shows as newer.
TEST_F(ReplicaTest, AChangeAboveAnotherHandlesCountersStillShowsAsNewer) {
  const Item item = replica_->CreateItem(root_.source_key, Post("v1")).value();
  std::unique_ptr<Replica> other =
      Replica::Open(store_.get(), Options()).value();
  const Item by_other = other->ModifyItem(item.source_key, Post("v2")).value();
  const Item mine = replica_->ModifyItem(item.source_key, Post("v3")).value();
  EXPECT_GT(mine.change_key.counter(), by_other.change_key.counter());
  EXPECT_EQ(mine.pcl.Compare(by_other.pcl), PclOrder::kNewer);
  EXPECT_EQ(mine.body, "v3");  // the content survived the retry
  // The same for a folder edit that moves its value in.
  const Folder f = replica_->CreateFolder(root_.source_key, "F").value();
  (void)other->RenameFolder(f.source_key, "G").value();
  (void)other->RenameFolder(f.source_key, "H").value();
  const PropTag subject(0x0037, PropType::kString);
  const Folder edited =
      replica_->SetFolderProperty(f.source_key, subject, std::string("kept"))
          .value();
  EXPECT_EQ(*edited.properties.Get(subject), PropValue(std::string("kept")));
}

// An object records a counter of this replica above the store's counter
// (the store's data is ahead of its counter, and Open could not see it in a
// PCL): the change is refused with an error that says what to do.
TEST_F(ReplicaTest, ACounterBehindItsOwnDataIsRefusedClearly) {
  Item item = replica_->CreateItem(root_.source_key, Post("v1")).value();
  ASSERT_TRUE(item.pcl
                  .Raise(ChangeNumber(replica_->identity().replica,
                                      GC(GlobCnt::kMaxValue - 1)))
                  .ok());
  ASSERT_TRUE(store_->Begin().ok());
  ASSERT_TRUE(store_->UpdateItem(item).ok());
  ASSERT_TRUE(store_->Commit().ok());
  absl::StatusOr<Item> edited =
      replica_->ModifyItem(item.source_key, Post("v2"));
  ASSERT_FALSE(edited.ok());
  EXPECT_EQ(edited.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(edited.status().message()),
              HasSubstr("mark it restored"));
  EXPECT_EQ(store_->GetItem(item.source_key).value().body, "v1");
}

}  // namespace
}  // namespace ioreplication
