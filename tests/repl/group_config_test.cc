// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Replica group blocks of a configuration file: what parses, what is
// refused (every problem at once), and secrets read only on resolving.

#include "ioreplication/group_config.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ioreplication/session.h"

namespace ioreplication {
namespace {

using ::testing::HasSubstr;

class GroupConfigFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           absl::StrCat("group_config_test_", ::getpid());
    std::filesystem::create_directories(dir_);
    keys_ = *NewGroupSigningKeys();
    key_file_ = (dir_ / "contoso.key").string();
    std::ofstream(key_file_) << absl::Base64Escape(keys_.private_key) << "\n";
    other_ = *NewGroupSigningKeys();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Contoso signs; fabrikam signs; tailspin uses a shared key from $VAR.
  std::string Text() const {
    return absl::StrReplaceAll(R"(
      group {
        name: "g1"
        folder: "/Shared"
        store: "memory:"
        self: "contoso"
        signing_key { file: "KEYFILE" }
        transport { spool_directory: "/tmp/spool-contoso" }
        tick_seconds: 30
        backfill_delay_seconds: 60
        conflict_policy: LAST_WRITER_WINS
        member { name: "contoso" id: "{6B29FC40-CA47-1067-B31D-00DD010662DA}"
                 address: "/tmp/spool-contoso" public_key: "PUB1" }
        member { name: "fabrikam" id: "{6B29FC40-CA47-1067-B31D-00DD010662DB}"
                 address: "/tmp/spool-fabrikam" public_key: "PUB2" }
        member { name: "tailspin" id: "{6B29FC40-CA47-1067-B31D-00DD010662DC}"
                 address: "/tmp/spool-tailspin"
                 key { env: "IOREPL_TEST_TAILSPIN_KEY" } }
      })",
                               {{"KEYFILE", key_file_},
                                {"PUB1", absl::Base64Escape(keys_.public_key)},
                                {"PUB2", absl::Base64Escape(other_.public_key)}});
  }

  std::filesystem::path dir_;
  GroupSigningKeys keys_, other_;
  std::string key_file_;
};

TEST_F(GroupConfigFileTest, ParsesAndResolvesAGroup) {
  absl::StatusOr<std::vector<GroupFileConfig>> groups = ParseGroupConfigs(Text());
  ASSERT_TRUE(groups.ok()) << groups.status();
  ASSERT_EQ(groups->size(), 1u);
  const GroupFileConfig& g = (*groups)[0];
  EXPECT_EQ(g.group.name, "g1");
  EXPECT_EQ(g.store, "memory:");
  EXPECT_EQ(g.tick, absl::Seconds(30));
  EXPECT_EQ(g.group.backfill_delay, absl::Seconds(60));
  EXPECT_EQ(g.group.policy, ConflictPolicy::kLastWriterWins);
  EXPECT_EQ(g.transport.spool_directory, "/tmp/spool-contoso");
  ASSERT_EQ(g.group.members.size(), 3u);
  EXPECT_EQ(g.group.members[0].public_key, keys_.public_key);
  // No secret is read while parsing.
  EXPECT_TRUE(g.group.members[2].key.empty());
  EXPECT_TRUE(g.group.signing_key.empty());
  // The same file is a valid configuration for sessions (it has none).
  EXPECT_TRUE(ParseConfigFile(Text()).ok());

  ::unsetenv("IOREPL_TEST_TAILSPIN_KEY");
  absl::StatusOr<ReplicaGroupConfig> missing = ResolveGroupConfig(g);
  EXPECT_TRUE(absl::IsNotFound(missing.status())) << missing.status();
  EXPECT_THAT(std::string(missing.status().message()),
              HasSubstr("IOREPL_TEST_TAILSPIN_KEY"));

  ::setenv("IOREPL_TEST_TAILSPIN_KEY", "a-shared-key-for-tailspin", 1);
  absl::StatusOr<ReplicaGroupConfig> resolved = ResolveGroupConfig(g);
  ASSERT_TRUE(resolved.ok()) << resolved.status();
  EXPECT_EQ(resolved->members[2].key, "a-shared-key-for-tailspin");
  EXPECT_EQ(resolved->signing_key, keys_.private_key);

  // A signing key that is another member's private half.
  std::ofstream(key_file_) << absl::Base64Escape(other_.private_key) << "\n";
  absl::StatusOr<ReplicaGroupConfig> wrong = ResolveGroupConfig(g);
  EXPECT_FALSE(wrong.ok());
  EXPECT_THAT(std::string(wrong.status().message()), HasSubstr("not the private half"));
  EXPECT_THAT(std::string(wrong.status().message()),
              ::testing::Not(HasSubstr(absl::Base64Escape(other_.private_key))));
  std::ofstream(key_file_) << "not base64 at all!\n";
  EXPECT_THAT(std::string(ResolveGroupConfig(g).status().message()),
              HasSubstr("is not base64 of 32 bytes"));
  ::unsetenv("IOREPL_TEST_TAILSPIN_KEY");
}

TEST_F(GroupConfigFileTest, NamesEveryProblem) {
  const std::string text = absl::StrReplaceAll(
      Text(), {{"{6B29FC40-CA47-1067-B31D-00DD010662DB}", "not-a-guid"},
               {"transport { spool_directory: \"/tmp/spool-contoso\" }", ""},
               {"tick_seconds: 30", "tick_seconds: 0"},
               {"key { env: \"IOREPL_TEST_TAILSPIN_KEY\" }", ""}});
  absl::StatusOr<std::vector<GroupFileConfig>> groups = ParseGroupConfigs(text);
  ASSERT_FALSE(groups.ok());
  const std::string why(groups.status().message());
  EXPECT_THAT(why, HasSubstr("group 'g1': member 'fabrikam': id \"not-a-guid\" is not a GUID"));
  EXPECT_THAT(why, HasSubstr("no transport"));
  EXPECT_THAT(why, HasSubstr("tick_seconds is 0"));
  EXPECT_THAT(why, HasSubstr("member 'tailspin' has neither a key nor a public_key"));

  EXPECT_THAT(std::string(ParseGroupConfigs(Text() + Text()).status().message()),
              HasSubstr("group 'g1' is defined twice"));
  EXPECT_THAT(std::string(ParseGroupConfigs(absl::StrReplaceAll(
                              Text(), {{"signing_key { file: \"" + key_file_ + "\" }", ""}}))
                              .status()
                              .message()),
              HasSubstr("has a public_key but no signing_key"));
  EXPECT_THAT(std::string(ParseGroupConfigs(absl::StrReplaceAll(
                              Text(), {{"public_key: \"" + absl::Base64Escape(other_.public_key) + "\"",
                                        "public_key: \"c2hvcnQ=\""}}))
                              .status()
                              .message()),
              HasSubstr("member 'fabrikam': public_key is not base64 of 32 bytes"));
  EXPECT_THAT(std::string(ParseGroupConfigs(absl::StrReplaceAll(
                              Text(), {{"folder: \"/Shared\"", ""}}))
                              .status()
                              .message()),
              HasSubstr("no folders"));
  EXPECT_THAT(std::string(ParseGroupConfigs("group { name: ").status().message()),
              HasSubstr("line 1, column"));
}

}  // namespace
}  // namespace ioreplication
