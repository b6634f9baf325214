// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Randomized convergence: organizations share a folder tree through
// sessions in one of several topologies (a triangle, a chain A <-> B <-> C,
// a one-way relay A -> B -> C, a ring of four). Random local edits (create,
// edit, delete and move items; create, rename, move and delete folders; move
// folders and items out of the shared tree and back in; folders of one name
// made at several organizations) and random session passes interleave; then
// every session runs until a whole round moves nothing. All trees must then
// be identical, conflict items and notices included, and one more round
// must be quiescent.
//
// Every seed is reproducible: IOREPL_SEED=N runs seed N alone (in every
// topology); IOREPL_SEEDS=K runs K seeds per topology from
// IOREPL_FIRST_SEED (default 0), stopping after IOREPL_MAX_FAILURES
// failures (default 3).

#include <array>
#include <cstdlib>
#include <random>

#include "gtest/gtest.h"
#include "sync/folder_tree.h"
#include "sync_test_util.h"

namespace ioreplication {
namespace {

using testing_util::MakeConfig;
using testing_util::MakeOrg;
using testing_util::MakeSession;
using testing_util::Org;
using testing_util::Snapshot;

enum class Shape { kTriangle, kChain, kOneWayRelay, kRing4 };

const char* ShapeName(Shape shape) {
  switch (shape) {
    case Shape::kTriangle:
      return "triangle";
    case Shape::kChain:
      return "chain";
    case Shape::kOneWayRelay:
      return "one-way relay";
    case Shape::kRing4:
      return "ring of four";
  }
  return "?";
}

class World {
 public:
  World(uint64_t seed, bool sqlite, Shape shape = Shape::kTriangle,
        bool scope_moves = false, bool refusals = false)
      : rng_(seed),
        shape_(shape),
        scope_moves_(scope_moves),
        refusals_(refusals) {
    testing_util::ResetTestClock();
    const int orgs = shape == Shape::kRing4 ? 4 : 3;
    for (int i = 0; i < orgs; ++i) {
      // GUIDs from the seed: source keys order by GUID, so a seed repeats
      // exactly.
      std::array<uint8_t, Guid::kSize> guid;
      for (uint8_t& b : guid) b = static_cast<uint8_t>(rng_());
      guid[7] = (guid[7] & 0x0F) | 0x40;  // a version 4 GUID
      orgs_.push_back(MakeOrg(sqlite, std::string(1, static_cast<char>('a' + i)),
                              Guid::FromBytes(guid)));
      orgs_.back().MakePath("/Shared");
      orgs_.back().MakePath("/Private");
    }
    policy_ = rng_() % 2 ? ConflictPolicy::kKeepBoth
                         : ConflictPolicy::kLastWriterWins;
    std::vector<std::pair<int, int>> links;
    switch (shape) {
      case Shape::kTriangle:
        links = {{0, 1}, {1, 2}, {0, 2}};
        break;
      case Shape::kChain:
      case Shape::kOneWayRelay:
        links = {{0, 1}, {1, 2}};
        break;
      case Shape::kRing4:
        links = {{0, 1}, {1, 2}, {2, 3}, {3, 0}};
        break;
    }
    const MappingDirection direction = shape == Shape::kOneWayRelay
                                           ? MappingDirection::kOneWay
                                           : MappingDirection::kBidirectional;
    for (auto [p, s] : links) {
      SessionConfig config =
          MakeConfig(absl::StrCat("link ", p, s), orgs_[p], {&orgs_[s]},
                     {{"/Shared", "/Shared", direction}});
      config.options.conflict_policy = policy_;
      config.options.batch_size = 1 + rng_() % 8;  // many small batches
      // The first link refuses large items until the limit is raised.
      if (refusals && links_.empty()) config.options.max_item_size = 400;
      if (std::getenv("IOREPL_TRACE")) {
        config.logging.level = LogLevel::kDetail;
        config.logging.log_each_message = true;
        config.logging.log_each_folder = true;
      }
      links_.push_back({config, p, s});
      sessions_.push_back(MakeSession(config, orgs_[p], {&orgs_[s]}));
      if (std::getenv("IOREPL_TRACE")) {
        const std::string label = absl::StrCat("link ", p, s, ": ");
        sessions_.back()->set_hooks(
            {.log = [label](LogLevel, std::string_view line) {
              fprintf(stderr, "  %s%.*s\n", label.c_str(),
                      static_cast<int>(line.size()), line.data());
            }});
      }
    }
  }

  // One random step: a local edit (most of the time) or a session pass.
  void Step() {
    if (rng_() % 10 < 7) {
      // Downstream of a one-way relay nothing flows back: only the first
      // organization edits.
      const size_t org =
          shape_ == Shape::kOneWayRelay ? 0 : rng_() % orgs_.size();
      Edit(orgs_[org]);
    } else {
      RunSession(sessions_[rng_() % sessions_.size()].get());
    }
  }

  // Runs every session round after round until a round changes nothing.
  // Returns the rounds it took, or -1. With refusals, the limit is raised
  // first: what was refused must arrive, and what was withheld elsewhere
  // meanwhile must settle with it.
  int Settle() {
    if (refusals_) {
      for (size_t i = 0; i < links_.size(); ++i) {
        Link& link = links_[i];
        link.config.options.max_item_size = SessionOptions().max_item_size;
        sessions_[i] = MakeSession(link.config, orgs_[link.publisher],
                                   {&orgs_[link.subscriber]});
      }
    }
    for (int round = 1; round <= 12; ++round) {
      bool quiet = true;
      for (auto& s : sessions_) quiet &= RunSession(s.get()).Quiescent();
      if (quiet) return round;
    }
    return -1;
  }

  std::vector<std::string> SnapshotOf(int i) {
    return Snapshot(orgs_[i], "/Shared");
  }
  int size() const { return static_cast<int>(orgs_.size()); }

  // Session::Verify of every session: the differences it reports.
  std::string Differences() {
    std::string out;
    for (auto& s : sessions_) {
      absl::StatusOr<Session::VerifyReport> report = s->Verify();
      if (!report.ok()) {
        absl::StrAppend(&out, "  verify failed: ", report.status().ToString(),
                        "\n");
        continue;
      }
      for (const Session::Difference& d : report->differences) {
        absl::StrAppend(&out, "  ", s->config().name, ": ", d.path, " ",
                        d.source_key.ToString(), " kind ",
                        static_cast<int>(d.kind), " ", d.detail, "\n");
      }
    }
    return out;
  }
  std::string errors() const { return errors_; }

 private:
  SessionStatistics RunSession(Session* s) {
    absl::StatusOr<SessionStatistics> stats = s->Run();
    if (std::getenv("IOREPL_TRACE") && stats.ok()) {
      fprintf(stderr, "%s conflicts=%lu\n", s->StatisticsLine(*stats).c_str(),
              static_cast<unsigned long>(stats->conflicts));
    }
    EXPECT_TRUE(stats.ok()) << stats.status();
    if (!stats.ok()) return {};
    if (stats->message_errors + stats->folder_errors > 0) {
      absl::StrAppend(&errors_, s->StatisticsLine(*stats),
                      " errors: ", stats->message_error_reasons.ToString(), " ",
                      stats->folder_error_reasons.ToString(), "\n");
    }
    return *stats;
  }

  void Edit(Org& org) {
    const Folder shared = org.At("/Shared");
    std::vector<SourceKey> folders;
    const absl::flat_hash_map<SourceKey, int> tree =
        sync_internal::SubtreeDepths(*org.store, shared.source_key).value();
    for (const auto& [key, depth] : tree) folders.push_back(key);
    std::sort(folders.begin(), folders.end());  // hash order is not stable
    std::vector<SourceKey> items;
    for (const SourceKey& f : folders) {
      std::vector<SourceKey> keys = org.store->ListItems(f).value();
      items.insert(items.end(), keys.begin(), keys.end());
    }
    std::sort(items.begin(), items.end());
    auto pick = [&](const std::vector<SourceKey>& v) {
      return v[rng_() % v.size()];
    };
    std::string name = absl::StrCat("n", ++names_);
    int op = static_cast<int>(rng_() % 14);
    const bool scope_move = op == 9 || op == 10 || op == 12 || op == 13;
    if (scope_move && !scope_moves_) op = 0;
    if (std::getenv("IOREPL_TRACE")) {
      fprintf(stderr, "edit %s op %d name %s\n", org.uri.c_str(), op,
              name.c_str());
    }
    switch (op) {
      case 0:
      case 1: {
        ItemContent c;
        (void)c.properties.Set(kPropSubject, name);
        c.body = name;
        // Above the first link's limit: refused there until it is raised.
        if (refusals_ && rng_() % 4 == 0) c.body = std::string(600, 'x');
        ASSERT_TRUE(org.replica->CreateItem(pick(folders), c).ok());
        break;
      }
      case 2:
        if (!items.empty()) org.Edit(pick(items), "edit " + name);
        break;
      case 3:
        if (!items.empty()) {
          ASSERT_TRUE(org.replica->DeleteItem(pick(items)).ok());
        }
        break;
      case 4:
        if (!items.empty()) {
          ASSERT_TRUE(org.replica->MoveItem(pick(items), pick(folders)).ok());
        }
        break;
      case 5:
        if (folders.size() < 8) {
          ASSERT_TRUE(org.replica->CreateFolder(pick(folders), name).ok());
        }
        break;
      case 6:
        if (folders.size() > 1) {
          SourceKey f = pick(folders);
          if (f != shared.source_key) {
            ASSERT_TRUE(org.replica->RenameFolder(f, name).ok());
          }
        }
        break;
      case 7:
        if (folders.size() > 1 && rng_() % 3 == 0) {
          SourceKey f = pick(folders);
          if (f != shared.source_key) {
            ASSERT_TRUE(org.replica->DeleteFolder(f).ok());
          }
        }
        break;
      case 8:  // a move inside the tree (may close a cycle across replicas)
        if (folders.size() > 2) {
          const SourceKey f = pick(folders);
          if (f != shared.source_key && !tree.contains(f)) break;
          const absl::flat_hash_map<SourceKey, int> below =
              sync_internal::SubtreeDepths(*org.store, f).value();
          const SourceKey to = pick(folders);
          if (f == shared.source_key || below.contains(to)) break;
          // Refused locally when the name is taken there: that is fine.
          (void)org.replica->MoveFolder(f, to);
        }
        break;
      case 9:  // out of the shared tree
        if (folders.size() > 1) {
          const SourceKey f = pick(folders);
          if (f != shared.source_key) {
            (void)org.replica->MoveFolder(f, org.At("/Private").source_key);
          }
        }
        break;
      case 10: {  // back into it
        std::vector<Folder> away =
            org.store->ListChildFolders(org.At("/Private").source_key).value();
        if (!away.empty()) {
          (void)org.replica->MoveFolder(
              away[rng_() % away.size()].source_key, pick(folders));
        }
        break;
      }
      case 11:  // names several organizations may pick at once
        if (folders.size() < 8) {
          name = rng_() % 2 ? "Reports" : "Team";
          (void)org.replica->CreateFolder(pick(folders), name);
        }
        // Names no import would take are refused where they are made.
        for (const char* bad : {".", "..", "C1 \xC2\x85"}) {
          EXPECT_TRUE(absl::IsInvalidArgument(
              org.replica->CreateFolder(pick(folders), bad).status()));
        }
        break;
      case 12:
        if (!items.empty()) {
          ASSERT_TRUE(org.replica
                          ->MoveItem(pick(items), org.At("/Private").source_key)
                          .ok());
        }
        break;
      case 13: {
        std::vector<SourceKey> away =
            org.store->ListItems(org.At("/Private").source_key).value();
        if (!away.empty()) {
          ASSERT_TRUE(org.replica
                          ->MoveItem(away[rng_() % away.size()], pick(folders))
                          .ok());
        }
        break;
      }
    }
  }

  std::mt19937_64 rng_;
  Shape shape_;
  bool scope_moves_;  // moves out of the shared tree and back in
  bool refusals_;     // large items, refused by the first link at first
  struct Link {
    SessionConfig config;
    int publisher;
    int subscriber;
  };
  std::vector<Link> links_;
  std::vector<Org> orgs_;
  std::vector<std::unique_ptr<Session>> sessions_;
  ConflictPolicy policy_;
  int names_ = 0;
  std::string errors_;
};

// Checks one seed; returns false (after reporting) when it fails.
bool CheckSeed(uint64_t seed, bool sqlite, int steps,
               Shape shape = Shape::kTriangle, bool scope_moves = false,
               bool refusals = false) {
  World world(seed, sqlite, shape, scope_moves, refusals);
  for (int i = 0; i < steps; ++i) world.Step();
  const int rounds = world.Settle();
  EXPECT_GT(rounds, 0) << ShapeName(shape) << " seed " << seed
                       << " never became quiescent\n"
                       << world.errors();
  // The anti-entropy check agrees: no differences on any pair.
  const std::string differences = world.Differences();
  EXPECT_EQ(differences, "") << ShapeName(shape) << " seed " << seed;
  const std::vector<std::string> a = world.SnapshotOf(0);
  bool same = differences.empty();
  for (int other = 1; other < world.size(); ++other) {
    const std::vector<std::string> b = world.SnapshotOf(other);
    if (a == b) continue;
    same = false;
    std::string diff;
    for (const std::string& line : a) {
      if (std::find(b.begin(), b.end(), line) == b.end()) {
        absl::StrAppend(&diff, "  only in 0: ", line, "\n");
      }
    }
    for (const std::string& line : b) {
      if (std::find(a.begin(), a.end(), line) == a.end()) {
        absl::StrAppend(&diff, "  only in ", other, ": ", line, "\n");
      }
    }
    ADD_FAILURE() << ShapeName(shape) << " seed " << seed
                  << ": organizations 0 and " << other
                  << " differ:\n"
                  << diff;
  }
  return rounds > 0 && same;
}

uint64_t EnvOr(const char* name, uint64_t fallback) {
  const char* v = std::getenv(name);
  return v == nullptr ? fallback : std::strtoull(v, nullptr, 10);
}

void CheckShape(Shape shape, bool scope_moves, uint64_t default_seeds,
                bool refusals = false) {
  if (const char* one = std::getenv("IOREPL_SEED")) {
    CheckSeed(std::strtoull(one, nullptr, 10), false, 60, shape, scope_moves,
              refusals);
    return;
  }
  const uint64_t first = EnvOr("IOREPL_FIRST_SEED", 0);
  const uint64_t seeds = EnvOr("IOREPL_SEEDS", default_seeds);
  const uint64_t max_failures = EnvOr("IOREPL_MAX_FAILURES", 3);
  uint64_t failures = 0;
  for (uint64_t seed = first; seed < first + seeds && failures < max_failures;
       ++seed) {
    failures += !CheckSeed(seed, false, 60, shape, scope_moves, refusals);
  }
}

// In-tree edits, folder moves that close cycles across replicas, folders of
// one name made at several organizations.
TEST(ConvergenceTest, TriangleConvergesOnMemoryStores) {
  CheckShape(Shape::kTriangle, /*scope_moves=*/false, 1000);
}

TEST(ConvergenceTest, RingOfFourConvergesOnMemoryStores) {
  CheckShape(Shape::kRing4, /*scope_moves=*/false, 1000);
}

TEST(ConvergenceTest, ChainConvergesOnMemoryStores) {
  CheckShape(Shape::kChain, /*scope_moves=*/false, 1000);
}

// Moves out of the shared tree and back in. The chain used to diverge in
// seeds 333, 755, 1033, 1265, 1619 and 1876: versions with equal PCLs and
// different change keys, folders the destination held outside its tree,
// and folders that came back into the tree with items the destination had
// never been sent. The triangle used to fail seed 1187 (the exit of a
// folder that left with the folder above it, applied where that folder
// stayed) and seed 1294, the ring of four seed 898: a scope exit and the
// version it recorded, with equal PCLs, chased each other round the ring,
// because the rule for the exit looked at the source and the rule for the
// version did not. The chain's seed 1585 lost a refused pulled item for
// good (it is resent now), and seeds 615, 1876 and 1976 of the chain and
// 1467 and 893 of the relay kept objects that had left a folder at their
// origin while it was outside the tree (a removed subtree stays held, so
// their exits still travel).
TEST(ConvergenceTest, OneWayRelayWithScopeMovesConverges) {
  CheckShape(Shape::kOneWayRelay, /*scope_moves=*/true, 500);
}

TEST(ConvergenceTest, ChainWithScopeMovesConverges) {
  CheckShape(Shape::kChain, /*scope_moves=*/true, 2000);
}

TEST(ConvergenceTest, TriangleWithScopeMovesConverges) {
  CheckShape(Shape::kTriangle, /*scope_moves=*/true, 2000);
}

TEST(ConvergenceTest, RingOfFourWithScopeMovesConverges) {
  CheckShape(Shape::kRing4, /*scope_moves=*/true, 2000);
}

// Seeds beyond the default range that failed before the fixes they name:
// a batch applied again after the importer took change numbers decided
// differently the second time (chain 2132, 4833); an item sent where its
// folder was held outside the tree was dropped there and kept at the
// source (chain 3265); a deletion that won a conflict kept the folder it
// had been made in, outside the tree, so it was never sent on (chain
// 7029); a folder deletion waited for good for deletions of its items that
// the source's stream would never send (ring of four 2070); an exit and a
// version chased each other (triangle 3962, 6440; ring of four 2003, 2577,
// 2672, 3491).
// Large items the first link refuses (counted on every pass, listed) while
// everything else goes on, then the limit raised: they arrive, and every
// replica settles on the same tree.
TEST(ConvergenceTest, TriangleWithRefusalsConverges) {
  CheckShape(Shape::kTriangle, /*scope_moves=*/true, 500, /*refusals=*/true);
}

TEST(ConvergenceTest, ChainWithRefusalsConverges) {
  CheckShape(Shape::kChain, /*scope_moves=*/true, 500, /*refusals=*/true);
}

TEST(ConvergenceTest, SeedsThatOnceFailedConverge) {
  for (uint64_t seed : {2132, 3265, 4833, 7029}) {
    CheckSeed(seed, false, 60, Shape::kChain, /*scope_moves=*/true);
  }
  for (uint64_t seed : {3962, 6440}) {
    CheckSeed(seed, false, 60, Shape::kTriangle, /*scope_moves=*/true);
  }
  for (uint64_t seed : {2003, 2070, 2577, 2672, 3491}) {
    CheckSeed(seed, false, 60, Shape::kRing4, /*scope_moves=*/true);
  }
}

TEST(ConvergenceTest, ThreeOrganizationsConvergeOnSqliteStores) {
  int failures = 0;
  for (uint64_t seed = 1000; seed < 1010 && failures < 3; ++seed) {
    failures += !CheckSeed(seed, true, 40);
  }
}

}  // namespace
}  // namespace ioreplication
