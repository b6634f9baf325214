// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "ioreplication/globset.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test_util.h"

namespace ioreplication {
namespace {

using ::ioreplication::testing::GC;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

GlobSet S(std::string_view text) { return GlobSet::Parse(text).value(); }

TEST(GlobSetTest, InsertKeepsRangesMergedAndSorted) {
  GlobSet set;
  set.Insert(GC(5));
  set.Insert(GC(1));
  set.Insert(GC(3));
  EXPECT_EQ(set.ToString(), "1,3,5");
  set.Insert(GC(2));  // joins 1 and 3
  EXPECT_EQ(set.ToString(), "1-3,5");
  set.Insert(GC(4));  // joins everything
  EXPECT_THAT(set.ranges(), ElementsAre(GlobRange{1, 5}));
  set.Insert(GC(3));  // already there
  EXPECT_EQ(set.range_count(), 1u);
}

TEST(GlobSetTest, InsertRangeSwallowsEverythingItTouches) {
  GlobSet set = S("1,3,5,7,20-30,40");
  ASSERT_TRUE(set.InsertRange(GC(2), GC(21)).ok());
  EXPECT_EQ(set.ToString(), "1-30,40");
  ASSERT_TRUE(set.InsertRange(GC(31), GC(39)).ok());  // adjacent on both sides
  EXPECT_EQ(set.ToString(), "1-40");
  ASSERT_TRUE(set.InsertRange(GC(50), GC(50)).ok());
  ASSERT_TRUE(
      set.InsertRange(GC(45), GC(46)).ok());  // a new range in the middle
  EXPECT_EQ(set.ToString(), "1-40,45-46,50");
}

TEST(GlobSetTest, InsertAllTakesValuesInAnyOrder) {
  GlobSet set = S("1-3,100");
  const std::vector<GlobCnt> values = {GC(50), GC(4),  GC(99), GC(7),
                                       GC(4),  GC(52), GC(51)};
  set.InsertAll(values);
  EXPECT_EQ(set.ToString(), "1-4,7,50-52,99-100");
  set.InsertAll({});
  EXPECT_EQ(set.ToString(), "1-4,7,50-52,99-100");
}

TEST(GlobSetTest, InsertRangeRejectsInvertedAndChangesNothing) {
  GlobSet set = S("1-3");
  const absl::Status status = set.InsertRange(GC(9), GC(4));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("inverted"));
  EXPECT_EQ(set.ToString(), "1-3");
}

TEST(GlobSetTest, WorksAtTheEdgesOfTheCounter) {
  GlobSet set;
  set.Insert(GlobCnt::Max());
  set.Insert(GC(0));
  ASSERT_TRUE(
      set.InsertRange(GC(GlobCnt::kMaxValue - 5), GC(GlobCnt::kMaxValue - 1))
          .ok());
  EXPECT_TRUE(set.Contains(GlobCnt::Max()));
  EXPECT_TRUE(set.Contains(GC(0)));
  EXPECT_FALSE(set.Contains(GC(1)));
  EXPECT_EQ(set.range_count(), 2u);
  EXPECT_EQ(set.Count(), 7u);
  EXPECT_EQ(set.Max(), GlobCnt::Max());
  GlobSet everything;
  ASSERT_TRUE(everything.InsertRange(GC(0), GlobCnt::Max()).ok());
  EXPECT_EQ(everything.Count(), uint64_t{1} << 48);
  everything.Subtract(set);
  EXPECT_EQ(everything.ToString(), "1-281474976710649");
}

TEST(GlobSetTest, Contains) {
  const GlobSet set = S("2-4,10");
  for (uint64_t v : {2, 3, 4, 10}) EXPECT_TRUE(set.Contains(GC(v))) << v;
  for (uint64_t v : {0, 1, 5, 9, 11, 1000})
    EXPECT_FALSE(set.Contains(GC(v))) << v;
  EXPECT_FALSE(GlobSet().Contains(GC(0)));
}

TEST(GlobSetTest, Union) {
  GlobSet a = S("1-3,10-12,20");
  a.UnionWith(S("4,8-9,13-19,30"));
  EXPECT_EQ(a.ToString(), "1-4,8-20,30");
  GlobSet b = S("1-2");
  b.UnionWith(S("5-6"));  // disjoint, after
  EXPECT_EQ(b.ToString(), "1-2,5-6");
  GlobSet c;
  c.UnionWith(S("7"));
  EXPECT_EQ(c.ToString(), "7");
}

TEST(GlobSetTest, Subtract) {
  GlobSet a = S("1-10,20-30,40");
  a.Subtract(S("0,3-4,9-21,25,40-50"));
  EXPECT_EQ(a.ToString(), "1-2,5-8,22-24,26-30");
  GlobSet b = S("1-10");
  b.Subtract(S("1-10"));
  EXPECT_TRUE(b.empty());
  GlobSet c = S("5-6");
  c.Subtract(S("1-2,8-9"));
  EXPECT_EQ(c.ToString(), "5-6");
}

TEST(GlobSetTest, Intersect) {
  GlobSet a = S("1-10,20-30,40");
  a.IntersectWith(S("5-25,28,35-45"));
  EXPECT_EQ(a.ToString(), "5-10,20-25,28,40");
  GlobSet b = S("1-3");
  b.IntersectWith(GlobSet());
  EXPECT_TRUE(b.empty());
}

TEST(GlobSetTest, Includes) {
  const GlobSet set = S("1-10,20-30");
  EXPECT_TRUE(set.Includes(S("1,5-10,25-30")));
  EXPECT_TRUE(set.Includes(GlobSet()));
  EXPECT_FALSE(set.Includes(S("10-11")));
  EXPECT_FALSE(set.Includes(S("15")));
  EXPECT_FALSE(set.Includes(S("31")));
  EXPECT_FALSE(GlobSet().Includes(S("1")));
}

TEST(GlobSetTest, CountAndMax) {
  EXPECT_EQ(S("1-5,9,12-20").Count(), 15u);
  EXPECT_EQ(S("1-5,9,12-20").Max(), GC(20));
  EXPECT_EQ(GlobSet().Max(), std::nullopt);
  EXPECT_EQ(GlobSet().Count(), 0u);
}

TEST(GlobSetTest, TextForm) {
  EXPECT_EQ(S(" 12-20 , 9,1-5 ").ToString(), "1-5,9,12-20");
  EXPECT_EQ(S("3-5,1-4").ToString(), "1-5");
  EXPECT_EQ(S("").ToString(), "");
  EXPECT_EQ(S("281474976710655").ToString(), "281474976710655");
}

TEST(GlobSetTest, ParseRejectsBadText) {
  for (const char* bad : {"1,,2", "a", "1-", "-1", "5-1", "1-2-3", "+1", "1 2",
                          "281474976710656", "0x10", ","}) {
    absl::StatusOr<GlobSet> set = GlobSet::Parse(bad);
    EXPECT_FALSE(set.ok()) << bad;
    EXPECT_EQ(set.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_THAT(std::string(GlobSet::Parse("5-1").status().message()),
              HasSubstr("inverted"));
  EXPECT_THAT(std::string(GlobSet::Parse("281474976710656").status().message()),
              HasSubstr("maximum"));
}

}  // namespace
}  // namespace ioreplication
