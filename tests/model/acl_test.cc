// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "ioreplication/acl.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ioreplication {
namespace {

using ::testing::HasSubstr;

// MS-OXODLGT 3.1.4.3.2 gives the role values: Author 0x1B, Editor 0x7B
// (without FolderVisible, which our roles add).
TEST(AclTest, RoleValuesMatchTheSpecification) {
  EXPECT_EQ(rights::kAuthor & ~rights::kFolderVisible, 0x1Bu);
  EXPECT_EQ(rights::kEditor & ~rights::kFolderVisible, 0x7Bu);
  EXPECT_EQ(rights::kReviewer & ~rights::kFolderVisible, 0x01u);
  EXPECT_EQ(rights::kAll, 0x1FFBu);
}

TEST(AclTest, SetGetReplaceRemove) {
  Acl acl;
  ASSERT_TRUE(acl.Set("Default", rights::kReviewer).ok());
  ASSERT_TRUE(acl.Set("ana@example.org", rights::kOwner).ok());
  ASSERT_TRUE(acl.Set("Anonymous", 0).ok());
  EXPECT_EQ(acl.Get("ana@example.org"), rights::kOwner);
  EXPECT_EQ(acl.Get("nobody@example.org"), std::nullopt);
  ASSERT_TRUE(acl.Set("Default", rights::kAuthor).ok());
  EXPECT_EQ(acl.Get("Default"), rights::kAuthor);
  ASSERT_EQ(acl.entries().size(), 3u);
  EXPECT_EQ(acl.entries()[0].member, "Anonymous");  // byte order
  EXPECT_EQ(acl.entries()[1].member, "Default");
  EXPECT_TRUE(acl.Remove("Anonymous"));
  EXPECT_FALSE(acl.Remove("Anonymous"));
}

TEST(AclTest, RejectsBadInputAndChangesNothing) {
  Acl acl;
  ASSERT_TRUE(acl.Set("Default", rights::kReviewer).ok());
  const Acl before = acl;
  struct Case {
    std::string member;
    uint32_t rights;
    const char* error;
  } cases[] = {
      {"", rights::kReadAny, "empty"},
      {std::string(321, 'a'), rights::kReadAny, "321 bytes"},
      {"bad\xC3", rights::kReadAny, "invalid UTF-8"},
      {"tab\there", rights::kReadAny, "byte 3: control character"},
      {"Default", 0x4, "undefined flags 0x00000004"},
      {"Default", 0x10000, "undefined flags"},
      {"Default", rights::kEditAny | rights::kReadAny,
       "EditAny needs EditOwned"},
      {"Default", rights::kDeleteAny, "DeleteAny needs DeleteOwned"},
  };
  for (const Case& c : cases) {
    const absl::Status s = acl.Set(c.member, c.rights);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.member;
    EXPECT_THAT(std::string(s.message()), HasSubstr(c.error));
    EXPECT_EQ(acl, before);
  }
}

}  // namespace
}  // namespace ioreplication
