// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Replica::Batch: many local changes in one transaction, all or nothing.

#include <memory>
#include <optional>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ioreplication/replica.h"
#include "sync/filling_store.h"

namespace ioreplication {
namespace {

using ::testing::HasSubstr;

ItemContent Post(std::string body) {
  ItemContent c;
  c.message_class = "IPM.Post";
  c.body = std::move(body);
  return c;
}

// A store whose tombstone writes fail once armed: DeleteItem then fails
// after it removed the item, part way through its change.
class TombstonesFail : public testing_util::FillingStore {
 public:
  using FillingStore::FillingStore;
  bool armed = false;
  absl::Status PutTombstone(const Tombstone& t) override {
    if (armed) return absl::UnavailableError("tombstones fail");
    return FillingStore::PutTombstone(t);
  }
};

class ReplicaBatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    inner_ = OpenStore("memory:").value();
    store_ = std::make_unique<TombstonesFail>(inner_.get());
    ReplicaOptions options;
    options.counter_block = 4;  // small: a batch crosses block boundaries
    replica_ = Replica::Open(store_.get(), options).value();
    root_ = replica_->CreateRootFolder("Public Folders").value();
  }

  uint64_t Items() { return inner_->Count().value().items; }

  std::unique_ptr<Store> inner_;
  std::unique_ptr<TombstonesFail> store_;
  std::unique_ptr<Replica> replica_;
  Folder root_;
};

TEST_F(ReplicaBatchTest, ManyChangesCommitTogether) {
  const GlobCnt before = inner_->LocalCnHighWater().value();
  std::vector<Item> created;
  ASSERT_TRUE(replica_
                  ->Batch([&]() -> absl::Status {
                    for (int i = 0; i < 10; ++i) {
                      absl::StatusOr<Item> item = replica_->CreateItem(
                          root_.source_key, Post(std::to_string(i)));
                      if (!item.ok()) return item.status();
                      // Not visible to other handles until the end, but to
                      // this one at once.
                      EXPECT_TRUE(store_->InTransaction());
                      created.push_back(*std::move(item));
                    }
                    return replica_->DeleteItem(created[0].source_key);
                  })
                  .ok());
  EXPECT_FALSE(store_->InTransaction());
  EXPECT_EQ(Items(), 9u);
  EXPECT_EQ(inner_->LocalCnHighWater().value().value(), before.value() + 11);
  // Change numbers are distinct and ascending, across counter blocks.
  for (size_t i = 1; i < created.size(); ++i) {
    EXPECT_GT(created[i].change_key, created[i - 1].change_key);
    EXPECT_NE(created[i].source_key, created[i - 1].source_key);
  }
  EXPECT_GE(inner_->CounterHighWater().value().value(),
            created.back().change_key.counter().value());
  // Changes after the batch go on above it.
  const Item later = replica_->CreateItem(root_.source_key, Post("x")).value();
  EXPECT_GT(later.change_key, created.back().change_key);
}

TEST_F(ReplicaBatchTest, AnErrorFromTheBodyRollsEverythingBack) {
  const absl::Status status = replica_->Batch([&]() -> absl::Status {
    EXPECT_TRUE(replica_->CreateItem(root_.source_key, Post("a")).ok());
    EXPECT_TRUE(replica_->CreateItem(root_.source_key, Post("b")).ok());
    return absl::CancelledError("the host changed its mind");
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(Items(), 0u);
  // The counters it reserved inside were rolled back too; new changes work.
  const Item item = replica_->CreateItem(root_.source_key, Post("c")).value();
  EXPECT_EQ(Items(), 1u);
  EXPECT_EQ(inner_->GetItem(item.source_key).value().body, "c");
}

TEST_F(ReplicaBatchTest, AnOperationThatFailsBeforeWritingFailsAlone) {
  const Item kept = replica_->CreateItem(root_.source_key, Post("k")).value();
  ASSERT_TRUE(replica_
                  ->Batch([&]() -> absl::Status {
                    EXPECT_TRUE(
                        replica_->CreateItem(root_.source_key, Post("a")).ok());
                    // Gone, and bad content: refused before any write.
                    EXPECT_EQ(replica_
                                  ->ModifyItem(SourceKey(kept.source_key.replica(),
                                                         GlobCnt::Max()),
                                               Post("x"))
                                  .status()
                                  .code(),
                              absl::StatusCode::kNotFound);
                    ItemContent bad = Post("y");
                    bad.message_class = "";
                    EXPECT_FALSE(replica_->ModifyItem(kept.source_key, bad).ok());
                    return replica_->ModifyItem(kept.source_key, Post("k2"))
                        .status();
                  })
                  .ok());
  EXPECT_EQ(Items(), 2u);
  EXPECT_EQ(inner_->GetItem(kept.source_key).value().body, "k2");
}

TEST_F(ReplicaBatchTest, AnOperationThatFailsPartWayFailsTheBatch) {
  const Item a = replica_->CreateItem(root_.source_key, Post("a")).value();
  const absl::Status status = replica_->Batch([&]() -> absl::Status {
    EXPECT_TRUE(replica_->CreateItem(root_.source_key, Post("b")).ok());
    store_->armed = true;
    // The item is removed, then its tombstone fails: half a deletion.
    const absl::Status deleted = replica_->DeleteItem(a.source_key);
    EXPECT_EQ(deleted.code(), absl::StatusCode::kUnavailable);
    store_->armed = false;
    // Every later operation is refused with the batch's error...
    EXPECT_EQ(replica_->CreateItem(root_.source_key, Post("c")).status().code(),
              absl::StatusCode::kUnavailable);
    // ...and the body cannot make the batch commit.
    return absl::OkStatus();
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(status.message()), HasSubstr("tombstones fail"));
  EXPECT_EQ(Items(), 1u);
  EXPECT_EQ(inner_->GetItem(a.source_key).value().body, "a");
}

TEST_F(ReplicaBatchTest, BatchesDoNotNestAndMarkRestoredWaits) {
  const absl::Status status = replica_->Batch([&]() -> absl::Status {
    EXPECT_EQ(replica_->Batch([] { return absl::OkStatus(); }).code(),
              absl::StatusCode::kFailedPrecondition);
    EXPECT_EQ(replica_->MarkRestored().code(),
              absl::StatusCode::kFailedPrecondition);
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_TRUE(replica_->MarkRestored().ok());
}

}  // namespace
}  // namespace ioreplication
