// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "ioreplication/folder.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ioreplication {
namespace {

using ::testing::HasSubstr;

TEST(FolderNameTest, AcceptsOrdinaryNames) {
  // '/' included: MS-OXOPFFB names free/busy site folders "EX:/o=Org/ou=Site".
  for (const char* ok : {"Sales", "Projekte 2026", "Ventes — Québec", "日本",
                         "a.b-c_d (e)", "x", "EX:/o=Contoso/ou=Site", "/", "...",
                         ".hidden", "nb\xC2\xA0sp"}) {
    EXPECT_TRUE(ValidateFolderName(ok).ok()) << ok;
  }
  // The limit counts characters, not bytes.
  std::string long_name;
  for (int i = 0; i < 256; ++i) long_name += "é";
  EXPECT_TRUE(ValidateFolderName(long_name).ok());
  EXPECT_FALSE(ValidateFolderName(long_name + "é").ok());
}

TEST(FolderNameTest, RejectsWithAReason) {
  struct Case {
    std::string name;
    const char* error;
  } cases[] = {
      {"", "empty"},
      {"line\nbreak", "byte 4: control character"},
      {std::string("nul\0x", 5), "byte 3: control character"},
      {"del\x7F", "control character"},
      {"bad\xE2\x82", "byte 3: invalid UTF-8"},
      {std::string(257, 'a'), "257 characters; the limit is 256"},
      {".", "is reserved"},
      {"..", "is reserved"},
      {"next\xC2\x85line", "byte 4: control character"},
      {"\xC2\x9F", "byte 0: control character"},
  };
  for (const Case& c : cases) {
    const absl::Status s = ValidateFolderName(c.name);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(s.message()), HasSubstr(c.error));
  }
}

TEST(FolderTest, IsAValue) {
  Folder a;
  a.display_name = "Sales";
  ASSERT_TRUE(a.acl.Set("Default", rights::kReviewer).ok());
  Folder b = a;
  EXPECT_EQ(a, b);
  b.parent = SourceKey();
  EXPECT_NE(a, b);
  EXPECT_FALSE(a.parent.has_value());
}

}  // namespace
}  // namespace ioreplication
