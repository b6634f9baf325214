// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "ioreplication/ids.h"

#include "absl/container/flat_hash_set.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test_util.h"

namespace ioreplication {
namespace {

using ::ioreplication::testing::G;
using ::ioreplication::testing::GC;
using ::ioreplication::testing::Hex;
using ::ioreplication::testing::Span;
using ::ioreplication::testing::ToHex;
using ::ioreplication::testing::X;
using ::testing::HasSubstr;

const Guid kG1 = G("{00112233-4455-6677-8899-AABBCCDDEEFF}");

TEST(ChangeNumberTest, IsAGidShapedXid) {
  const ChangeNumber cn(kG1, GC(0x123));
  EXPECT_EQ(ToHex(cn.Encode()), "33221100554477668899aabbccddeeff000000000123");
  EXPECT_EQ(cn.ToXid(), Xid::FromGlobCnt(kG1, GC(0x123)));
  EXPECT_EQ(ChangeNumber::Decode(Span(cn.Encode())).value(), cn);
  EXPECT_EQ(ChangeNumber::FromXid(cn.ToXid()).value(), cn);
  EXPECT_EQ(cn.ToString(), "{00112233-4455-6677-8899-AABBCCDDEEFF}:291");
}

TEST(SourceKeyTest, ParsesItsText) {
  const SourceKey key(kG1, GC(291));
  EXPECT_EQ(SourceKey::Parse(key.ToString()).value(), key);
  EXPECT_EQ(SourceKey::Parse("{00112233-4455-6677-8899-aabbccddeeff}:7")
                .value(),
            SourceKey(kG1, GC(7)));
  for (const char* bad :
       {"", "{00112233-4455-6677-8899-AABBCCDDEEFF}", "x:1",
        "{00112233-4455-6677-8899-AABBCCDDEEFF}:",
        "{00112233-4455-6677-8899-AABBCCDDEEFF}:-1",
        "{00112233-4455-6677-8899-AABBCCDDEEFF}:281474976710656"}) {
    absl::StatusOr<SourceKey> parsed = SourceKey::Parse(bad);
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument)
        << bad;
  }
}

TEST(ChangeNumberTest, RejectsOtherShapes) {
  absl::StatusOr<ChangeNumber> from_xid = ChangeNumber::FromXid(X(kG1, 7, 8));
  ASSERT_FALSE(from_xid.ok());
  EXPECT_THAT(std::string(from_xid.status().message()),
              HasSubstr("change number needs a 6-byte LocalId"));
  absl::StatusOr<ChangeNumber> short_cn =
      ChangeNumber::Decode(Span(std::string(21, '\0')));
  ASSERT_FALSE(short_cn.ok());
  EXPECT_EQ(short_cn.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(short_cn.status().message()),
              HasSubstr("change number: byte 0: truncated"));
  absl::StatusOr<SourceKey> long_key =
      SourceKey::Decode(Span(std::string(23, '\0')));
  ASSERT_FALSE(long_key.ok());
  EXPECT_THAT(std::string(long_key.status().message()),
              HasSubstr("source key: byte 22: 1 trailing bytes"));
}

TEST(ChangeNumberTest, OrdersByReplicaThenCounter) {
  const Guid low =
      G("{FF000000-0000-0000-0000-000000000000}");  // wire 00 00 00 FF
  EXPECT_LT(ChangeNumber(low, GC(9)), ChangeNumber(kG1, GC(1)));
  EXPECT_LT(ChangeNumber(kG1, GC(1)), ChangeNumber(kG1, GC(2)));
}

TEST(SourceKeyTest, HashesAsAValue) {
  absl::flat_hash_set<SourceKey> keys;
  keys.insert(SourceKey(kG1, GC(1)));
  keys.insert(SourceKey(kG1, GC(1)));
  keys.insert(SourceKey(kG1, GC(2)));
  EXPECT_EQ(keys.size(), 2u);
}

// SPEC-NOTES TV-1 (MS-OXCFXICS section 4.4): REPLID then big-endian GLOBCNT.
TEST(ShortIdTest, SpecTable) {
  struct Row {
    const char* wire;
    ReplId replid;
    uint64_t counter;
  } rows[] = {
      {"0100000000000005", 1, 0x05},
      {"0100000000000006", 1, 0x06},
      {"0100000000000010", 1, 0x10},
      {"0200000000000009", 2, 0x09},
  };
  for (const Row& row : rows) {
    const ShortId id = ShortId::Decode(Span(Hex(row.wire))).value();
    EXPECT_EQ(id.replid(), row.replid);
    EXPECT_EQ(id.counter(), GC(row.counter));
    EXPECT_EQ(ToHex(id.Encode()), row.wire);
  }
  // Loaded little-endian into a uint64 (gromox's make_eid_ex(1, 5)).
  EXPECT_EQ(ShortId(1, GC(5)).ToUint64(), 0x0500000000000001u);
  EXPECT_EQ(ShortId::FromUint64(0x0500000000000001u), ShortId(1, GC(5)));
}

TEST(ShortIdTest, DecodeRejectsBadInput) {
  EXPECT_THAT(
      std::string(ShortId::Decode(Span(Hex("01000000"))).status().message()),
      HasSubstr("ID: byte 0: truncated"));
  EXPECT_THAT(
      std::string(
          ShortId::Decode(Span(Hex("0000000000000005"))).status().message()),
      HasSubstr("REPLID 0 is reserved"));
  EXPECT_FALSE(ShortId::Decode(Span(Hex("010000000000000500"))).ok());
}

}  // namespace
}  // namespace ioreplication
