// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// A pass reads its source's next batch on a second thread while it imports
// the current one (sync/batch_reader.h). These tests hold it to what it
// promises: the same result as reading in turn, across pulled folders,
// refusals and deletions; a source bound to the caller's thread is never
// called from another; the destination only ever from the caller's; and a
// read ahead that fails fails the pass with its error and keeps what was
// committed before it.

#include <set>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "forwarding_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ioreplication/session.h"
#include "sync/batch_reader.h"
#include "sync/direction.h"
#include "sync/exporter.h"
#include "sync_test_util.h"

namespace ioreplication {
namespace {

using ::testing::HasSubstr;
using testing_util::CountItems;
using testing_util::ForwardingStore;
using testing_util::MakeConfig;
using testing_util::MakeOrg;
using testing_util::Org;
using testing_util::Snapshot;

// Records the threads that call it; can claim to be bound to the caller's
// thread, and can fail the change stream's reads after a number of them.
class WatchedStore : public ForwardingStore {
 public:
  WatchedStore(Store* inner, bool caller_thread_only)
      : ForwardingStore(inner), caller_thread_only_(caller_thread_only) {}

  bool CallerThreadOnly() const override { return caller_thread_only_; }

  std::set<std::thread::id> threads() const {
    absl::MutexLock lock(&mutex_);
    return threads_;
  }
  void FailStreamReadsAfter(int reads) {
    absl::MutexLock lock(&mutex_);
    reads_left_ = reads;
  }
  void Heal() {
    absl::MutexLock lock(&mutex_);
    reads_left_ = -1;
  }

  absl::StatusOr<std::vector<Change>> ReadChanges(
      const GlobSet& exclude, GlobCnt after,
      const ChangeStreamOptions& options) override {
    {
      absl::MutexLock lock(&mutex_);
      if (reads_left_ == 0) {
        return absl::UnavailableError("the source went away");
      }
      if (reads_left_ > 0) --reads_left_;
    }
    return ForwardingStore::ReadChanges(exclude, after, options);
  }

 protected:
  absl::Status BeforeRead() override {
    absl::MutexLock lock(&mutex_);
    threads_.insert(std::this_thread::get_id());
    return absl::OkStatus();
  }
  absl::Status BeforeWrite() override {
    absl::MutexLock lock(&mutex_);
    threads_.insert(std::this_thread::get_id());
    return absl::OkStatus();
  }

 private:
  const bool caller_thread_only_;
  mutable absl::Mutex mutex_;
  std::set<std::thread::id> threads_;
  int reads_left_ = -1;
};

// A publisher with items in three folders under /Sales and a folder outside
// the shared tree; a subscriber; both watched.
class ReadAheadTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override { Build(/*caller_thread_only=*/false); }

  void Build(bool caller_thread_only) {
    testing_util::ResetTestClock();
    a_ = MakeOrg(GetParam(), "ra_a", Guid::Parse(kGuidA).value());
    b_ = MakeOrg(GetParam(), "ra_b", Guid::Parse(kGuidB).value());
    for (const char* f : {"/Sales/EMEA", "/Sales/APAC", "/Sales/US"}) {
      a_.MakePath(f);
      for (int i = 0; i < 12; ++i) a_.Post(f, absl::StrCat(f, " ", i));
    }
    a_.MakePath("/Outside/Later");
    for (int i = 0; i < 9; ++i) a_.Post("/Outside/Later", absl::StrCat("o", i));
    source_ = std::make_unique<WatchedStore>(a_.store.get(), caller_thread_only);
    dest_ = std::make_unique<WatchedStore>(b_.store.get(), false);
  }

  std::unique_ptr<Session> Open(size_t max_item_size = 64 << 20) {
    SessionConfig config = MakeConfig(
        "Sales", a_, {&b_},
        {{"/Sales", "/Partner/Sales", MappingDirection::kOneWay}});
    config.options.batch_size = 5;  // many batches
    config.options.max_item_size = max_item_size;
    auto session = Session::WithStores(config, source_.get(), {dest_.get()});
    EXPECT_TRUE(session.ok()) << session.status();
    return session.ok() ? *std::move(session) : nullptr;
  }

  // The pass's statistics, its duration left out (they are compared).
  SessionStatistics RunOk(size_t max_item_size = 64 << 20) {
    absl::StatusOr<SessionStatistics> stats = Open(max_item_size)->Run();
    EXPECT_TRUE(stats.ok()) << stats.status();
    if (!stats.ok()) return SessionStatistics();
    stats->duration = absl::ZeroDuration();
    return *stats;
  }

  // A first pass, then edits, deletions, an item too large, and a folder
  // moved into the tree (its items are pulled), a pass at a limit that
  // refuses the large item, and one that takes it. The statistics of the
  // passes, and whether the subscriber matches the publisher.
  std::vector<SessionStatistics> Scenario() {
    std::vector<SessionStatistics> passes;
    passes.push_back(RunOk());
    // Refused where it is pulled with its folder (below), the last of the
    // ten pulled and the first change of the stream: the exporter is told
    // to send it again (Retry) before it reads the stream past it.
    a_.Post("/Outside/Later", "large too", std::string(5000, 'M'));
    const std::vector<SourceKey> emea = a_.store->ListItems(
        a_.At("/Sales/EMEA").source_key).value();
    for (size_t i = 0; i < emea.size(); i += 3) a_.Edit(emea[i], "edited");
    for (size_t i = 1; i < emea.size(); i += 4) {
      EXPECT_TRUE(a_.replica->DeleteItem(emea[i]).ok());
    }
    a_.Post("/Sales/US", "large", std::string(5000, 'L'));
    EXPECT_TRUE(a_.replica
                    ->MoveFolder(a_.At("/Outside/Later").source_key,
                                 a_.At("/Sales").source_key)
                    .ok());
    for (int i = 0; i < 7; ++i) a_.Post("/Sales/APAC", absl::StrCat("n", i));
    passes.push_back(RunOk(/*max_item_size=*/4000));
    passes.push_back(RunOk());
    passes.push_back(RunOk());
    return passes;
  }

  static constexpr const char* kGuidA = "{6c1c4f1e-0d1a-4e0b-9a51-7a0c3b6a0001}";
  static constexpr const char* kGuidB = "{6c1c4f1e-0d1a-4e0b-9a51-7a0c3b6a0002}";

  Org a_, b_;
  std::unique_ptr<WatchedStore> source_, dest_;
};

TEST_P(ReadAheadTest, SendsWhatReadingInTurnSends) {
  const std::vector<SessionStatistics> ahead = Scenario();
  const std::vector<std::string> ahead_copy = Snapshot(b_, "/Partner/Sales");
  EXPECT_EQ(ahead_copy, Snapshot(a_, "/Sales"));
  EXPECT_EQ(CountItems(b_, "/Partner/Sales"), 36u - 3u + 1u + 10u + 7u);
  EXPECT_GE(source_->threads().size(), 2u) << "nothing was read ahead";

  Build(/*caller_thread_only=*/true);
  const std::vector<SessionStatistics> in_turn = Scenario();
  EXPECT_EQ(source_->threads().size(), 1u);
  ASSERT_EQ(ahead.size(), in_turn.size());
  for (size_t i = 0; i < ahead.size(); ++i) {
    EXPECT_EQ(ahead[i], in_turn[i])
        << "pass " << i << ":\n"
        << RenderStatisticsLine(SessionType::kPublicFolder, "ahead", ahead[i])
        << "\n"
        << RenderStatisticsLine(SessionType::kPublicFolder, "in turn",
                                in_turn[i]);
  }
  // Same GUIDs, same clock: the same objects, byte for byte.
  EXPECT_EQ(Snapshot(b_, "/Partner/Sales"), ahead_copy);
  EXPECT_TRUE(ahead.back().Quiescent());
  EXPECT_EQ(ahead[1].message_ignores, 2u);  // the large items, refused once
}

TEST_P(ReadAheadTest, OnlyTheSourceLeavesTheCallersThread) {
  RunOk();
  const std::set<std::thread::id> source = source_->threads();
  EXPECT_EQ(source.size(), 2u);
  EXPECT_TRUE(source.contains(std::this_thread::get_id()));
  EXPECT_EQ(dest_->threads(),
            std::set<std::thread::id>{std::this_thread::get_id()});
}

TEST_P(ReadAheadTest, ASourceBoundToTheCallersThreadStaysOnIt) {
  Build(/*caller_thread_only=*/true);
  RunOk();
  EXPECT_EQ(source_->threads(),
            std::set<std::thread::id>{std::this_thread::get_id()});
  EXPECT_EQ(CountItems(b_, "/Partner/Sales"), 36u);
}

TEST_P(ReadAheadTest, AFailedReadAheadFailsThePassAndKeepsWhatWasCommitted) {
  // The stream is read once per batch of five: three batches, then the
  // source fails (in a read ahead: batches after the first are read so).
  source_->FailStreamReadsAfter(3);
  absl::StatusOr<SessionStatistics> failed = Open()->Run();
  ASSERT_FALSE(failed.ok());
  EXPECT_THAT(failed.status().message(), HasSubstr("the source went away"));
  const size_t kept = CountItems(b_, "/Partner/Sales");
  EXPECT_GT(kept, 0u);
  EXPECT_LT(kept, 36u);

  source_->Heal();
  const SessionStatistics rest = RunOk();
  EXPECT_EQ(rest.message_changes + kept, 36u);
  EXPECT_EQ(Snapshot(b_, "/Partner/Sales"), Snapshot(a_, "/Sales"));
}

// The reader itself: nothing is read ahead while the exporter may still be
// told to pull a subtree (the hierarchy of an incremental pass), and what it
// reads ahead is the batch the exporter would have given next.
TEST(BatchReaderTest, ReadsNothingAheadWhileAPullMayStillCome) {
  Org a = MakeOrg(false, "reader");
  const Folder sales = a.MakePath("/Sales");
  const Folder emea = a.MakePath("/Sales/EMEA");
  const Folder apac = a.MakePath("/Sales/APAC");
  std::vector<SourceKey> held = {emea.source_key, apac.source_key};
  for (const char* name : {"emea 1", "emea 2"}) {
    held.push_back(a.Post("/Sales/EMEA", name).source_key);
  }
  std::vector<SourceKey> apac_items;
  for (int i = 0; i < 7; ++i) {
    apac_items.push_back(
        a.Post("/Sales/APAC", absl::StrCat("apac ", i)).source_key);
    held.push_back(apac_items.back());
  }
  // The destination saw and holds all of it; since then a folder came and
  // the APAC items were edited (streamed, in batches of three).
  const GlobSet seen = sync_internal::UpTo(a.store->LocalCnHighWater().value());
  IdSet given;
  for (const SourceKey& key : held) given.Insert(key.replica(), key.counter());
  a.MakePath("/Sales/New");
  for (const SourceKey& key : apac_items) a.Edit(key, "edited");

  sync_internal::ExportOptions options;
  options.batch_size = 3;
  sync_internal::Exporter exporter(a.store.get(), sales.source_key, seen,
                                   given, options);
  ASSERT_TRUE(exporter.Start().ok());
  sync_internal::BatchReader reader(exporter, /*read_ahead=*/true);
  absl::StatusOr<sync_internal::ExportBatch> hierarchy = reader.Next();
  ASSERT_TRUE(hierarchy.ok()) << hierarchy.status();
  ASSERT_FALSE(hierarchy->entries.empty());  // /Sales/New
  EXPECT_FALSE(exporter.LastBatchStreamed());
  reader.ReadAhead();  // must not read: this batch's import asks for a pull
  reader.Wait();
  // The destination turns out to have lost /Sales/EMEA (Exporter::Pull).
  ASSERT_TRUE(exporter.Pull(emea.source_key).ok());

  std::vector<std::string> bodies;
  int streamed = 0;
  while (true) {
    absl::StatusOr<sync_internal::ExportBatch> batch = reader.Next();
    ASSERT_TRUE(batch.ok()) << batch.status();
    if (batch->entries.empty() && batch->consumed.empty()) break;
    streamed += exporter.LastBatchStreamed();
    reader.ReadAhead();
    for (const sync_internal::Outgoing& o : batch->entries) {
      if (const Item* item = std::get_if<Item>(&o.change.object)) {
        bodies.push_back(item->body);
      }
    }
  }
  EXPECT_GE(streamed, 2);  // read ahead at least once
  EXPECT_THAT(bodies, ::testing::UnorderedElementsAre(
                          "body of emea 1", "body of emea 2", "edited",
                          "edited", "edited", "edited", "edited", "edited",
                          "edited"));
}

INSTANTIATE_TEST_SUITE_P(Stores, ReadAheadTest, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& p) {
                           return p.param ? "sqlite" : "memory";
                         });

}  // namespace
}  // namespace ioreplication
