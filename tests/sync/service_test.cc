// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Service: sessions run once or on their schedules over SQLite stores of a
// chain of organizations; reload, stop, status records that outlive the
// service; and two services (as two processes would) sharing a lock
// directory take turns instead of racing.

#include "ioreplication/service.h"

#include <atomic>
#include <filesystem>
#include <mutex>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sync_test_util.h"

namespace ioreplication {
namespace {

using ::testing::HasSubstr;
using testing_util::CountItems;
using testing_util::MakeConfig;
using testing_util::MakeOrg;
using testing_util::Org;

// Polls `done` every 20 ms for at most `limit`.
bool WaitUntil(const std::function<bool()>& done,
               absl::Duration limit = absl::Seconds(20)) {
  const absl::Time end = absl::Now() + limit;
  while (absl::Now() < end) {
    if (done()) return true;
    absl::SleepFor(absl::Milliseconds(20));
  }
  return done();
}

// Items in the tree at `path`, 0 while it does not exist.
size_t ItemsAt(Org& org, std::string_view path) {
  auto folder = FindFolderByPath(*org.store, path);
  if (!folder.ok() || !folder->has_value()) return 0;
  return CountItems(org, path);
}

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = absl::StrCat(
        ::testing::TempDir(), "/service_",
        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    a_ = MakeOrg(true, "svc_a");
    b_ = MakeOrg(true, "svc_b");
    c_ = MakeOrg(true, "svc_c");
    a_.MakePath("/Sales");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  ServiceOptions Options() {
    ServiceOptions options;
    options.status_file = dir_ + "/status";
    options.lock_directory = dir_ + "/locks";
    options.tick = absl::Milliseconds(20);
    return options;
  }
  // Records every finished pass.
  ServiceHooks Hooks() {
    ServiceHooks hooks;
    hooks.pass_finished = [this](const SessionConfig&, const PassReport& r) {
      std::lock_guard<std::mutex> lock(mu_);
      finished_.push_back(r);
    };
    hooks.session_log = [this](const SessionConfig& c, LogLevel,
                               std::string_view line) {
      std::lock_guard<std::mutex> lock(mu_);
      log_.push_back(c.name + ": " + std::string(line));
    };
    return hooks;
  }
  size_t Finished() {
    std::lock_guard<std::mutex> lock(mu_);
    return finished_.size();
  }
  std::string Log() {
    std::lock_guard<std::mutex> lock(mu_);
    return absl::StrJoin(log_, "\n");
  }
  // A -> B (/Sales -> /In), B -> C (/In -> /Out).
  std::vector<SessionConfig> Chain(absl::Duration interval = {}) {
    SessionConfig ab = MakeConfig("A to B", a_, {&b_}, {{"/Sales", "/In", {}}});
    SessionConfig bc = MakeConfig("B to C", b_, {&c_}, {{"/In", "/Out", {}}});
    ab.schedule.interval = bc.schedule.interval = interval;
    return {ab, bc};
  }

  std::string dir_;
  Org a_, b_, c_;
  std::mutex mu_;
  std::vector<PassReport> finished_;
  std::vector<std::string> log_;
};

TEST_F(ServiceTest, RunOnceRunsTheNamedSessionsAndRecordsThem) {
  for (int i = 0; i < 3; ++i) a_.Post("/Sales", absl::StrCat("p", i));
  auto service = Service::Create(Chain(), Options(), Hooks()).value();
  auto reports = service->RunOnce({"A to B"});
  ASSERT_TRUE(reports.ok()) << reports.status();
  ASSERT_EQ(reports->size(), 1u);
  EXPECT_EQ((*reports)[0].session, "A to B");
  EXPECT_EQ((*reports)[0].result(), PassReport::Result::kOk);
  EXPECT_EQ((*reports)[0].stats.message_changes, 3u);
  EXPECT_EQ(CountItems(b_, "/In"), 3u);
  // Down the chain: B's copy goes on to C.
  reports = service->RunOnce();
  ASSERT_TRUE(reports.ok()) << reports.status();
  ASSERT_EQ(reports->size(), 2u);
  EXPECT_EQ((*reports)[0].stats.message_changes, 0u);
  EXPECT_EQ((*reports)[1].stats.message_changes, 3u);
  EXPECT_EQ(CountItems(c_, "/Out"), 3u);
  EXPECT_EQ(Finished(), 3u);

  EXPECT_TRUE(absl::IsNotFound(service->RunOnce({"Nobody"}).status()));
  const std::vector<SessionRunStatus> status = service->Status();
  ASSERT_EQ(status.size(), 2u);
  ASSERT_TRUE(status[1].last_pass.has_value());
  EXPECT_EQ(status[1].last_pass->stats.message_changes, 3u);
  EXPECT_FALSE(status[1].running);
  EXPECT_EQ(status[1].next_run, absl::InfiniteFuture());  // no interval

  // The records outlive the service: a new one reports them.
  service.reset();
  auto records = ReadPassRecords(dir_ + "/status");
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 2u);
  auto again = Service::Create(Chain(), Options()).value();
  const std::vector<SessionRunStatus> reloaded = again->Status();
  ASSERT_TRUE(reloaded[1].last_pass.has_value());
  EXPECT_EQ(reloaded[1].last_pass->stats.message_changes, 3u);
  EXPECT_EQ(PassResultName(reloaded[1].last_pass->result()), "ok");
}

TEST_F(ServiceTest, CreateAndReloadRefuseBadSessionsAndChangeNothing) {
  std::vector<SessionConfig> bad = Chain();
  bad[1].name = bad[0].name;
  bad.push_back(MakeConfig("No mapping", a_, {&b_}, {}));
  auto refused = Service::Create(bad, Options());
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.status().message(),
              HasSubstr("session 'A to B': a second session of this name"));
  EXPECT_THAT(refused.status().message(), HasSubstr("session 'No mapping': "));

  auto service = Service::Create(Chain(), Options()).value();
  EXPECT_FALSE(service->Reload(bad).ok());
  EXPECT_EQ(service->sessions().size(), 2u);
  std::vector<SessionConfig> one = {Chain()[0]};
  EXPECT_TRUE(service->Reload(one).ok());
  EXPECT_EQ(service->Status().size(), 1u);
}

TEST_F(ServiceTest, TheSchedulerRunsDueSessionsReloadsAndStops) {
  a_.Post("/Sales", "first");
  auto service =
      Service::Create(Chain(absl::Seconds(1)), Options(), Hooks()).value();
  ASSERT_TRUE(service->Start().ok());
  EXPECT_TRUE(absl::IsFailedPrecondition(service->Start()));
  // Both sessions run at once the first time, then every second.
  ASSERT_TRUE(WaitUntil([&] { return ItemsAt(c_, "/Out") == 1; }));
  a_.Post("/Sales", "second");
  ASSERT_TRUE(WaitUntil([&] { return ItemsAt(c_, "/Out") == 2; }));
  for (const SessionRunStatus& s : service->Status()) {
    EXPECT_TRUE(s.last_pass.has_value()) << s.session;
    if (!s.running) {
      EXPECT_LT(s.next_run, absl::Now() + absl::Seconds(2));
    }
  }

  // A reload adds a session, which runs at once.
  Org d = MakeOrg(true, "svc_d");
  std::vector<SessionConfig> more = Chain(absl::Seconds(1));
  more.push_back(MakeConfig("C to D", c_, {&d}, {{"/Out", "/Copy", {}}}));
  more.back().schedule.interval = absl::Seconds(1);
  ASSERT_TRUE(service->Reload(more).ok());
  ASSERT_TRUE(WaitUntil([&] { return ItemsAt(d, "/Copy") == 2; }));

  service->Stop();
  const size_t after_stop = Finished();
  absl::SleepFor(absl::Milliseconds(1200));
  EXPECT_EQ(Finished(), after_stop) << "a pass ran after Stop()";
  EXPECT_TRUE(absl::IsFailedPrecondition(service->Start()));
  for (const PassReport& r : finished_) {
    EXPECT_NE(r.result(), PassReport::Result::kFailed) << r.error;
  }
}

TEST_F(ServiceTest, StopEndsARunningPassAfterABatch) {
  for (int i = 0; i < 400; ++i) a_.Post("/Sales", absl::StrCat("p", i));
  std::vector<SessionConfig> sessions = {Chain()[0]};
  sessions[0].options.batch_size = 1;
  ServiceHooks hooks = Hooks();
  std::atomic<uint64_t> progressed{0};
  hooks.progress = [&](const SessionConfig&, uint64_t n) { progressed += n; };
  auto service = Service::Create(sessions, Options(), hooks).value();
  std::thread stopper([&] {
    WaitUntil([&] { return progressed.load() >= 5; });
    service->RequestStop();
  });
  auto reports = service->RunOnce();
  stopper.join();
  ASSERT_TRUE(reports.ok());
  EXPECT_EQ((*reports)[0].result(), PassReport::Result::kInterrupted);
  const uint64_t copied = (*reports)[0].stats.message_changes;
  EXPECT_GE(copied, 5u);
  EXPECT_LT(copied, 400u);
  EXPECT_EQ(CountItems(b_, "/In"), copied);
  service->Stop();
  // A new service continues where it stopped.
  auto next = Service::Create(sessions, Options()).value();
  reports = next->RunOnce();
  ASSERT_TRUE(reports.ok());
  EXPECT_EQ((*reports)[0].stats.message_changes, 400u - copied);
  EXPECT_EQ(CountItems(b_, "/In"), 400u);
}

// Two services over one lock directory are two `iorepl run` processes on
// one configuration: on a fresh subscriber they take turns, so neither
// fails and nothing is written twice.
TEST_F(ServiceTest, TwoServicesSharingALockDirectoryTakeTurns) {
  ASSERT_TRUE(a_.replica
                  ->Batch([&] {
                    for (int i = 0; i < 1000; ++i) {
                      a_.Post("/Sales", absl::StrCat("p", i));
                    }
                    return absl::OkStatus();
                  })
                  .ok());
  std::vector<SessionConfig> sessions = {Chain()[0]};
  sessions[0].options.batch_size = 10;
  auto one = Service::Create(sessions, Options(), Hooks()).value();
  auto two = Service::Create(sessions, Options(), Hooks()).value();
  absl::StatusOr<std::vector<PassReport>> first, second;
  std::thread t([&] { first = one->RunOnce(); });
  second = two->RunOnce();
  t.join();
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ((*first)[0].result(), PassReport::Result::kOk) << (*first)[0].error;
  EXPECT_EQ((*second)[0].result(), PassReport::Result::kOk)
      << (*second)[0].error;
  EXPECT_EQ(
      (*first)[0].stats.message_changes + (*second)[0].stats.message_changes,
      1000u);
  EXPECT_EQ(CountItems(b_, "/In"), 1000u);
  // One copied everything while the other waited, then found nothing.
  EXPECT_TRUE((*first)[0].stats.message_changes == 1000u ||
              (*second)[0].stats.message_changes == 1000u);
  EXPECT_THAT(Log(), HasSubstr("A to B: waiting for another process, which "
                               "writes the same folders"));
}

}  // namespace
}  // namespace ioreplication
