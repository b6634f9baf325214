// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// GroupMember over a plain in-memory transport: replication both ways,
// duplicates, and every kind of message that must be dropped without
// changing anything. The spool directory transport. Config validation.

#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ioreplication/replica.h"
#include "ioreplication/replica_group.h"
#include "ioreplication/spool_transport.h"
#include "repl/message_frame.h"

namespace ioreplication {
namespace {

using ::testing::HasSubstr;

// Every address is a queue; nothing is lost unless the test says so.
struct Mailboxes {
  std::map<std::string, std::deque<std::string>> boxes;
  // Every message sent, in order (a test replays or tampers with them).
  std::vector<std::string> sent;
};

class QueueTransport : public Transport {
 public:
  QueueTransport(Mailboxes* boxes, std::string self)
      : boxes_(boxes), self_(std::move(self)) {}
  absl::Status Send(std::string_view message,
                    std::span<const std::string> to) override {
    for (const std::string& a : to) boxes_->boxes[a].emplace_back(message);
    boxes_->sent.emplace_back(message);
    return absl::OkStatus();
  }
  absl::StatusOr<std::vector<std::string>> Receive(size_t max) override {
    std::vector<std::string> out;
    auto& box = boxes_->boxes[self_];
    while (!box.empty() && out.size() < max) {
      out.push_back(std::move(box.front()));
      box.pop_front();
    }
    return out;
  }

 private:
  Mailboxes* boxes_;
  std::string self_;
};

Guid IdOf(int i) {
  std::array<uint8_t, 16> b{};
  b[0] = static_cast<uint8_t>(i);
  b[15] = 0x77;
  return Guid::FromBytes(b);
}

ReplicaGroupConfig TwoMembers() {
  ReplicaGroupConfig c;
  c.name = "contoso-fabrikam";
  c.folders = {"/Shared"};
  for (int i = 1; i <= 2; ++i) {
    c.members.push_back(GroupMemberConfig{absl::StrCat("org", i), IdOf(i),
                                          absl::StrCat("org", i, "@example"),
                                          absl::StrCat("secret-key-of-org-", i), ""});
  }
  c.backfill_delay = absl::Seconds(10);
  c.status_interval = absl::Seconds(60);
  return c;
}

// A member of a test group over a memory store, opened and ticked once
// (which makes /Shared), with a Replica for local edits.
struct TestMember {
  std::unique_ptr<Store> store;
  std::unique_ptr<QueueTransport> transport;
  std::unique_ptr<GroupMember> member;
  std::unique_ptr<Replica> replica;
  Folder shared;
  std::vector<std::string> log;
};

void OpenTestMember(TestMember& m, std::unique_ptr<QueueTransport> transport,
                    const ReplicaGroupConfig& config, const absl::Time* now) {
  m.store = *OpenStore("memory:");
  m.transport = std::move(transport);
  GroupMemberOptions o;
  o.now = [now] { return FileTime::FromAbslTime(*now); };
  o.log = [&m](std::string_view line) { m.log.emplace_back(line); };
  absl::StatusOr<std::unique_ptr<GroupMember>> opened =
      GroupMember::Open(m.store.get(), m.transport.get(), config, o);
  ASSERT_TRUE(opened.ok()) << opened.status();
  m.member = *std::move(opened);
  ASSERT_TRUE(m.member->Tick().ok());
  ReplicaOptions ro;
  ro.time_source = [now] { return *now; };
  m.replica = *Replica::Open(m.store.get(), ro);
  m.shared = **FindFolderByPath(*m.store, "/Shared");
}

class GroupMemberTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 0; i < 2; ++i) {
      ReplicaGroupConfig c = TwoMembers();
      c.self = absl::StrCat("org", i + 1);
      OpenTestMember(sides_[i],
                     std::make_unique<QueueTransport>(
                         &boxes_, absl::StrCat("org", i + 1, "@example")),
                     c, &now_);
    }
  }

  // Ticks both members `rounds` times, a second apart.
  void Run(int rounds = 3) {
    for (int r = 0; r < rounds; ++r) {
      now_ += absl::Seconds(1);
      for (Side& s : sides_) ASSERT_TRUE(s.member->Tick().ok());
    }
  }

  uint64_t Items(int i) { return sides_[i].store->Count()->items; }

  using Side = TestMember;
  absl::Time now_ = absl::FromUnixSeconds(1790000000);
  Mailboxes boxes_;
  Side sides_[2];
};

TEST_F(GroupMemberTest, ChangesAtEitherMemberArriveAtTheOther) {
  ItemContent a;
  a.body = "from org1";
  ASSERT_TRUE(sides_[0].replica->CreateItem(sides_[0].shared.source_key, a).ok());
  ItemContent b;
  b.body = "from org2";
  ASSERT_TRUE(sides_[1].replica->CreateItem(sides_[1].shared.source_key, b).ok());
  Run();
  EXPECT_EQ(Items(0), 2u);
  EXPECT_EQ(Items(1), 2u);
  EXPECT_GE(sides_[0].member->stats().applied.message_changes, 1u);
  absl::StatusOr<GroupStatus> st = sides_[0].member->Status();
  ASSERT_TRUE(st.ok());
  ASSERT_EQ(st->folders.size(), 1u);
  ASSERT_EQ(st->folders[0].peers.size(), 1u);
  EXPECT_EQ(st->folders[0].peers[0].missing_here, 0u);
  EXPECT_EQ(st->folders[0].peers[0].name, "org2");
}

TEST_F(GroupMemberTest, ADuplicateOrAnOldMessageChangesNothing) {
  ItemContent a;
  a.body = "v1";
  absl::StatusOr<Item> item =
      sides_[0].replica->CreateItem(sides_[0].shared.source_key, a);
  ASSERT_TRUE(item.ok());
  Run(1);
  const std::vector<std::string> first = boxes_.sent;
  a.body = "v2";
  ASSERT_TRUE(sides_[0].replica->ModifyItem(item->source_key, a).ok());
  Run();
  // Every message org1 sent so far, delivered again, oldest first.
  for (const std::string& m : first) boxes_.boxes["org2@example"].push_back(m);
  for (const std::string& m : first) boxes_.boxes["org2@example"].push_back(m);
  Run();
  absl::StatusOr<Item> there = sides_[1].store->GetItem(item->source_key);
  ASSERT_TRUE(there.ok());
  EXPECT_EQ(there->body, "v2");
  EXPECT_EQ(Items(1), 1u);
  EXPECT_EQ(sides_[1].member->stats().applied.conflicts, 0u);
}

TEST_F(GroupMemberTest, MessagesThatFailTheirChecksAreDroppedAndChangeNothing) {
  ItemContent a;
  a.body = "real";
  ASSERT_TRUE(sides_[0].replica->CreateItem(sides_[0].shared.source_key, a).ok());
  now_ += absl::Seconds(1);
  ASSERT_TRUE(sides_[0].member->Tick().ok());
  std::deque<std::string> real = std::move(boxes_.boxes["org2@example"]);
  boxes_.boxes["org2@example"].clear();
  ASSERT_FALSE(real.empty());
  const std::string good = real.front();

  auto seal = [](const Guid& sender, std::string key, std::string_view body) {
    return repl_internal::SealMessage(
               sender, repl_internal::FrameAuth::Hmac(std::move(key)), body)
        .value();
  };
  const std::string body = good.substr(
      repl_internal::kFrameHeaderSize,
      good.size() - repl_internal::kFrameHeaderSize -
          repl_internal::AuthTagSize(repl_internal::kAuthHmacSha256));
  std::vector<std::pair<std::string, std::string>> bad;
  std::string flipped = good;
  flipped[flipped.size() / 2] ^= 0x40;
  bad.push_back({"a flipped byte", flipped});
  std::string truncated = good.substr(0, good.size() - 1);
  bad.push_back({"truncated", truncated});
  bad.push_back({"garbage", std::string(200, 'x')});
  bad.push_back({"empty", ""});
  // Tagged with the right key, but by a member nobody configured.
  bad.push_back({"unknown sender",
                 seal(IdOf(9), "secret-key-of-org-1", body)});
  // org1's frame tagged with org2's own key (a member forging another).
  bad.push_back({"wrong key",
                 seal(IdOf(1), "secret-key-of-org-2", body)});
  // A well-tagged body that is not a message.
  bad.push_back({"not a message",
                 seal(IdOf(1), "secret-key-of-org-1", "\xff\xff\xff\xff")});
  // Too large for max_message_bytes.
  bad.push_back({"too large", std::string(400 * 1024, 'y')});
  for (const auto& [what, bytes] : bad) {
    boxes_.boxes["org2@example"].push_back(bytes);
  }
  const uint64_t dropped_before = sides_[1].member->stats().messages_dropped;
  now_ += absl::Seconds(1);
  ASSERT_TRUE(sides_[1].member->Tick().ok());
  EXPECT_EQ(sides_[1].member->stats().messages_dropped - dropped_before,
            bad.size());
  EXPECT_EQ(Items(1), 0u);
  EXPECT_THAT(absl::StrJoin(sides_[1].log, "\n"),
              HasSubstr("the HMAC-SHA256 tag does not check with the sender's key"));
  EXPECT_THAT(absl::StrJoin(sides_[1].log, "\n"), HasSubstr("unknown sender"));
  // The real one still goes through afterwards.
  for (std::string& m : real) boxes_.boxes["org2@example"].push_back(std::move(m));
  now_ += absl::Seconds(1);
  ASSERT_TRUE(sides_[1].member->Tick().ok());
  EXPECT_EQ(Items(1), 1u);
}

TEST_F(GroupMemberTest, AResendSurvivesARestartBeforeTheNextTick) {
  ItemContent a;
  a.body = "sent once";
  ASSERT_TRUE(sides_[0].replica->CreateItem(sides_[0].shared.source_key, a).ok());
  Run();
  ASSERT_EQ(Items(1), 1u);
  const uint64_t ignored_before = sides_[1].member->stats().applied.message_ignores;
  ASSERT_TRUE(sides_[0].member->Resend(absl::Hours(1)).ok());
  // org1's process ends before it ticks again; a new one opens its store.
  sides_[0].member.reset();
  ReplicaGroupConfig c = TwoMembers();
  c.self = "org1";
  GroupMemberOptions o;
  o.now = [this] { return FileTime::FromAbslTime(now_); };
  sides_[0].member =
      *GroupMember::Open(sides_[0].store.get(), sides_[0].transport.get(), c, o);
  Run(2);
  // org2 got the version again (and, holding it, ignored it).
  EXPECT_EQ(sides_[1].member->stats().applied.message_ignores - ignored_before, 1u);
  EXPECT_EQ(Items(1), 1u);
}

TEST_F(GroupMemberTest, AMessageForAnotherGroupOrMemberIsDropped) {
  // org1 of another group with the same keys: its messages name that group.
  Mailboxes other;
  std::unique_ptr<Store> store = *OpenStore("memory:");
  QueueTransport t(&other, "org1@example");
  ReplicaGroupConfig c = TwoMembers();
  c.name = "another group";
  c.self = "org1";
  std::unique_ptr<GroupMember> m = *GroupMember::Open(store.get(), &t, c);
  ASSERT_TRUE(m->Tick().ok());
  ASSERT_FALSE(other.boxes["org2@example"].empty());
  for (std::string& msg : other.boxes["org2@example"]) {
    boxes_.boxes["org2@example"].push_back(std::move(msg));
  }
  const uint64_t before = sides_[1].member->stats().messages_dropped;
  now_ += absl::Seconds(1);
  ASSERT_TRUE(sides_[1].member->Tick().ok());
  EXPECT_GT(sides_[1].member->stats().messages_dropped, before);
  EXPECT_THAT(absl::StrJoin(sides_[1].log, "\n"),
              HasSubstr("for group \"another group\""));
}

TEST_F(GroupMemberTest, ALostChangeIsBackfilledAfterTheDelay) {
  ItemContent a;
  a.body = "lost once";
  ASSERT_TRUE(sides_[0].replica->CreateItem(sides_[0].shared.source_key, a).ok());
  now_ += absl::Seconds(1);
  ASSERT_TRUE(sides_[0].member->Tick().ok());
  boxes_.boxes["org2@example"].clear();  // the changes message is lost
  // Status reaches org2 (org1 answers a status request), backfill_delay
  // later org2 asks, org1 answers.
  sides_[1].member->RequestStatus();
  Run(3);
  EXPECT_EQ(Items(1), 0u) << "asked before backfill_delay";
  now_ += absl::Seconds(10);
  Run(3);
  EXPECT_EQ(Items(1), 1u);
  EXPECT_GE(sides_[1].member->stats().backfill_requests_sent, 1u);
  EXPECT_GE(sides_[0].member->stats().backfill_answers_sent, 1u);
  absl::StatusOr<GroupStatus> st = sides_[1].member->Status();
  ASSERT_TRUE(st.ok());
  EXPECT_TRUE(st->folders[0].backfill.empty());
}

TEST_F(GroupMemberTest, AMemberMayLeaveOnlyWhenItsPeersHoldEveryChangeItMade) {
  ItemContent a;
  a.body = "only org1 has it";
  ASSERT_TRUE(sides_[0].replica->CreateItem(sides_[0].shared.source_key, a).ok());
  absl::StatusOr<GroupLeaveReadiness> r = sides_[0].member->LeaveReadiness();
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->ready);
  EXPECT_TRUE(r->unsent) << "the change is not sent yet";

  // org1 sends what it has, which is lost, then asks for status.
  auto send_and_lose = [&] {
    now_ += absl::Seconds(1);
    ASSERT_TRUE(sides_[0].member->Tick().ok());
    boxes_.boxes["org2@example"].clear();
    sides_[0].member->RequestStatus();
    Run(2);
  };
  // After backfill_delay org2 asks for it, gets it, and reports again.
  auto backfill_and_report = [&] {
    now_ += absl::Seconds(20);
    Run(3);
    sides_[0].member->RequestStatus();
    Run(2);
  };

  // Sent, and lost on the way: org2 does not confirm.
  send_and_lose();
  r = sides_[0].member->LeaveReadiness();
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->ready);
  EXPECT_FALSE(r->unsent);
  EXPECT_EQ(r->originated, 1u);
  ASSERT_EQ(r->waiting.size(), 1u);
  EXPECT_EQ(r->waiting[0].peer, "org2");
  EXPECT_EQ(r->waiting[0].missing, 1u);
  EXPECT_FALSE(r->waiting[0].never_heard);

  // Backfilled; a fresh report confirms it.
  backfill_and_report();
  ASSERT_EQ(Items(1), 1u);
  r = sides_[0].member->LeaveReadiness();
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->ready) << (r->waiting.empty() ? "" : r->waiting[0].peer);

  // Restored from a backup: the store takes a new replica GUID. Changes of
  // the old one are still this member's to account for, with the new ones.
  ASSERT_TRUE(sides_[0].replica->MarkRestored().ok());
  a.body = "made after the restore";
  ASSERT_TRUE(sides_[0].replica->CreateItem(sides_[0].shared.source_key, a).ok());
  send_and_lose();
  r = sides_[0].member->LeaveReadiness();
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->ready);
  EXPECT_EQ(r->originated, 2u);
  ASSERT_EQ(r->waiting.size(), 1u);
  EXPECT_EQ(r->waiting[0].missing, 1u);
  backfill_and_report();
  r = sides_[0].member->LeaveReadiness();
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->ready);
  EXPECT_EQ(Items(1), 2u);
}

TEST_F(GroupMemberTest, AMemberNeverHeardFromHasNotConfirmed) {
  ItemContent a;
  a.body = "nobody heard";
  ASSERT_TRUE(sides_[0].replica->CreateItem(sides_[0].shared.source_key, a).ok());
  // Whatever org2 said on its first tick is lost.
  boxes_.boxes["org1@example"].clear();
  now_ += absl::Seconds(1);
  ASSERT_TRUE(sides_[0].member->Tick().ok());
  absl::StatusOr<GroupLeaveReadiness> r = sides_[0].member->LeaveReadiness();
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->ready);
  ASSERT_EQ(r->waiting.size(), 1u);
  EXPECT_TRUE(r->waiting[0].never_heard);
  EXPECT_EQ(r->waiting[0].missing, 1u);
}

TEST(GroupConfigTest, RefusesWhatCannotWork) {
  ReplicaGroupConfig good = TwoMembers();
  good.self = "org1";
  EXPECT_TRUE(ValidateGroupConfig(good).ok());
  auto refused = [&](auto change, std::string_view why) {
    ReplicaGroupConfig c = good;
    change(c);
    absl::Status s = ValidateGroupConfig(c);
    EXPECT_FALSE(s.ok()) << why;
    EXPECT_THAT(std::string(s.message()), HasSubstr(std::string(why)));
  };
  refused([](ReplicaGroupConfig& c) { c.name.clear(); }, "no name");
  refused([](ReplicaGroupConfig& c) { c.folders.clear(); }, "no folders");
  refused([](ReplicaGroupConfig& c) { c.folders = {"Shared"}; }, "must start with");
  refused([](ReplicaGroupConfig& c) { c.folders = {"/A", "/A"}; }, "named twice");
  refused([](ReplicaGroupConfig& c) { c.members.pop_back(); }, "fewer than two");
  refused([](ReplicaGroupConfig& c) { c.members[1].id = c.members[0].id; },
          "repeats an id");
  refused([](ReplicaGroupConfig& c) { c.members[1].key = "short"; },
          "at least 16 bytes");
  refused([](ReplicaGroupConfig& c) { c.self = "org9"; }, "is not a member");
  refused([](ReplicaGroupConfig& c) { c.max_message_bytes = 100; },
          "max_message_bytes");
  refused([](ReplicaGroupConfig& c) { c.policy = ConflictPolicy::kPublisherWins; },
          "no publisher");
}

TEST(SpoolTransportTest, DeliversEachMessageOnceAndSkipsWhatIsNotOne) {
  const std::filesystem::path root =
      std::filesystem::path(::testing::TempDir()) / "spool_test";
  std::filesystem::remove_all(root);
  absl::StatusOr<std::unique_ptr<Transport>> a =
      NewSpoolTransport((root / "a").string(), 1024);
  absl::StatusOr<std::unique_ptr<Transport>> b =
      NewSpoolTransport((root / "b").string(), 1024);
  ASSERT_TRUE(a.ok() && b.ok());
  const std::vector<std::string> to{(root / "b").string()};
  ASSERT_TRUE((*a)->Send("first", to).ok());
  ASSERT_TRUE((*a)->Send("second", to).ok());
  // A file still being written, and one too large: never handed out.
  std::ofstream(root / "b" / "tmp" / "half.msg") << "half";
  std::ofstream(root / "b" / "new" / "0.big.msg") << std::string(2000, 'z');
  absl::StatusOr<std::vector<std::string>> got = (*b)->Receive(10);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, (std::vector<std::string>{"first", "second"}));
  got = (*b)->Receive(10);
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(got->empty());
  // An address with no spool directory is an error, not a silent loss.
  const std::vector<std::string> nowhere{(root / "nowhere").string()};
  EXPECT_FALSE((*a)->Send("x", nowhere).ok());
  EXPECT_FALSE(NewSpoolTransport("").ok());
  std::filesystem::remove_all(root);
}

}  // namespace
}  // namespace ioreplication

namespace ioreplication {
namespace {

// A chain: org1 never reaches org3 (every message between them is lost),
// yet org3 gets org1's changes, and org1 org3's, through org2's backfill
// answers; members send only their own changes, so this is the only way.
TEST(GroupChainTest, MembersThatNeverMeetConvergeThroughAThird) {
  Mailboxes boxes;
  ReplicaGroupConfig group = TwoMembers();
  group.members.push_back(GroupMemberConfig{"org3", IdOf(3), "org3@example",
                                            "secret-key-of-org-3", ""});
  absl::Time now = absl::FromUnixSeconds(1790000000);
  // Drops what goes between org1 and org3, both ways.
  class ChainTransport : public QueueTransport {
   public:
    ChainTransport(Mailboxes* boxes, std::string self)
        : QueueTransport(boxes, self), self_(std::move(self)) {}
    absl::Status Send(std::string_view message,
                      std::span<const std::string> to) override {
      std::vector<std::string> kept;
      for (const std::string& a : to) {
        const bool cut = (self_ == "org1@example" && a == "org3@example") ||
                         (self_ == "org3@example" && a == "org1@example");
        if (!cut) kept.push_back(a);
      }
      if (kept.empty()) return absl::OkStatus();
      return QueueTransport::Send(message, kept);
    }

   private:
    std::string self_;
  };
  std::vector<TestMember> members(3);
  for (int i = 0; i < 3; ++i) {
    ReplicaGroupConfig c = group;
    c.self = absl::StrCat("org", i + 1);
    OpenTestMember(members[i],
                   std::make_unique<ChainTransport>(
                       &boxes, absl::StrCat("org", i + 1, "@example")),
                   c, &now);
  }
  ItemContent a;
  a.body = "from org1";
  const SourceKey from1 =
      members[0].replica->CreateItem(members[0].shared.source_key, a)->source_key;
  ItemContent b;
  b.body = "from org3";
  const SourceKey from3 =
      members[2].replica->CreateItem(members[2].shared.source_key, b)->source_key;
  // Within a few status intervals and backfill delays (10 s and 60 s here).
  int rounds = 0;
  for (; rounds < 600; ++rounds) {
    now += absl::Seconds(1);
    for (TestMember& m : members) ASSERT_TRUE(m.member->Tick().ok());
    if (members[0].store->GetItem(from3).ok() && members[2].store->GetItem(from1).ok()) break;
  }
  ASSERT_LT(rounds, 600) << "org1 and org3 never got each other's item";
  EXPECT_EQ(members[2].store->GetItem(from1)->body, "from org1");
  EXPECT_EQ(members[0].store->GetItem(from3)->body, "from org3");
  EXPECT_GE(members[1].member->stats().backfill_answers_sent, 2u);
  for (const TestMember& m : members) EXPECT_EQ(m.store->Count()->items, 2u);
}

// Three members that sign (Ed25519): each holds its own private key and the
// others' public keys only, so no member can make a message in another's
// name, and none is accepted by a shared key either.
TEST(SignedGroupTest, SignedMessagesReplicateAndAForgedOneIsDropped) {
  Mailboxes boxes;
  ReplicaGroupConfig group = TwoMembers();
  group.members.push_back(GroupMemberConfig{"org3", IdOf(3), "org3@example",
                                            "secret-key-of-org-3", ""});
  std::vector<GroupSigningKeys> keys;
  for (GroupMemberConfig& m : group.members) {
    keys.push_back(*NewGroupSigningKeys());
    m.key.clear();
    m.public_key = keys.back().public_key;
  }
  absl::Time now = absl::FromUnixSeconds(1790000000);
  std::vector<TestMember> members(3);
  for (int i = 0; i < 3; ++i) {
    ReplicaGroupConfig c = group;
    c.self = absl::StrCat("org", i + 1);
    c.signing_key = keys[i].private_key;
    OpenTestMember(members[i],
                   std::make_unique<QueueTransport>(
                       &boxes, absl::StrCat("org", i + 1, "@example")),
                   c, &now);
  }
  auto run = [&](int rounds) {
    for (int r = 0; r < rounds; ++r) {
      now += absl::Seconds(1);
      for (TestMember& m : members) ASSERT_TRUE(m.member->Tick().ok());
    }
  };
  ItemContent a;
  a.body = "signed by org1";
  ASSERT_TRUE(members[0].replica->CreateItem(members[0].shared.source_key, a).ok());
  run(3);
  for (const TestMember& m : members) EXPECT_EQ(m.store->Count()->items, 1u);
  for (const TestMember& m : members) EXPECT_EQ(m.member->stats().messages_dropped, 0u);

  // org2 makes org1's next message up: a real body of org1's with another
  // item in it would be the attack; any body will do to show the check.
  boxes.sent.clear();
  ItemContent b;
  b.body = "org1 again";
  ASSERT_TRUE(members[0].replica->CreateItem(members[0].shared.source_key, b).ok());
  now += absl::Seconds(1);
  ASSERT_TRUE(members[0].member->Tick().ok());
  ASSERT_FALSE(boxes.sent.empty());
  boxes.boxes["org3@example"].clear();  // org3 gets only the forgeries
  const std::string& real = boxes.sent.front();
  const std::string body = real.substr(
      repl_internal::kFrameHeaderSize,
      real.size() - repl_internal::kFrameHeaderSize -
          repl_internal::AuthTagSize(repl_internal::kAuthEd25519));
  // Signed with org2's own private key in org1's name.
  const repl_internal::FrameAuth org2_signer =
      *repl_internal::FrameAuth::Ed25519Signer(keys[1].private_key);
  boxes.boxes["org3@example"].push_back(
      *repl_internal::SealMessage(IdOf(1), org2_signer, body));
  // Tagged with a shared key in org1's name (a downgrade).
  boxes.boxes["org3@example"].push_back(*repl_internal::SealMessage(
      IdOf(1), repl_internal::FrameAuth::Hmac("any-key-at-all-0123"), body));
  // org1's real frame with its signature's last byte flipped.
  std::string flipped = real;
  flipped.back() ^= 0x01;
  boxes.boxes["org3@example"].push_back(flipped);
  now += absl::Seconds(1);
  ASSERT_TRUE(members[2].member->Tick().ok());
  EXPECT_EQ(members[2].member->stats().messages_dropped, 3u);
  EXPECT_EQ(members[2].store->Count()->items, 1u);
  const std::string log = absl::StrJoin(members[2].log, "\n");
  EXPECT_THAT(log, HasSubstr("the Ed25519 tag does not check"));
  EXPECT_THAT(log, HasSubstr("authenticated by HMAC-SHA256, where the group has Ed25519"));
  // The real message comes again by backfill, and org3 takes it.
  for (int r = 0; r < 200 && members[2].store->Count()->items < 2; ++r) run(1);
  EXPECT_EQ(members[2].store->Count()->items, 2u);
}

TEST(GroupConfigTest, RefusesKeysThatDoNotFit) {
  ReplicaGroupConfig good = TwoMembers();
  good.self = "org1";
  const GroupSigningKeys k1 = *NewGroupSigningKeys();
  const GroupSigningKeys k2 = *NewGroupSigningKeys();
  EXPECT_EQ(*GroupPublicKeyOf(k1.private_key), k1.public_key);
  EXPECT_NE(k1.public_key, k2.public_key);
  good.members[0].key.clear();
  good.members[0].public_key = k1.public_key;
  good.signing_key = k1.private_key;
  // A signing member beside one with a shared key is fine.
  EXPECT_TRUE(ValidateGroupConfig(good).ok()) << ValidateGroupConfig(good);
  auto refused = [&](auto change, std::string_view why) {
    ReplicaGroupConfig c = good;
    change(c);
    absl::Status s = ValidateGroupConfig(c);
    EXPECT_FALSE(s.ok()) << why;
    EXPECT_THAT(std::string(s.message()), HasSubstr(std::string(why)));
  };
  refused([&](ReplicaGroupConfig& c) { c.members[0].key = "a-shared-key-as-well"; },
          "exactly one");
  refused([&](ReplicaGroupConfig& c) { c.members[1].key.clear(); }, "exactly one");
  refused([&](ReplicaGroupConfig& c) { c.members[0].public_key = "short"; },
          "32 bytes");
  refused([&](ReplicaGroupConfig& c) { c.signing_key.clear(); }, "no signing key");
  refused([&](ReplicaGroupConfig& c) { c.signing_key = k2.private_key; },
          "not the private half");
  refused([&](ReplicaGroupConfig& c) { c.signing_key = "short"; }, "signing key");
  refused([&](ReplicaGroupConfig& c) { c.self = "org2"; },
          "whose messages use a shared key");
  EXPECT_FALSE(GroupPublicKeyOf("short").ok());
}

}  // namespace
}  // namespace ioreplication
