// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// The installed shape of iorepl: the real binary, its exit statuses and its
// streams, as a script sees them.

#include <fcntl.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "ioreplication/folder_path.h"
#include "ioreplication/mail_transport.h"
#include "ioreplication/replica.h"
#include "ioreplication/store.h"

namespace {

using ::testing::HasSubstr;

struct Result {
  int status;
  std::string out;
  std::string err;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs the binary through the shell; arguments are quoted by the caller.
Result Iorepl(const std::string& args, const std::string& input = "/dev/null") {
  // ctest runs the cases in parallel: give each its own files.
  const std::string base =
      ::testing::TempDir() + "/iorepl_" +
      ::testing::UnitTest::GetInstance()->current_test_info()->name() + "_" +
      std::to_string(getpid());
  const std::string out = base + ".out", err = base + ".err";
  const std::string command = std::string(IOREPL_BINARY) + " " + args + " >" +
                              out + " 2>" + err + " <" + input;
  const int raw = std::system(command.c_str());
  EXPECT_TRUE(WIFEXITED(raw)) << "iorepl did not exit normally: " << command;
  return {WEXITSTATUS(raw), ReadFile(out), ReadFile(err)};
}

TEST(IoreplBinaryTest, InspectSucceeds) {
  const Result r =
      Iorepl("inspect xid 0x33221100554477668899aabbccddeeff000000000123");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "{00112233-4455-6677-8899-AABBCCDDEEFF}:291\n");
  EXPECT_EQ(r.err, "");
}

TEST(IoreplBinaryTest, BadInputExitsTwoWithOneLine) {
  const Result r = Iorepl("inspect pcl 16ff");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "iorepl: PCL: byte 1: truncated XID: needs 22 bytes, 1 remain\n");
}

TEST(IoreplBinaryTest, EncodeThenInspect) {
  const Result encoded = Iorepl(
      "encode idset '{00112233-4455-6677-8899-AABBCCDDEEFF}: 1-5,9,12-20'");
  ASSERT_EQ(encoded.status, 0);
  const Result r =
      Iorepl("inspect idset " + encoded.out.substr(0, encoded.out.size() - 1));
  EXPECT_EQ(r.out, "{00112233-4455-6677-8899-AABBCCDDEEFF}: 1-5,9,12-20\n");
}

TEST(IoreplBinaryTest, UsageErrorExitsTwo) {
  const Result r = Iorepl("nonsense");
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.err, HasSubstr("unknown command"));
}

// An MTA delivers a replication mail to `iorepl receive`: the frame lands in
// the member's spool; anything else is dropped with a line, exit 0; a spool
// that cannot be written makes the MTA try again (75).
TEST(IoreplBinaryTest, ReceivePutsAReplicationMailIntoTheSpool) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(::testing::TempDir()) /
                       ("iorepl_receive_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string frame(5000, '\x07');
  const std::vector<std::string> to = {"b@fabrikam.test"};
  std::ofstream(dir / "mail") << *ioreplication::ComposeReplicationMail(
      frame, "a@contoso.test", to);
  std::ofstream(dir / "junk") << "From: x@y.test\nSubject: hello\n\nhi\n";
  const std::string spool = (dir / "spool").string();

  Result r = Iorepl("receive --spool " + spool, (dir / "mail").string());
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err, "");
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir / "spool" / "new")) files.push_back(e.path());
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(ReadFile(files[0].string()), frame);

  r = Iorepl("receive --spool " + spool, (dir / "junk").string());
  EXPECT_EQ(r.status, 0);
  EXPECT_THAT(r.err, HasSubstr("dropped a mail: not a replication mail"));
  r = Iorepl("receive --spool " + spool + " --max-bytes 4096", (dir / "mail").string());
  EXPECT_THAT(r.err, HasSubstr("dropped a mail"));
  size_t count = 0;
  for (const auto& e : fs::directory_iterator(dir / "spool" / "new")) count += e.is_regular_file();
  EXPECT_EQ(count, 1u);

  r = Iorepl("receive --spool " + (dir / "junk" / "spool").string(), (dir / "mail").string());
  EXPECT_EQ(r.status, 75) << r.err;
  EXPECT_THAT(r.err, HasSubstr("spool"));
  r = Iorepl("receive");
  EXPECT_EQ(r.status, 2);
  fs::remove_all(dir);
}

// Three organizations, each with its own file, store and signing key, made
// and run with the tool alone: keygen, tick, status.
TEST(IoreplBinaryTest, ThreeMembersSignTickAndReportStatus) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(::testing::TempDir()) /
                       ("iorepl_group_" + std::to_string(getpid()));
  fs::remove_all(dir);
  const std::vector<std::string> names = {"contoso", "fabrikam", "tailspin"};
  std::vector<std::string> public_keys;
  for (const std::string& n : names) {
    fs::create_directories(dir / n);
    Result r = Iorepl("repl keygen " + (dir / n / n).string());
    ASSERT_EQ(r.status, 0) << r.err;
    const size_t at = r.out.find("public_key: \"");
    ASSERT_NE(at, std::string::npos) << r.out;
    public_keys.push_back(r.out.substr(at, r.out.find('\n', at) - at));
    EXPECT_EQ(fs::status(dir / n / (n + ".key")).permissions() & fs::perms::all,
              fs::perms::owner_read | fs::perms::owner_write);
  }
  // A second keygen does not replace a key.
  Result again = Iorepl("repl keygen " + (dir / "contoso" / "contoso").string());
  EXPECT_EQ(again.status, 2);
  EXPECT_THAT(again.err, HasSubstr("--force"));

  auto file_of = [&](size_t self) { return (dir / names[self] / "iorepl.conf").string(); };
  for (size_t self = 0; self < names.size(); ++self) {
    std::string text = absl::StrCat(
        "group {\n  name: \"partners\"\n  folder: \"/Shared\"\n",
        "  store: \"sqlite:", names[self], ".db\"\n  self: \"", names[self], "\"\n",
        "  signing_key { file: \"", names[self], ".key\" }\n",
        "  transport { spool_directory: \"../spool-", names[self], "\" }\n");
    for (size_t i = 0; i < names.size(); ++i) {
      absl::StrAppend(&text, "  member { name: \"", names[i],
                      "\" id: \"{6B29FC40-CA47-1067-B31D-00DD010662D", i, "}\"",
                      " address: \"../spool-", names[i], "\" ", public_keys[i], " }\n");
    }
    text += "}\n";
    std::ofstream(file_of(self)) << text;
  }
  // The first tick makes /Shared and the member's spool. A peer whose spool
  // is not there yet (it never ran) fails the tick with exit 1, naming it;
  // the next tick sends again.
  for (size_t i = 0; i < names.size(); ++i) {
    Result r = Iorepl("repl tick " + file_of(i));
    EXPECT_THAT(r.out, HasSubstr("group partners:"));
    if (i + 1 < names.size()) {
      EXPECT_EQ(r.status, 1) << r.err;
      EXPECT_THAT(r.err, HasSubstr("cannot write to spool"));
    } else {
      EXPECT_EQ(r.status, 0) << r.err;
    }
  }
  std::string item_key;
  {
    std::unique_ptr<ioreplication::Store> store =
        *ioreplication::OpenStore("sqlite:" + (dir / "contoso" / "contoso.db").string());
    std::unique_ptr<ioreplication::Replica> replica = *ioreplication::Replica::Open(store.get());
    ioreplication::ItemContent c;
    c.body = "signed and sent by contoso";
    const ioreplication::Folder shared = **ioreplication::FindFolderByPath(*store, "/Shared");
    item_key = replica->CreateItem(shared.source_key, c)->source_key.ToString();
  }
  for (int round = 0; round < 3; ++round) {
    for (size_t i = 0; i < names.size(); ++i) {
      Result r = Iorepl("repl tick " + file_of(i));
      ASSERT_EQ(r.status, 0) << r.err;
    }
  }
  for (size_t i = 1; i < names.size(); ++i) {
    std::unique_ptr<ioreplication::Store> store = *ioreplication::OpenStore(
        "sqlite:" + (dir / names[i] / (names[i] + ".db")).string());
    EXPECT_EQ(store->Count()->items, 1u) << names[i];
  }
  Result st = Iorepl("repl status " + file_of(2));
  EXPECT_EQ(st.status, 0) << st.err;
  EXPECT_THAT(st.out, HasSubstr("group partners (member tailspin"));
  EXPECT_THAT(st.out, HasSubstr("peer contoso: last heard"));
  EXPECT_THAT(st.out, HasSubstr("0 missing here"));
  Result json = Iorepl("repl status --json " + file_of(2));
  EXPECT_EQ(json.status, 0) << json.err;
  EXPECT_THAT(json.out, HasSubstr("\"group\":\"partners\",\"self\":\"tailspin\""));
  EXPECT_THAT(json.out, HasSubstr("\"name\":\"fabrikam\""));
  EXPECT_EQ(std::count(json.out.begin(), json.out.end(), '\n'), 1);

  // contoso may leave once both peers confirm its changes: the first leave
  // sends a new one and asks them; after they tick (and answer), the next
  // one says yes.
  {
    std::unique_ptr<ioreplication::Store> store =
        *ioreplication::OpenStore("sqlite:" + (dir / "contoso" / "contoso.db").string());
    std::unique_ptr<ioreplication::Replica> replica = *ioreplication::Replica::Open(store.get());
    ioreplication::ItemContent c;
    c.body = "made just before leaving";
    const ioreplication::Folder shared = **ioreplication::FindFolderByPath(*store, "/Shared");
    ASSERT_TRUE(replica->CreateItem(shared.source_key, c).ok());
  }
  Result leave = Iorepl("repl leave " + file_of(0));
  EXPECT_EQ(leave.status, 1) << leave.out << leave.err;
  EXPECT_THAT(leave.out, HasSubstr("may not leave yet"));
  EXPECT_THAT(leave.out, HasSubstr("peer fabrikam: lacks 1 of them"));
  EXPECT_THAT(leave.out, HasSubstr("run this again"));
  for (size_t i = 1; i < names.size(); ++i) {
    ASSERT_EQ(Iorepl("repl tick " + file_of(i)).status, 0);
  }
  leave = Iorepl("repl leave " + file_of(0));
  EXPECT_EQ(leave.status, 0) << leave.out << leave.err;
  EXPECT_THAT(leave.out, HasSubstr("contoso may leave: every peer holds the changes it made (2)"));

  Result valid = Iorepl("validate " + file_of(0));
  EXPECT_EQ(valid.status, 0) << valid.err;
  EXPECT_THAT(valid.out, HasSubstr("0 sessions, 1 replica group ('partners'), no problems"));
  // `iorepl run --once` ticks the file's groups too (here it has no session).
  Result once = Iorepl("run --once " + file_of(0));
  EXPECT_EQ(once.status, 0) << once.err;
  // A second process on a member that one already runs is refused: the lock
  // is held here as `iorepl run` would hold it.
  {
    const std::string lock = file_of(0) + ".status.locks/group-partners.lock";
    fs::create_directories(fs::path(lock).parent_path());
    const int fd = ::open(lock.c_str(), O_RDWR | O_CREAT, 0640);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::flock(fd, LOCK_EX), 0);
    Result busy = Iorepl("repl tick " + file_of(0));
    EXPECT_EQ(busy.status, 1);
    EXPECT_THAT(busy.err, HasSubstr("another process runs this member"));
    // Status only reads, beside it.
    EXPECT_EQ(Iorepl("repl status " + file_of(0)).status, 0);
    ::close(fd);
    EXPECT_EQ(Iorepl("repl tick " + file_of(0)).status, 0);
  }

  // fabrikam's file with contoso's key: refused before anything opens.
  std::string text = ReadFile(file_of(1));
  const size_t at = text.find("fabrikam.key");
  text.replace(at, 12, "../contoso/contoso.key");
  std::ofstream(file_of(1)) << text;
  Result wrong = Iorepl("repl tick " + file_of(1));
  EXPECT_EQ(wrong.status, 2);
  EXPECT_THAT(wrong.err, HasSubstr("not the private half"));
  Result unknown = Iorepl("repl status --group nosuch " + file_of(2));
  EXPECT_EQ(unknown.status, 2);
  EXPECT_THAT(unknown.err, HasSubstr("no replica group named 'nosuch'"));
  fs::remove_all(dir);
}

}  // namespace
