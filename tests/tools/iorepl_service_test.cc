// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// The administrator's iorepl, through the real binary on temporary
// directories: validate, config new, run --once, the service with its
// schedule and signals, status, export/import, and the demo.

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ioreplication/conflict.h"
#include "ioreplication/replica.h"
#include "ioreplication/store.h"
#include "sync/folder_tree.h"

namespace ioreplication {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

struct Result {
  int status;
  std::string out;
  std::string err;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class IoreplServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = absl::StrCat(
        ::testing::TempDir(), "/iorepl_service_",
        ::testing::UnitTest::GetInstance()->current_test_info()->name(), "_",
        getpid());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(dir_);
  }

  std::string P(const std::string& name) const { return dir_ + "/" + name; }

  // Runs the binary with `args` (quoted by the caller) in dir_.
  Result Iorepl(const std::string& args) {
    const std::string out = P("cmd.out"), err = P("cmd.err");
    const std::string command =
        absl::StrCat("cd '", dir_, "' && ", IOREPL_BINARY, " ", args, " >", out,
                     " 2>", err, " </dev/null");
    const int raw = std::system(command.c_str());
    EXPECT_TRUE(WIFEXITED(raw)) << command;
    return {WEXITSTATUS(raw), ReadFile(out), ReadFile(err)};
  }

  // Starts the binary in the background; its streams go to files.
  pid_t Start(const std::vector<std::string>& args, const std::string& tag) {
    const pid_t pid = fork();
    if (pid == 0) {
      if (chdir(dir_.c_str()) != 0) _exit(127);
      const int out =
          open(P(tag + ".out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int err =
          open(P(tag + ".err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      dup2(out, 1);
      dup2(err, 2);
      std::vector<char*> argv = {const_cast<char*>(IOREPL_BINARY)};
      for (const std::string& a : args)
        argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      execv(IOREPL_BINARY, argv.data());
      _exit(127);
    }
    return pid;
  }

  int Wait(pid_t pid) {
    int raw = 0;
    waitpid(pid, &raw, 0);
    EXPECT_TRUE(WIFEXITED(raw)) << "killed by signal " << WTERMSIG(raw);
    return WEXITSTATUS(raw);
  }

  // Polls until `file` holds `count` occurrences of `text` (10 s at most).
  bool WaitFor(const std::string& file, const std::string& text,
               int count = 1) {
    for (int i = 0; i < 200; ++i) {
      const std::string content = ReadFile(P(file));
      int found = 0;
      for (size_t at = content.find(text); at != std::string::npos;
           at = content.find(text, at + 1)) {
        ++found;
      }
      if (found >= count) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  // A SQLite store at P(name) with `items` posts in each of `folders`.
  void MakeStore(const std::string& name,
                 const std::vector<std::string>& folders, int items) {
    auto store = OpenStore("sqlite:" + P(name)).value();
    auto replica = Replica::Open(store.get()).value();
    Folder root = replica->CreateRootFolder("Public Folders").value();
    for (const std::string& path : folders) {
      Folder at = root;
      // Named: a range-for over `...value()` of a temporary StatusOr dangles.
      const std::vector<std::string> names = SplitFolderPath(path).value();
      for (const std::string& n : names) {
        auto children = store->ListChildFolders(at.source_key).value();
        bool found = false;
        for (const Folder& c : children) {
          if (c.display_name == n) {
            at = c;
            found = true;
          }
        }
        if (!found) at = replica->CreateFolder(at.source_key, n).value();
      }
      for (int i = 0; i < items; ++i) {
        ItemContent c;
        ASSERT_TRUE(
            c.properties.Set(kPropSubject, absl::StrCat(path, " #", i)).ok());
        c.body = "hello";
        ASSERT_TRUE(replica->CreateItem(at.source_key, std::move(c)).ok());
      }
    }
  }

  void AddPost(const std::string& name, const std::string& path) {
    auto store = OpenStore("sqlite:" + P(name)).value();
    auto replica = Replica::Open(store.get()).value();
    auto folder = FindFolderByPath(*store, path).value();
    ASSERT_TRUE(folder.has_value());
    ItemContent c;
    c.body = "one more";
    ASSERT_TRUE(replica->CreateItem(folder->source_key, std::move(c)).ok());
  }

  size_t ItemsAt(const std::string& name, const std::string& path) {
    auto store = OpenStore("sqlite:" + P(name)).value();
    auto folder = FindFolderByPath(*store, path).value();
    if (!folder.has_value()) return 0;
    return store->ListItems(folder->source_key).value().size();
  }

  void WriteConfig(const std::string& name, const std::string& text) {
    std::ofstream(P(name)) << text;
  }

  std::string dir_;
};

// kOneSession's store and mapping, without logging and schedule, in
// batches of `batch_size`.
std::string OneSessionInBatchesOf(int batch_size) {
  return absl::StrCat(R"(
session {
  name: "Sales"
  publisher: "sqlite:pub.db"
  subscriber: "sqlite:sub.db"
  mapping { publisher_path: "/Sales" subscriber_path: "/Contoso/Sales" }
  options { batch_size: )",
                      batch_size, " }\n}\n");
}

constexpr char kOneSession[] = R"(
session {
  name: "Sales"
  publisher: "sqlite:pub.db"
  subscriber: "sqlite:sub.db"
  mapping { publisher_path: "/Sales" subscriber_path: "/Contoso/Sales" }
  logging { file: "sales.log" }
  schedule { interval_seconds: 1 }
}
)";

TEST_F(IoreplServiceTest, ConfigNewWritesAFileThatValidates) {
  Result r = Iorepl("config new iorepl.conf");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("wrote iorepl.conf"));
  r = Iorepl("validate iorepl.conf");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "iorepl.conf: 1 session ('Sales share'), no problems\n");
  r = Iorepl("config new iorepl.conf");
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.err, HasSubstr("iorepl.conf exists; not overwriting it"));
  EXPECT_EQ(Iorepl("config new iorepl.conf --force").status, 0);
  r = Iorepl("config new");
  EXPECT_EQ(r.status, 0);
  EXPECT_THAT(r.out, HasSubstr("session {"));
}

TEST_F(IoreplServiceTest, ValidateNamesEveryProblemOnItsOwnLine) {
  WriteConfig("syntax.conf", "session {\n  name: \"x\"\n  publisher 12\n}\n");
  Result r = Iorepl("validate syntax.conf");
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.err, HasSubstr("syntax.conf: configuration syntax: line 3, "
                               "column 13:"));
  EXPECT_EQ(r.out, "");

  WriteConfig("bad.conf", R"(
session {
  name: "A"
  publisher: "exchange:pf"
  subscriber: "sqlite:b.db"
  mapping { publisher_path: "/Sales" subscriber_path: "/In" }
  mapping { publisher_path: "/Sales/EMEA" subscriber_path: "/Other" }
  max_tasks: 2
  schedule { interval_seconds: 60 window_start: "09:00" window_end: "09:00" }
}
session {
  name: "A"
  publisher: "postgresql://iorepl:hunter2@db/pf"
  subscriber: "sqlite:c.db"
  mapping { publisher_path: "/X" subscriber_path: "/Y" }
  schedule { days: "mon" }
}
)");
  r = Iorepl("validate bad.conf");
  EXPECT_EQ(r.status, 2);
  const std::vector<std::string> lines =
      absl::StrSplit(r.err, '\n', absl::SkipEmpty());
  EXPECT_THAT(
      lines,
      ::testing::UnorderedElementsAre(
          "bad.conf: session 'A': store URI \"exchange:pf\": unknown scheme "
          "\"exchange\" (known: memory, sqlite, host)",
          "bad.conf: session 'A': mapping 2: publisher path \"/Sales/EMEA\" "
          "overlaps mapping 1's \"/Sales\"",
          "bad.conf: session 'A': max_tasks is 2 but the session has only 1 "
          "subscriber (a task serves one subscriber)",
          "bad.conf: session 'A': schedule: the window 09:00 to 09:00 is "
          "empty, so the session never fires",
          "bad.conf: session 'A': store URI "
          "\"postgresql://iorepl:***@db/pf\" holds a password "
          "(user:password@ or password=); give the secret as a credential "
          "(an environment variable or a file) instead",
          "bad.conf: session 'A': schedule: days or a window are set but "
          "interval_seconds is 0, so the session never fires (set an "
          "interval, or drop them to run only by hand)",
          "bad.conf: session 'A' is defined twice"));
  EXPECT_THAT(r.err, Not(HasSubstr("hunter2")));
  EXPECT_EQ(Iorepl("validate missing.conf").status, 2);
}

TEST_F(IoreplServiceTest, RunOnceReplicatesRecordsAndStatusComputesWhatWaits) {
  MakeStore("pub.db", {"/Sales", "/Sales/EMEA"}, 3);
  WriteConfig("iorepl.conf", kOneSession);
  Result r = Iorepl("status iorepl.conf");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("last pass:  never"));
  EXPECT_THAT(r.out, HasSubstr("waiting:    unknown: a store does not exist"));

  r = Iorepl("run iorepl.conf --once");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out,
            "Statistics for Public Folder replication session 'Sales' [6 "
            "Message Changes, 0 Message Deletions, 0 Message Ignores, 0 "
            "Message Errors, 1 Folder Changes, 0 Folder Deletions, 0 Folder "
            "Ignores, 0 Folder Errors].\n");
  EXPECT_EQ(ItemsAt("sub.db", "/Contoso/Sales"), 3u);
  EXPECT_THAT(ReadFile(P("sales.log")), HasSubstr("[6 Message Changes"));

  r = Iorepl("status iorepl.conf");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr(", ok\n"));
  EXPECT_THAT(r.out, HasSubstr("statistics: Statistics for Public Folder "
                               "replication session 'Sales' [6 Message"));
  EXPECT_THAT(r.out, HasSubstr("waiting:    0 changes to send"));
  AddPost("pub.db", "/Sales/EMEA");
  AddPost("pub.db", "/Sales");
  r = Iorepl("status iorepl.conf --json");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"session\":\"Sales\""));
  EXPECT_THAT(r.out, HasSubstr("\"result\":\"ok\""));
  EXPECT_THAT(r.out, HasSubstr("\"waiting\":2,\"refused\":[]}"));

  r = Iorepl("run iorepl.conf --once --json --session Sales");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"session\":\"Sales\",\"type\":\"public_folder"
                               "\",\"result\":\"ok\",\"message_changes\":2,"));
  EXPECT_EQ(Iorepl("run iorepl.conf --once --session Nope").status, 2);
}

TEST_F(IoreplServiceTest, StatusListsRefusedObjectsUntilTheyAreSkipped) {
  MakeStore("pub.db", {"/Sales"}, 1);
  {
    auto store = OpenStore("sqlite:" + P("pub.db")).value();
    auto replica = Replica::Open(store.get()).value();
    ItemContent big;
    big.body = std::string(2000, 'x');
    ASSERT_TRUE(replica
                    ->CreateItem(FindFolderByPath(*store, "/Sales")
                                     .value()
                                     ->source_key,
                                 std::move(big))
                    .ok());
  }
  std::string config = kOneSession;
  config.insert(config.rfind('}'), "  options { max_item_size: 1000 }\n");
  WriteConfig("iorepl.conf", config);
  for (int pass = 0; pass < 2; ++pass) {  // every pass, not only the first
    Result r = Iorepl("run iorepl.conf --once");
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_THAT(r.out, HasSubstr(" 0 Message Deletions, 1 Message Ignores"));
  }
  Result r = Iorepl("status iorepl.conf");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("  refused:    1\n    /Sales -> /Contoso/Sales, "
                               "publisher -> subscriber 1: message {"));
  EXPECT_THAT(r.out, HasSubstr("(too_large): 2"));
  const size_t open = r.out.find("message {") + 8;
  const std::string key = r.out.substr(open, r.out.find(' ', open) - open);
  r = Iorepl("status iorepl.conf --json");
  EXPECT_THAT(r.out, HasSubstr(absl::StrCat(
                         "\"refused\":[{\"mapping\":\"/Sales -> /Contoso/Sales\","
                         "\"direction\":\"publisher -> subscriber 1\","
                         "\"kind\":\"message\",\"source_key\":\"",
                         key, "\"")));
  EXPECT_THAT(r.out, HasSubstr("\"reason\":\"too_large\""));

  EXPECT_EQ(Iorepl("skip iorepl.conf not-a-key").status, 2);
  r = Iorepl("skip iorepl.conf {00000000-0000-4000-8000-000000000000}:1");
  EXPECT_EQ(r.status, 1);
  EXPECT_THAT(r.err, HasSubstr("no selected session refused"));
  r = Iorepl(absl::StrCat("skip iorepl.conf '", key, "' --session Sales"));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("session 'Sales': " + key + " skipped"));
  EXPECT_THAT(Iorepl("status iorepl.conf").out,
              HasSubstr("[skipped: taken as seen next pass]"));
  r = Iorepl("run iorepl.conf --once");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("[0 Message Changes, 0 Message Deletions, 0 "
                               "Message Ignores"));
  EXPECT_THAT(Iorepl("status iorepl.conf").out, HasSubstr("  refused:    0\n"));
}

TEST_F(IoreplServiceTest, VerifyFindsADifferenceAndRepairsIt) {
  MakeStore("pub.db", {"/Sales", "/Sales/EMEA"}, 3);
  WriteConfig("iorepl.conf", kOneSession);
  ASSERT_EQ(Iorepl("run iorepl.conf --once").status, 0);
  Result r = Iorepl("verify iorepl.conf");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out,
            "session 'Sales': 2 folders and 12 item versions compared, 0 "
            "differences\n");
  // Lost at the subscriber, without a trace any pass would see.
  SourceKey lost;
  {
    auto store = OpenStore("sqlite:" + P("sub.db")).value();
    auto folder = FindFolderByPath(*store, "/Contoso/Sales/EMEA").value();
    lost = store->ListItems(folder->source_key).value().front();
    ASSERT_TRUE(store->Begin().ok());
    ASSERT_TRUE(store->DeleteItem(lost).ok());
    ASSERT_TRUE(store->Commit().ok());
  }
  EXPECT_THAT(Iorepl("run iorepl.conf --once").out,
              HasSubstr("[0 Message Changes"));
  // Stores are named as the configuration resolves them.
  const std::string sub_uri =
      "sqlite:" + fs::path(P("sub.db")).lexically_normal().string();
  r = Iorepl("verify iorepl.conf --json");
  EXPECT_EQ(r.status, 1);
  EXPECT_THAT(r.out, HasSubstr(absl::StrCat(
                         "\"differences\":[{\"mapping\":\"/Sales -> "
                         "/Contoso/Sales\",\"subscriber\":\"", sub_uri,
                         "\",\"path\":\"/EMEA\",\"kind\":\"message\","
                         "\"source_key\":\"",
                         lost.ToString(),
                         "\",\"reason\":\"missing_at_subscriber\"")));
  r = Iorepl("verify iorepl.conf --repair");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(r.out,
              HasSubstr(absl::StrCat(
                  "1 difference (the next pass sends them again)\n"
                  "  /Sales -> /Contoso/Sales, ", sub_uri, ": message ",
                  lost.ToString(),
                  " in /EMEA: missing_at_subscriber")));
  EXPECT_THAT(Iorepl("run iorepl.conf --once").out,
              HasSubstr("[1 Message Changes"));
  EXPECT_EQ(ItemsAt("sub.db", "/Contoso/Sales/EMEA"), 3u);
  EXPECT_EQ(Iorepl("verify iorepl.conf").status, 0);
}

TEST_F(IoreplServiceTest, AFailedPassExitsOneAndNamesTheFolder) {
  MakeStore("pub.db", {"/Other"}, 1);
  WriteConfig("iorepl.conf", kOneSession);
  Result r = Iorepl("run iorepl.conf --once");
  EXPECT_EQ(r.status, 1);
  EXPECT_THAT(r.out, HasSubstr("1 Folder Errors"));
  EXPECT_THAT(r.err, HasSubstr("session 'Sales': session 'Sales', mapping "
                               "/Sales -> /Contoso/Sales: the publisher has "
                               "no folder /Sales"));
  EXPECT_THAT(Iorepl("status iorepl.conf").out, HasSubstr(", errors\n"));
}

TEST_F(IoreplServiceTest, ServiceRunsOnScheduleReloadsAndStopsOnSignal) {
  MakeStore("pub.db", {"/Sales", "/News"}, 2);
  WriteConfig("iorepl.conf", kOneSession);
  const pid_t pid = Start({"run", "iorepl.conf"}, "svc");
  // Passes one second apart: the first copies, the next find nothing.
  ASSERT_TRUE(WaitFor("svc.out", "Statistics for", 2))
      << ReadFile(P("svc.err"));
  EXPECT_THAT(ReadFile(P("svc.out")), HasSubstr("[2 Message Changes"));
  AddPost("pub.db", "/Sales");
  ASSERT_TRUE(WaitFor("svc.out", "[1 Message Changes"));

  // A broken file is refused; the sessions go on.
  WriteConfig("iorepl.conf", "session { name: ");
  kill(pid, SIGHUP);
  ASSERT_TRUE(WaitFor("svc.err", "keeping the previous configuration"));
  const int passes = [&] {
    const std::string out = ReadFile(P("svc.out"));
    int n = 0;
    for (size_t at = out.find("Statistics"); at != std::string::npos;
         at = out.find("Statistics", at + 1)) {
      ++n;
    }
    return n;
  }();
  ASSERT_TRUE(WaitFor("svc.out", "Statistics for", passes + 1));
  // A good file is taken.
  WriteConfig("iorepl.conf", absl::StrCat(kOneSession, R"(
session {
  name: "News"
  publisher: "sqlite:pub.db"
  subscriber: "sqlite:sub.db"
  mapping { publisher_path: "/News" subscriber_path: "/Copy" }
  schedule { interval_seconds: 3600 }
})"));
  kill(pid, SIGHUP);
  ASSERT_TRUE(WaitFor("svc.err", "configuration reloaded: 2 sessions"));
  ASSERT_TRUE(WaitFor("svc.out", "session 'News' [2 Message Changes"));

  kill(pid, SIGTERM);
  EXPECT_EQ(Wait(pid), 0);
  const std::string err = ReadFile(P("svc.err"));
  EXPECT_THAT(err,
              HasSubstr("service started: iorepl.conf, 1 session ('Sales')"));
  EXPECT_THAT(err, HasSubstr("service stopped"));
  EXPECT_EQ(ItemsAt("sub.db", "/Contoso/Sales"), 3u);
  EXPECT_EQ(ItemsAt("sub.db", "/Copy"), 2u);
}

TEST_F(IoreplServiceTest, SigintStopsARunOnceAfterABatchAndTheNextRunFinishes) {
  MakeStore("pub.db", {"/Sales"}, 20000);
  WriteConfig("iorepl.conf", R"(
session {
  name: "Big"
  publisher: "sqlite:pub.db"
  subscriber: "sqlite:sub.db"
  mapping { publisher_path: "/Sales" subscriber_path: "/In" }
  options { batch_size: 1 }
}
)");
  const pid_t pid = Start({"run", "iorepl.conf", "--once"}, "once");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  kill(pid, SIGINT);
  const int status = Wait(pid);
  ASSERT_EQ(status, 4) << "the pass finished within 300 ms; make it larger";
  EXPECT_THAT(ReadFile(P("once.err")),
              HasSubstr("pass interrupted after a batch"));
  const size_t copied = ItemsAt("sub.db", "/In");
  EXPECT_GT(copied, 0u);
  EXPECT_LT(copied, 20000u);
  EXPECT_THAT(Iorepl("status iorepl.conf").out, HasSubstr(", interrupted\n"));
  Result r = Iorepl("run iorepl.conf --once");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr(absl::StrCat("[", 20000 - copied,
                                            " Message Changes, 0 Message "
                                            "Deletions, 0 Message Ignores")));
  EXPECT_EQ(ItemsAt("sub.db", "/In"), 20000u);
}

TEST_F(IoreplServiceTest, MaxTasksServesEverySubscriberAndSharedFoldersOnce) {
  MakeStore("pub.db", {"/Sales"}, 5);
  MakeStore("pub2.db", {"/News"}, 4);
  WriteConfig("iorepl.conf", R"(
session {
  name: "Fan out"
  publisher: "sqlite:pub.db"
  subscriber: "sqlite:s1.db"
  subscriber: "sqlite:s2.db"
  subscriber: "sqlite:s3.db"
  mapping { publisher_path: "/Sales" subscriber_path: "/Shared/Sales" }
  max_tasks: 3
}
session {
  name: "Second source"
  publisher: "sqlite:pub2.db"
  subscriber: "sqlite:s1.db"
  mapping { publisher_path: "/News" subscriber_path: "/Shared/News" }
}
)");
  Result r = Iorepl("run iorepl.conf --once");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("session 'Fan out' [15 Message Changes"));
  EXPECT_THAT(r.out, HasSubstr("session 'Second source' [4 Message Changes"));
  for (const char* s : {"s1.db", "s2.db", "s3.db"}) {
    EXPECT_EQ(ItemsAt(s, "/Shared/Sales"), 5u) << s;
  }
  EXPECT_EQ(ItemsAt("s1.db", "/Shared/News"), 4u);
  // Both sessions made s1's /Shared as needed: one folder, not two.
  auto store = OpenStore("sqlite:" + P("s1.db")).value();
  auto root = store->ListChildFolders(std::nullopt).value();
  ASSERT_EQ(root.size(), 1u);
  auto top = store->ListChildFolders(root[0].source_key).value();
  ASSERT_EQ(top.size(), 1u);
  EXPECT_EQ(top[0].display_name, "Shared");
}

TEST_F(IoreplServiceTest, ExportImportRoundTripAndRefusedFiles) {
  MakeStore("pub.db", {"/Sales"}, 4);
  WriteConfig("iorepl.conf", kOneSession);
  Result r = Iorepl("export iorepl.conf --out changes.iorx");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("exported 4 changes of session 'Sales' to "
                               "changes.iorx ("));
  const std::string bytes = ReadFile(P("changes.iorx"));
  std::ofstream(P("truncated.iorx"), std::ios::binary)
      << bytes.substr(0, bytes.size() - 10);
  std::string tampered = bytes;
  tampered[tampered.size() / 2] ^= 1;
  std::ofstream(P("tampered.iorx"), std::ios::binary) << tampered;

  r = Iorepl("import iorepl.conf truncated.iorx");
  EXPECT_EQ(r.status, 3);
  EXPECT_THAT(r.err, HasSubstr("import refused, nothing changed: "
                               "truncated.iorx: exchange file:"));
  r = Iorepl("import iorepl.conf tampered.iorx");
  EXPECT_EQ(r.status, 3);
  EXPECT_THAT(r.err, HasSubstr("digest does not match"));
  EXPECT_EQ(ItemsAt("sub.db", "/Contoso/Sales"), 0u);

  r = Iorepl("import iorepl.conf changes.iorx");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("[4 Message Changes"));
  EXPECT_EQ(ItemsAt("sub.db", "/Contoso/Sales"), 4u);
  r = Iorepl("import iorepl.conf changes.iorx");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "changes.iorx: applied before; nothing changed\n");

  // A file of another session.
  WriteConfig("other.conf", R"(
session { name: "Other" publisher: "sqlite:pub.db" subscriber: "sqlite:sub.db"
          mapping { publisher_path: "/Sales" subscriber_path: "/Contoso/Sales" } }
)");
  r = Iorepl("import other.conf changes.iorx");
  EXPECT_EQ(r.status, 3);
  EXPECT_THAT(r.err, HasSubstr("the file belongs to session 'Sales', not "
                               "'Other'"));
  // Keyed sessions: the key comes from the environment and is never shown.
  WriteConfig(
      "keyed.conf",
      absl::StrCat(
          "session { name: \"Sales\" publisher: \"sqlite:pub.db\" subscriber: "
          "\"sqlite:sub.db\" mapping { publisher_path: \"/Sales\" "
          "subscriber_path: \"/Contoso/Sales\" } exchange_key { env: "
          "\"IOREPL_TEST_KEY\" } }"));
  r = Iorepl("export keyed.conf --out k.iorx");
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.err, HasSubstr("environment variable IOREPL_TEST_KEY is not "
                               "set"));
  r = Iorepl("import keyed.conf changes.iorx");
  EXPECT_EQ(r.status, 2);
  r = Iorepl("export iorepl.conf");
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.err, HasSubstr("export needs --out PATH"));
  setenv("IOREPL_TEST_KEY", "k3y-material", 1);
  AddPost("pub.db", "/Sales");
  r = Iorepl("export keyed.conf --out k.iorx");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("HMAC-SHA256"));
  r = Iorepl("import iorepl.conf k.iorx");  // the unkeyed configuration
  EXPECT_EQ(r.status, 3);
  EXPECT_THAT(r.err, HasSubstr("authenticated with an exchange key"));
  r = Iorepl("import keyed.conf k.iorx");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(r.out + r.err, Not(HasSubstr("k3y-material")));
  unsetenv("IOREPL_TEST_KEY");
  EXPECT_EQ(ItemsAt("sub.db", "/Contoso/Sales"), 5u);
}

// A pass stopped by a full disk used to report 0 Message Changes in its
// JSON line and its status file after committing most of its batches. The
// limit is the process's file size (ulimit -f, with SIGXFSZ ignored so that
// writes fail as on a full disk).
TEST_F(IoreplServiceTest, AFailedPassReportsWhatItCommitted) {
  {
    auto store = OpenStore("sqlite:" + P("pub.db")).value();
    auto replica = Replica::Open(store.get()).value();
    Folder root = replica->CreateRootFolder("Public Folders").value();
    Folder sales = replica->CreateFolder(root.source_key, "Sales").value();
    for (int i = 0; i < 300; ++i) {
      ItemContent c;
      c.body = absl::StrCat(std::string(4000, 'y'), i);
      ASSERT_TRUE(replica->CreateItem(sales.source_key, std::move(c)).ok());
    }
  }
  WriteConfig("iorepl.conf", OneSessionInBatchesOf(20));
  const std::string out = P("full.out"), err = P("full.err");
  const std::string command = absl::StrCat(
      "cd '", dir_, "' && bash -c 'trap \"\" XFSZ; ulimit -f 1000; exec ",
      IOREPL_BINARY, " run iorepl.conf --once --json' >", out, " 2>", err,
      " </dev/null");
  const int raw = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(raw));
  EXPECT_EQ(WEXITSTATUS(raw), 1) << ReadFile(err);
  const size_t committed = ItemsAt("sub.db", "/Contoso/Sales");
  ASSERT_GT(committed, 0u);
  ASSERT_LT(committed, 300u);
  const std::string json = ReadFile(out);
  EXPECT_THAT(json, HasSubstr("\"result\":\"failed\""));
  EXPECT_THAT(json,
              HasSubstr(absl::StrCat("\"message_changes\":", committed, ",")));
  const std::string status = ReadFile(P("iorepl.conf.status"));
  EXPECT_THAT(status, HasSubstr(absl::StrCat("message_changes: ", committed)));
  EXPECT_THAT(status, HasSubstr(absl::StrCat("[", committed, " Message Changes")));
  // With room again, the next pass counts the rest.
  Result r = Iorepl("run iorepl.conf --once --json");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr(absl::StrCat("\"message_changes\":",
                                            300 - committed, ",")));
  EXPECT_EQ(ItemsAt("sub.db", "/Contoso/Sales"), 300u);
}

// Two `run --once` started together on a fresh subscriber: they share the
// lock directory next to the status file, so the second waits for the
// first's folders instead of racing it. Both succeed, the data ends right,
// and the next pass sends nothing again.
TEST_F(IoreplServiceTest, TwoRunsAtOnceTakeTurnsAndBothSucceed) {
  MakeStore("pub.db", {"/Sales", "/Sales/EMEA"}, 1500);
  WriteConfig("iorepl.conf", OneSessionInBatchesOf(50));
  const pid_t one = Start({"run", "iorepl.conf", "--once", "--json"}, "one");
  const pid_t two = Start({"run", "iorepl.conf", "--once", "--json"}, "two");
  const int one_status = Wait(one);
  const int two_status = Wait(two);
  for (const auto& [status, tag] :
       {std::pair{one_status, "one"}, std::pair{two_status, "two"}}) {
    const std::string out = ReadFile(P(std::string(tag) + ".out"));
    const std::string err = ReadFile(P(std::string(tag) + ".err"));
    EXPECT_EQ(status, 0) << tag << ": " << err;
    EXPECT_THAT(out + err, Not(HasSubstr("parent_missing"))) << tag;
  }
  EXPECT_EQ(ItemsAt("sub.db", "/Contoso/Sales"), 1500u);
  EXPECT_EQ(ItemsAt("sub.db", "/Contoso/Sales/EMEA"), 1500u);
  const Result next = Iorepl("run iorepl.conf --once --json");
  EXPECT_EQ(next.status, 0) << next.err;
  EXPECT_THAT(next.out, HasSubstr("\"message_changes\":0,"));
  EXPECT_THAT(next.out, HasSubstr("\"message_ignores\":0,"));
  EXPECT_THAT(next.out, HasSubstr("\"folder_changes\":0,"));
}

// Inputs that are not what they claim: nothing is read whole, nothing
// crashes (these used to end in std::bad_alloc under a 2 GB ulimit -v, or
// to say "0 sessions" for a directory), and export keeps a file that may
// not have been imported.
TEST_F(IoreplServiceTest, EndlessOrWrongInputsAreRefusedAndFilesAreKept) {
  Result r = Iorepl("validate /dev/zero");
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.err, HasSubstr("configuration file /dev/zero holds more than "
                               "16 MiB, the limit for a configuration file"));
  fs::create_directories(P("confdir"));
  r = Iorepl("validate confdir");
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.err, HasSubstr("configuration file confdir is a directory"));
  EXPECT_EQ(r.out, "");

  MakeStore("pub.db", {"/Sales"}, 2);
  WriteConfig("iorepl.conf", kOneSession);
  r = Iorepl("import iorepl.conf /dev/zero");
  EXPECT_EQ(r.status, 3);
  EXPECT_THAT(r.err, HasSubstr("/dev/zero is not a regular file"));
  r = Iorepl("recipients import /dev/zero --store sqlite:pub.db");
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.err, HasSubstr("holds more than 64 MiB"));
  r = Iorepl("freebusy import /dev/zero --store sqlite:pub.db --legacy-dn /o=x");
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.err, HasSubstr("holds more than 16 MiB"));

  r = Iorepl("export iorepl.conf --out changes.iorx");
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string first = ReadFile(P("changes.iorx"));
  AddPost("pub.db", "/Sales");
  r = Iorepl("export iorepl.conf --out changes.iorx");
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.err, HasSubstr("changes.iorx exists, and its subscriber may "
                               "not have imported it yet"));
  EXPECT_EQ(ReadFile(P("changes.iorx")), first);
  r = Iorepl("import iorepl.conf changes.iorx");
  ASSERT_EQ(r.status, 0) << r.err;
  r = Iorepl("export iorepl.conf --out changes.iorx --force");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("exported 1 change of session 'Sales'"));
  r = Iorepl("import iorepl.conf changes.iorx");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(ItemsAt("sub.db", "/Contoso/Sales"), 3u);
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir_)) {
    names.push_back(entry.path().filename().string());
  }
  EXPECT_THAT(names, Not(::testing::Contains(HasSubstr(".tmp"))));
}

TEST_F(IoreplServiceTest, TheDemosConflictIsListedAndResolved) {
  ASSERT_EQ(Iorepl("demo demo").status, 0);
  Result r = Iorepl("conflicts demo/iorepl.conf --session 'Joint project'");
  ASSERT_EQ(r.status, 0) << r.err;
  // In both organizations: the conflict item replicated.
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 2) << r.out;
  EXPECT_THAT(r.out, HasSubstr("\"Project kickoff\": conflict item {"));
  const size_t at = r.out.find("conflict item ") + 14;
  const std::string key = r.out.substr(at, r.out.find(' ', at) - at);
  r = Iorepl("conflicts demo/iorepl.conf --json");
  EXPECT_THAT(r.out, HasSubstr("\"conflict_item\":\"" + key + "\""));

  EXPECT_EQ(Iorepl("resolve demo/iorepl.conf '" + key + "'").status, 2);
  EXPECT_EQ(Iorepl("resolve demo/iorepl.conf '" + key + "' --keep all").status,
            2);
  r = Iorepl("resolve demo/iorepl.conf '" + key + "' --keep theirs");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("resolved (keep theirs)"));
  ASSERT_EQ(Iorepl("run demo/iorepl.conf --once").status, 0);
  EXPECT_EQ(Iorepl("conflicts demo/iorepl.conf").out, "");
  r = Iorepl("resolve demo/iorepl.conf '" + key + "' --keep theirs");
  EXPECT_EQ(r.status, 1);
  EXPECT_THAT(r.err, HasSubstr("no selected session holds"));
}

TEST_F(IoreplServiceTest, DemoRunsEndToEnd) {
  Result r = Iorepl("demo demo");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Contoso: 9 folders, 380 posts, appointments "
                               "and contacts"));
  EXPECT_THAT(r.out, HasSubstr("session 'Contoso to Fabrikam' [230 Message "
                               "Changes"));
  EXPECT_THAT(r.out, HasSubstr("session 'Joint project' [140 Message "
                               "Changes"));
  EXPECT_THAT(r.out, HasSubstr("Session 'Joint project' resolved 1 conflict"));
  // Free/busy: 12 users published, Fabrikam has contacts for 9: 9 messages
  // and their site folder arrive, 3 are ignored (on every pass).
  EXPECT_THAT(r.out, HasSubstr("Statistics for Free/Busy replication session "
                               "'Contoso free/busy' [9 Message Changes, 0 "
                               "Message Deletions, 3 Message Ignores, 0 "
                               "Message Errors, 1 Folder Changes"));
  // The one conflict is logged, and nothing else goes to stderr.
  EXPECT_THAT(r.err,
              HasSubstr("session 'Joint project': mapping /Projects/Joint -> "
                        "/Joint (publisher -> subscriber 1): conflict on "
                        "message "));
  EXPECT_THAT(r.err, HasSubstr("\"Project kickoff\" in folder \"Meetings\""));
  EXPECT_THAT(r.err, HasSubstr("; policy keep_both: the "));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  r = Iorepl("list sqlite:demo/fabrikam.db /Joint/Meetings");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("IPM.Conflict.Message"));
  EXPECT_THAT(r.out, HasSubstr("in conflict"));
  r = Iorepl("run demo/iorepl.conf --once");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(r.out, Not(HasSubstr("[1")));  // nothing left to do
  r = Iorepl(
      "freebusy export --user Ana.Alvarez@contoso.com --store "
      "sqlite:demo/fabrikam.db");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("FREEBUSY;FBTYPE=BUSY-UNAVAILABLE:"));
  EXPECT_THAT(r.out, HasSubstr("ORGANIZER;CN=Ana Alvarez:mailto:"));
  EXPECT_EQ(Iorepl("freebusy status --store sqlite:demo/fabrikam.db").status,
            0);
  // Run again from scratch in the same directory: the same result.
  EXPECT_EQ(Iorepl("demo demo").status, 0);
}

}  // namespace
}  // namespace ioreplication
