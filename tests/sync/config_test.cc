// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Session configuration: the text format, defaults, and every validation
// message.

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ioreplication/session.h"

namespace ioreplication {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string Message(const absl::Status& status) {
  return std::string(status.message());
}

TEST(ConfigTest, ParsesEveryField) {
  absl::StatusOr<SessionConfig> c = ParseSessionConfig(R"(
    name: "Sales share"
    type: PUBLIC_FOLDER
    publisher: "sqlite:/srv/contoso.db"
    subscriber: "sqlite:/srv/fabrikam.db"
    subscriber: "sqlite:/srv/tailspin.db"
    mapping { publisher_path: "/Sales" subscriber_path: "/Contoso/Sales"
              direction: BIDIRECTIONAL }
    mapping { publisher_path: "/News" subscriber_path: "/Contoso/News" }
    options { replicate_deletions: false replicate_permissions: true
              conflict_policy: PUBLISHER_WINS batch_size: 250
              max_item_size: 1048576 replication_account: "iorepl@contoso.com"
              require_matching_rights: true }
    logging { file: "/var/log/iorepl.log" level: DETAIL log_each_message: true }
    schedule { interval_seconds: 900 days: "mon" days: "tue"
               window_start: "08:00" window_end: "18:00" }
    max_tasks: 2
  )");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->name, "Sales share");
  EXPECT_EQ(c->type, SessionType::kPublicFolder);
  EXPECT_EQ(c->subscribers.size(), 2u);
  ASSERT_EQ(c->mappings.size(), 2u);
  EXPECT_EQ(c->mappings[0].direction, MappingDirection::kBidirectional);
  EXPECT_EQ(c->mappings[1].direction, MappingDirection::kOneWay);
  EXPECT_FALSE(c->options.replicate_deletions);
  EXPECT_TRUE(c->options.replicate_permissions);
  EXPECT_EQ(c->options.conflict_policy, ConflictPolicy::kPublisherWins);
  EXPECT_EQ(c->options.batch_size, 250u);
  EXPECT_EQ(c->options.max_item_size, 1048576u);
  EXPECT_TRUE(c->options.require_matching_rights);
  EXPECT_EQ(c->logging.level, LogLevel::kDetail);
  EXPECT_TRUE(c->logging.log_each_message);
  EXPECT_EQ(c->schedule.interval, absl::Minutes(15));
  EXPECT_THAT(c->schedule.days, ::testing::ElementsAre("mon", "tue"));
  EXPECT_EQ(c->max_tasks, 2u);
}

TEST(ConfigTest, DefaultsAreTheDocumentedOnes) {
  absl::StatusOr<SessionConfig> c = ParseSessionConfig(R"(
    name: "s" publisher: "memory:" subscriber: "sqlite:/x.db"
    mapping { publisher_path: "/" subscriber_path: "/In" }
  )");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_TRUE(c->options.replicate_deletions);
  EXPECT_FALSE(c->options.replicate_permissions);
  EXPECT_EQ(c->options.conflict_policy, ConflictPolicy::kKeepBoth);
  EXPECT_EQ(c->options.batch_size, 1000u);
  EXPECT_EQ(c->options.max_item_size, size_t{64} << 20);
  EXPECT_EQ(c->max_tasks, 1u);
  EXPECT_EQ(c->logging.level, LogLevel::kSummary);
}

TEST(ConfigTest, SyntaxErrorsNameLineAndColumn) {
  absl::StatusOr<SessionConfig> c =
      ParseSessionConfig("name: \"s\"\npublisher: memory\n");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(c.status()), HasSubstr("line 2, column 12"));
  c = ParseSessionConfig("name: \"s\"\n  colour: 3\n");
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(Message(c.status()), HasSubstr("line 2"));
  EXPECT_THAT(Message(c.status()), HasSubstr("colour"));
}

TEST(ConfigTest, EveryProblemIsReportedOnItsOwnLine) {
  SessionConfig c;
  c.publisher = "memory:";
  c.subscribers = {"memory:"};
  c.mappings = {{"Sales", "/In", MappingDirection::kOneWay},
                {"/A/..", "/B", MappingDirection::kOneWay},
                {"/X", "/Y//Z", MappingDirection::kOneWay}};
  c.options.batch_size = 0;
  c.options.require_matching_rights = true;
  c.max_tasks = 0;
  const std::string m = Message(ValidateSessionConfig(c));
  EXPECT_THAT(m, HasSubstr("session: the name is empty\n"));
  EXPECT_THAT(m, HasSubstr("store \"memory:\" appears twice"));
  EXPECT_THAT(m, HasSubstr("mapping 1: folder path \"Sales\" must start with"));
  EXPECT_THAT(m, HasSubstr("mapping 2: folder path \"/A/..\" has a \"..\""));
  EXPECT_THAT(m, HasSubstr("mapping 3: folder path \"/Y//Z\" has an empty"));
  EXPECT_THAT(m, HasSubstr("batch_size must be at least 1"));
  EXPECT_THAT(m,
              HasSubstr("require_matching_rights needs a replication_account"));
  EXPECT_THAT(m, HasSubstr("max_tasks must be at least 1"));
  EXPECT_EQ(std::count(m.begin(), m.end(), '\n') + 1, 8);
}

TEST(ConfigTest, MissingPartsAreNamed) {
  SessionConfig c;
  c.name = "empty";
  const std::string m = Message(ValidateSessionConfig(c));
  EXPECT_THAT(m, HasSubstr("session 'empty': no publisher store"));
  EXPECT_THAT(m, HasSubstr("session 'empty': no subscriber store"));
  EXPECT_THAT(m, HasSubstr("session 'empty': no folder mapping"));
}

TEST(ConfigTest, OverlappingOrNestedMappingsAreRefused) {
  SessionConfig c;
  c.name = "s";
  c.publisher = "memory:";
  c.subscribers = {"sqlite:/x.db"};
  c.mappings = {{"/Sales", "/In/Sales", MappingDirection::kOneWay},
                {"/sales/EMEA", "/In/Other", MappingDirection::kOneWay},
                {"/News", "/In", MappingDirection::kOneWay}};
  const std::string m = Message(ValidateSessionConfig(c));
  EXPECT_THAT(m, HasSubstr("mapping 2: publisher path \"/sales/EMEA\" overlaps "
                           "mapping 1's \"/Sales\""));
  EXPECT_THAT(m, HasSubstr("mapping 3: subscriber path \"/In\" overlaps "
                           "mapping 1's \"/In/Sales\""));
}

TEST(ConfigTest, AFileHoldsManySessionsWithUniqueNames) {
  const char* kSession =
      "session { name: \"%s\" publisher: \"memory:\" subscriber: "
      "\"sqlite:/x.db\" mapping { publisher_path: \"/\" subscriber_path: "
      "\"/In\" } }\n";
  absl::StatusOr<std::vector<SessionConfig>> all = ParseConfig(absl::StrCat(
      absl::StrFormat(kSession, "a"), absl::StrFormat(kSession, "b")));
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->size(), 2u);
  all = ParseConfig(absl::StrCat(absl::StrFormat(kSession, "a"),
                                 absl::StrFormat(kSession, "a")));
  ASSERT_FALSE(all.ok());
  EXPECT_THAT(Message(all.status()), HasSubstr("session 'a' is defined twice"));
  EXPECT_TRUE(ParseConfig("").value().empty());
}

TEST(ConfigTest, SessionOpenRefusesBadStores) {
  SessionConfig c;
  c.name = "s";
  c.publisher = "memory:";
  c.subscribers = {"ftp:elsewhere"};
  c.mappings = {{"/", "/In", MappingDirection::kOneWay}};
  absl::StatusOr<std::unique_ptr<Session>> s = Session::Open(c);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(Message(s.status()),
              HasSubstr("session 's': store URI \"ftp:elsewhere\": unknown "
                        "scheme \"ftp\""));
  // A store that cannot open is named by its role.
  c.subscribers = {"sqlite:/nonexistent-dir/x.db"};
  s = Session::Open(c);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(Message(s.status()),
              HasSubstr("subscriber \"sqlite:/nonexistent-dir/x.db\": "));
  c.subscribers = {"memory:a", "memory:b"};
  EXPECT_EQ(Session::WithStores(c, nullptr, {}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ConfigTest, OpenedByUriAndRun) {
  SessionConfig c;
  c.name = "s";
  c.publisher = "memory:";
  c.subscribers = {"sqlite:" + ::testing::TempDir() + "/config_test_sub.db"};
  std::remove((c.subscribers[0].substr(7)).c_str());
  c.mappings = {{"/", "/In", MappingDirection::kOneWay}};
  absl::StatusOr<std::unique_ptr<Session>> s = Session::Open(c);
  ASSERT_TRUE(s.ok()) << s.status();
  // The publisher is empty (no root): a Folder Error, not a failure.
  absl::StatusOr<SessionStatistics> stats = (*s)->Run();
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_EQ(stats->folder_errors, 1u);
}

}  // namespace
}  // namespace ioreplication

namespace ioreplication {
namespace {

// A valid session; each test breaks one thing.
SessionConfig Valid() {
  SessionConfig c;
  c.name = "s";
  c.publisher = "sqlite:/srv/a.db";
  c.subscribers = {"sqlite:/srv/b.db", "sqlite:/srv/c.db"};
  c.mappings = {{"/A", "/B", MappingDirection::kOneWay}};
  return c;
}

std::string Problems(const SessionConfig& c) {
  absl::Status s = ValidateSessionConfig(c);
  EXPECT_FALSE(s.ok());
  return std::string(s.message());
}

TEST(ConfigValidationTest, StoreUrisMustBeKnownAndHoldNoPassword) {
  SessionConfig c = Valid();
  EXPECT_TRUE(ValidateSessionConfig(c).ok());
  c.publisher = "postgres://admin:hunter2@db.example.com/pf";
  const std::string message = Problems(c);
  EXPECT_THAT(message, HasSubstr("session 's': store URI "
                                 "\"postgres://admin:***@db.example.com/pf\" "
                                 "holds a password"));
  EXPECT_THAT(message, ::testing::Not(HasSubstr("hunter2")));
  // Every message that shows a store URI shows it redacted: the same store
  // twice, a credential for a store the session does not have.
  c = Valid();
  c.publisher = "pg://alice:S3/cr3t@db/pf";
  c.subscribers[0] = c.publisher;
  c.credentials.push_back(
      {"pg://bob:S3/cr3t@db/pf", CredentialSource{.env = "PW", .file = ""}});
  const std::string all = Problems(c);
  EXPECT_THAT(all, HasSubstr("store \"pg://alice:***@db/pf\" appears twice"));
  EXPECT_THAT(all, HasSubstr("a credential names store \"pg://bob:***@db/pf\""));
  EXPECT_THAT(all, ::testing::Not(HasSubstr("S3/cr3t")));
  c = Valid();
  c.subscribers[1] = "exchange:mailbox";
  EXPECT_THAT(Problems(c),
              HasSubstr("store URI \"exchange:mailbox\": unknown scheme "
                        "\"exchange\" (known: memory, sqlite, host)"));
}

// "sqlite:x.db" and "sqlite:./x.db" used to pass validation and fail every
// pass: the publisher's own store as its subscriber.
TEST(ConfigValidationTest, TwoSpellingsOfOneStoreAreOneStore) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      ("config_test." + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "pub.db") << "";
  std::filesystem::remove(dir / "link.db");
  std::filesystem::create_symlink(dir / "pub.db", dir / "link.db");
  SessionConfig c = Valid();
  c.publisher = "sqlite:" + (dir / "pub.db").string();
  c.subscribers = {"sqlite:" + (dir / "." / "pub.db").string(),
                   "sqlite:" + (dir / "link.db").string(),
                   "sqlite:" + (dir / "other.db").string()};
  const std::string m = Problems(c);
  EXPECT_THAT(m, HasSubstr("/./pub.db\" are the same store ("));
  EXPECT_THAT(m, HasSubstr("/link.db\" are the same store ("));
  EXPECT_THAT(m, Not(HasSubstr("other.db")));
  c.subscribers = {"sqlite:" + (dir / "other.db").string()};
  EXPECT_TRUE(ValidateSessionConfig(c).ok());
  std::filesystem::remove_all(dir);
}

// "batch_size: 0" used to mean 1000 without a word, while the setters
// refuse 0. Written as 0, a count is refused; left out, it is the default.
TEST(ConfigTest, ZeroCountsInTheTextAreRefused) {
  const std::string base =
      "name: \"Z\" publisher: \"memory:p\" subscriber: \"memory:s\" "
      "mapping { publisher_path: \"/A\" subscriber_path: \"/B\" } ";
  EXPECT_THAT(Message(ParseSessionConfig(base + "options { batch_size: 0 }")
                          .status()),
              HasSubstr("batch_size must be at least 1"));
  EXPECT_THAT(Message(ParseSessionConfig(base + "options { max_item_size: 0 }")
                          .status()),
              HasSubstr("max_item_size must be positive"));
  EXPECT_THAT(Message(ParseSessionConfig(base + "max_tasks: 0").status()),
              HasSubstr("max_tasks must be at least 1"));
  const SessionConfig defaults = ParseSessionConfig(base).value();
  EXPECT_EQ(defaults.options.batch_size, 1000u);
  EXPECT_EQ(defaults.options.max_item_size, size_t{64} << 20);
  EXPECT_EQ(defaults.max_tasks, 1u);
}

TEST(ConfigValidationTest, MaxTasksAtMostTheSubscribers) {
  SessionConfig c = Valid();
  c.max_tasks = 2;
  EXPECT_TRUE(ValidateSessionConfig(c).ok());
  c.max_tasks = 3;
  EXPECT_THAT(Problems(c),
              HasSubstr("session 's': max_tasks is 3 but the session has "
                        "only 2 subscribers (a task serves one subscriber)"));
}

TEST(ConfigValidationTest, SchedulesThatNeverFireAreNamed) {
  SessionConfig c = Valid();
  c.schedule.interval = absl::Seconds(60);
  c.schedule.window_start = c.schedule.window_end = "12:00";
  EXPECT_THAT(Problems(c), HasSubstr("session 's': schedule: the window "
                                     "12:00 to 12:00 is empty"));
}

TEST(ConfigValidationTest, CredentialsOnlyForStoresThatTakeThem) {
  SessionConfig c = Valid();
  c.credentials = {{"sqlite:/srv/b.db", {"IOREPL_PW", ""}}};
  EXPECT_THAT(Problems(c),
              HasSubstr("store \"sqlite:/srv/b.db\" takes no credential"));
  c.credentials = {{"sqlite:/elsewhere.db", {"", ""}}};
  const std::string p = Problems(c);
  EXPECT_THAT(p, HasSubstr("a credential names store \"sqlite:/elsewhere.db\", "
                           "which is not one of the session's"));
  EXPECT_THAT(p, HasSubstr("names neither env nor file"));
}

TEST(ConfigValidationTest, ResolveCredentialNamesTheSourceNeverTheSecret) {
  unsetenv("IOREPL_TEST_UNSET");
  absl::StatusOr<std::string> s = ResolveCredential({"IOREPL_TEST_UNSET", ""});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(Message(s.status()),
            "credential: environment variable IOREPL_TEST_UNSET is not set");
  setenv("IOREPL_TEST_SECRET", "s3cret", 1);
  EXPECT_EQ(ResolveCredential({"IOREPL_TEST_SECRET", ""}).value(), "s3cret");
  const std::string path =
      absl::StrCat(::testing::TempDir(), "/config_test_secret_", getpid());
  { std::ofstream(path) << "from-file\n"; }
  EXPECT_EQ(ResolveCredential({"", path}).value(), "from-file");
  s = ResolveCredential({"", path + ".missing"});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(Message(s.status()),
            absl::StrCat("credential: credential file ", path,
                         ".missing does not exist"));
  // A wrong path to something endless is refused, not read forever.
  s = ResolveCredential({"", "/dev/zero"});
  EXPECT_EQ(s.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_THAT(Message(s.status()), HasSubstr("holds more than 64 KiB"));
  s = ResolveCredential({"", ::testing::TempDir()});
  EXPECT_THAT(Message(s.status()), HasSubstr("is a directory"));
  // A store refuses a credential it cannot use, without echoing it.
  StoreOptions options;
  options.credential = "s3cret";
  absl::StatusOr<std::unique_ptr<Store>> store = OpenStore("memory:", options);
  ASSERT_FALSE(store.ok());
  EXPECT_THAT(Message(store.status()), HasSubstr("take no credential"));
  EXPECT_THAT(Message(store.status()), ::testing::Not(HasSubstr("s3cret")));
}

TEST(ConfigValidationTest, FileLevelSettingsAndCredentialsParse) {
  absl::StatusOr<ConfigFile> file = ParseConfigFile(R"(
    status_file: "/var/lib/iorepl/status"
    session {
      name: "x" publisher: "memory:a" subscriber: "memory:b"
      mapping { publisher_path: "/" subscriber_path: "/In" }
      exchange_key { env: "IOREPL_KEY" }
    }
  )");
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_EQ(file->status_file, "/var/lib/iorepl/status");
  ASSERT_EQ(file->sessions.size(), 1u);
  EXPECT_EQ(file->sessions[0].exchange_key.env, "IOREPL_KEY");
  EXPECT_TRUE(file->sessions[0].credentials.empty());
}

}  // namespace
}  // namespace ioreplication
