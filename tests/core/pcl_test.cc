// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "ioreplication/pcl.h"

#include <initializer_list>
#include <utility>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test_util.h"

namespace ioreplication {
namespace {

using ::ioreplication::testing::FilledGuid;
using ::ioreplication::testing::G;
using ::ioreplication::testing::GC;
using ::ioreplication::testing::Hex;
using ::ioreplication::testing::Span;
using ::ioreplication::testing::ToHex;
using ::ioreplication::testing::X;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const Guid kG0 = FilledGuid(0x00);
const Guid kG1 = G("{00112233-4455-6677-8899-AABBCCDDEEFF}");
const Guid kG2 = G("{FF000000-0000-0000-0000-000000000001}");

Pcl MakePcl(std::initializer_list<std::pair<Guid, uint64_t>> entries) {
  Pcl pcl;
  for (const auto& [guid, value] : entries) {
    EXPECT_TRUE(pcl.Raise(X(guid, value)).ok());
  }
  return pcl;
}

// SPEC-NOTES TV-6: a two-entry PCL, sorted by serialized GUID bytes.
TEST(PclTest, TwoEntryVector) {
  const std::string expected =
      Hex("16 00000000000000000000000000000000 00000000000a"
          "16 33221100554477668899aabbccddeeff 000000000123");
  const Pcl pcl = MakePcl({{kG1, 0x123}, {kG0, 0x0A}});
  EXPECT_EQ(pcl.Encode(), expected);
  EXPECT_EQ(pcl.Encode().size(), 46u);
  EXPECT_EQ(Pcl::Decode(Span(expected)).value(), pcl);
}

// SPEC-NOTES TV-6 sorting trap: {FF000000-...} serializes to 00 00 00 FF and
// so sorts before {00112233-...}.
TEST(PclTest, SortsBySerializedGuidNotText) {
  const Pcl pcl = MakePcl({{kG1, 1}, {kG2, 1}});
  ASSERT_EQ(pcl.size(), 2u);
  EXPECT_EQ(pcl.entries()[0].namespace_guid(), kG2);
  EXPECT_EQ(ToHex(pcl.Encode()).substr(2, 8), "000000ff");
}

TEST(PclTest, EmptyPclIsZeroBytes) {
  EXPECT_EQ(Pcl().Encode(), "");
  EXPECT_TRUE(Pcl::Decode({}).value().empty());
}

TEST(PclTest, RaiseKeepsTheHighestPerGuid) {
  Pcl pcl = MakePcl({{kG1, 5}});
  ASSERT_TRUE(pcl.Raise(X(kG1, 3)).ok());
  EXPECT_EQ(pcl.Find(kG1)->local_id(), 5u);
  ASSERT_TRUE(pcl.Raise(ChangeNumber(kG1, GC(9))).ok());
  EXPECT_EQ(pcl.Find(kG1)->local_id(), 9u);
  EXPECT_EQ(pcl.size(), 1u);
  EXPECT_EQ(pcl.Find(kG2), nullptr);
}

TEST(PclTest, RaiseRefusesAnotherLocalIdLength) {
  Pcl pcl = MakePcl({{kG1, 5}});
  const absl::Status status = pcl.Raise(X(kG1, 9, 8));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("6-byte LocalId"));
  EXPECT_EQ(pcl, MakePcl({{kG1, 5}}));  // unchanged
}

// SPEC-NOTES TV-7: every row of the comparison table, A incoming, B local.
TEST(PclTest, ComparisonTable) {
  struct Row {
    Pcl a, b;
    PclOrder order;
  } rows[] = {
      {MakePcl({{kG1, 5}}), MakePcl({{kG1, 5}}), PclOrder::kEqual},
      {MakePcl({{kG1, 6}}), MakePcl({{kG1, 5}}), PclOrder::kNewer},
      {MakePcl({{kG1, 5}, {kG2, 1}}), MakePcl({{kG1, 5}}), PclOrder::kNewer},
      {MakePcl({{kG1, 4}}), MakePcl({{kG1, 5}}), PclOrder::kOlder},
      {MakePcl({{kG1, 6}}), MakePcl({{kG1, 5}, {kG2, 1}}), PclOrder::kConflict},
      {MakePcl({{kG1, 6}, {kG2, 0}}), MakePcl({{kG1, 5}, {kG2, 1}}),
       PclOrder::kConflict},
      {Pcl(), MakePcl({{kG1, 1}}), PclOrder::kOlder},
      {MakePcl({{kG1, 1}}), Pcl(), PclOrder::kNewer},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(row.a.Compare(row.b), row.order)
        << row.a.ToString() << " vs " << row.b.ToString();
    const bool a_ge_b =
        row.order == PclOrder::kEqual || row.order == PclOrder::kNewer;
    const bool b_ge_a =
        row.order == PclOrder::kEqual || row.order == PclOrder::kOlder;
    EXPECT_EQ(row.a.Includes(row.b), a_ge_b);
    EXPECT_EQ(row.b.Includes(row.a), b_ge_a);
  }
  EXPECT_EQ(Pcl().Compare(Pcl()), PclOrder::kEqual);
}

TEST(PclTest, DifferentLocalIdLengthsNeverIncludeEachOther) {
  Pcl a, b;
  ASSERT_TRUE(a.Raise(X(kG1, 5, 6)).ok());
  ASSERT_TRUE(b.Raise(X(kG1, 5, 8)).ok());
  EXPECT_EQ(a.Compare(b), PclOrder::kConflict);
  EXPECT_FALSE(a.Includes(b));
}

// SPEC-NOTES TV-7: merging rows 5 and 6 gives {G1:6, G2:1}.
TEST(PclTest, MergeTakesTheMaximumPerGuid) {
  Pcl merged = MakePcl({{kG1, 6}});
  ASSERT_TRUE(merged.MergeFrom(MakePcl({{kG1, 5}, {kG2, 1}})).ok());
  EXPECT_EQ(merged, MakePcl({{kG1, 6}, {kG2, 1}}));
  EXPECT_TRUE(merged.Includes(MakePcl({{kG1, 6}})));
  EXPECT_TRUE(merged.Includes(MakePcl({{kG1, 5}, {kG2, 1}})));
}

TEST(PclTest, MergeRefusesMismatchedLengthsAndChangesNothing) {
  Pcl a = MakePcl({{kG0, 1}, {kG1, 5}});
  Pcl b;
  ASSERT_TRUE(b.Raise(X(kG0, 9)).ok());
  ASSERT_TRUE(b.Raise(X(kG1, 7, 8)).ok());
  const Pcl before = a;
  EXPECT_EQ(a.MergeFrom(b).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(a, before);
}

TEST(PclTest, DecodeAcceptsUnsortedRecordsAndSortsThem) {
  const std::string unsorted =
      Hex("16 33221100554477668899aabbccddeeff 000000000123"
          "16 00000000000000000000000000000000 00000000000a");
  const Pcl pcl = Pcl::Decode(Span(unsorted)).value();
  EXPECT_EQ(pcl, MakePcl({{kG0, 0x0A}, {kG1, 0x123}}));
  EXPECT_NE(pcl.Encode(), unsorted);
}

TEST(PclTest, DecodeAcceptsEveryLocalIdLength) {
  std::string wire;
  X(kG0, 1, 1).AppendSizedTo(&wire);
  X(kG1, 0x0102030405060708, 8).AppendSizedTo(&wire);
  const Pcl pcl = Pcl::Decode(Span(wire)).value();
  EXPECT_THAT(pcl.entries(),
              ElementsAre(X(kG0, 1, 1), X(kG1, 0x0102030405060708, 8)));
  EXPECT_EQ(pcl.Encode(), wire);
}

// SOGo's update path appends the replica's GUID again instead of raising
// the entry it holds; gromox keeps the maximum, and so do we.
TEST(PclTest, DecodeKeepsTheLargestOfAGuidListedTwiceAsSogoWritesIt) {
  std::string wire;
  X(kG1, 0x200, 6).AppendSizedTo(&wire);
  X(kG0, 0x0A, 6).AppendSizedTo(&wire);
  X(kG1, 0x123, 6).AppendSizedTo(&wire);
  X(kG1, 0x456, 6).AppendSizedTo(&wire);
  const Pcl pcl = Pcl::Decode(Span(wire)).value();
  EXPECT_EQ(pcl, MakePcl({{kG0, 0x0A}, {kG1, 0x456}}));
  // Re-encoded canonically: one record per GUID, sorted.
  std::string canonical;
  X(kG0, 0x0A, 6).AppendSizedTo(&canonical);
  X(kG1, 0x456, 6).AppendSizedTo(&canonical);
  EXPECT_EQ(pcl.Encode(), canonical);
  // The same GUID twice back to back, the smaller one second.
  std::string twice;
  X(kG0, 0x30, 6).AppendSizedTo(&twice);
  X(kG0, 0x10, 6).AppendSizedTo(&twice);
  EXPECT_EQ(Pcl::Decode(Span(twice)).value(), MakePcl({{kG0, 0x30}}));
}

TEST(PclTest, DecodeRejectsMalformedInputNamingTheByte) {
  const std::string good =
      Hex("16 33221100554477668899aabbccddeeff 000000000123");
  struct Case {
    std::string bytes;
    const char* error;
  } cases[] = {
      {Hex("16"), "PCL: byte 1: truncated XID: needs 22 bytes, 0 remain"},
      {good.substr(0, 20),
       "PCL: byte 1: truncated XID: needs 22 bytes, 19 remain"},
      {good + Hex("16") + good.substr(1, 10), "PCL: byte 24: truncated XID"},
      {Hex("10") + std::string(16, '\0'),
       "PCL: byte 0: XidSize 16 is outside 17..24"},
      {good + Hex("30") + std::string(48, '\0'),
       "PCL: byte 23: XidSize 48 is outside 17..24"},
      {good + Hex("00"), "PCL: byte 23: XidSize 0 is outside 17..24"},
      // One GUID with two LocalId lengths has no maximum.
      {good + Hex("18 33221100554477668899aabbccddeeff 0000000000000001"),
       "PCL: byte 23: namespace GUID {00112233-4455-6677-8899-AABBCCDDEEFF} "
       "appears twice, with a 6-byte and a 8-byte LocalId"},
      // Found when it arrives out of order too.
      {good + Hex("16") + std::string(22, '\0') +
           Hex("18 33221100554477668899aabbccddeeff 0000000000000001"),
       "PCL: byte 46: namespace GUID"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<Pcl> pcl = Pcl::Decode(Span(c.bytes));
    ASSERT_FALSE(pcl.ok()) << ToHex(c.bytes);
    EXPECT_EQ(pcl.status().code(), absl::StatusCode::kDataLoss);
    EXPECT_THAT(std::string(pcl.status().message()), HasSubstr(c.error))
        << ToHex(c.bytes);
  }
}

TEST(PclTest, OrderNames) {
  EXPECT_EQ(PclOrderName(PclOrder::kEqual), "equal");
  EXPECT_EQ(PclOrderName(PclOrder::kNewer), "newer");
  EXPECT_EQ(PclOrderName(PclOrder::kOlder), "older");
  EXPECT_EQ(PclOrderName(PclOrder::kConflict), "conflict");
}

}  // namespace
}  // namespace ioreplication
