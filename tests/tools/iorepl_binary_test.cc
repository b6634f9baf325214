// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// The installed shape of iorepl: the real binary, its exit statuses and its
// streams, as a script sees them.

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ioreplication/mail_transport.h"

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

}  // namespace
