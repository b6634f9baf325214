// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "ioreplication/globcnt.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test_util.h"

namespace ioreplication {
namespace {

using ::ioreplication::testing::GC;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(GlobCntTest, WireFormIsSixBytesBigEndian) {
  // SPEC-NOTES TV-1: GLOBCNT 0x000000000005 is 00 00 00 00 00 05.
  EXPECT_THAT(GC(5).ToBytes(), ElementsAre(0, 0, 0, 0, 0, 5));
  EXPECT_THAT(GC(0x0102030405AB).ToBytes(),
              ElementsAre(0x01, 0x02, 0x03, 0x04, 0x05, 0xAB));
  const std::array<uint8_t, 6> wire = {0x12, 0x34, 0x56, 0x78, 0x9A, 0xBC};
  EXPECT_EQ(GlobCnt::FromBytes(wire).value(), 0x123456789ABCu);
  std::string out;
  GC(0x123456789ABC).AppendTo(&out);
  EXPECT_EQ(testing::ToHex(out), "123456789abc");
}

TEST(GlobCntTest, RangeIs48Bits) {
  EXPECT_EQ(GlobCnt::Max().value(), 0xFFFFFFFFFFFFu);
  EXPECT_TRUE(GlobCnt::FromValue(0xFFFFFFFFFFFF).ok());
  absl::StatusOr<GlobCnt> too_big = GlobCnt::FromValue(0x1000000000000);
  ASSERT_FALSE(too_big.ok());
  EXPECT_EQ(too_big.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(too_big.status().message()), HasSubstr("48 bits"));
  EXPECT_FALSE(GlobCnt::FromValue(~uint64_t{0}).ok());
}

TEST(GlobCntTest, AddOverflowIsAnErrorNotAWrap) {
  EXPECT_EQ(GC(10).Add(5).value(), GC(15));
  EXPECT_EQ(GlobCnt::Max().Add(0).value(), GlobCnt::Max());
  EXPECT_EQ(GC(GlobCnt::kMaxValue - 3).Add(3).value(), GlobCnt::Max());
  absl::StatusOr<GlobCnt> past = GlobCnt::Max().Add(1);
  ASSERT_FALSE(past.ok());
  EXPECT_EQ(past.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_FALSE(GC(1).Add(GlobCnt::kMaxValue).ok());
  EXPECT_FALSE(GC(1).Add(~uint64_t{0}).ok());  // no unsigned wrap either
}

TEST(GlobCntTest, OrdersNumerically) {
  EXPECT_LT(GC(1), GC(2));
  EXPECT_LT(GC(0xFF), GC(0x100));
  EXPECT_EQ(GlobCnt(), GC(0));
}

}  // namespace
}  // namespace ioreplication
