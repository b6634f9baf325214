// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// RedactStoreUri hides every form of secret a store URI can carry, and
// CanonicalStoreUri tells two spellings of one store from two stores.

#include "stores/store_uri.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ioreplication/store.h"

namespace ioreplication {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using stores_internal::CanonicalStoreUri;
using stores_internal::StoreUriHoldsSecret;

TEST(RedactStoreUriTest, HidesEveryFormOfSecret) {
  struct Case {
    const char* uri;
    const char* redacted;
  } cases[] = {
      {"pg://alice:S3cr3t@db/pf", "pg://alice:***@db/pf"},
      // A password with '/', '@' and ':' in it.
      {"pg://alice:S3/cr@3t:x@db/pf", "pg://alice:***@db/pf"},
      {"pg://alice:S3cr3t@db:5432/pf?sslmode=require",
       "pg://alice:***@db:5432/pf?sslmode=require"},
      // Without "//".
      {"mysql:alice:S3cr3t@db", "mysql:alice:***@db"},
      // In a query, first or later, any case.
      {"pg://db/pf?password=S3cr3t", "pg://db/pf?password=***"},
      {"pg://db/pf?sslmode=require&PassWord=S3cr3t&user=alice",
       "pg://db/pf?sslmode=require&PassWord=***&user=alice"},
      {"pg://db/pf?token=abc#frag", "pg://db/pf?token=***#frag"},
      // libpq and ODBC connection strings.
      {"pg:host=db password=S3cr3t dbname=pf",
       "pg:host=db password=*** dbname=pf"},
      {"odbc:Driver=x;Uid=alice;Pwd=S3cr3t;", "odbc:Driver=x;Uid=alice;Pwd=***;"},
      {"pg:password=S3cr3t", "pg:password=***"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(RedactStoreUri(c.uri), c.redacted) << c.uri;
    EXPECT_THAT(RedactStoreUri(c.uri), Not(HasSubstr("S3cr3t"))) << c.uri;
    EXPECT_TRUE(StoreUriHoldsSecret(c.uri)) << c.uri;
    // Every such URI is refused, and the refusal does not repeat it.
    absl::Status refused = ValidateStoreUri(c.uri);
    EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument) << c.uri;
    EXPECT_THAT(std::string(refused.message()), Not(HasSubstr("S3cr3t")));
    EXPECT_THAT(std::string(refused.message()), HasSubstr("holds a password"));
  }
}

TEST(RedactStoreUriTest, LeavesUrisWithoutSecretsAsWritten) {
  for (const char* uri :
       {"sqlite:org.db", "sqlite:/srv/ioreplication/contoso.db", "memory:",
        "memory:contoso", "host:fabrikam", "pg://alice@db/pf",
        "pg://db/pf?sslmode=require&user=alice",
        // A file path with ':' and '@' in it is not a user and a password.
        "sqlite:/data/a:b@c.db", "sqlite:backup@2026.db",
        // A secret-named key with nothing in it hides nothing.
        "pg://db/pf?password=", ""}) {
    EXPECT_EQ(RedactStoreUri(uri), uri);
    EXPECT_FALSE(StoreUriHoldsSecret(uri)) << uri;
  }
}

TEST(RedactStoreUriTest, UnknownSchemeMessagesShowOnlyTheRedactedUri) {
  // The secret check comes first; what any later check says is redacted.
  const absl::Status s = ValidateStoreUri("exchange:mailbox");
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("store URI \"exchange:mailbox\": unknown scheme"));
  const absl::Status pw = ValidateStoreUri("mysql:alice:S3cr3t@db");
  EXPECT_THAT(std::string(pw.message()),
              HasSubstr("store URI \"mysql:alice:***@db\" holds a password"));
}

class CanonicalStoreUriTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("store_uri_test." + std::to_string(getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ / "sub");
    previous_ = std::filesystem::current_path();
    std::filesystem::current_path(dir_);
  }
  void TearDown() override {
    std::filesystem::current_path(previous_);
    std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_;
  std::filesystem::path previous_;
};

TEST_F(CanonicalStoreUriTest, SpellingsOfOneFileAreOneStore) {
  const std::string x = CanonicalStoreUri("sqlite:x.db");
  EXPECT_EQ(x, "sqlite:" + (std::filesystem::canonical(dir_) / "x.db").string());
  // Before the file exists...
  EXPECT_EQ(CanonicalStoreUri("sqlite:./x.db"), x);
  EXPECT_EQ(CanonicalStoreUri("sqlite:sub/../x.db"), x);
  EXPECT_EQ(CanonicalStoreUri("sqlite:" + (dir_ / "x.db").string()), x);
  // ...and after, through a link to it or to its directory.
  std::ofstream(dir_ / "x.db") << "";
  std::filesystem::create_symlink(dir_ / "x.db", dir_ / "link.db");
  std::filesystem::create_directory_symlink(dir_, dir_ / "sub" / "up");
  EXPECT_EQ(CanonicalStoreUri("sqlite:link.db"), x);
  EXPECT_EQ(CanonicalStoreUri("sqlite:sub/up/x.db"), x);
  EXPECT_NE(CanonicalStoreUri("sqlite:y.db"), x);
  EXPECT_NE(CanonicalStoreUri("sqlite:sub/x.db"), x);
  // Other schemes are what they say.
  EXPECT_EQ(CanonicalStoreUri("memory:a"), "memory:a");
  EXPECT_EQ(CanonicalStoreUri("host:fabrikam"), "host:fabrikam");
  EXPECT_EQ(CanonicalStoreUri("sqlite:"), "sqlite:");
}

}  // namespace
}  // namespace ioreplication
