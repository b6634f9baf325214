// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Session::Verify: replicas made to differ behind replication's back (store
// writes that no change stream sees) are found, each difference named, and a
// repair makes the next pass send exactly what differs.

#include <memory>
#include <string>

#include "absl/algorithm/container.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "session/verify.h"
#include "stores/folder_digest.h"
#include "sync_test_util.h"

namespace ioreplication {
namespace {

using ::testing::HasSubstr;
using testing_util::MakeConfig;
using testing_util::MakeOrg;
using testing_util::MakeSession;
using testing_util::Org;
using testing_util::Snapshot;
using Kind = Session::Difference::Kind;

class VerifyTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    a_ = MakeOrg(GetParam(), "a");
    b_ = MakeOrg(GetParam(), "b");
    a_.MakePath("/Sales/EMEA");
    a_.MakePath("/Sales/APAC");
    for (int i = 0; i < 3; ++i) {
      items_.push_back(a_.Post("/Sales/EMEA", absl::StrCat("e", i)));
    }
    a_.Post("/Sales", "top");
    SessionConfig config = MakeConfig(
        "Sales share", a_, {&b_},
        {{"/Sales", "/Partner/Sales", MappingDirection::kBidirectional}});
    session_ = MakeSession(config, a_, {&b_});
    ASSERT_TRUE(session_->Run().ok());
  }

  // A one-way session from a_ into `c` (what `c` does is invisible to it),
  // after its first pass.
  std::unique_ptr<Session> OneWayCopy(Org& c) {
    SessionConfig config =
        MakeConfig("Sales copy", a_, {&c},
                   {{"/Sales", "/Copy/Sales", MappingDirection::kOneWay}});
    std::unique_ptr<Session> s = MakeSession(config, a_, {&c});
    EXPECT_TRUE(s->Run().ok());
    return s;
  }

  // Writes to b_'s store directly: nothing replicates these.
  void Behind(const std::function<void(Store&)>& write) {
    ASSERT_TRUE(b_.store->Begin().ok());
    write(*b_.store);
    ASSERT_TRUE(b_.store->Commit().ok());
  }

  Org a_, b_;
  std::vector<Item> items_;
  std::unique_ptr<Session> session_;
};

TEST_P(VerifyTest, ConvergedReplicasHaveNoDifferences) {
  const Session::VerifyReport report = session_->Verify().value();
  EXPECT_TRUE(report.differences.empty());
  EXPECT_EQ(report.folders, 3u);  // /Sales, EMEA, APAC
  EXPECT_EQ(report.items, 8u);    // 4 a side
  EXPECT_EQ(report.differing_folders, 0u);
}

TEST_P(VerifyTest, FindsEveryKindOfDifferenceAndRepairsIt) {
  // One way: what the subscriber does is invisible to the session.
  Org c = MakeOrg(GetParam(), "c");
  std::unique_ptr<Session> s = OneWayCopy(c);
  const Item old = c.store->GetItem(items_[2].source_key).value();
  a_.Edit(items_[2].source_key, "edited");
  ASSERT_TRUE(s->Run().ok());
  const SourceKey extra_key(c.root.source_key.replica(),
                            *GlobCnt::FromValue(9000));
  // Written to c's store directly: a restore of an old backup, a loss, a
  // stray object, a lost folder.
  ASSERT_TRUE(c.store->Begin().ok());
  ASSERT_TRUE(c.store->UpdateItem(old).ok());
  ASSERT_TRUE(c.store->DeleteItem(items_[0].source_key).ok());
  Item stray = c.store->GetItem(items_[1].source_key).value();
  stray.source_key = extra_key;
  ASSERT_TRUE(c.store->InsertItem(stray).ok());
  ASSERT_TRUE(c.store->DeleteFolder(a_.At("/Sales/APAC").source_key).ok());
  ASSERT_TRUE(c.store->Commit().ok());
  EXPECT_TRUE(s->Run().value().Quiescent());  // no stream says anything

  const Session::VerifyReport report = s->Verify().value();
  ASSERT_EQ(report.differences.size(), 4u);
  EXPECT_EQ(report.differing_folders, 1u);
  auto find = [&](const SourceKey& key) -> const Session::Difference* {
    for (const Session::Difference& d : report.differences) {
      if (d.source_key == key) return &d;
    }
    return nullptr;
  };
  const Session::Difference* lost = find(items_[0].source_key);
  ASSERT_NE(lost, nullptr);
  EXPECT_EQ(lost->kind, Kind::kMissingAtSubscriber);
  EXPECT_EQ(lost->path, "/EMEA");
  EXPECT_EQ(lost->mapping, "/Sales -> /Copy/Sales");
  EXPECT_FALSE(lost->folder);
  const Session::Difference* extra = find(extra_key);
  ASSERT_NE(extra, nullptr);
  EXPECT_EQ(extra->kind, Kind::kMissingAtPublisher);
  const Session::Difference* changed = find(items_[2].source_key);
  ASSERT_NE(changed, nullptr);
  EXPECT_EQ(changed->kind, Kind::kDifferentVersion);
  EXPECT_THAT(changed->detail, HasSubstr(old.change_key.ToString()));
  const Session::Difference* folder = find(a_.At("/Sales/APAC").source_key);
  ASSERT_NE(folder, nullptr);
  EXPECT_TRUE(folder->folder);
  EXPECT_EQ(folder->kind, Kind::kMissingAtSubscriber);
  EXPECT_EQ(folder->path, "/APAC");

  // Verify alone writes nothing; with repair the next pass sends exactly
  // the differing objects. The stray object stays: one way, nothing may
  // remove it (it is reported until someone does).
  EXPECT_TRUE(s->Run().value().Quiescent());
  ASSERT_EQ(s->Verify(/*repair=*/true).value().differences.size(), 4u);
  const SessionStatistics repaired = s->Run().value();
  EXPECT_EQ(repaired.message_changes, 2u);  // the lost one, the newer one
  EXPECT_EQ(repaired.folder_changes, 1u);
  EXPECT_EQ(repaired.message_errors + repaired.folder_errors, 0u);
  const Session::VerifyReport after = s->Verify().value();
  ASSERT_EQ(after.differences.size(), 1u);
  EXPECT_EQ(after.differences[0].source_key, extra_key);
  EXPECT_TRUE(s->Run().value().Quiescent());
}

// The subscriber holds an item the publisher deleted, and no stream will
// say so again (an old backup restored there). A repair sends the
// publisher's tombstone, so the copy goes.
TEST_P(VerifyTest, ARepairSendsTheDeletionOfWhatTheSourceDeleted) {
  Org c = MakeOrg(GetParam(), "c");
  std::unique_ptr<Session> s = OneWayCopy(c);
  const Item kept = c.store->GetItem(items_[0].source_key).value();
  ASSERT_TRUE(a_.replica->DeleteItem(items_[0].source_key).ok());
  EXPECT_EQ(s->Run().value().message_deletions, 1u);
  ASSERT_TRUE(c.store->Begin().ok());
  ASSERT_TRUE(c.store->DeleteTombstone(kept.source_key).ok());
  ASSERT_TRUE(c.store->InsertItem(kept).ok());
  ASSERT_TRUE(c.store->Commit().ok());
  EXPECT_TRUE(s->Run().value().Quiescent());

  const Session::VerifyReport report = s->Verify(/*repair=*/true).value();
  ASSERT_EQ(report.differences.size(), 1u);
  EXPECT_EQ(report.differences[0].kind, Kind::kMissingAtPublisher);
  EXPECT_EQ(s->Run().value().message_deletions, 1u);
  EXPECT_TRUE(absl::IsNotFound(c.store->GetItem(kept.source_key).status()));
  EXPECT_TRUE(s->Verify().value().differences.empty());
  EXPECT_TRUE(s->Run().value().Quiescent());
}

TEST_P(VerifyTest, APeriodicVerifyCountsAndRepairsWhatItFinds) {
  SessionConfig config = session_->config();
  config.options.verify_interval = absl::Hours(1);
  std::unique_ptr<Session> hourly = MakeSession(config, a_, {&b_});
  std::vector<std::string> log;
  hourly->set_hooks({.log = [&](LogLevel, std::string_view line) {
    log.emplace_back(line);
  }});
  EXPECT_EQ(hourly->Run().value().differences, 0u);  // the first one is due
  ASSERT_EQ(log.size(), 1u);
  EXPECT_THAT(log[0], HasSubstr("verify compared 3 folders and 8 item "
                                "versions: 0 differences"));
  Behind([&](Store& b) { ASSERT_TRUE(b.DeleteItem(items_[0].source_key).ok()); });
  // Not due again within the hour (the time is kept in the stores).
  EXPECT_EQ(hourly->Run().value().differences, 0u);
  config.options.verify_interval = absl::Nanoseconds(1);
  std::unique_ptr<Session> always = MakeSession(config, a_, {&b_});
  const SessionStatistics found = always->Run().value();
  EXPECT_EQ(found.differences, 1u);
  EXPECT_EQ(found.message_changes, 0u);
  // The next pass sends it again, and then nothing differs.
  const SessionStatistics repaired = always->Run().value();
  EXPECT_EQ(repaired.message_changes, 1u);
  EXPECT_EQ(repaired.differences, 0u);
  EXPECT_EQ(Snapshot(a_, "/Sales"), Snapshot(b_, "/Partner/Sales"));
}

TEST_P(VerifyTest, AnItemInAnotherFolderIsOneDifference) {
  Behind([&](Store& b) {
    Item moved = b.GetItem(items_[0].source_key).value();
    moved.folder = a_.At("/Sales/APAC").source_key;
    ASSERT_TRUE(b.UpdateItem(moved).ok());
  });
  const Session::VerifyReport report = session_->Verify().value();
  ASSERT_EQ(report.differences.size(), 1u);
  EXPECT_EQ(report.differences[0].kind, Kind::kDifferentPlace);
  EXPECT_EQ(report.differences[0].path, "/EMEA");
  EXPECT_EQ(report.differing_folders, 2u);
}

// A repair made while a pass runs (another process: `iorepl verify
// --repair` beside the service) is not lost when that pass writes its state:
// the next pass sends the object.
TEST_P(VerifyTest, ARepairMadeDuringAPassIsKeptForTheNext) {
  Org c = MakeOrg(GetParam(), "c_during");
  SessionConfig config =
      MakeConfig("Sales copy", a_, {&c},
                 {{"/Sales", "/Copy/Sales", MappingDirection::kOneWay}});
  config.options.batch_size = 2;
  std::unique_ptr<Session> s = MakeSession(config, a_, {&c});
  ASSERT_TRUE(s->Run().ok());
  const SourceKey lost = items_[0].source_key;
  ASSERT_TRUE(c.store->Begin().ok());
  ASSERT_TRUE(c.store->DeleteItem(lost).ok());  // behind replication's back
  ASSERT_TRUE(c.store->Commit().ok());
  for (int i = 0; i < 6; ++i) a_.Post("/Sales/APAC", absl::StrCat("new ", i));
  // The other process: its own connections to the SQLite files, or (memory
  // stores) a second session over the same stores.
  std::unique_ptr<Session> other =
      GetParam() ? Session::Open(config).value() : MakeSession(config, a_, {&c});
  bool repaired = false;
  s->set_hooks({.progress = [&](const Progress&) {
    if (!repaired) {
      repaired = true;
      absl::StatusOr<Session::VerifyReport> report = other->Verify(true);
      EXPECT_TRUE(report.ok()) << report.status();
      // The lost item, and new ones this pass has not written yet.
      if (report.ok()) {
        EXPECT_TRUE(absl::c_any_of(report->differences,
                                   [&](const Session::Difference& d) {
                                     return d.source_key == lost;
                                   }));
      }
    }
    return true;
  }});
  const SessionStatistics during = s->Run().value();
  ASSERT_TRUE(repaired);
  EXPECT_EQ(during.message_changes, 6u);
  EXPECT_FALSE(c.store->GetItem(lost).ok());
  const SessionStatistics next = s->Run().value();
  EXPECT_EQ(next.message_changes, 1u);
  EXPECT_TRUE(c.store->GetItem(lost).ok());
  EXPECT_TRUE(s->Verify().value().differences.empty());
}

INSTANTIATE_TEST_SUITE_P(Stores, VerifyTest, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& p) {
                           return p.param ? "sqlite" : "memory";
                         });

TEST(DigestTest, DependsOnEveryPairAndTheCountNotTheOrder) {
  const Guid g = Guid::Parse("{00112233-4455-6677-8899-AABBCCDDEEFF}").value();
  auto v = [&](uint64_t key, uint64_t cn) {
    return ItemVersion{SourceKey(g, *GlobCnt::FromValue(key)),
                       ChangeNumber(g, *GlobCnt::FromValue(cn))};
  };
  using stores_internal::DigestOfVersions;
  EXPECT_EQ(DigestOfVersions({v(1, 2), v(3, 4)}),
            DigestOfVersions({v(3, 4), v(1, 2)}));
  EXPECT_NE(DigestOfVersions({v(1, 2), v(3, 4)}),
            DigestOfVersions({v(1, 2), v(3, 5)}));
  EXPECT_NE(DigestOfVersions({v(1, 2), v(3, 4)}), DigestOfVersions({v(1, 2)}));
  EXPECT_NE(DigestOfVersions({}), DigestOfVersions({v(1, 2)}));
  EXPECT_EQ(DigestOfVersions({}), FolderDigest());
  // Adding and removing are inverse, whatever the carries.
  FolderDigest d = DigestOfVersions({v(1, 2)});
  for (uint64_t i = 0; i < 50; ++i) {
    stores_internal::AddItem(d, v(i, i).source_key, v(i, i).change_key);
  }
  for (uint64_t i = 50; i-- > 0;) {
    stores_internal::RemoveItem(d, v(i, i).source_key, v(i, i).change_key);
  }
  EXPECT_EQ(d, DigestOfVersions({v(1, 2)}));
}

}  // namespace
}  // namespace ioreplication
