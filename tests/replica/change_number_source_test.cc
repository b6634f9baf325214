// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// ChangeNumberSource (src/replica/change_number_source.h): blocks reserved
// ahead are durable, blocks reserved inside a transaction live and die with
// it, and a value is always above what the object's PCL records.

#include "replica/change_number_source.h"

#include <memory>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ioreplication/store.h"

namespace ioreplication::replica_internal {
namespace {

using ::testing::HasSubstr;

GlobCnt GC(uint64_t v) { return GlobCnt::FromValue(v).value(); }

class ChangeNumberSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = OpenStore("memory:").value();
    guid_ = store_->Identity().value().replica;
  }

  ChangeNumber CN(uint64_t v) const { return ChangeNumber(guid_, GC(v)); }

  std::unique_ptr<Store> store_;
  Guid guid_;
};

TEST_F(ChangeNumberSourceTest, ABlockReservedAheadIsDurableAndConsecutive) {
  ChangeNumberSource source(store_.get(), guid_, 4);
  ASSERT_TRUE(source.Reserve(2).ok());
  EXPECT_EQ(store_->CounterHighWater().value(), GC(4));
  ASSERT_TRUE(store_->Begin().ok());
  EXPECT_EQ(source.Next().value(), CN(1));
  EXPECT_EQ(source.Next().value(), CN(2));
  ASSERT_TRUE(store_->Rollback().ok());
  source.Ended(false);
  // The block was reserved outside the transaction: it stays, and values a
  // rolled-back transaction took are not handed out again.
  ASSERT_TRUE(store_->Begin().ok());
  EXPECT_EQ(source.Next().value(), CN(3));
  EXPECT_EQ(source.Next().value(), CN(4));
  // Used up: the next value comes from a block reserved in the transaction.
  EXPECT_EQ(source.Next().value(), CN(5));
  EXPECT_EQ(store_->CounterHighWater().value(), GC(8));
  ASSERT_TRUE(store_->Commit().ok());
  source.Ended(true);
  EXPECT_EQ(store_->CounterHighWater().value(), GC(8));
  ASSERT_TRUE(store_->Begin().ok());
  EXPECT_EQ(source.Next().value(), CN(6));  // a committed block is kept
  ASSERT_TRUE(store_->Commit().ok());
  source.Ended(true);
}

TEST_F(ChangeNumberSourceTest, ABlockReservedInARolledBackTransactionIsDropped) {
  ChangeNumberSource source(store_.get(), guid_, 4);
  ASSERT_TRUE(store_->Begin().ok());
  EXPECT_EQ(source.Next().value(), CN(1));
  ASSERT_TRUE(store_->Rollback().ok());
  source.Ended(false);
  // The reservation was undone with the transaction, so another handle may
  // get its values: this source must not keep using them.
  EXPECT_EQ(store_->CounterHighWater().value(), GC(0));
  const CounterBlock other = store_->ReserveCounters(2).value();
  EXPECT_EQ(other.first, GC(1));
  ASSERT_TRUE(store_->Begin().ok());
  EXPECT_EQ(source.Next().value(), CN(3));
  ASSERT_TRUE(store_->Commit().ok());
  source.Ended(true);
}

TEST_F(ChangeNumberSourceTest, AValueIsAboveWhatThePclRecords) {
  ChangeNumberSource source(store_.get(), guid_, 4);
  ASSERT_TRUE(source.Reserve(4).ok());  // 1..4
  // Another handle reserved and used counters above this block.
  ASSERT_TRUE(store_->ReserveCounters(10).ok());  // 5..14
  Pcl pcl;
  ASSERT_TRUE(pcl.Raise(CN(9)).ok());
  ASSERT_TRUE(store_->Begin().ok());
  EXPECT_EQ(source.Next(&pcl).value(), CN(15));
  EXPECT_EQ(source.Next().value(), CN(16));
  ASSERT_TRUE(store_->Commit().ok());
  source.Ended(true);
}

TEST_F(ChangeNumberSourceTest, ACounterBehindTheDataIsRestoredNotReused) {
  ChangeNumberSource source(store_.get(), guid_, 4);
  Pcl pcl;
  ASSERT_TRUE(pcl.Raise(CN(1000)).ok());  // what a restored store holds
  ASSERT_TRUE(store_->Begin().ok());
  absl::StatusOr<ChangeNumber> next = source.Next(&pcl);
  EXPECT_EQ(next.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(next.status().message()),
              HasSubstr("mark it restored"));
  ASSERT_TRUE(store_->Rollback().ok());
  source.Ended(false);
}

TEST_F(ChangeNumberSourceTest, ResetForgetsTheOldGuidsBlock) {
  ChangeNumberSource source(store_.get(), guid_, 4);
  ASSERT_TRUE(source.Reserve(4).ok());
  const Guid next = Guid::Random();
  ASSERT_TRUE(store_->Begin().ok());
  ASSERT_TRUE(store_->SetIdentity({next, 1}).ok());
  ASSERT_TRUE(store_->Commit().ok());
  source.Reset(next);
  ASSERT_TRUE(store_->Begin().ok());
  EXPECT_EQ(source.Next().value(), ChangeNumber(next, GC(1)));
  ASSERT_TRUE(store_->Commit().ok());
  source.Ended(true);
}

}  // namespace
}  // namespace ioreplication::replica_internal
