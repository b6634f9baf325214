// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "ioreplication/folder_path.h"

#include <random>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ioreplication/replica.h"

namespace ioreplication {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(FolderPathTest, SplitsPlainPaths) {
  EXPECT_THAT(SplitFolderPath("/").value(), IsEmpty());
  EXPECT_THAT(SplitFolderPath("/Sales").value(), ElementsAre("Sales"));
  EXPECT_THAT(SplitFolderPath("/Sales/EMEA").value(),
              ElementsAre("Sales", "EMEA"));
  // A '%' that starts no escape stands for itself.
  EXPECT_THAT(SplitFolderPath("/100% done/50%2").value(),
              ElementsAre("100% done", "50%2"));
}

TEST(FolderPathTest, UnescapesSlashAndPercent) {
  EXPECT_THAT(SplitFolderPath("/NON_IPM_SUBTREE/SCHEDULE+ FREE BUSY/"
                              "EX:%2Fo=Contoso%2fou=First Site")
                  .value(),
              ElementsAre("NON_IPM_SUBTREE", "SCHEDULE+ FREE BUSY",
                          "EX:/o=Contoso/ou=First Site"));
  EXPECT_THAT(SplitFolderPath("/a%252Fb").value(), ElementsAre("a%2Fb"));
  EXPECT_THAT(SplitFolderPath("/%2F").value(), ElementsAre("/"));
}

TEST(FolderPathTest, RefusesBadPathsNamingThem) {
  struct Case {
    const char* path;
    const char* error;
  } cases[] = {
      {"", "must start with '/'"},
      {"Sales", "\"Sales\" must start with '/'"},
      {"//Sales", "empty component"},
      {"/Sales/", "empty component"},
      {"/Sales/../x", "\"..\" component"},
      {"/.", "\".\" component"},
      {"/a\tb", "control character"},
      {"/bad\xE2\x82", "invalid UTF-8"},
  };
  for (const Case& c : cases) {
    const absl::Status s = SplitFolderPath(c.path).status();
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.path;
    EXPECT_THAT(std::string(s.message()), HasSubstr(c.error)) << c.path;
  }
}

TEST(FolderPathTest, EscapesOnlyWhatNeedsIt) {
  EXPECT_EQ(EscapeFolderName("Sales"), "Sales");
  EXPECT_EQ(EscapeFolderName("100% done"), "100% done");
  EXPECT_EQ(EscapeFolderName("EX:/o=Org/ou=Site"), "EX:%2Fo=Org%2Fou=Site");
  EXPECT_EQ(EscapeFolderName("a%2Fb"), "a%252Fb");
  EXPECT_EQ(EscapeFolderName("a%25"), "a%2525");
  EXPECT_EQ(JoinFolderPath({}), "/");
  EXPECT_EQ(JoinFolderPath({"Sales", "EX:/o"}), "/Sales/EX:%2Fo");
  EXPECT_EQ(ChildFolderPath("/", "a/b"), "/a%2Fb");
  EXPECT_EQ(ChildFolderPath("/Sales", "EMEA"), "/Sales/EMEA");
}

// Any list of valid names survives JoinFolderPath and SplitFolderPath.
TEST(FolderPathTest, JoinThenSplitRoundTripsRandomNames) {
  std::mt19937 rng(20261122);
  const std::string alphabet = "ab/%25Ff.";
  for (int round = 0; round < 20000; ++round) {
    std::vector<std::string> names(1 + rng() % 3);
    for (std::string& name : names) {
      const size_t length = 1 + rng() % 8;
      for (size_t i = 0; i < length; ++i) {
        name.push_back(alphabet[rng() % alphabet.size()]);
      }
      if (name == "." || name == "..") name = "x";
    }
    const std::string path = JoinFolderPath(names);
    absl::StatusOr<std::vector<std::string>> back = SplitFolderPath(path);
    ASSERT_TRUE(back.ok()) << path << ": " << back.status();
    ASSERT_EQ(*back, names) << path;
  }
}

TEST(FolderPathTest, FindsFoldersWhoseNamesHoldSlashes) {
  std::unique_ptr<Store> store = OpenStore("memory:").value();
  std::unique_ptr<Replica> replica = Replica::Open(store.get()).value();
  const Folder root = replica->CreateRootFolder("Public Folders").value();
  const Folder site =
      replica->CreateFolder(root.source_key, "EX:/o=Contoso/ou=Site").value();
  absl::StatusOr<std::optional<Folder>> found =
      FindFolderByPath(*store, "/ex:%2Fo=contoso%2Fou=site");
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->source_key, site.source_key);
  // Unescaped, the same text is a path three levels deep, which is absent.
  EXPECT_FALSE(FindFolderByPath(*store, "/EX:/o=Contoso/ou=Site")->has_value());
  EXPECT_EQ(FindFolderByPath(*store, "/")->value().source_key, root.source_key);
  EXPECT_EQ(FindFolderByPath(*store, "Sales").status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace ioreplication
