// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// The mail transport: replication mails built and read back, everything that
// is not one refused, the sendmail program's failures reported, a Maildir
// read and emptied, and three members replicating through a real SMTP server
// (aiosmtpd) on 127.0.0.1 that delivers into their Maildirs.

#include "ioreplication/mail_transport.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ioreplication/replica.h"
#include "ioreplication/prop_tags.h"
#include "ioreplication/replica_group.h"

namespace ioreplication {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

std::string AllBytes(size_t n) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 131 + 7) & 0xFF);
  return s;
}

fs::path TempDir(const std::string& name) {
  fs::path p = fs::temp_directory_path() /
               absl::StrCat("iorepl-mail-", name, "-", ::getpid());
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

void MakeMaildir(const fs::path& dir) {
  for (const char* sub : {"tmp", "new", "cur"}) fs::create_directories(dir / sub);
}

void WriteFile(const fs::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

TEST(ReplicationMailTest, CarriesAnyFrameThereAndBack) {
  const std::string frame = AllBytes(100 * 1024);
  const std::vector<std::string> to = {"org2@fabrikam.test", "org3@litware.test"};
  absl::StatusOr<std::string> mail =
      ComposeReplicationMail(frame, "org1@contoso.test", to);
  ASSERT_TRUE(mail.ok()) << mail.status();
  EXPECT_THAT(*mail, HasSubstr("Auto-Submitted: auto-generated"));
  EXPECT_THAT(*mail, HasSubstr("X-Ioreplication: 1"));
  EXPECT_THAT(*mail, HasSubstr("org3@litware.test"));
  EXPECT_THAT(*mail, HasSubstr("Content-Transfer-Encoding: base64"));
  EXPECT_THAT(*mail, HasSubstr("Message-Id: <"));
  EXPECT_LE(mail->size(), MaxReplicationMailBytes(frame.size()));
  absl::StatusOr<std::string> back = ExtractReplicationFrame(*mail, 300 * 1024);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, frame);
  // What MTAs add on the way (trace headers, CRLF line ends) changes nothing.
  const std::string relayed =
      "Return-Path: <org1@contoso.test>\r\nReceived: from a by b; Thu, 3 Dec 2026 "
      "10:00:00 +0000\r\n" + absl::StrReplaceAll(*mail, {{"\n", "\r\n"}});
  back = ExtractReplicationFrame(relayed, 300 * 1024);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, frame);
}

TEST(ReplicationMailTest, RefusesWhatIsNotAReplicationMail) {
  const std::string good =
      *ComposeReplicationMail("frame bytes", "a@contoso.test", {{"b@fabrikam.test"}});
  auto refused = [](const std::string& mail, size_t max = 1024) {
    absl::StatusOr<std::string> r = ExtractReplicationFrame(mail, max);
    return r.ok() ? std::string("accepted") : std::string(r.status().message());
  };
  EXPECT_THAT(refused(""), HasSubstr("not a"));
  EXPECT_THAT(refused(std::string(500, 'x')), HasSubstr("not a"));
  EXPECT_THAT(refused("From: a@b.test\nSubject: hello\n\nJust a letter.\n"),
              HasSubstr("no \"X-Ioreplication: 1\" header"));
  EXPECT_THAT(refused(absl::StrReplaceAll(good, {{"X-Ioreplication: 1", "X-Ioreplication: 2"}})),
              HasSubstr("no \"X-Ioreplication: 1\""));
  EXPECT_THAT(refused(absl::StrReplaceAll(good, {{"x-ioreplication", "octet-stream"}})),
              HasSubstr("has 0"));
  EXPECT_THAT(refused("X-Ioreplication: 1\nMIME-Version: 1.0\n"
                      "Content-Type: application/x-ioreplication\n"
                      "Content-Transfer-Encoding: 8bit\n\nraw frame\n"),
              HasSubstr("not base64"));
  EXPECT_THAT(refused("X-Ioreplication: 1\nMIME-Version: 1.0\n"
                      "Content-Type: application/x-ioreplication\n"
                      "Content-Transfer-Encoding: base64\n\nAAA*AAAA\n"),
              HasSubstr("not valid base64"));
  EXPECT_EQ(refused("X-Ioreplication: 1\nMIME-Version: 1.0\n"
                    "Content-Type: application/x-ioreplication\n"
                    "Content-Transfer-Encoding: base64\n\nZnJhbWU=\n"),
            "accepted");  // a bare part, as another implementation may write
  // Two payloads: which one would count?
  const size_t part = good.find("Content-Type: application/x-ioreplication");
  ASSERT_NE(part, std::string::npos);
  const size_t boundary_line = good.rfind("\n--", part);
  const size_t end = good.find("\n--", part);
  const std::string doubled =
      good.substr(0, end) + good.substr(boundary_line, end - boundary_line) + good.substr(end);
  EXPECT_THAT(refused(doubled), HasSubstr("has 2"));
  // Too large: the frame inside, and the mail before it is parsed.
  const std::string big =
      *ComposeReplicationMail(AllBytes(4000), "a@contoso.test", {{"b@fabrikam.test"}});
  EXPECT_THAT(refused(big, 3999), HasSubstr("more than 3999"));
  EXPECT_THAT(refused(big + std::string(MaxReplicationMailBytes(100), '\n'), 100),
              HasSubstr("more than a replication message"));
}

TEST(ReplicationMailTest, AddressesArePlain) {
  for (const std::string bad :
       {"", "noat", "x@", "@x.test", "-oQ@x.test", "a b@x.test", "<a@x.test>",
        "a@x.test\nBcc: c@y.test", "\"q\"@x.test", "a@x_y.test"}) {
    absl::StatusOr<std::string> mail = ComposeReplicationMail("f", "a@x.test", {{bad}});
    EXPECT_TRUE(absl::IsInvalidArgument(mail.status())) << bad;
  }
  EXPECT_FALSE(ComposeReplicationMail("f", "a@x.test", {}).ok());
  EXPECT_TRUE(ComposeReplicationMail("f", "o'brien+repl@mail.x-y.test",
                                     {{"b.c@d.test"}}).ok());
  MailTransportOptions o;
  o.own_address = "not an address";
  EXPECT_FALSE(NewMailTransport(o).ok());
  o.own_address = "a@x.test";
  o.maildir = "/nonexistent/maildir";
  EXPECT_THAT(NewMailTransport(o).status().message(), HasSubstr("no new/"));
}

TEST(MailTransportTest, ASendmailThatFailsIsAnError) {
  MailTransportOptions o;
  o.own_address = "a@x.test";
  const std::vector<std::string> to = {"b@y.test"};
  o.sendmail = {"/bin/sh", "-c", "cat >/dev/null; echo 'mail refused: quota' >&2; exit 3"};
  absl::Status s = (*NewMailTransport(o))->Send("frame", to);
  EXPECT_TRUE(absl::IsUnavailable(s)) << s;
  EXPECT_THAT(s.message(), HasSubstr("exited with status 3: mail refused: quota"));
  o.sendmail = {"/nonexistent/sendmail"};
  s = (*NewMailTransport(o))->Send("frame", to);
  EXPECT_TRUE(absl::IsUnavailable(s)) << s;
  EXPECT_THAT(s.message(), HasSubstr("cannot run /nonexistent/sendmail"));
  o.sendmail = {"/bin/sh", "-c", "kill -9 $$"};
  s = (*NewMailTransport(o))->Send("frame", to);
  EXPECT_THAT(s.message(), HasSubstr("killed by signal 9"));
  // The recipients come after "--", one argument each, no shell.
  const fs::path dir = TempDir("args");
  o.sendmail = {"/bin/sh", "-c", absl::StrCat("cat > ", (dir / "mail").string(),
                                              "; printf '%s\\n' \"$@\" > ",
                                              (dir / "args").string()),
                "sendmail"};
  const std::vector<std::string> two = {"b@y.test", "c@z.test"};
  ASSERT_TRUE((*NewMailTransport(o))->Send("frame", two).ok());
  std::ifstream args(dir / "args");
  std::string line, all;
  while (std::getline(args, line)) all += line + "|";
  EXPECT_EQ(all, "--|b@y.test|c@z.test|");
  std::ifstream mail(dir / "mail");
  const std::string text((std::istreambuf_iterator<char>(mail)), {});
  EXPECT_EQ(*ExtractReplicationFrame(text, 1024), "frame");
  fs::remove_all(dir);
}

TEST(MailTransportTest, ReadsTheMaildirOnceAndDropsWhatIsNotReplication) {
  const fs::path dir = TempDir("maildir");
  MakeMaildir(dir);
  const std::string frame = AllBytes(2000);
  WriteFile(dir / "new" / "1.a.host",
            *ComposeReplicationMail(frame, "a@x.test", {{"b@y.test"}}));
  WriteFile(dir / "new" / "2.b.host", "From: spam@z.test\nSubject: hi\n\nbuy\n");
  WriteFile(dir / "new" / "3.c.host", std::string(MaxReplicationMailBytes(4096) + 1, 'x'));
  fs::create_symlink("/etc/passwd", dir / "new" / "4.d.host");
  WriteFile(dir / "new" / ".hidden", "ignored");
  MailTransportOptions o;
  o.own_address = "b@y.test";
  o.maildir = dir.string();
  o.max_message_bytes = 4096;
  std::vector<std::string> log;
  o.log = [&log](std::string_view line) { log.emplace_back(line); };
  std::unique_ptr<Transport> t = *NewMailTransport(o);
  absl::StatusOr<std::vector<std::string>> got = t->Receive(10);
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ((*got)[0], frame);
  ASSERT_EQ(log.size(), 3u);
  EXPECT_THAT(log[0], HasSubstr("2.b.host: not a replication mail"));
  EXPECT_THAT(log[1], HasSubstr("3.c.host: not a regular file, or larger than"));
  EXPECT_THAT(log[2], HasSubstr("4.d.host"));
  EXPECT_FALSE(fs::exists(dir / "new" / "1.a.host"));
  EXPECT_TRUE(fs::exists("/etc/passwd"));
  EXPECT_TRUE(t->Receive(10)->empty());
  fs::remove_all(dir);
}

// A real SMTP server for the test's lifetime (tests/repl/smtp_maildir_server.py).
class SmtpServer {
 public:
  explicit SmtpServer(const fs::path& root) : root_(root) {
    const std::string port_file = (root / "port").string();
    pid_ = ::fork();
    if (pid_ == 0) {
      const std::string script = IOREPL_TEST_DIR "/repl/smtp_maildir_server.py";
      const std::string root_text = (root / "mail").string();
      ::execl("/usr/bin/python3", "python3", script.c_str(), "--root",
              root_text.c_str(), "--port-file", port_file.c_str(), nullptr);
      ::_exit(127);
    }
    // Ready when it wrote its port (after it answered a connection), within
    // a bound: never a fixed sleep.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      std::ifstream f(port_file);
      if (f >> port_) return;
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  ~SmtpServer() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
  }
  int port() const { return port_; }
  fs::path maildir(const std::string& local) const { return root_ / "mail" / local; }

 private:
  fs::path root_;
  pid_t pid_ = -1;
  int port_ = 0;
};

Guid IdOf(int i) {
  std::array<uint8_t, 16> b{};
  b[0] = static_cast<uint8_t>(i);
  b[15] = 0x42;
  return Guid::FromBytes(b);
}

TEST(MailGroupTest, ThreeMembersReplicateThroughARealSmtpServer) {
  const fs::path root = TempDir("smtp");
  SmtpServer server(root);
  ASSERT_GT(server.port(), 0) << "the SMTP server (python3-aiosmtpd) did not start";
  const std::vector<std::string> names = {"contoso", "fabrikam", "litware"};
  ReplicaGroupConfig group;
  group.name = "partners";
  group.folders = {"/Shared"};
  for (size_t i = 0; i < names.size(); ++i) {
    group.members.push_back(GroupMemberConfig{
        names[i], IdOf(static_cast<int>(i) + 1), absl::StrCat(names[i], "@mail.test"),
        absl::StrCat("key-of-", names[i], "-0123456789"), ""});
  }
  group.backfill_delay = absl::Seconds(5);
  group.status_interval = absl::Seconds(20);
  absl::Time now = absl::FromUnixSeconds(1790000000);
  struct Member {
    std::unique_ptr<Store> store;
    std::unique_ptr<Transport> transport;
    std::unique_ptr<GroupMember> member;
    std::unique_ptr<Replica> replica;
    Folder shared;
  };
  std::vector<Member> members(names.size());
  for (size_t i = 0; i < names.size(); ++i) {
    Member& m = members[i];
    MakeMaildir(server.maildir(names[i]));
    MailTransportOptions o;
    o.own_address = group.members[i].address;
    o.sendmail = {"/usr/bin/python3", IOREPL_TEST_DIR "/repl/smtp_sendmail.py",
                  "--port", absl::StrCat(server.port()), "-oi"};
    o.maildir = server.maildir(names[i]).string();
    o.log = [](std::string_view line) { ADD_FAILURE() << line; };
    m.store = *OpenStore("memory:");
    m.transport = *NewMailTransport(o);
    ReplicaGroupConfig c = group;
    c.self = names[i];
    GroupMemberOptions go;
    go.now = [&now] { return FileTime::FromAbslTime(now); };
    absl::StatusOr<std::unique_ptr<GroupMember>> opened =
        GroupMember::Open(m.store.get(), m.transport.get(), c, go);
    ASSERT_TRUE(opened.ok()) << opened.status();
    m.member = *std::move(opened);
    absl::Status first = m.member->Tick();
    ASSERT_TRUE(first.ok()) << first;
    ReplicaOptions ro;
    ro.time_source = [&now] { return now; };
    m.replica = *Replica::Open(m.store.get(), ro);
    m.shared = **FindFolderByPath(*m.store, "/Shared");
  }
  auto run = [&](int rounds) {
    for (int r = 0; r < rounds; ++r) {
      now += absl::Seconds(1);
      for (Member& m : members) {
        absl::Status s = m.member->Tick();
        ASSERT_TRUE(s.ok()) << s;
      }
    }
  };
  std::vector<SourceKey> keys;
  for (size_t i = 0; i < members.size(); ++i) {
    for (int k = 0; k < 5; ++k) {
      ItemContent c;
      ASSERT_TRUE(c.properties.Set(kPropSubject, absl::StrCat(names[i], " post ", k)).ok());
      c.body = std::string(3000 + k, static_cast<char>('a' + k));
      absl::StatusOr<Item> item =
          members[i].replica->CreateItem(members[i].shared.source_key, c);
      ASSERT_TRUE(item.ok()) << item.status();
      keys.push_back(item->source_key);
    }
  }
  run(3);
  for (const Member& m : members) EXPECT_EQ(m.store->Count()->items, 15u);
  // Edits and a deletion travel too; a mail delivered twice changes nothing.
  ItemContent edited;
  ASSERT_TRUE(edited.properties.Set(kPropSubject, std::string("edited at litware")).ok());
  ASSERT_TRUE(members[2].replica->ModifyItem(keys[0], edited).ok());
  ASSERT_TRUE(members[1].replica->DeleteItem(keys[14]).ok());
  run(1);
  for (const fs::directory_entry& e :
       fs::directory_iterator(server.maildir("contoso") / "new")) {
    fs::copy_file(e.path(), e.path().string() + ".again");
  }
  run(3);
  for (const Member& m : members) {
    EXPECT_EQ(m.store->Count()->items, 14u);
    absl::StatusOr<Item> item = m.store->GetItem(keys[0]);
    ASSERT_TRUE(item.ok());
    EXPECT_EQ(std::get<std::string>(*item->properties.Get(kPropSubject)),
              "edited at litware");
    EXPECT_EQ(m.member->stats().messages_dropped, 0u);
    EXPECT_GT(m.member->stats().messages_received, 0u);
    EXPECT_EQ(m.member->stats().applied.conflicts, 0u);
  }
  fs::remove_all(root);
}

}  // namespace
}  // namespace ioreplication
