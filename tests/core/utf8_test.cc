// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "core/utf8.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ioreplication::core_internal {
namespace {

using ::testing::HasSubstr;

TEST(Utf8Test, AcceptsWellFormedText) {
  for (const char* ok : {"", "plain", "Grüße", "日本語", "\xF0\x9F\x93\xA7",
                         "\xEF\xBF\xBD", "\xF4\x8F\xBF\xBF", "a\tb"}) {
    EXPECT_TRUE(ValidateUtf8(ok, "text").ok()) << ok;
  }
}

TEST(Utf8Test, RejectsMalformedTextNamingTheByte) {
  struct Case {
    std::string text;
    size_t byte;
  } cases[] = {
      {"\x80", 0},              // lone continuation byte
      {"ab\xC3", 2},            // truncated sequence
      {"\xC0\xAF", 0},          // overlong '/'
      {"\xC1\xBF", 0},          // overlong
      {"\xE0\x80\xAF", 0},      // overlong 3-byte
      {"x\xED\xA0\x80", 1},     // UTF-16 surrogate
      {"\xF0\x80\x80\xAF", 0},  // overlong 4-byte
      {"\xF4\x90\x80\x80", 0},  // past U+10FFFF
      {"\xF5\x80\x80\x80", 0},  // invalid lead byte
      {"\xFF", 0},
      {"ok\xE2\x82", 2},    // truncated 3-byte
      {"\xE2\x28\xA1", 0},  // bad continuation
  };
  for (const Case& c : cases) {
    const absl::Status s = ValidateUtf8(c.text, "name");
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(
        std::string(s.message()),
        HasSubstr("name: byte " + std::to_string(c.byte) + ": invalid UTF-8"));
  }
}

// Long ASCII runs are checked in blocks: a bad byte at any offset of a
// block, after any number of whole blocks, is found and named.
TEST(Utf8Test, FindsABadByteAnywhereInLongAsciiText) {
  for (size_t at = 0; at < 100; ++at) {
    std::string text(100, 'a');
    text[at] = '\xFF';
    EXPECT_EQ(ValidateUtf8(text, "body").message(),
              "body: byte " + std::to_string(at) + ": invalid UTF-8");
    text[at] = '\xC3';  // a good pair split nowhere: a lead, then 'a'
    EXPECT_FALSE(ValidateUtf8(text, "body").ok()) << at;
    text.replace(at, 1, "\xC3\xA9");  // é among the ASCII
    EXPECT_TRUE(ValidateUtf8(text, "body").ok()) << at;
  }
}

TEST(Utf8Test, TextIsUtf8WithoutControlCharacters) {
  EXPECT_TRUE(ValidateText("", "name").ok());
  EXPECT_TRUE(ValidateText("Grüße, Zoë (€)", "name").ok());
  EXPECT_EQ(ValidateText("a\tb", "name").message(),
            "name: byte 1: control character");
  EXPECT_EQ(ValidateText("ab\x7F", "name").message(),
            "name: byte 2: control character");
  // C1 controls (U+0080..U+009F) are control characters too; U+00A0 is not.
  EXPECT_EQ(ValidateText("ab\xC2\x80", "name").message(),
            "name: byte 2: control character");
  EXPECT_EQ(ValidateText("\xC2\x9F", "name").message(),
            "name: byte 0: control character");
  EXPECT_TRUE(ValidateText("\xC2\xA0\xC3\x80", "name").ok());
  // Invalid UTF-8 is reported before a later control character.
  EXPECT_EQ(ValidateText("\xC3x\n", "name").message(),
            "name: byte 0: invalid UTF-8");
}

TEST(Utf8Test, CountsCodePoints) {
  EXPECT_EQ(CodePointCount(""), 0u);
  EXPECT_EQ(CodePointCount("abc"), 3u);
  EXPECT_EQ(CodePointCount("Grüße"), 5u);
  EXPECT_EQ(CodePointCount("\xF0\x9F\x93\xA7x"), 2u);
}

}  // namespace
}  // namespace ioreplication::core_internal
