// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "ioreplication/guid.h"

#include <set>

#include "absl/container/flat_hash_set.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test_util.h"

namespace ioreplication {
namespace {

using ::ioreplication::testing::G;
using ::ioreplication::testing::Hex;
using ::ioreplication::testing::Span;
using ::ioreplication::testing::ToHex;
using ::testing::HasSubstr;

// SPEC-NOTES TV-6: Data1..Data3 are little-endian on the wire.
TEST(GuidTest, WireOrderMatchesWindowsSerialization) {
  const Guid g = G("{00112233-4455-6677-8899-AABBCCDDEEFF}");
  std::string wire;
  g.AppendTo(&wire);
  EXPECT_EQ(ToHex(wire), "33221100554477668899aabbccddeeff");
  EXPECT_EQ(Guid::Decode(Span(wire)).value(), g);
}

TEST(GuidTest, FormatsCanonicalBracedUpperCase) {
  const Guid g =
      Guid::Decode(Span(Hex("33221100554477668899aabbccddeeff"))).value();
  EXPECT_EQ(g.ToString(), "{00112233-4455-6677-8899-AABBCCDDEEFF}");
}

TEST(GuidTest, ParsesLowerCaseAndUnbraced) {
  EXPECT_EQ(G("00112233-4455-6677-8899-aabbccddeeff"),
            G("{00112233-4455-6677-8899-AABBCCDDEEFF}"));
}

TEST(GuidTest, NilIsDefault) {
  EXPECT_TRUE(Guid().IsNil());
  EXPECT_EQ(Guid().ToString(), "{00000000-0000-0000-0000-000000000000}");
  EXPECT_FALSE(G("{00000000-0000-0000-0000-000000000001}").IsNil());
}

TEST(GuidTest, RejectsMalformedText) {
  struct Case {
    const char* text;
    const char* why;
  } cases[] = {
      {"", "expected the form"},
      {"{00112233-4455-6677-8899-AABBCCDDEEFF", "missing closing '}'"},
      {"{00112233-4455-6677-8899-AABBCCDDEEF}", "expected the form"},
      {"{00112233-4455-6677-8899-AABBCCDDEEFF0}", "expected the form"},
      {"{00112233+4455-6677-8899-AABBCCDDEEFF}", "character 9: expected '-'"},
      {"{0011223G-4455-6677-8899-AABBCCDDEEFF}",
       "character 8: not a hex digit"},
      {"{00112233-4455-6677-8899-AABBCCDDEEF }",
       "character 36: not a hex digit"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<Guid> g = Guid::Parse(c.text);
    ASSERT_FALSE(g.ok()) << c.text;
    EXPECT_EQ(g.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(g.status().message()), HasSubstr(c.why)) << c.text;
  }
}

TEST(GuidTest, DecodeRejectsWrongLength) {
  EXPECT_EQ(Guid::Decode(Span(Hex("00"))).status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_FALSE(Guid::Decode(Span(std::string(17, 'x'))).ok());
}

// SPEC-NOTES TV-6 sorting trap: order is by wire bytes, not by text.
TEST(GuidTest, OrdersByWireBytesNotText) {
  const Guid ff = G("{FF000000-0000-0000-0000-000000000001}");
  const Guid g1 = G("{00112233-4455-6677-8899-AABBCCDDEEFF}");
  EXPECT_LT(ff, g1);  // wire 00 00 00 FF ... < 33 22 11 00 ...
  EXPECT_LT(Guid(), ff);
  // Every byte position takes part, the last one too.
  EXPECT_LT(G("{00000000-0000-0000-0000-000000000001}"),
            G("{00000000-0000-0000-0000-000000000002}"));
  EXPECT_LT(G("{00000000-0000-0000-00FF-000000000000}"),
            G("{00000000-0000-0000-0100-000000000000}"));
}

TEST(GuidTest, OrderAgreesWithMemcmp) {
  std::vector<Guid> guids;
  for (int i = 0; i < 64; ++i) guids.push_back(Guid::Random());
  for (const Guid& a : guids) {
    for (const Guid& b : guids) {
      const int m = std::memcmp(a.bytes().data(), b.bytes().data(), 16);
      EXPECT_EQ(a < b, m < 0);
      EXPECT_EQ(a == b, m == 0);
    }
  }
}

TEST(GuidTest, RandomIsVersion4AndUnique) {
  absl::flat_hash_set<Guid> seen;
  for (int i = 0; i < 1000; ++i) {
    const Guid g = Guid::Random();
    EXPECT_EQ(g.bytes()[7] >> 4, 4);       // version nibble of Data3
    EXPECT_EQ(g.bytes()[8] & 0xC0, 0x80);  // RFC 4122 variant
    EXPECT_TRUE(seen.insert(g).second);
    EXPECT_EQ(Guid::Parse(g.ToString()).value(), g);
  }
}

}  // namespace
}  // namespace ioreplication
