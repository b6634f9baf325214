// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// The GLOBSET codec: spec vectors, real-world encodings, every rejection
// path, and agreement with independent encoders and a reference decoder.

#include <random>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ioreplication/globset.h"
#include "reference_globset.h"
#include "test_util.h"

namespace ioreplication {
namespace {

using ::ioreplication::testing::EncodeOneRangeAtATime;
using ::ioreplication::testing::EncodeRandomly;
using ::ioreplication::testing::EncodeSharedPrefixFirst;
using ::ioreplication::testing::Hex;
using ::ioreplication::testing::Normalize;
using ::ioreplication::testing::Ranges;
using ::ioreplication::testing::ReferenceDecode;
using ::ioreplication::testing::Span;
using ::ioreplication::testing::ToHex;
using ::testing::HasSubstr;

GlobSet S(std::string_view text) { return GlobSet::Parse(text).value(); }

GlobSet Decode(const std::string& hex) {
  absl::StatusOr<GlobSet> set = GlobSet::Decode(Span(Hex(hex)));
  EXPECT_TRUE(set.ok()) << hex << ": " << set.status();
  return set.value_or(GlobSet());
}

Ranges ToRanges(const GlobSet& set) {
  Ranges out;
  for (const GlobRange& r : set.ranges()) out.push_back({r.low, r.high});
  return out;
}

// SPEC-NOTES TV-3 (MS-OXCFXICS 3.1.5.4.3.1.3): {1-3, 5, 7-9} is StartingValue
// 01 with Bitmask EB under five stacked bytes.
TEST(GlobSetCodecTest, SpecBitmaskVector) {
  const std::string wire = Hex("05 0000000000 42 01 EB 50 00");
  EXPECT_EQ(GlobSet::Decode(Span(wire)).value(), S("1-3,5,7-9"));
  EXPECT_EQ(S("1-3,5,7-9").Encode(), wire);
}

TEST(GlobSetCodecTest, BitmaskStartingValueIsAlwaysAMember) {
  EXPECT_EQ(Decode("05 0000000000 42 10 00 50 00"), S("16"));
  // The highest legal mask bit lands exactly on 0xFF.
  EXPECT_EQ(Decode("05 0000000000 42 F7 80 50 00"), S("247,255"));
}

TEST(GlobSetCodecTest, BitmaskPastFFIsRejected) {
  absl::StatusOr<GlobSet> set =
      GlobSet::Decode(Span(Hex("05 0000000000 42 FE FF 50 00")));
  ASSERT_FALSE(set.ok());
  EXPECT_EQ(set.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(set.status().message()),
              HasSubstr("GLOBSET: byte 6: Bitmask runs past low byte 0xFF"));
  EXPECT_FALSE(GlobSet::Decode(Span(Hex("05 0000000000 42 F8 80 50 00"))).ok());
  EXPECT_TRUE(GlobSet::Decode(Span(Hex("05 0000000000 42 FE 01 50 00"))).ok());
}

// Sets taken from real ICS state properties, as quoted in OpenChange's
// IDSET test suite (the GLOBSET part after the replica key).
TEST(GlobSetCodecTest, RealWorldEncodings) {
  EXPECT_EQ(Decode("06 00000001042e 05 0000000104 52 35 37 50 00"),
            S("66606,66613-66615"));
  EXPECT_EQ(Decode("05 0000000104 52 19 1A 50 00"), S("66585-66586"));
  EXPECT_EQ(Decode("04 00000000 52 00a5 0151 50 00"), S("165-337"));
}

TEST(GlobSetCodecTest, AcceptsEveryCommandAtEveryDepth) {
  // Range with no stack: 6-byte sides.
  EXPECT_EQ(Decode("52 000000000001 000000000003 00"), S("1-3"));
  // Nested pushes of 1 byte each, a Range at every depth, pops in between.
  EXPECT_EQ(Decode("01 00 52 0000000010 0000000011"
                   "  01 00 52 00000020 00000021"
                   "    01 00 52 000030 000031"
                   "      01 00 52 0040 0041"
                   "        01 00 52 50 51"
                   "          01 60"  // completes 6 bytes: a singleton
                   "        50 50 50 50 50 00"),
            S("16-17,32-33,48-49,64-65,80-81,96"));
  // Push 6 directly.
  EXPECT_EQ(Decode("06 0000000000ff 00"), S("255"));
  // Push 3 + Push 2 + Bitmask: mixed group sizes, popped one group at a time.
  EXPECT_EQ(Decode("03 000000 02 0001 42 00 03 50 02 0002 42 10 01 50 50 00"),
            S("256-258,528-529"));
  // A range that spans a byte boundary under a push.
  EXPECT_EQ(Decode("04 00000001 52 00ff 0100 50 00"), S("65791-65792"));
  // Empty GLOBSET.
  EXPECT_EQ(Decode("00"), GlobSet());
}

TEST(GlobSetCodecTest, AcceptsOutOfOrderAndOverlappingRanges) {
  EXPECT_EQ(Decode("52 000000000010 000000000020 52 000000000001 000000000015"
                   "06 000000000021 06 000000000005 00"),
            S("1-33"));
}

TEST(GlobSetCodecTest, RejectsEveryMalformationNamingTheByte) {
  struct Case {
    const char* hex;
    const char* error;
  } cases[] = {
      {"", "byte 0: GLOBSET ends without an End command"},
      {"05 0000000000 42 01 EB 50", "byte 10: GLOBSET ends without an End"},
      {"BA 00", "byte 0: unknown GLOBSET command 0xba"},
      {"05 0000000000 07 00", "byte 6: unknown GLOBSET command 0x07"},
      {"05 0000000104 02 191a 01 aa 52 19 1a 50 00",
       "byte 6: Push of 2 bytes overflows the common byte stack, which already "
       "holds 5 of 6"},
      {"01 0a 01 0b 01 0c 01 0d 01 0e 02 0f0e",
       "byte 10: Push of 2 bytes overflows"},
      {"50 00", "byte 0: Pop command with an empty common byte stack"},
      {"02 0000 50 50 00", "byte 4: Pop command with an empty"},
      {"42 01 EB 00",
       "byte 0: Bitmask command needs 5 bytes on the common "
       "byte stack, found 0"},
      {"04 00000000 42 01 EB 50 00", "byte 5: Bitmask command needs 5 bytes"},
      {"52 000000000003 000000000001 00",
       "byte 0: inverted Range: low 3 > high 1"},
      {"04 00000000 52 0010 000f 50 00", "byte 5: inverted Range"},
      {"03 0000", "byte 0: truncated Push command: needs 4 bytes, 3 remain"},
      {"52 000000000001 0000",
       "byte 0: truncated Range command: needs 13 bytes"},
      {"05 0000000000 42 01",
       "byte 6: truncated Bitmask command: needs 3 bytes"},
      {"05 0000000000 00",
       "byte 6: End command with 5 bytes still on the common "
       "byte stack"},
      {"06 000000000001 00 00",
       "byte 8: 1 trailing bytes after the End command"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<GlobSet> set = GlobSet::Decode(Span(Hex(c.hex)));
    ASSERT_FALSE(set.ok()) << c.hex;
    EXPECT_EQ(set.status().code(), absl::StatusCode::kDataLoss) << c.hex;
    EXPECT_THAT(std::string(set.status().message()), HasSubstr("GLOBSET: "))
        << c.hex;
    EXPECT_THAT(std::string(set.status().message()), HasSubstr(c.error))
        << c.hex;
  }
}

// The canonical encodings of a few shapes, pinned byte for byte.
TEST(GlobSetCodecTest, CanonicalEncodings) {
  struct Case {
    const char* set;
    const char* hex;
  } cases[] = {
      {"", "00"},
      {"7", "06 000000000007 00"},
      {"1-1000", "04 00000000 52 0001 03e8 50 00"},
      {"1-3", "05 0000000000 52 01 03 50 00"},
      // Two values far apart: one shared push, then two completing pushes.
      {"5,70000", "03 000000 03 000005 03 011170 50 00"},
      // A range whose ends share 2 bytes: a push would not save anything.
      {"0-4294967295", "52 000000000000 0000ffffffff 00"},
      {"0-281474976710655", "52 000000000000 ffffffffffff 00"},
      // Clusters within 8 of each other become bitmasks; a lone value a push.
      {"1,3,5,7,9,100", "05 0000000000 42 01 aa 01 64 50 00"},
      {"10,12-30", "05 0000000000 01 0a 52 0c 1e 50 00"},
  };
  for (const Case& c : cases) {
    const GlobSet set = S(c.set);
    EXPECT_EQ(ToHex(set.Encode()), ToHex(Hex(c.hex))) << c.set;
    EXPECT_EQ(GlobSet::Decode(Span(set.Encode())).value(), set) << c.set;
  }
}

TEST(GlobSetCodecTest, EncodeToAppends) {
  std::string out = "prefix";
  S("1-3,5,7-9").EncodeTo(&out);
  S("7").EncodeTo(&out);
  EXPECT_EQ(out, "prefix" + Hex("05 0000000000 42 01 EB 50 00") +
                     Hex("06 000000000007 00"));
}

// A random set: dense runs, sparse values and values spread over 48 bits.
GlobSet RandomSet(std::mt19937_64& rng) {
  GlobSet set;
  const int shape = static_cast<int>(rng() % 4);
  const int n = static_cast<int>(rng() % 40);
  uint64_t base = shape == 3 ? rng() & GlobCnt::kMaxValue : rng() % 100000;
  for (int i = 0; i < n; ++i) {
    uint64_t lo;
    switch (shape) {
      case 0:
        lo = base + rng() % 64;
        break;  // dense
      case 1:
        lo = base + rng() % 5000;
        break;  // sparse
      case 2:
        lo = (rng() % 2 ? base : base << 16) + rng() % 300;
        break;
      default:
        lo = rng() & GlobCnt::kMaxValue;
        break;  // anywhere
    }
    lo = std::min(lo, GlobCnt::kMaxValue);
    const uint64_t hi =
        std::min(lo + (rng() % 3 == 0 ? rng() % 20 : 0), GlobCnt::kMaxValue);
    EXPECT_TRUE(
        set.InsertRange(*GlobCnt::FromValue(lo), *GlobCnt::FromValue(hi)).ok());
  }
  return set;
}

TEST(GlobSetCodecTest, OurEncodingDecodesWithTheReferenceDecoder) {
  std::mt19937_64 rng(1);
  for (int i = 0; i < 5000; ++i) {
    const GlobSet set = RandomSet(rng);
    const std::string wire = set.Encode();
    size_t pos = 0;
    const std::optional<Ranges> decoded = ReferenceDecode(wire, &pos);
    ASSERT_TRUE(decoded.has_value()) << ToHex(wire);
    ASSERT_EQ(pos, wire.size());
    ASSERT_EQ(Normalize(*decoded), ToRanges(set)) << ToHex(wire);
  }
}

TEST(GlobSetCodecTest, DecodesOtherImplementationsEncodings) {
  std::mt19937_64 rng(2);
  for (int i = 0; i < 5000; ++i) {
    const GlobSet set = RandomSet(rng);
    const Ranges ranges = ToRanges(set);
    for (const std::string& wire :
         {EncodeOneRangeAtATime(ranges), EncodeSharedPrefixFirst(ranges)}) {
      absl::StatusOr<GlobSet> decoded = GlobSet::Decode(Span(wire));
      ASSERT_TRUE(decoded.ok()) << ToHex(wire) << " " << decoded.status();
      ASSERT_EQ(*decoded, set);
    }
  }
}

TEST(GlobSetCodecTest, DecodesRandomConformingEncodings) {
  std::mt19937_64 rng(3);
  int bitmasks = 0, nested = 0;
  for (int i = 0; i < 5000; ++i) {
    const GlobSet set = RandomSet(rng);
    const std::string wire = EncodeRandomly(ToRanges(set), rng);
    // The generator itself must produce conforming input.
    size_t pos = 0;
    ASSERT_TRUE(ReferenceDecode(wire, &pos).has_value()) << ToHex(wire);
    absl::StatusOr<GlobSet> decoded = GlobSet::Decode(Span(wire));
    ASSERT_TRUE(decoded.ok()) << ToHex(wire) << " " << decoded.status();
    ASSERT_EQ(*decoded, set) << ToHex(wire);
    // The canonical encoding does not depend on the input encoding.
    ASSERT_EQ(decoded->Encode(), set.Encode());
    if (wire.find('\x42') != std::string::npos) ++bitmasks;
    if (wire.find('\x50') != wire.rfind('\x50')) ++nested;
  }
  EXPECT_GT(bitmasks, 500);
  EXPECT_GT(nested, 500);
}

TEST(GlobSetCodecTest, EncodingIsNoLongerThanSimpleEncoders) {
  std::mt19937_64 rng(4);
  for (int i = 0; i < 2000; ++i) {
    const GlobSet set = RandomSet(rng);
    EXPECT_LE(set.Encode().size(), EncodeOneRangeAtATime(ToRanges(set)).size())
        << set.ToString();
  }
}

}  // namespace
}  // namespace ioreplication
