// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "ioreplication/idset.h"

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
using ::testing::HasSubstr;

const Guid kG1 = G("{00112233-4455-6677-8899-AABBCCDDEEFF}");
const Guid kG2 = G("{FF000000-0000-0000-0000-000000000001}");  // sorts first
const char kG1Wire[] = "33221100554477668899aabbccddeeff";
const char kG2Wire[] = "000000ff000000000000000000000001";

IdSet I(std::string_view text) { return IdSet::Parse(text).value(); }
ReplIdSet R(std::string_view text) { return ReplIdSet::Parse(text).value(); }

TEST(IdSetTest, InsertAndContainsPerReplica) {
  IdSet set;
  set.Insert(kG1, GC(5));
  set.Insert(kG1, GC(6));
  ASSERT_TRUE(set.InsertRange(kG2, GC(10), GC(20)).ok());
  EXPECT_TRUE(set.Contains(kG1, GC(5)));
  EXPECT_TRUE(set.Contains(kG2, GC(15)));
  EXPECT_FALSE(set.Contains(kG2, GC(5)));  // the other replica's value
  EXPECT_FALSE(set.Contains(Guid(), GC(5)));
  EXPECT_EQ(set.Count(), 13u);
  ASSERT_NE(set.Find(kG1), nullptr);
  EXPECT_EQ(set.Find(kG1)->ToString(), "5-6");
  EXPECT_EQ(set.Find(Guid()), nullptr);
  EXPECT_EQ(set.InsertRange(kG1, GC(3), GC(2)).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(IdSetTest, InsertAllPerReplica) {
  IdSet set;
  const std::vector<GlobCnt> values = {GC(9), GC(3), GC(8), GC(2)};
  set.InsertAll(kG1, values);
  set.InsertAll(kG2, {});
  EXPECT_EQ(set.ToString(), "{00112233-4455-6677-8899-AABBCCDDEEFF}: 2-3,8-9");
}

// Groups are written in ascending order of the GUID's wire bytes.
TEST(IdSetTest, EncodesGroupsSortedByGuidBytes) {
  IdSet set;
  set.Insert(kG1, GC(7));
  set.Insert(kG2, GC(9));
  EXPECT_EQ(ToHex(set.Encode()), std::string(kG2Wire) + "06000000000009" +
                                     "00" + kG1Wire + "06000000000007" + "00");
  EXPECT_EQ(IdSet::Decode(Span(set.Encode())).value(), set);
}

TEST(IdSetTest, EmptySetIsZeroBytes) {
  EXPECT_EQ(IdSet().Encode(), "");
  EXPECT_TRUE(IdSet::Decode({}).value().empty());
  EXPECT_TRUE(ReplIdSet::Decode({}).value().empty());
}

// OpenChange's IDSET_parse vectors: real MetaTagIdsetDeleted and
// MetaTagCnsetSeen values.
TEST(IdSetTest, RealWorldVectors) {
  EXPECT_EQ(ReplIdSet::Decode(Span(Hex("0100 06 00000001042e 05 0000000104 "
                                       "52 35 37 50 00")))
                .value(),
            R("1: 66606,66613-66615"));
  EXPECT_EQ(
      ReplIdSet::Decode(Span(Hex("0100 05 0000000104 52 19 1A 50 00"))).value(),
      R("1: 66585-66586"));
  const IdSet seen = IdSet::Decode(Span(Hex("9bb9ffb50f44774fb488c5c6702ee3a8"
                                            "04 00000000 52 00a5 0151 50 00")))
                         .value();
  EXPECT_EQ(seen.ToString(), "{B5FFB99B-440F-4F77-B488-C5C6702EE3A8}: 165-337");
}

TEST(IdSetTest, RealWorldInvalidVectors) {
  for (const char* hex :
       {"0100 BA 000000", "0100 05 0000000104 02 191a 01 aa 52 19 1a 50 00",
        "0100 01 0a 01 0b 01 0c 01 0d 01 0e 02 0f0e 01 a2 01 a1 52 19 1a 50 "
        "00"}) {
    EXPECT_EQ(ReplIdSet::Decode(Span(Hex(hex))).status().code(),
              absl::StatusCode::kDataLoss)
        << hex;
  }
}

TEST(IdSetTest, DecodeMergesGroupsOutOfOrderOrRepeated) {
  const std::string wire = std::string(kG1Wire) + "06000000000007" + "00" +
                           kG2Wire + "06000000000009" + "00" + kG1Wire +
                           "06000000000008" + "00" + kG1Wire + "00";
  const IdSet set = IdSet::Decode(Span(Hex(wire))).value();
  EXPECT_EQ(set.ToString(),
            "{FF000000-0000-0000-0000-000000000001}: 9\n"
            "{00112233-4455-6677-8899-AABBCCDDEEFF}: 7-8");
  // Re-encoding gives the canonical order, one group per replica.
  EXPECT_EQ(IdSet::Decode(Span(set.Encode())).value(), set);
  EXPECT_LT(set.Encode().size(), Hex(wire).size());
}

TEST(IdSetTest, EmptyGroupsAreDropped) {
  const IdSet set =
      IdSet::Decode(Span(Hex(std::string(kG1Wire) + "00"))).value();
  EXPECT_TRUE(set.empty());
  EXPECT_EQ(set, IdSet());
}

TEST(IdSetTest, DecodeErrorsNameTheAbsoluteByte) {
  struct Case {
    std::string hex;
    const char* error;
  } cases[] = {
      {"33221100",
       "IDSET: byte 0: truncated replica GUID: needs 16 bytes, 4 remain"},
      {std::string(kG1Wire),
       "IDSET: byte 16: GLOBSET ends without an End command"},
      {std::string(kG1Wire) + "00" + "3322",
       "IDSET: byte 17: truncated replica GUID"},
      {std::string(kG1Wire) + "00" + kG2Wire + "50",
       "IDSET: byte 33: Pop command"},
      {std::string(kG1Wire) + "06000000000007", "IDSET: byte 23: GLOBSET ends"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<IdSet> set = IdSet::Decode(Span(Hex(c.hex)));
    ASSERT_FALSE(set.ok()) << c.hex;
    EXPECT_EQ(set.status().code(), absl::StatusCode::kDataLoss);
    EXPECT_THAT(std::string(set.status().message()), HasSubstr(c.error))
        << c.hex;
  }
}

TEST(ReplIdSetTest, EncodesLittleEndianReplIdsInOrder) {
  ReplIdSet set;
  set.Insert(0x0201, GC(1));
  set.Insert(0x0001, GC(5));
  EXPECT_EQ(ToHex(set.Encode()),
            "0100"
            "06000000000005"
            "00"
            "0102"
            "06000000000001"
            "00");
  EXPECT_EQ(set.ToString(), "1: 5\n513: 1");
}

TEST(ReplIdSetTest, RejectsReplIdZero) {
  absl::StatusOr<ReplIdSet> decoded =
      ReplIdSet::Decode(Span(Hex("0100 00 0000 06000000000001 00")));
  ASSERT_FALSE(decoded.ok());
  EXPECT_THAT(std::string(decoded.status().message()),
              HasSubstr("IDSET: byte 3: REPLID 0 is reserved"));
  ReplIdSet set;
  EXPECT_EQ(set.InsertRange(0, GC(1), GC(2)).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(set.empty());
  EXPECT_FALSE(ReplIdSet::Parse("0: 1-2").ok());
  EXPECT_FALSE(ReplIdSet::Parse("65536: 1-2").ok());
  EXPECT_TRUE(ReplIdSet::Parse("65535: 1-2").ok());
}

TEST(ReplIdSetTest, TruncatedReplId) {
  EXPECT_THAT(
      std::string(ReplIdSet::Decode(Span(Hex("01"))).status().message()),
      HasSubstr("IDSET: byte 0: truncated REPLID: needs 2 bytes, 1 remain"));
}

TEST(IdSetTest, SetOperationsWorkPerReplicaAndDropEmptyGroups) {
  const std::string g1 = kG1.ToString(), g2 = kG2.ToString();
  IdSet a = I(g1 + ": 1-10; " + g2 + ": 5");
  const IdSet b =
      I(g1 + ": 5-20; " +
        G("{11111111-1111-1111-1111-111111111111}").ToString() + ": 1");

  IdSet u = a;
  u.UnionWith(b);
  EXPECT_EQ(u.Count(), 20u + 1 + 1);

  IdSet d = a;
  d.Subtract(b);
  EXPECT_EQ(d, I(g1 + ": 1-4; " + g2 + ": 5"));
  d.Subtract(I(g2 + ": 5"));
  EXPECT_EQ(d, I(g1 + ": 1-4"));
  EXPECT_EQ(d.entries().size(), 1u);

  IdSet x = a;
  x.IntersectWith(b);
  EXPECT_EQ(x, I(g1 + ": 5-10"));
  EXPECT_EQ(x.entries().size(), 1u);

  EXPECT_TRUE(u.Includes(a));
  EXPECT_TRUE(u.Includes(b));
  EXPECT_FALSE(a.Includes(b));
  EXPECT_TRUE(a.Includes(IdSet()));
}

TEST(IdSetTest, TextForm) {
  const IdSet set =
      I("{00112233-4455-6677-8899-aabbccddeeff}: 12-20, 1-5, 9\n"
        "\n  {FF000000-0000-0000-0000-000000000001}: 3\r\n");
  EXPECT_EQ(set.ToString(),
            "{FF000000-0000-0000-0000-000000000001}: 3\n"
            "{00112233-4455-6677-8899-AABBCCDDEEFF}: 1-5,9,12-20");
  EXPECT_EQ(I(set.ToString()), set);
  EXPECT_TRUE(I("").empty());
  // A replica listed with no values contributes nothing.
  EXPECT_TRUE(I("{00112233-4455-6677-8899-AABBCCDDEEFF}:").empty());
}

TEST(IdSetTest, ParseErrorsNameTheLine) {
  struct Case {
    const char* text;
    const char* error;
  } cases[] = {
      {"1-5", "line 1: expected \"<replica>: <ranges>\""},
      {"{00112233-4455-6677-8899-AABBCCDDEEFF}: 1\n{bad}: 2", "line 2: GUID"},
      {"{00112233-4455-6677-8899-AABBCCDDEEFF}: 5-1", "line 1: GLOBSET text"},
      {"{00112233-4455-6677-8899-AABBCCDDEEFF}: x", "not a decimal digit"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<IdSet> set = IdSet::Parse(c.text);
    ASSERT_FALSE(set.ok()) << c.text;
    EXPECT_EQ(set.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(set.status().message()), HasSubstr(c.error))
        << c.text;
  }
}

TEST(IdSetTest, ManyReplicasStaySorted) {
  IdSet set;
  for (int i = 255; i >= 0; i -= 3)
    set.Insert(FilledGuid(static_cast<uint8_t>(i)), GC(i));
  Guid previous;
  bool first = true;
  for (const auto& entry : set) {
    if (!first) {
      EXPECT_LT(previous, entry.key);
    }
    previous = entry.key;
    first = false;
  }
  EXPECT_EQ(IdSet::Decode(Span(set.Encode())).value(), set);
}

}  // namespace
}  // namespace ioreplication
