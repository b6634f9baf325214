// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Randomized convergence: three organizations share a folder tree through
// three bidirectional sessions (a triangle). Random local edits (create,
// edit, delete and move items; create, rename and delete folders) and random
// session passes interleave; then every session runs until a whole round
// moves nothing. All three trees must then be identical, conflict items and
// notices included.
//
// Every seed is reproducible: IOREPL_SEED=N runs seed N alone;
// IOREPL_SEEDS=K runs seeds 0..K-1 (default 500).

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

class World {
 public:
  World(uint64_t seed, bool sqlite) : rng_(seed) {
    testing_util::ResetTestClock();
    for (const char* tag : {"a", "b", "c"}) {
      orgs_.push_back(MakeOrg(sqlite, tag));
      orgs_.back().MakePath("/Shared");
    }
    policy_ = rng_() % 2 ? ConflictPolicy::kKeepBoth
                         : ConflictPolicy::kLastWriterWins;
    const std::pair<int, int> links[] = {{0, 1}, {1, 2}, {0, 2}};
    for (auto [p, s] : links) {
      SessionConfig config = MakeConfig(
          absl::StrCat("link ", p, s), orgs_[p], {&orgs_[s]},
          {{"/Shared", "/Shared", MappingDirection::kBidirectional}});
      config.options.conflict_policy = policy_;
      config.options.batch_size = 1 + rng_() % 8;  // many small batches
      sessions_.push_back(MakeSession(config, orgs_[p], {&orgs_[s]}));
    }
  }

  // One random step: a local edit (most of the time) or a session pass.
  void Step() {
    if (rng_() % 10 < 7) {
      Edit(orgs_[rng_() % orgs_.size()]);
    } else {
      RunSession(sessions_[rng_() % sessions_.size()].get());
    }
  }

  // Runs every session round after round until a round changes nothing.
  // Returns the rounds it took, or -1.
  int Settle() {
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
    const std::string name = absl::StrCat("n", ++names_);
    const int op = static_cast<int>(rng_() % 8);
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
    }
  }

  std::mt19937_64 rng_;
  std::vector<Org> orgs_;
  std::vector<std::unique_ptr<Session>> sessions_;
  ConflictPolicy policy_;
  int names_ = 0;
  std::string errors_;
};

// Checks one seed; returns false (after reporting) when it fails.
bool CheckSeed(uint64_t seed, bool sqlite, int steps) {
  World world(seed, sqlite);
  for (int i = 0; i < steps; ++i) world.Step();
  const int rounds = world.Settle();
  EXPECT_GT(rounds, 0) << "seed " << seed << " never became quiescent\n"
                       << world.errors();
  const std::vector<std::string> a = world.SnapshotOf(0);
  bool same = true;
  for (int other : {1, 2}) {
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
    ADD_FAILURE() << "seed " << seed << ": organizations 0 and " << other
                  << " differ:\n"
                  << diff;
  }
  return rounds > 0 && same;
}

uint64_t EnvOr(const char* name, uint64_t fallback) {
  const char* v = std::getenv(name);
  return v == nullptr ? fallback : std::strtoull(v, nullptr, 10);
}

TEST(ConvergenceTest, ThreeOrganizationsConvergeOnMemoryStores) {
  if (const char* one = std::getenv("IOREPL_SEED")) {
    CheckSeed(std::strtoull(one, nullptr, 10), false, 60);
    return;
  }
  const uint64_t seeds = EnvOr("IOREPL_SEEDS", 500);
  int failures = 0;
  for (uint64_t seed = 0; seed < seeds && failures < 3; ++seed) {
    failures += !CheckSeed(seed, false, 60);
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
