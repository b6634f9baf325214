// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Replication across more than two organizations: chains (A <-> B <-> C),
// one-way relays (A -> B -> C) and rings. What one organization does must
// reach every other one, whatever the path, and after settling every replica
// of the shared tree must be the same (DESIGN.md invariant 10).

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "sync_test_util.h"

namespace ioreplication {
namespace {

using testing_util::MakeConfig;
using testing_util::MakeOrg;
using testing_util::MakeSession;
using testing_util::Org;
using testing_util::Snapshot;

struct Link {
  int publisher;
  int subscriber;
  MappingDirection direction = MappingDirection::kBidirectional;
};

class Topology {
 public:
  // `batch_size` small makes every pass many batches, each read ahead from
  // the source while the one before is imported (sync/batch_reader.h).
  Topology(int orgs, const std::vector<Link>& links, bool sqlite = false,
           size_t batch_size = 1000) {
    testing_util::ResetTestClock();
    for (int i = 0; i < orgs; ++i) {
      orgs_.push_back(MakeOrg(sqlite, std::string(1, static_cast<char>('a' + i))));
      orgs_.back().MakePath("/Shared");
      orgs_.back().MakePath("/Private");
    }
    for (const Link& link : links) {
      SessionConfig config = MakeConfig(
          absl::StrCat("link ", link.publisher, link.subscriber),
          orgs_[link.publisher], {&orgs_[link.subscriber]},
          {{"/Shared", "/Shared", link.direction}});
      config.options.batch_size = batch_size;
      sessions_.push_back(
          MakeSession(config, orgs_[link.publisher], {&orgs_[link.subscriber]}));
    }
  }

  Org& operator[](int i) { return orgs_[i]; }

  // Moves the folder at `path` of organization `org` into its /Private, out
  // of the shared tree.
  void MoveOut(int org, std::string_view path) {
    ASSERT_TRUE(orgs_[org]
                    .replica
                    ->MoveFolder(orgs_[org].At(path).source_key,
                                 orgs_[org].At("/Private").source_key)
                    .ok());
  }

  // One pass of the session of link `link` (in the order they were given).
  SessionStatistics Run(int link) {
    absl::StatusOr<SessionStatistics> stats = sessions_[link]->Run();
    EXPECT_TRUE(stats.ok()) << stats.status();
    return stats.ok() ? *stats : SessionStatistics();
  }

  // Moves the folder at `from` of organization `org` under the folder at
  // `to`.
  void Move(int org, std::string_view from, std::string_view to) {
    ASSERT_TRUE(orgs_[org]
                    .replica
                    ->MoveFolder(orgs_[org].At(from).source_key,
                                 orgs_[org].At(to).source_key)
                    .ok());
  }

  // Runs every session, round after round, until a round moves nothing.
  // Returns the statistics of all rounds added up.
  SessionStatistics Settle() {
    SessionStatistics total;
    for (int round = 0; round < 12; ++round) {
      bool quiet = true;
      for (auto& s : sessions_) {
        absl::StatusOr<SessionStatistics> stats = s->Run();
        EXPECT_TRUE(stats.ok()) << stats.status();
        if (!stats.ok()) return total;
        quiet &= stats->Quiescent();
        if (std::getenv("IOREPL_TRACE")) {
          fprintf(stderr, "%s\n", s->StatisticsLine(*stats).c_str());
        }
        total.Merge(*stats);
      }
      if (quiet) return total;
    }
    ADD_FAILURE() << "never quiescent";
    return total;
  }

  // Every organization holds the same shared tree.
  void ExpectSame() {
    const std::vector<std::string> first = Snapshot(orgs_[0], "/Shared");
    for (size_t i = 1; i < orgs_.size(); ++i) {
      EXPECT_EQ(first, Snapshot(orgs_[i], "/Shared")) << "organization " << i;
    }
  }

  bool Has(int org, std::string_view path) {
    auto f = FindFolderByPath(*orgs_[org].store, path);
    return f.ok() && f->has_value();
  }

 private:
  std::vector<Org> orgs_;
  std::vector<std::unique_ptr<Session>> sessions_;
};

// A folder with a subfolder and items, made at organization 0.
void MakeProject(Topology& t) {
  t[0].MakePath("/Shared/Project/Drafts");
  t[0].Post("/Shared/Project", "plan");
  t[0].Post("/Shared/Project/Drafts", "draft");
}

void MoveFolderOutAndBack(Topology& t, int last) {
  MakeProject(t);
  t.Settle();
  ASSERT_TRUE(t.Has(last, "/Shared/Project/Drafts"));

  // Out of the shared tree at the first organization: gone everywhere else.
  t.MoveOut(0, "/Shared/Project");
  const SessionStatistics out = t.Settle();
  EXPECT_GE(out.folder_deletions, 2u);
  EXPECT_FALSE(t.Has(last, "/Shared/Project"));
  EXPECT_EQ(testing_util::CountItems(t[last], "/Shared"), 0u);
  t.ExpectSame();
  EXPECT_TRUE(t.Has(0, "/Private/Project/Drafts"));

  // Back in: it heals everywhere, items and all.
  ASSERT_TRUE(t[0]
                  .replica
                  ->MoveFolder(t[0].At("/Private/Project").source_key,
                               t[0].At("/Shared").source_key)
                  .ok());
  t.Settle();
  EXPECT_TRUE(t.Has(last, "/Shared/Project/Drafts"));
  EXPECT_EQ(testing_util::CountItems(t[last], "/Shared"), 2u);
  t.ExpectSame();
  EXPECT_TRUE(t.Settle().Quiescent());
}

TEST(TopologyTest, ChainRelaysAFolderMovedOutOfScopeAndBack) {
  Topology t(3, {{0, 1}, {1, 2}});
  MoveFolderOutAndBack(t, 2);
}

TEST(TopologyTest, OneWayRelayRelaysAFolderMovedOutOfScopeAndBack) {
  Topology t(3, {{0, 1, MappingDirection::kOneWay},
                 {1, 2, MappingDirection::kOneWay}});
  MoveFolderOutAndBack(t, 2);
}

TEST(TopologyTest, FourRingRelaysAFolderMovedOutOfScopeAndBack) {
  Topology t(4, {{0, 1}, {1, 2}, {2, 3}, {3, 0}});
  MoveFolderOutAndBack(t, 2);
}

TEST(TopologyTest, ChainOnSqliteRelaysAFolderMovedOutOfScopeAndBack) {
  Topology t(3, {{0, 1}, {1, 2}}, /*sqlite=*/true);
  MoveFolderOutAndBack(t, 2);
}

TEST(TopologyTest, FourRingInBatchesOfOneRelaysAFolderMovedOutAndBack) {
  Topology t(4, {{0, 1}, {1, 2}, {2, 3}, {3, 0}}, /*sqlite=*/false,
             /*batch_size=*/1);
  MoveFolderOutAndBack(t, 2);
}

// Every organization of a chain and of a ring writes, edits and deletes
// between passes made of batches of two: all converge on the same tree.
TEST(TopologyTest, ChainsAndRingsInSmallBatchesConverge) {
  for (bool ring : {false, true}) {
    SCOPED_TRACE(ring ? "ring" : "chain");
    Topology t = ring ? Topology(3, {{0, 1}, {1, 2}, {2, 0}}, true, 2)
                      : Topology(3, {{0, 1}, {1, 2}}, true, 2);
    t[0].MakePath("/Shared/Team");
    for (int i = 0; i < 5; ++i) t[0].Post("/Shared/Team", absl::StrCat("a", i));
    t.Settle();
    for (int org = 0; org < 3; ++org) {
      for (int i = 0; i < 5; ++i) {
        t[org].Post("/Shared/Team", absl::StrCat("org ", org, " item ", i));
      }
    }
    const std::vector<SourceKey> keys =
        t[2].store->ListItems(t[2].At("/Shared/Team").source_key).value();
    ASSERT_EQ(keys.size(), 10u);  // its own five, and organization 0's
    t[2].Edit(keys[0], "edited at the end of the chain");
    ASSERT_TRUE(t[2].replica->DeleteItem(keys[1]).ok());
    t.Settle();
    t.ExpectSame();
    EXPECT_EQ(testing_util::CountItems(t[0], "/Shared"), 5u + 15u - 1u);
    EXPECT_TRUE(t.Settle().Quiescent());
  }
}

TEST(TopologyTest, ChainRelaysAnItemMovedOutOfScopeAndBack) {
  Topology t(3, {{0, 1}, {1, 2}});
  t[0].MakePath("/Shared/Inbox");
  const Item item = t[0].Post("/Shared/Inbox", "memo");
  t.Settle();
  ASSERT_EQ(testing_util::CountItems(t[2], "/Shared"), 1u);
  ASSERT_TRUE(t[0]
                  .replica->MoveItem(item.source_key,
                                     t[0].At("/Private").source_key)
                  .ok());
  t.Settle();
  EXPECT_EQ(testing_util::CountItems(t[2], "/Shared"), 0u);
  t.ExpectSame();
  ASSERT_TRUE(t[0]
                  .replica->MoveItem(item.source_key,
                                     t[0].At("/Shared/Inbox").source_key)
                  .ok());
  t.Settle();
  EXPECT_EQ(testing_util::CountItems(t[2], "/Shared"), 1u);
  t.ExpectSame();
}

TEST(TopologyTest, AMiddleOrganizationMovingOutRelaysBothWays) {
  Topology t(3, {{0, 1}, {1, 2}});
  MakeProject(t);
  t.Settle();
  t.MoveOut(1, "/Shared/Project");
  t.Settle();
  EXPECT_FALSE(t.Has(0, "/Shared/Project"));
  EXPECT_FALSE(t.Has(2, "/Shared/Project"));
  t.ExpectSame();
}

TEST(TopologyTest, CrossReplicaMoveCycleResolvesTheSameEverywhere) {
  for (bool ring : {false, true}) {
    SCOPED_TRACE(ring ? "ring" : "chain");
    Topology t = ring ? Topology(3, {{0, 1}, {1, 2}, {2, 0}})
                      : Topology(3, {{0, 1}, {1, 2}});
    t[0].MakePath("/Shared/X");
    t[0].MakePath("/Shared/Y");
    t[0].Post("/Shared/X", "in x");
    t.Settle();
    // Y into X at the first organization, then X into Y at the last one:
    // the later move stands, Y returns to the mapped root.
    ASSERT_TRUE(t[0]
                    .replica
                    ->MoveFolder(t[0].At("/Shared/Y").source_key,
                                 t[0].At("/Shared/X").source_key)
                    .ok());
    ASSERT_TRUE(t[2]
                    .replica
                    ->MoveFolder(t[2].At("/Shared/X").source_key,
                                 t[2].At("/Shared/Y").source_key)
                    .ok());
    const SessionStatistics stats = t.Settle();
    EXPECT_EQ(stats.folder_errors, 0u);
    EXPECT_GE(stats.conflicts, 1u);
    for (int i = 0; i < 3; ++i) {
      EXPECT_TRUE(t.Has(i, "/Shared/Y/X")) << i;
      EXPECT_EQ(testing_util::CountItems(t[i], "/Shared/Y/X"), 1u) << i;
    }
    t.ExpectSame();
    EXPECT_TRUE(t.Settle().Quiescent());
  }
}

TEST(TopologyTest, SameNamedSiblingsMadeConcurrentlyGetOneOutcome) {
  Topology t(3, {{0, 1}, {1, 2}});
  t[0].MakePath("/Shared/Reports");
  t[0].Post("/Shared/Reports", "from a");
  t[2].MakePath("/Shared/Reports");
  t[2].Post("/Shared/Reports", "from c");
  // A clash with a sibling the sending side holds too waits for that side's
  // outcome (an error that one more pass clears); then all is quiet.
  t.Settle();
  t.ExpectSame();
  for (int i = 0; i < 3; ++i) {
    const std::vector<Folder> children =
        t[i].store->ListChildFolders(t[i].At("/Shared").source_key).value();
    ASSERT_EQ(children.size(), 2u) << i;
    // One keeps the name, the other takes one derived from its source key.
    EXPECT_NE(children[0].display_name, children[1].display_name);
    EXPECT_TRUE(children[0].display_name == "Reports" ||
                children[1].display_name == "Reports");
    EXPECT_EQ(testing_util::CountItems(t[i], "/Shared"), 2u);
  }
  EXPECT_TRUE(t.Settle().Quiescent());
}

// A destination that moved a folder out of its own mapped tree keeps it
// there: each new version the source sends is ignored once (and answered on
// a bidirectional mapping), not sent again every pass.
TEST(TopologyTest, AFolderTheDestinationMovedOutIsNotSentEveryPass) {
  Topology t(2, {{0, 1, MappingDirection::kOneWay}});
  MakeProject(t);
  t.Settle();
  t.MoveOut(1, "/Shared/Project");
  const SourceKey plan =
      t[0].store->ListItems(t[0].At("/Shared/Project").source_key).value()[0];
  t[0].Edit(plan, "ignored");
  ASSERT_TRUE(t[0]
                  .replica
                  ->RenameFolder(t[0].At("/Shared/Project").source_key,
                                 "Project 2")
                  .ok());
  const SessionStatistics first = t.Settle();
  EXPECT_EQ(first.folder_ignores, 1u);
  EXPECT_EQ(first.message_ignores, 1u);
  EXPECT_TRUE(t.Has(1, "/Private/Project/Drafts"));
  EXPECT_FALSE(t.Has(1, "/Shared/Project 2"));
  const SessionStatistics again = t.Settle();
  EXPECT_TRUE(again.Quiescent());
  EXPECT_EQ(again.folder_ignores + again.message_ignores, 0u);
}

// Two replicas can hold versions with equal PCLs but different change keys
// (each merged the other's history into a version it kept, at the same
// time). Neither is older, so both used to stay as they were for good. The
// greater change key is kept everywhere, and the replica that sent the
// other one gets it back.
TEST(TopologyTest, EqualPclsWithDifferentChangeKeysSettleOnOne) {
  Topology t(3, {{0, 1}, {1, 2}});
  const Item posted = t[0].Post("/Shared", "plan");
  t.Settle();
  auto counter = [](Org& org) {
    const CounterBlock block = org.store->ReserveCounters(1).value();
    return ChangeNumber(org.store->Identity().value().replica, block.first);
  };
  const ChangeNumber at_a = counter(t[0]);
  const ChangeNumber at_c = counter(t[2]);
  Pcl both = posted.pcl;
  ASSERT_TRUE(both.Raise(at_a).ok());
  ASSERT_TRUE(both.Raise(at_c).ok());
  auto forge = [&](Org& org, const ChangeNumber& change_key,
                   std::string body) {
    Item item = org.store->GetItem(posted.source_key).value();
    item.change_key = change_key;
    item.pcl = both;
    item.body = std::move(body);
    ASSERT_TRUE(org.store->Begin().ok());
    ASSERT_TRUE(org.store->UpdateItem(item).ok());
    ASSERT_TRUE(org.store->Commit().ok());
  };
  forge(t[0], at_a, "a's merge");
  forge(t[2], at_c, "c's merge");
  const SessionStatistics stats = t.Settle();
  EXPECT_EQ(stats.conflicts, 0u);
  const ChangeNumber kept = std::max(at_a, at_c);
  for (int i = 0; i < 3; ++i) {
    const Item item = t[i].store->GetItem(posted.source_key).value();
    EXPECT_EQ(item.change_key, kept) << i;
    EXPECT_EQ(item.body, kept == at_a ? "a's merge" : "c's merge") << i;
  }
  t.ExpectSame();
  EXPECT_TRUE(t.Settle().Quiescent());
}

// An item made at C in a folder that A moved out of the tree and back in
// while the item was on its way: B dropped it with the folder's exit, and
// the folder came back to B from A without it. C keeps it (the folder
// stays at C) and sends it back to B, which takes it, so it ends up
// everywhere. Before, C applied B's exit of it (B held the folder in its
// tree again), so it was lost; in a triangle the same exit and the item
// went round for good.
TEST(TopologyTest, AnItemMadeWhileItsFolderWentOutAndBackIsKeptEverywhere) {
  Topology t(3, {{0, 1}, {1, 2}});
  t[0].MakePath("/Shared/Project");
  t.Settle();
  const Item item = t[2].Post("/Shared/Project", "made at c");
  t.Run(1);  // to b
  t.MoveOut(0, "/Shared/Project");
  t.Run(0);  // b drops the folder and the item with it
  EXPECT_FALSE(t.Has(1, "/Shared/Project"));
  t.Move(0, "/Private/Project", "/Shared");
  t.Settle();
  for (int i = 0; i < 3; ++i) {
    absl::StatusOr<Item> held = t[i].store->GetItem(item.source_key);
    ASSERT_TRUE(held.ok()) << i << ": " << held.status();
    EXPECT_EQ(held->folder, t[i].At("/Shared/Project").source_key) << i;
  }
  t.ExpectSame();
  EXPECT_TRUE(t.Settle().Quiescent());
}

// A subfolder that left its folder at A while that folder was outside the
// tree there: B had dropped both with the folder's exit and still counts
// the subfolder as held, so A sends the subfolder's own exit, and B relays
// it to C, which had kept the old tree.
TEST(TopologyTest, ASubfolderThatLeftItsFolderOutsideTheTreeLeavesEverywhere) {
  Topology t(3, {{0, 1, MappingDirection::kOneWay},
                 {1, 2, MappingDirection::kOneWay}});
  t[0].MakePath("/Shared/Team/Sub");
  t[0].Post("/Shared/Team/Sub", "in sub");
  t.Settle();
  ASSERT_TRUE(t.Has(2, "/Shared/Team/Sub"));
  t.MoveOut(0, "/Shared/Team");
  t.Run(0);  // b drops Team and Sub; c still has both
  t.Move(0, "/Private/Team/Sub", "/Private");
  t.Move(0, "/Private/Team", "/Shared");
  t.Settle();
  EXPECT_TRUE(t.Has(2, "/Shared/Team"));
  EXPECT_FALSE(t.Has(2, "/Shared/Team/Sub"));
  EXPECT_EQ(testing_util::CountItems(t[2], "/Shared"), 0u);
  t.ExpectSame();
  EXPECT_TRUE(t.Settle().Quiescent());
}

}  // namespace
}  // namespace ioreplication
