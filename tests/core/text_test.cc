// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "core/text.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ioreplication::core_internal {
namespace {

using ::testing::HasSubstr;

TEST(HexTest, ParsesWithAndWithoutPrefix) {
  EXPECT_EQ(ParseHex("0a0B").value(), std::string("\x0a\x0b", 2));
  EXPECT_EQ(ParseHex("0x0a0b").value(), std::string("\x0a\x0b", 2));
  EXPECT_EQ(ParseHex("0X00").value(), std::string(1, '\0'));
  EXPECT_EQ(ParseHex("").value(), "");
  EXPECT_EQ(ParseHex("0x").value(), "");
}

TEST(HexTest, ErrorsNameTheCharacter) {
  EXPECT_THAT(std::string(ParseHex("0a0g").status().message()),
              HasSubstr("hex: character 3: 'g' is not a hex digit"));
  EXPECT_THAT(std::string(ParseHex("0x0a0g").status().message()),
              HasSubstr("character 5"));
  EXPECT_THAT(std::string(ParseHex("0a0").status().message()),
              HasSubstr("character 2: odd number of hex digits"));
  EXPECT_THAT(std::string(ParseHex(" 0a").status().message()),
              HasSubstr("character 0"));
  EXPECT_FALSE(ParseHex("0x0x00").ok());
  // Control characters are quoted so that the message stays on one line.
  EXPECT_THAT(std::string(ParseHex("0\n").status().message()),
              HasSubstr("character 1: '\\x0a' is not a hex digit"));
}

TEST(HexTest, FormatsLowerCase) {
  EXPECT_EQ(ToHex(std::string("\x00\xAB\xff", 3)), "00abff");
}

TEST(DecimalTest, StrictDigitsWithinAMaximum) {
  EXPECT_EQ(ParseDecimal("0", 10).value(), 0u);
  EXPECT_EQ(ParseDecimal("10", 10).value(), 10u);
  EXPECT_FALSE(ParseDecimal("11", 10).ok());
  EXPECT_FALSE(ParseDecimal("", 10).ok());
  EXPECT_FALSE(ParseDecimal("-1", 10).ok());
  EXPECT_FALSE(ParseDecimal(" 1", 10).ok());
  EXPECT_EQ(ParseDecimal("18446744073709551615", ~uint64_t{0}).value(),
            ~uint64_t{0});
  EXPECT_FALSE(ParseDecimal("18446744073709551616", ~uint64_t{0}).ok());
  EXPECT_EQ(ParseGlobCntText("281474976710655").value(), 281474976710655u);
  EXPECT_FALSE(ParseGlobCntText("281474976710656").ok());
}

TEST(TrimTest, SpacesAndTabs) {
  EXPECT_EQ(Trim(" \t a b \t"), "a b");
  EXPECT_EQ(Trim("   "), "");
}

}  // namespace
}  // namespace ioreplication::core_internal
