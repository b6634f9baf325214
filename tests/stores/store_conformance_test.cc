// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// The Store contract (include/ioreplication/store.h), checked the same way
// against every store, host stores through the C vtable included. A new store
// joins by adding a factory to INSTANTIATE_TEST_SUITE_P below.

#include <unistd.h>

#include <cstdio>
#include <functional>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "capi/host_backend.h"
#include "capi/memory_host_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ioreplication/store.h"
#include "sqlite_host_store.h"
#include "stores/folder_digest.h"
#include "stores/sqlite_backend.h"

namespace ioreplication {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

struct StoreFactory {
  std::string name;
  std::function<std::unique_ptr<Store>(const StoreOptions&)> open;
  // Checks after every test: every store is the kernel over a backend, so
  // its kept digests are compared with its items (and SQLite runs its
  // integrity check).
  std::function<absl::Status(Store&)> check = [](Store& store) {
    return static_cast<stores_internal::StoreKernel&>(store).CheckIntegrity();
  };
};

// A fresh database file per store opened.
std::string NewDatabasePath() {
  static int counter = 0;
  const std::string path = absl::StrCat(::testing::TempDir(), "/conformance_",
                                        getpid(), "_", ++counter, ".db");
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::remove((path + suffix).c_str());
  }
  return path;
}

// gtest prints the factory's name, not its bytes.
void PrintTo(const StoreFactory& factory, std::ostream* os) {
  *os << factory.name;
}

GlobCnt GC(uint64_t v) { return GlobCnt::FromValue(v).value(); }

const Guid kA = Guid::Parse("{0A000000-0000-0000-0000-00000000000A}").value();
const Guid kB = Guid::Parse("{0B000000-0000-0000-0000-00000000000B}").value();

Folder MakeFolder(uint64_t key, std::optional<uint64_t> parent,
                  std::string name, uint64_t cn) {
  Folder f;
  f.source_key = SourceKey(kA, GC(key));
  if (parent) f.parent = SourceKey(kA, GC(*parent));
  f.display_name = std::move(name);
  f.change_key = ChangeNumber(kA, GC(cn));
  EXPECT_TRUE(f.pcl.Raise(f.change_key).ok());
  f.last_modified = FileTime::FromTicks(1000 + cn);
  return f;
}

Item MakeItem(uint64_t key, uint64_t folder, uint64_t cn,
              const Guid& cn_replica = kA) {
  Item i;
  i.source_key = SourceKey(kA, GC(key));
  i.folder = SourceKey(kA, GC(folder));
  i.change_key = ChangeNumber(cn_replica, GC(cn));
  EXPECT_TRUE(i.pcl.Raise(i.change_key).ok());
  i.last_modified = FileTime::FromTicks(2000 + cn);
  i.message_class = "IPM.Post";
  i.body = "body of " + std::to_string(key);
  EXPECT_TRUE(i.properties
                  .Set(PropTag(0x0037, PropType::kString),
                       std::string("subject ") + std::to_string(key))
                  .ok());
  return i;
}

Tombstone MakeTombstone(uint64_t key, uint64_t parent, uint64_t cn) {
  Tombstone t;
  t.source_key = SourceKey(kA, GC(key));
  t.parent = SourceKey(kA, GC(parent));
  t.deletion_cn = ChangeNumber(kA, GC(cn));
  EXPECT_TRUE(t.pcl.Raise(t.deletion_cn).ok());
  t.deleted_at = FileTime::FromTicks(3000 + cn);
  return t;
}

class StoreConformanceTest : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override { store_ = GetParam().open(options_); }
  void TearDown() override {
    if (store_ != nullptr) {
      if (store_->InTransaction()) {
        EXPECT_TRUE(store_->Rollback().ok());
      }
      EXPECT_TRUE(GetParam().check(*store_).ok()) << GetParam().check(*store_);
    }
  }

  // Runs `body` in a transaction and commits it.
  void InTx(const std::function<void()>& body) {
    ASSERT_TRUE(store_->Begin().ok());
    body();
    ASSERT_TRUE(store_->Commit().ok());
  }

  // A root (1) with two children (2, 3) and items 10, 11 in folder 2.
  void Populate() {
    InTx([&] {
      ASSERT_TRUE(store_->InsertFolder(MakeFolder(1, {}, "Public", 1)).ok());
      ASSERT_TRUE(store_->InsertFolder(MakeFolder(2, 1, "Sales", 2)).ok());
      ASSERT_TRUE(store_->InsertFolder(MakeFolder(3, 1, "Support", 3)).ok());
      ASSERT_TRUE(store_->InsertItem(MakeItem(10, 2, 4)).ok());
      ASSERT_TRUE(store_->InsertItem(MakeItem(11, 2, 5)).ok());
    });
  }

  // The whole stream in batches, as the change keys' counters.
  std::vector<uint64_t> StreamCns(const GlobSet& exclude = GlobSet(),
                                  ChangeStreamOptions options = {}) {
    std::vector<uint64_t> cns;
    for (const Change& c : Stream(exclude, options)) {
      cns.push_back(c.change_key().counter().value());
    }
    return cns;
  }

  std::vector<Change> Stream(const GlobSet& exclude = GlobSet(),
                             ChangeStreamOptions options = {}) {
    std::vector<Change> all;
    GlobCnt after;
    while (true) {
      absl::StatusOr<std::vector<Change>> batch =
          store_->ReadChanges(exclude, after, options);
      EXPECT_TRUE(batch.ok()) << batch.status();
      if (!batch.ok() || batch->empty()) break;
      for (const Change& c : *batch) {
        EXPECT_GT(c.local_cn, after) << "stream out of order";
        after = c.local_cn;
        all.push_back(c);
      }
    }
    return all;
  }

  uint64_t HighWater() { return store_->LocalCnHighWater().value().value(); }

  StoreOptions options_;
  std::unique_ptr<Store> store_;
};

TEST_P(StoreConformanceTest, NewStoreHasAnIdentityAndNothingElse) {
  const StoreIdentity id = store_->Identity().value();
  EXPECT_FALSE(id.replica.IsNil());
  EXPECT_EQ(id.epoch, 0u);
  const StoreCounts counts = store_->Count().value();
  EXPECT_EQ(counts.folders + counts.items + counts.tombstones, 0u);
  EXPECT_EQ(store_->CounterHighWater().value(), GC(0));
  EXPECT_TRUE(store_->ReadChanges(GlobSet(), GlobCnt(), {}).value().empty());
  EXPECT_EQ(HighWater(), 0u);
  EXPECT_EQ(store_->TombstoneHorizon().value(), GC(0));
}

TEST_P(StoreConformanceTest, CountersAreConsecutiveAndPerGuid) {
  const CounterBlock a = store_->ReserveCounters(10).value();
  EXPECT_EQ(a.first, GC(1));
  EXPECT_EQ(a.last, GC(10));
  const CounterBlock b = store_->ReserveCounters(1).value();
  EXPECT_EQ(b.first, GC(11));
  EXPECT_EQ(store_->CounterHighWater().value(), GC(11));
  EXPECT_EQ(store_->ReserveCounters(0).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->ReserveCounters(GlobCnt::kMaxValue).status().code(),
            absl::StatusCode::kOutOfRange);
  // Inside a transaction a reservation is one of its writes: rolled back
  // with it, kept when it commits.
  ASSERT_TRUE(store_->Begin().ok());
  EXPECT_EQ(store_->ReserveCounters(4).value().first, GC(12));
  EXPECT_EQ(store_->CounterHighWater().value(), GC(15));
  ASSERT_TRUE(store_->Rollback().ok());
  EXPECT_EQ(store_->CounterHighWater().value(), GC(11));
  ASSERT_TRUE(store_->Begin().ok());
  EXPECT_EQ(store_->ReserveCounters(4).value().first, GC(12));
  ASSERT_TRUE(store_->Commit().ok());
  EXPECT_EQ(store_->CounterHighWater().value(), GC(15));
  EXPECT_EQ(store_->ReserveCounters(1).value().first, GC(16));
  // A new GUID starts its own counter.
  ASSERT_TRUE(store_->Begin().ok());
  ASSERT_TRUE(store_->SetIdentity({kB, 1}).ok());
  ASSERT_TRUE(store_->Commit().ok());
  EXPECT_EQ(store_->Identity().value(), (StoreIdentity{kB, 1}));
  EXPECT_EQ(store_->ReserveCounters(5).value().first, GC(1));
}

TEST_P(StoreConformanceTest, WritesNeedATransaction) {
  EXPECT_EQ(store_->InsertFolder(MakeFolder(1, {}, "Public", 1)).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_->PutSyncState("s", "x").code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_->SetIdentity({kB, 1}).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_->Commit().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_->Rollback().code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(store_->Begin().ok());
  EXPECT_EQ(store_->Begin().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(store_->InTransaction());
  ASSERT_TRUE(store_->Rollback().ok());
  EXPECT_FALSE(store_->InTransaction());
}

// Misses inside a transaction are remembered (the kernel asks the backend
// once per key), so what the transaction writes afterwards, and what a
// rolled-back one wrote, must still read as it is.
TEST_P(StoreConformanceTest, ATransactionSeesWhatItWroteAfterAMiss) {
  Populate();
  ASSERT_TRUE(store_->Begin().ok());
  EXPECT_TRUE(
      absl::IsNotFound(store_->GetItem(SourceKey(kA, GC(20))).status()));
  EXPECT_TRUE(
      absl::IsNotFound(store_->GetTombstone(SourceKey(kA, GC(20))).status()));
  ASSERT_TRUE(store_->InsertItem(MakeItem(20, 2, 20)).ok());
  EXPECT_TRUE(store_->GetItem(SourceKey(kA, GC(20))).ok());
  EXPECT_TRUE(absl::IsAlreadyExists(store_->InsertItem(MakeItem(20, 2, 21))));
  // A miss, then a tombstone of the key, then the tombstone is there.
  EXPECT_TRUE(
      absl::IsNotFound(store_->GetItem(SourceKey(kA, GC(21))).status()));
  ASSERT_TRUE(store_->PutTombstone(MakeTombstone(21, 2, 22)).ok());
  EXPECT_TRUE(store_->GetTombstone(SourceKey(kA, GC(21))).ok());
  // A folder made after a miss takes items.
  EXPECT_TRUE(
      absl::IsNotFound(store_->GetFolder(SourceKey(kA, GC(30))).status()));
  ASSERT_TRUE(store_->InsertFolder(MakeFolder(30, 1, "New", 23)).ok());
  EXPECT_TRUE(store_->InsertItem(MakeItem(31, 30, 24)).ok());
  ASSERT_TRUE(store_->Rollback().ok());
  // After the rollback none of it is there, and a new transaction may
  // write it again.
  EXPECT_TRUE(
      absl::IsNotFound(store_->GetItem(SourceKey(kA, GC(20))).status()));
  InTx([&] {
    EXPECT_TRUE(
        absl::IsNotFound(store_->GetItem(SourceKey(kA, GC(20))).status()));
    EXPECT_TRUE(store_->InsertItem(MakeItem(20, 2, 25)).ok());
  });
  EXPECT_EQ(store_->GetItem(SourceKey(kA, GC(20))).value().change_key,
            ChangeNumber(kA, GC(25)));
}

TEST_P(StoreConformanceTest, FolderCrud) {
  Populate();
  EXPECT_EQ(store_->GetFolder(SourceKey(kA, GC(2))).value(),
            MakeFolder(2, 1, "Sales", 2));
  EXPECT_EQ(store_->GetFolder(SourceKey(kA, GC(99))).status().code(),
            absl::StatusCode::kNotFound);
  const std::vector<Folder> children =
      store_->ListChildFolders(SourceKey(kA, GC(1))).value();
  ASSERT_EQ(children.size(), 2u);
  EXPECT_EQ(children[0].display_name, "Sales");
  EXPECT_EQ(store_->ListChildFolders(std::nullopt).value().size(), 1u);

  Folder renamed =
      MakeFolder(3, 2, "EX:/o=Contoso/ou=EMEA", 6);  // moved, renamed
  ASSERT_TRUE(renamed.acl.Set("Default", rights::kReviewer).ok());
  InTx([&] { ASSERT_TRUE(store_->UpdateFolder(renamed).ok()); });
  EXPECT_EQ(store_->GetFolder(renamed.source_key).value(), renamed);
  EXPECT_EQ(store_->ListChildFolders(SourceKey(kA, GC(2))).value().size(), 1u);

  ASSERT_TRUE(store_->Begin().ok());
  EXPECT_EQ(store_->DeleteFolder(SourceKey(kA, GC(2))).code(),
            absl::StatusCode::kFailedPrecondition);  // has items and a child
  EXPECT_TRUE(store_->DeleteFolder(SourceKey(kA, GC(3))).ok());
  EXPECT_EQ(store_->DeleteFolder(SourceKey(kA, GC(3))).code(),
            absl::StatusCode::kNotFound);
  ASSERT_TRUE(store_->Commit().ok());
  EXPECT_EQ(store_->Count().value().folders, 2u);
}

TEST_P(StoreConformanceTest, ItemCrudWithLargeValues) {
  Populate();
  Item big = MakeItem(12, 3, 6);
  big.attachments.push_back(
      {"scan.tif", "image/tiff", std::string(3 << 20, '\xAB')});
  ASSERT_TRUE(big.properties
                  .Set(PropTag(0x8001, PropType::kBinary),
                       Bytes{std::string(1 << 20, '\0')})
                  .ok());
  InTx([&] { ASSERT_TRUE(store_->InsertItem(big).ok()); });
  EXPECT_EQ(store_->GetItem(big.source_key).value(), big);
  EXPECT_THAT(store_->ListItems(SourceKey(kA, GC(2))).value(),
              ElementsAre(SourceKey(kA, GC(10)), SourceKey(kA, GC(11))));

  Item moved = MakeItem(10, 3, 7);
  InTx([&] { ASSERT_TRUE(store_->UpdateItem(moved).ok()); });
  EXPECT_EQ(store_->GetItem(moved.source_key).value(), moved);
  EXPECT_EQ(store_->ListItems(SourceKey(kA, GC(3))).value().size(), 2u);

  InTx([&] { ASSERT_TRUE(store_->DeleteItem(moved.source_key).ok()); });
  EXPECT_EQ(store_->GetItem(moved.source_key).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->Count().value().items, 2u);
}

TEST_P(StoreConformanceTest, ItemVersionsFollowWrites) {
  Populate();
  const SourceKey folder(kA, GC(2));
  auto versions = [&] { return store_->ListItemVersions(folder).value(); };
  EXPECT_THAT(
      versions(),
      ElementsAre(
          ItemVersion{SourceKey(kA, GC(10)), MakeItem(10, 2, 4).change_key},
          ItemVersion{SourceKey(kA, GC(11)), MakeItem(11, 2, 5).change_key}));
  const Item edited = MakeItem(11, 2, 9);
  InTx([&] { ASSERT_TRUE(store_->UpdateItem(edited).ok()); });
  EXPECT_EQ(versions()[1].change_key, edited.change_key);
  InTx([&] { ASSERT_TRUE(store_->UpdateItem(MakeItem(10, 3, 8)).ok()); });
  EXPECT_THAT(versions(),
              ElementsAre(ItemVersion{edited.source_key, edited.change_key}));
  EXPECT_TRUE(store_->ListItemVersions(SourceKey(kA, GC(99))).value().empty());
}

TEST_P(StoreConformanceTest, Tombstones) {
  Populate();
  InTx([&] {
    ASSERT_TRUE(store_->DeleteItem(SourceKey(kA, GC(11))).ok());
    ASSERT_TRUE(store_->PutTombstone(MakeTombstone(11, 2, 6)).ok());
  });
  EXPECT_EQ(store_->GetTombstone(SourceKey(kA, GC(11))).value(),
            MakeTombstone(11, 2, 6));
  ASSERT_TRUE(store_->Begin().ok());
  // A live object's key cannot get a tombstone...
  EXPECT_EQ(store_->PutTombstone(MakeTombstone(10, 2, 7)).code(),
            absl::StatusCode::kAlreadyExists);
  // ...and a tombstone's key cannot be inserted again.
  EXPECT_EQ(store_->InsertItem(MakeItem(11, 2, 7)).code(),
            absl::StatusCode::kAlreadyExists);
  // A tombstone says what was deleted: a folder or an item.
  Tombstone of_a_tombstone = MakeTombstone(11, 2, 8);
  of_a_tombstone.kind = ObjectKind::kTombstone;
  EXPECT_EQ(store_->PutTombstone(of_a_tombstone).code(),
            absl::StatusCode::kInvalidArgument);
  // Replacing a tombstone is allowed.
  EXPECT_TRUE(store_->PutTombstone(MakeTombstone(11, 2, 8)).ok());
  ASSERT_TRUE(store_->Commit().ok());
  EXPECT_EQ(store_->GetTombstone(SourceKey(kA, GC(11))).value().deletion_cn,
            ChangeNumber(kA, GC(8)));
  InTx([&] {
    ASSERT_TRUE(store_->DeleteTombstone(SourceKey(kA, GC(11))).ok());
  });
  EXPECT_EQ(store_->GetTombstone(SourceKey(kA, GC(11))).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->Count().value().tombstones, 0u);
}

TEST_P(StoreConformanceTest, BadInputIsRejectedWithoutPartialWrites) {
  Populate();
  ASSERT_TRUE(store_->Begin().ok());
  ASSERT_TRUE(store_->InsertItem(MakeItem(20, 3, 20)).ok());  // a good write
  struct Case {
    std::function<absl::Status()> write;
    absl::StatusCode code;
    const char* error;
  } cases[] = {
      {[&] { return store_->InsertFolder(MakeFolder(30, 99, "Orphan", 30)); },
       absl::StatusCode::kFailedPrecondition, "does not exist"},
      {[&] { return store_->InsertItem(MakeItem(31, 99, 31)); },
       absl::StatusCode::kFailedPrecondition, "does not exist"},
      {[&] { return store_->InsertFolder(MakeFolder(2, 1, "Again", 32)); },
       absl::StatusCode::kAlreadyExists, "already in use"},
      {[&] {
         return store_->InsertItem(MakeItem(3, 2, 33));
       },  // a folder's key
       absl::StatusCode::kAlreadyExists, "already in use"},
      {[&] { return store_->InsertFolder(MakeFolder(34, {}, "Root2", 34)); },
       absl::StatusCode::kFailedPrecondition, "root"},
      {[&] { return store_->InsertFolder(MakeFolder(35, 1, "", 35)); },
       absl::StatusCode::kInvalidArgument, "empty"},
      {[&] { return store_->InsertFolder(MakeFolder(36, 1, "a\x01", 36)); },
       absl::StatusCode::kInvalidArgument, "control character"},
      {[&] {
         return store_->InsertFolder(
             MakeFolder(37, 1, std::string(257, 'n'), 37));
       },
       absl::StatusCode::kInvalidArgument, "the limit is 256"},
      {[&] { return store_->InsertFolder(MakeFolder(38, 1, "bad\xC3", 38)); },
       absl::StatusCode::kInvalidArgument, "invalid UTF-8"},
      {[&] {
         Item i = MakeItem(39, 2, 39);
         i.message_class = "";
         return store_->InsertItem(i);
       },
       absl::StatusCode::kInvalidArgument, "message class"},
      {[&] { return store_->UpdateFolder(MakeFolder(40, 1, "Ghost", 40)); },
       absl::StatusCode::kNotFound, "no folder"},
      {[&] { return store_->UpdateItem(MakeItem(41, 2, 41)); },
       absl::StatusCode::kNotFound, "no item"},
      {[&] { return store_->UpdateItem(MakeItem(10, 99, 42)); },
       absl::StatusCode::kFailedPrecondition, "does not exist"},
  };
  for (auto& c : cases) {
    const absl::Status s = c.write();
    EXPECT_EQ(s.code(), c.code) << s;
    EXPECT_THAT(std::string(s.message()), HasSubstr(c.error));
  }
  ASSERT_TRUE(store_->Commit().ok());
  const StoreCounts counts = store_->Count().value();
  EXPECT_EQ(counts.folders, 3u);
  EXPECT_EQ(counts.items, 3u);  // the two from Populate and the good write
  EXPECT_EQ(store_->GetItem(SourceKey(kA, GC(10))).value(), MakeItem(10, 2, 4));
  EXPECT_EQ(StreamCns(), (std::vector<uint64_t>{1, 2, 3, 4, 5, 20}));
}

TEST_P(StoreConformanceTest, SizeLimit) {
  options_.max_item_size = 1000;
  store_ = GetParam().open(options_);
  Populate();
  Item big = MakeItem(12, 2, 6);
  big.body = std::string(1000, 'x');
  ASSERT_TRUE(store_->Begin().ok());
  const absl::Status s = store_->InsertItem(big);
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(std::string(s.message()), HasSubstr("limit is 1000"));
  big.body.resize(900);
  EXPECT_TRUE(store_->InsertItem(big).ok());
  big.body.resize(2000);
  EXPECT_EQ(store_->UpdateItem(big).code(),
            absl::StatusCode::kResourceExhausted);
  ASSERT_TRUE(store_->Commit().ok());
  EXPECT_EQ(store_->GetItem(big.source_key).value().body.size(), 900u);
}

TEST_P(StoreConformanceTest, RollbackUndoesEverything) {
  Populate();
  InTx([&] { ASSERT_TRUE(store_->PutSyncState("session", "v1").ok()); });
  const StoreIdentity identity = store_->Identity().value();
  ASSERT_TRUE(store_->Begin().ok());
  ASSERT_TRUE(store_->InsertFolder(MakeFolder(4, 1, "Temp", 6)).ok());
  ASSERT_TRUE(store_->InsertItem(MakeItem(12, 4, 7)).ok());
  ASSERT_TRUE(store_->UpdateItem(MakeItem(10, 3, 8)).ok());
  ASSERT_TRUE(store_->DeleteItem(SourceKey(kA, GC(11))).ok());
  ASSERT_TRUE(store_->PutTombstone(MakeTombstone(11, 2, 9)).ok());
  ASSERT_TRUE(store_->UpdateFolder(MakeFolder(2, 1, "Renamed", 10)).ok());
  ASSERT_TRUE(store_->PutSyncState("session", "v2").ok());
  ASSERT_TRUE(store_->PutSyncState("other", "x").ok());
  ASSERT_TRUE(store_->SetIdentity({kB, 7}).ok());
  // The transaction sees its own writes.
  EXPECT_EQ(store_->GetFolder(SourceKey(kA, GC(2))).value().display_name,
            "Renamed");
  EXPECT_EQ(store_->GetSyncState("session").value(), "v2");
  ASSERT_TRUE(store_->Rollback().ok());

  EXPECT_EQ(store_->Identity().value(), identity);
  EXPECT_EQ(store_->GetFolder(SourceKey(kA, GC(4))).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->GetItem(SourceKey(kA, GC(10))).value(), MakeItem(10, 2, 4));
  EXPECT_EQ(store_->GetItem(SourceKey(kA, GC(11))).value(), MakeItem(11, 2, 5));
  EXPECT_EQ(store_->GetTombstone(SourceKey(kA, GC(11))).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->GetFolder(SourceKey(kA, GC(2))).value().display_name,
            "Sales");
  EXPECT_EQ(store_->GetSyncState("session").value(), "v1");
  EXPECT_EQ(store_->GetSyncState("other").value(), std::nullopt);
  EXPECT_EQ(StreamCns(), (std::vector<uint64_t>{1, 2, 3, 4, 5}));
}

TEST_P(StoreConformanceTest, ChangeStreamIsInLocalChangeNumberOrder) {
  Populate();
  EXPECT_EQ(HighWater(), 5u);
  InTx([&] {
    // An update moves an object to the end of the stream; a deletion appears
    // as its tombstone; a change from another replica keeps its change key
    // and takes the next local change number like any write.
    ASSERT_TRUE(store_->UpdateFolder(MakeFolder(2, 1, "Sales", 9)).ok());
    ASSERT_TRUE(store_->DeleteItem(SourceKey(kA, GC(11))).ok());
    ASSERT_TRUE(store_->PutTombstone(MakeTombstone(11, 2, 7)).ok());
    ASSERT_TRUE(store_->InsertItem(MakeItem(12, 3, 2, kB)).ok());
    EXPECT_EQ(HighWater(), 8u);  // the open transaction's writes count
  });
  const std::vector<Change> all = Stream();
  std::vector<std::string> keys;
  std::vector<uint64_t> local;
  for (const Change& c : all) {
    keys.push_back(c.change_key().ToString());
    local.push_back(c.local_cn.value());
  }
  EXPECT_THAT(keys, ElementsAre(ChangeNumber(kA, GC(1)).ToString(),
                                ChangeNumber(kA, GC(3)).ToString(),
                                ChangeNumber(kA, GC(4)).ToString(),
                                ChangeNumber(kA, GC(9)).ToString(),
                                ChangeNumber(kA, GC(7)).ToString(),
                                ChangeNumber(kB, GC(2)).ToString()));
  EXPECT_THAT(local, ElementsAre(1, 3, 4, 6, 7, 8));
  EXPECT_TRUE(std::holds_alternative<Folder>(all[3].object));
  EXPECT_TRUE(std::holds_alternative<Tombstone>(all[4].object));
  EXPECT_EQ(all[5].source_key(), SourceKey(kA, GC(12)));
}

TEST_P(StoreConformanceTest, ChangeStreamFiltersByKind) {
  Populate();
  InTx([&] {
    ASSERT_TRUE(store_->DeleteItem(SourceKey(kA, GC(11))).ok());
    ASSERT_TRUE(store_->PutTombstone(MakeTombstone(11, 2, 7)).ok());
    ASSERT_TRUE(store_->UpdateFolder(MakeFolder(2, 1, "Sales", 9)).ok());
  });
  ChangeStreamOptions folders;
  folders.kinds = KindBit(ObjectKind::kFolder);
  EXPECT_EQ(StreamCns(GlobSet(), folders), (std::vector<uint64_t>{1, 3, 9}));
  ChangeStreamOptions items;
  items.kinds = KindBit(ObjectKind::kItem);
  items.batch_size = 1;  // batches still advance past other kinds
  EXPECT_EQ(StreamCns(GlobSet(), items), (std::vector<uint64_t>{4}));
  ChangeStreamOptions deletions;
  deletions.kinds = KindBit(ObjectKind::kTombstone);
  EXPECT_EQ(StreamCns(GlobSet(), deletions), (std::vector<uint64_t>{7}));
  ChangeStreamOptions none;
  none.kinds = 0;
  EXPECT_TRUE(StreamCns(GlobSet(), none).empty());
}

TEST_P(StoreConformanceTest, LocalChangeNumbersAreNeverReused) {
  Populate();
  // A failed write takes no number.
  InTx([&] {
    EXPECT_FALSE(store_->InsertItem(MakeItem(10, 2, 30)).ok());
    EXPECT_EQ(HighWater(), 5u);
  });
  // A rolled-back transaction's numbers are given again: nothing used them.
  ASSERT_TRUE(store_->Begin().ok());
  ASSERT_TRUE(store_->InsertItem(MakeItem(20, 2, 31)).ok());
  EXPECT_EQ(HighWater(), 6u);
  ASSERT_TRUE(store_->Rollback().ok());
  EXPECT_EQ(HighWater(), 5u);
  // A removed object's number is not given again.
  InTx([&] { ASSERT_TRUE(store_->DeleteItem(SourceKey(kA, GC(11))).ok()); });
  EXPECT_EQ(HighWater(), 5u);
  InTx([&] { ASSERT_TRUE(store_->InsertItem(MakeItem(21, 2, 32)).ok()); });
  EXPECT_EQ(HighWater(), 6u);
  const std::vector<Change> all = Stream();
  ASSERT_EQ(all.size(), 5u);
  EXPECT_EQ(all.back().local_cn, GC(6));
  EXPECT_EQ(all.back().source_key(), SourceKey(kA, GC(21)));
}

TEST_P(StoreConformanceTest, ChangeStreamSkipsTheExcludedSet) {
  InTx([&] {
    ASSERT_TRUE(store_->InsertFolder(MakeFolder(1, {}, "Public", 1)).ok());
    for (uint64_t i = 0; i < 50; ++i) {
      ASSERT_TRUE(store_->InsertItem(MakeItem(100 + i, 1, 2 + i)).ok());
    }
  });
  GlobSet seen;
  ASSERT_TRUE(seen.InsertRange(GC(1), GC(40)).ok());
  seen.Insert(GC(45));
  EXPECT_EQ(StreamCns(seen),
            (std::vector<uint64_t>{41, 42, 43, 44, 46, 47, 48, 49, 50, 51}));
  GlobSet everything;
  ASSERT_TRUE(everything.InsertRange(GC(0), GlobCnt::Max()).ok());
  EXPECT_TRUE(StreamCns(everything).empty());
}

TEST_P(StoreConformanceTest, ChangeStreamBatches) {
  InTx([&] {
    ASSERT_TRUE(store_->InsertFolder(MakeFolder(1, {}, "Public", 1)).ok());
    for (uint64_t i = 0; i < 25; ++i) {
      Item item = MakeItem(100 + i, 1, 2 + i);
      item.body = std::string(1000, 'b');
      ASSERT_TRUE(store_->InsertItem(item).ok());
    }
  });
  ChangeStreamOptions by_count;
  by_count.batch_size = 10;
  EXPECT_EQ(store_->ReadChanges(GlobSet(), GlobCnt(), by_count).value().size(),
            10u);
  EXPECT_EQ(StreamCns(GlobSet(), by_count).size(), 26u);
  ChangeStreamOptions by_bytes;
  by_bytes.batch_bytes = 3000;  // about three items
  const std::vector<Change> batch =
      store_->ReadChanges(GlobSet(), GlobCnt(), by_bytes).value();
  EXPECT_GE(batch.size(), 3u);
  EXPECT_LE(batch.size(), 5u);
  ChangeStreamOptions tiny;
  tiny.batch_bytes = 1;  // still makes progress
  EXPECT_EQ(StreamCns(GlobSet(), tiny).size(), 26u);
  // Resuming after the last change returns nothing.
  EXPECT_TRUE(store_->ReadChanges(GlobSet(), GC(26), {}).value().empty());
}

// Each folder's digest is that of the items it holds, whatever happened to
// them (added, changed, moved, deleted, rolled back), and it does not
// depend on the order they came in.
TEST_P(StoreConformanceTest, FolderDigestsFollowTheItems) {
  Populate();
  const SourceKey sales(kA, GC(2)), support(kA, GC(3));
  auto expect_current = [&](const char* when) {
    for (const SourceKey& f : {sales, support}) {
      EXPECT_EQ(store_->GetFolderDigest(f).value(),
                stores_internal::DigestOfVersions(
                    store_->ListItemVersions(f).value()))
          << when << ", folder " << f.ToString();
    }
  };
  expect_current("populated");
  EXPECT_EQ(store_->GetFolderDigest(sales).value().items, 2u);
  EXPECT_EQ(store_->GetFolderDigest(support).value(), FolderDigest());
  EXPECT_EQ(store_->GetFolderDigest(SourceKey(kA, GC(99))).value(),
            FolderDigest());
  const FolderDigest before = store_->GetFolderDigest(sales).value();

  InTx([&] {
    ASSERT_TRUE(store_->InsertItem(MakeItem(12, 2, 6)).ok());
    ASSERT_TRUE(store_->UpdateItem(MakeItem(10, 2, 7)).ok());  // new version
    ASSERT_TRUE(store_->UpdateItem(MakeItem(11, 3, 8)).ok());  // moved
  });
  expect_current("changed");
  EXPECT_EQ(store_->GetFolderDigest(support).value().items, 1u);
  EXPECT_NE(store_->GetFolderDigest(sales).value(), before);

  ASSERT_TRUE(store_->Begin().ok());
  ASSERT_TRUE(store_->DeleteItem(SourceKey(kA, GC(12))).ok());
  ASSERT_TRUE(store_->UpdateItem(MakeItem(11, 2, 9)).ok());
  ASSERT_TRUE(store_->Rollback().ok());
  expect_current("rolled back");
  EXPECT_EQ(store_->GetFolderDigest(support).value().items, 1u);

  InTx([&] {
    ASSERT_TRUE(store_->DeleteItem(SourceKey(kA, GC(12))).ok());
    ASSERT_TRUE(store_->UpdateItem(MakeItem(10, 2, 4)).ok());
    ASSERT_TRUE(store_->UpdateItem(MakeItem(11, 2, 5)).ok());
  });
  // Back to the populated items: the same digest, reached another way.
  EXPECT_EQ(store_->GetFolderDigest(sales).value(), before);
  EXPECT_EQ(store_->GetFolderDigest(support).value(), FolderDigest());
  expect_current("restored");
}

// A scope exit keeps what it is (Tombstone::scope_exit) and the folder it
// left with (Tombstone::left_with), in every backend.
TEST_P(StoreConformanceTest, ScopeExitsKeepTheFolderTheyLeftWith) {
  Populate();
  Tombstone exit = MakeTombstone(11, 2, 6);
  exit.scope_exit = true;
  exit.left_with = SourceKey(kA, GC(2));
  InTx([&] {
    ASSERT_TRUE(store_->DeleteItem(SourceKey(kA, GC(11))).ok());
    ASSERT_TRUE(store_->PutTombstone(exit).ok());
  });
  EXPECT_EQ(store_->GetTombstone(SourceKey(kA, GC(11))).value(), exit);
}

TEST_P(StoreConformanceTest, PurgeTombstonesRecordsTheHorizon) {
  Populate();
  InTx([&] {
    // Tombstones deleted at 3000 + cn, with local change numbers 6, 7, 8.
    ASSERT_TRUE(store_->PutTombstone(MakeTombstone(40, 2, 50)).ok());
    ASSERT_TRUE(store_->PutTombstone(MakeTombstone(41, 2, 20)).ok());
    ASSERT_TRUE(store_->PutTombstone(MakeTombstone(42, 2, 60)).ok());
  });
  EXPECT_EQ(store_->PurgeTombstones(FileTime::FromTicks(0)).status().code(),
            absl::StatusCode::kFailedPrecondition);  // needs a transaction
  // Rolled back: nothing purged, horizon unchanged.
  ASSERT_TRUE(store_->Begin().ok());
  EXPECT_EQ(store_->PurgeTombstones(FileTime::FromTicks(3055)).value(), 2u);
  ASSERT_TRUE(store_->Rollback().ok());
  EXPECT_EQ(store_->TombstoneHorizon().value(), GC(0));
  EXPECT_EQ(store_->Count().value().tombstones, 3u);

  InTx([&] {
    EXPECT_EQ(store_->PurgeTombstones(FileTime::FromTicks(3055)).value(), 2u);
  });
  EXPECT_EQ(store_->TombstoneHorizon().value(), GC(7));
  EXPECT_TRUE(
      absl::IsNotFound(store_->GetTombstone(SourceKey(kA, GC(40))).status()));
  EXPECT_TRUE(store_->GetTombstone(SourceKey(kA, GC(42))).ok());
  // The horizon never moves back.
  InTx([&] {
    EXPECT_EQ(store_->PurgeTombstones(FileTime::FromTicks(0)).value(), 0u);
  });
  EXPECT_EQ(store_->TombstoneHorizon().value(), GC(7));
  // Items and folders are never purged.
  EXPECT_EQ(store_->Count().value().items, 2u);
}

TEST_P(StoreConformanceTest, MaxCounterInUse) {
  Populate();
  EXPECT_EQ(store_->MaxCounterInUse(kA).value(), GC(11));  // source key 11
  InTx([&] {
    ASSERT_TRUE(store_->PutTombstone(MakeTombstone(40, 2, 50)).ok());
  });
  EXPECT_EQ(store_->MaxCounterInUse(kA).value(), GC(50));  // deletion CN
  EXPECT_EQ(store_->MaxCounterInUse(kB).value(), GC(0));
}

TEST_P(StoreConformanceTest, SyncState) {
  EXPECT_EQ(store_->GetSyncState("s").value(), std::nullopt);
  InTx([&] {
    ASSERT_TRUE(store_->PutSyncState("s", std::string("\0\1\2", 3)).ok());
    ASSERT_TRUE(store_->PutSyncState("t", "").ok());
  });
  EXPECT_EQ(store_->GetSyncState("s").value(), std::string("\0\1\2", 3));
  EXPECT_EQ(store_->GetSyncState("t").value(), "");
  InTx([&] { ASSERT_TRUE(store_->PutSyncState("s", "new").ok()); });
  EXPECT_EQ(store_->GetSyncState("s").value(), "new");
}

INSTANTIATE_TEST_SUITE_P(
    Stores, StoreConformanceTest,
    ::testing::Values(
        StoreFactory{"memory",
                     [](const StoreOptions& options) {
                       return OpenStore("memory:", options).value();
                     }},
        StoreFactory{
            "sqlite",
            [](const StoreOptions& options) {
              return OpenStore("sqlite:" + NewDatabasePath(), options).value();
            }},
        // A host store written in C (tests/capi/memory_host_store.c),
        // through the C ABI's vtable adapter.
        StoreFactory{"host_c",
                     [](const StoreOptions& options) {
                       memory_host* host = memory_host_new();
                       return capi_internal::OpenHostStore(
                                  memory_host_vtable(host, nullptr), options)
                           .value();
                     }},
        // The example host store over SQLite (examples/c_host), which the
        // C ABI benchmark runs.
        StoreFactory{"host_c_sqlite",
                     [](const StoreOptions& options) {
                       sqlite_host* host = nullptr;
                       char error[256];
                       if (sqlite_host_open(&host, NewDatabasePath().c_str(),
                                            error, sizeof(error)) != 0) {
                         ADD_FAILURE() << error;
                         return std::unique_ptr<Store>();
                       }
                       return capi_internal::OpenHostStore(
                                  sqlite_host_vtable(host), options)
                           .value();
                     }}),
    [](const ::testing::TestParamInfo<StoreFactory>& param) {
      return param.param.name;
    });

// A commit that fails (here the host's) leaves the transaction open; trying
// it again commits the same writes once: the kept digests count each item
// once.
TEST(KernelTest, ACommitThatFailedCanBeTriedAgain) {
  memory_host* host = memory_host_new();
  std::unique_ptr<Store> store =
      capi_internal::OpenHostStore(memory_host_vtable(host, nullptr), {})
          .value();
  ASSERT_TRUE(store->Begin().ok());
  ASSERT_TRUE(store->InsertFolder(MakeFolder(1, {}, "Public", 1)).ok());
  ASSERT_TRUE(store->InsertFolder(MakeFolder(2, 1, "A", 2)).ok());
  ASSERT_TRUE(store->InsertFolder(MakeFolder(3, 1, "B", 3)).ok());
  ASSERT_TRUE(store->InsertItem(MakeItem(10, 2, 10)).ok());
  ASSERT_TRUE(store->InsertItem(MakeItem(11, 3, 11)).ok());
  memory_host_fail_next(host, "commit");
  EXPECT_EQ(store->Commit().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(store->InTransaction());
  ASSERT_TRUE(store->Commit().ok());
  auto& kernel = static_cast<stores_internal::StoreKernel&>(*store);
  EXPECT_TRUE(kernel.CheckIntegrity().ok()) << kernel.CheckIntegrity();
  EXPECT_EQ(store->GetFolderDigest(SourceKey(kA, GC(2))).value().items, 1u);
}

TEST(OpenStoreTest, RejectsBadUris) {
  EXPECT_THAT(std::string(OpenStore("nothing").status().message()),
              HasSubstr("no scheme"));
  EXPECT_THAT(std::string(OpenStore("ftp:x").status().message()),
              HasSubstr("unknown scheme \"ftp\""));
  EXPECT_TRUE(OpenStore("memory:x").ok());  // a label
  EXPECT_THAT(std::string(ValidateStoreUri("ftp:x").message()),
              HasSubstr("unknown scheme \"ftp\""));
  EXPECT_TRUE(ValidateStoreUri("sqlite:/var/lib/x.db").ok());
  // host:NAME names a store a host passes to a session: valid in a
  // configuration, never opened by URI.
  EXPECT_TRUE(ValidateStoreUri("host:fabrikam").ok());
  EXPECT_EQ(OpenStore("host:fabrikam").status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(OpenStore("host:fabrikam").status().message()),
              HasSubstr("Session::WithStores"));
  EXPECT_THAT(std::string(ValidateStoreUri("host:").message()),
              HasSubstr("needs a name"));
  EXPECT_TRUE(OpenStore("memory:").ok());
  EXPECT_THAT(std::string(OpenStore("sqlite:").status().message()),
              HasSubstr("needs a file path"));
  // A directory that does not exist is NotFound (SQLite alone says "unable
  // to open database file", as for one it may not write).
  const absl::Status missing =
      OpenStore("sqlite:/nonexistent-dir/x.db").status();
  EXPECT_EQ(missing.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(missing.message()),
              HasSubstr("the directory /nonexistent-dir does not exist"));
  EXPECT_EQ(OpenStore("sqlite:/etc/hostname/x.db").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(OpenStore("sqlite:/tmp").status().code(),
            absl::StatusCode::kInvalidArgument);
  // One that exists but takes no files is refused access.
  EXPECT_EQ(OpenStore("sqlite:/proc/iorepl-test.db").status().code(),
            absl::StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace ioreplication
