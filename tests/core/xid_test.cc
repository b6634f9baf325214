// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "ioreplication/xid.h"

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

// SPEC-NOTES TV-6: the change key of CN 0x123 on G1 is a 22-byte XID.
TEST(XidTest, ChangeKeyVector) {
  const Xid xid = Xid::FromGlobCnt(kG1, GC(0x123));
  EXPECT_EQ(ToHex(xid.Encode()),
            "33221100554477668899aabbccddeeff000000000123");
  EXPECT_EQ(xid.encoded_size(), 22u);
  EXPECT_EQ(xid.ToString(), "{00112233-4455-6677-8899-AABBCCDDEEFF}:291");
  EXPECT_EQ(Xid::Decode(Span(xid.Encode())).value(), xid);
}

// SPEC-NOTES TV-6: the same XID as a SizedXid, XidSize 0x16.
TEST(XidTest, SizedXidVector) {
  std::string sized;
  Xid::FromGlobCnt(kG1, GC(0x123)).AppendSizedTo(&sized);
  EXPECT_EQ(ToHex(sized), "1633221100554477668899aabbccddeeff000000000123");
  EXPECT_EQ(Xid::DecodeSized(Span(sized)).value(),
            Xid::FromGlobCnt(kG1, GC(0x123)));
}

TEST(XidTest, LocalIdOfEveryLengthRoundTrips) {
  for (size_t size = 1; size <= 8; ++size) {
    const uint64_t max =
        size == 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * size)) - 1;
    for (uint64_t v : {uint64_t{0}, uint64_t{1}, max / 3, max}) {
      const Xid xid = X(kG1, v, size);
      const std::string wire = xid.Encode();
      ASSERT_EQ(wire.size(), 16 + size);
      const Xid back = Xid::Decode(Span(wire)).value();
      EXPECT_EQ(back, xid);
      EXPECT_EQ(back.local_id(), v);
      EXPECT_EQ(back.local_id_size(), size);
    }
  }
}

TEST(XidTest, LocalIdIsBigEndian) {
  EXPECT_EQ(ToHex(X(kG1, 0x0102, 2).Encode()).substr(32), "0102");
  EXPECT_EQ(ToHex(X(kG1, 0x0102, 4).Encode()).substr(32), "00000102");
}

TEST(XidTest, LengthIsPartOfTheValue) { EXPECT_NE(X(kG1, 5, 6), X(kG1, 5, 8)); }

TEST(XidTest, CreateRejectsBadSizesAndValues) {
  EXPECT_FALSE(Xid::Create(kG1, 0, 0).ok());
  EXPECT_FALSE(Xid::Create(kG1, 0, 9).ok());
  EXPECT_FALSE(Xid::Create(kG1, 256, 1).ok());
  EXPECT_TRUE(Xid::Create(kG1, 255, 1).ok());
  EXPECT_EQ(Xid::Create(kG1, 1ull << 48, 6).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(XidTest, DecodeRejectsBadLengthsNamingTheByte) {
  absl::StatusOr<Xid> short_xid = Xid::Decode(Span(std::string(16, '\0')));
  ASSERT_FALSE(short_xid.ok());
  EXPECT_EQ(short_xid.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(short_xid.status().message()),
              HasSubstr("XID: byte 0: truncated"));
  absl::StatusOr<Xid> long_xid = Xid::Decode(Span(std::string(26, '\0')));
  ASSERT_FALSE(long_xid.ok());
  EXPECT_THAT(std::string(long_xid.status().message()),
              HasSubstr("byte 24: 2 trailing bytes"));
  EXPECT_FALSE(Xid::Decode({}).ok());
}

TEST(XidTest, DecodeSizedRejectsEveryMalformation) {
  struct Case {
    std::string bytes;
    const char* error;
  } cases[] = {
      {"", "byte 0: truncated SizedXid"},
      {Hex("10") + std::string(16, '\0'),
       "byte 0: XidSize 16 is outside 17..24"},
      {Hex("19") + std::string(25, '\0'),
       "byte 0: XidSize 25 is outside 17..24"},
      {Hex("16") + std::string(21, '\0'),
       "byte 1: truncated XID: needs 22 bytes, 21 remain"},
      {Hex("11") + std::string(18, '\0'), "byte 18: 1 trailing bytes"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<Xid> xid = Xid::DecodeSized(Span(c.bytes));
    ASSERT_FALSE(xid.ok()) << ToHex(c.bytes);
    EXPECT_EQ(xid.status().code(), absl::StatusCode::kDataLoss);
    EXPECT_THAT(std::string(xid.status().message()), HasSubstr(c.error));
  }
}

}  // namespace
}  // namespace ioreplication
