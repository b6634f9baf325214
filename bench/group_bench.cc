// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Replica groups (issue 18): 5 members on SQLite stores exchanging messages
// through spool directories, 1% of deliveries lost.
//
//   load      member 0 holds N items of 4 KiB (10 folders); time until every
//             member holds them all, and each receiver's tick time (spool
//             reads, status and backfill included) per item;
//   apply     the changes messages member 0 sent member 1 in the load's
//             first round, applied again by a member on a fresh store
//             (in-memory transport: the message path without the spool),
//             against a Session pulling the same items into a fresh store
//             right beside it; median of 3 runs of each (target: >= 80%);
//   burst     10,000 edits at member 0 (1% of N when N is small); time until
//             every member's CNSET is whole again, backfill included;
//   bytes     bytes handed to the transport per change and recipient during
//             the burst, against the item's payload (target: <= payload +
//             256 bytes);
//   backfill  one edit whose changes message is lost for one member: how
//             long (on the members' clock) until that member holds it,
//             against the status interval (target: within 2 intervals).
//
// Simulated time advances 10 s per round (the members' injected clock);
// wall times are real. Size: IOREPL_GROUP_BENCH_ITEMS (default 100000;
// scripts/bench --quick uses 2000). Accepts and ignores --benchmark_*
// arguments, as scripts/bench passes them to every benchmark.

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "ioreplication/replica_group.h"
#include "ioreplication/session.h"
#include "ioreplication/spool_transport.h"
#include "ioreplication/store.h"
#include "sync_populate.h"

namespace ioreplication {
namespace {

namespace fs = std::filesystem;
using bench::Check;

constexpr int kMembers = 5;

// This process's CPU time (user and system), in seconds.
double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// Wall and CPU seconds of one run.
struct Timing {
  double wall = 0;
  double cpu = 0;
};
constexpr absl::Duration kRound = absl::Seconds(10);

// A spool transport that loses a share of deliveries (each recipient on its
// own, from a seeded generator) and counts the bytes it hands on.
class LossyTransport : public Transport {
 public:
  LossyTransport(std::unique_ptr<Transport> inner, uint32_t seed)
      : inner_(std::move(inner)), rng_(seed) {}
  absl::Status Send(std::string_view message,
                    std::span<const std::string> to) override {
    std::vector<std::string> kept;
    for (const std::string& a : to) {
      if (a == drop_next_for_) {
        drop_next_for_.clear();
        continue;
      }
      if (std::uniform_real_distribution<double>(0, 1)(rng_) < loss) continue;
      kept.push_back(a);
    }
    bytes += message.size() * to.size();
    ++messages;
    if (record_for_ != nullptr && std::find(to.begin(), to.end(), *record_for_) != to.end()) {
      recorded.emplace_back(message);
    }
    if (kept.empty()) return absl::OkStatus();
    return inner_->Send(message, kept);
  }
  absl::StatusOr<std::vector<std::string>> Receive(size_t max) override {
    return inner_->Receive(max);
  }
  // The next message for `address` is lost.
  void DropNextFor(const std::string& address) { drop_next_for_ = address; }

  // Messages sent to this address are kept in `recorded` (before loss).
  const std::string* record_for_ = nullptr;
  std::vector<std::string> recorded;
  double loss = 0.01;
  uint64_t bytes = 0;
  uint64_t messages = 0;

 private:
  std::unique_ptr<Transport> inner_;
  std::mt19937 rng_;
  std::string drop_next_for_;
};

// Hands out what it was given, in order; drops what is sent.
class ReplayTransport : public Transport {
 public:
  explicit ReplayTransport(std::vector<std::string> messages)
      : messages_(std::move(messages)) {}
  absl::Status Send(std::string_view, std::span<const std::string>) override {
    return absl::OkStatus();
  }
  absl::StatusOr<std::vector<std::string>> Receive(size_t max) override {
    std::vector<std::string> out;
    while (next_ < messages_.size() && out.size() < max) {
      out.push_back(messages_[next_++]);
    }
    return out;
  }
  bool done() const { return next_ == messages_.size(); }

 private:
  std::vector<std::string> messages_;
  size_t next_ = 0;
};

struct Member {
  std::string path;
  std::unique_ptr<Store> store;
  std::unique_ptr<LossyTransport> transport;
  std::unique_ptr<GroupMember> member;
  double tick_seconds = 0;  // wall time spent in Tick
};

class Group {
 public:
  Group(const std::string& dir, int64_t items) : dir_(dir) {
    fs::remove_all(dir);
    fs::create_directories(dir);
    config_.name = "bench";
    config_.folders = {"/Shared"};
    for (int i = 0; i < kMembers; ++i) {
      config_.members.push_back(GroupMemberConfig{
          absl::StrCat("m", i), Guid::Random(),
          absl::StrCat(dir, "/spool", i),
          absl::StrCat("bench-key-of-member-", i), ""});
    }
    members_.resize(kMembers);
    for (int i = 0; i < kMembers; ++i) {
      Member& m = members_[i];
      m.path = absl::StrCat(dir, "/m", i, ".db");
      m.store = OpenStore("sqlite:" + m.path).value();
      if (i == 0) keys_ = bench::Populate(*m.store, items);
    }
  }

  // The Session reference: member 0's items pulled into a fresh store.
  Timing PullSeconds(int64_t items, int run) {
    const std::string sub = absl::StrCat(dir_, "/pull", run, ".db");
    SessionConfig c;
    c.name = "reference";
    c.publisher = "sqlite:" + members_[0].path;
    c.subscribers = {"sqlite:" + sub};
    c.mappings = {{"/Shared", "/Shared", MappingDirection::kOneWay}};
    std::unique_ptr<Session> session = Session::Open(c).value();
    const absl::Time t0 = absl::Now();
    const double c0 = CpuSeconds();
    absl::StatusOr<SessionStatistics> stats = session->Run();
    const Timing t{absl::ToDoubleSeconds(absl::Now() - t0), CpuSeconds() - c0};
    Check(stats.status());
    if (static_cast<int64_t>(stats->message_changes) != items) std::abort();
    return t;
  }

  // Member 1 on a fresh store applying `messages` (what member 0 sent it):
  // the wall time of its ticks until all are read.
  Timing ApplySeconds(const std::vector<std::string>& messages, int64_t items,
                      int run) {
    std::unique_ptr<Store> store =
        OpenStore(absl::StrCat("sqlite:", dir_, "/apply", run, ".db")).value();
    ReplayTransport transport(messages);
    ReplicaGroupConfig c = config_;
    c.self = config_.members[1].name;
    GroupMemberOptions o;
    o.now = [this] { return FileTime::FromAbslTime(now_); };
    std::unique_ptr<GroupMember> member =
        GroupMember::Open(store.get(), &transport, c, o).value();
    const absl::Time t0 = absl::Now();
    const double c0 = CpuSeconds();
    while (!transport.done()) Check(member->Tick());
    const Timing t{absl::ToDoubleSeconds(absl::Now() - t0), CpuSeconds() - c0};
    if (static_cast<int64_t>(store->Count().value().items) != items) std::abort();
    return t;
  }

  void Start() {
    for (int i = 0; i < kMembers; ++i) {
      Member& m = members_[i];
      m.transport = std::make_unique<LossyTransport>(
          NewSpoolTransport(config_.members[i].address).value(), 1000 + i);
      if (i == 0) m.transport->record_for_ = &config_.members[1].address;
      ReplicaGroupConfig c = config_;
      c.self = config_.members[i].name;
      GroupMemberOptions o;
      o.now = [this] { return FileTime::FromAbslTime(now_); };
      o.log = [](std::string_view line) {
        std::fprintf(stderr, "group_bench: %.*s\n", static_cast<int>(line.size()),
                     line.data());
      };
      m.member = GroupMember::Open(m.store.get(), m.transport.get(), c, o).value();
    }
  }

  void Round() {
    now_ += kRound;
    for (Member& m : members_) {
      const absl::Time t0 = absl::Now();
      Check(m.member->Tick());
      m.tick_seconds += absl::ToDoubleSeconds(absl::Now() - t0);
    }
  }

  // Every member's CNSET equals member 0's, nothing waiting.
  bool Converged() {
    IdSet first;
    for (int i = 0; i < kMembers; ++i) {
      GroupStatus st = members_[i].member->Status().value();
      if (st.folders.size() != 1) return false;
      const GroupFolderStatus& f = st.folders[0];
      if (!f.backfill.empty() || f.parked != 0) return false;
      if (i == 0) {
        first = f.cnset;
      } else if (!(f.cnset == first)) {
        return false;
      }
    }
    return true;
  }

  // Rounds until converged (at most `limit`); the rounds taken.
  int RunUntilConverged(int limit) {
    for (int r = 1; r <= limit; ++r) {
      Round();
      if (Converged()) return r;
    }
    std::fprintf(stderr, "group_bench: no convergence in %d rounds\n", limit);
    std::abort();
  }

  // `count` edits at member 0, in transactions of 1,000, as a Replica
  // would write them (new change number, raised PCL).
  void Edit(int64_t count) {
    Store& store = *members_[0].store;
    const Guid me = store.Identity().value().replica;
    for (int64_t done = 0; done < count;) {
      const int64_t n = std::min<int64_t>(bench::kBatch, count - done);
      const CounterBlock b = store.ReserveCounters(n).value();
      Check(store.Begin());
      for (int64_t i = 0; i < n; ++i, ++done) {
        Item item = store.GetItem(keys_[(edit_cursor_++) % keys_.size()]).value();
        item.body[0] = static_cast<char>('a' + (edit_cursor_ % 26));
        item.change_key = ChangeNumber(me, *GlobCnt::FromValue(b.first.value() + i));
        Check(item.pcl.Raise(item.change_key));
        item.last_modified = FileTime::FromAbslTime(now_);
        Check(store.UpdateItem(item));
      }
      Check(store.Commit());
    }
  }

  uint64_t Items(int i) { return members_[i].store->Count().value().items; }
  Member& member(int i) { return members_[i]; }
  const ReplicaGroupConfig& config() const { return config_; }
  const std::vector<SourceKey>& keys() const { return keys_; }
  absl::Time now() const { return now_; }

 private:
  std::string dir_;
  ReplicaGroupConfig config_;
  std::vector<Member> members_;
  std::vector<SourceKey> keys_;
  absl::Time now_ = absl::FromUnixSeconds(1790000000);
  int64_t edit_cursor_ = 0;
};

int Main() {
  int64_t items = 100000;
  if (const char* env = std::getenv("IOREPL_GROUP_BENCH_ITEMS"); env && *env) {
    items = std::max<int64_t>(100, std::strtoll(env, nullptr, 10));
  }
  const std::string dir = absl::StrCat("/tmp/ioreplication_group_bench_", getpid());
  Group g(dir, items);
  g.Start();

  // Load: every member gets member 0's items.
  absl::Time t0 = absl::Now();
  const int load_rounds = g.RunUntilConverged(2000);
  const double load = absl::ToDoubleSeconds(absl::Now() - t0);
  for (int i = 0; i < kMembers; ++i) {
    if (static_cast<int64_t>(g.Items(i)) != items) std::abort();
  }
  double load_tick = 0;
  for (int i = 1; i < kMembers; ++i) load_tick += g.member(i).tick_seconds;
  load_tick /= kMembers - 1;  // one receiver's time to take the N items

  // Apply against pull, alternating, on fresh stores.
  std::vector<std::string> batch = std::move(g.member(0).transport->recorded);
  g.member(0).transport->record_for_ = nullptr;
  std::vector<Timing> pulls, applies;
  for (int run = 0; run < 3; ++run) {
    pulls.push_back(g.PullSeconds(items, run));
    applies.push_back(g.ApplySeconds(batch, items, run));
  }
  auto by_wall = [](const Timing& a, const Timing& b) { return a.wall < b.wall; };
  std::sort(pulls.begin(), pulls.end(), by_wall);
  std::sort(applies.begin(), applies.end(), by_wall);
  const double pull = pulls[1].wall;
  const double apply = applies[1].wall;

  // Burst: 10,000 edits (or 10% of a small N) at member 0.
  const int64_t edits = std::min<int64_t>(10000, std::max<int64_t>(items / 10, 1));
  const uint64_t bytes_before = g.member(0).transport->bytes;
  g.Edit(edits);
  t0 = absl::Now();
  const int burst_rounds = g.RunUntilConverged(2000);
  const double burst = absl::ToDoubleSeconds(absl::Now() - t0);
  const uint64_t burst_bytes = g.member(0).transport->bytes - bytes_before;
  const double per_change =
      static_cast<double>(burst_bytes) / static_cast<double>(edits * (kMembers - 1));
  Item sample = g.member(0).store->GetItem(g.keys()[0]).value();
  const double payload = static_cast<double>(sample.ByteSize());

  // Backfill: one edit whose changes message is lost for member 1.
  for (int i = 0; i < kMembers; ++i) g.member(i).transport->loss = 0;
  g.member(0).transport->DropNextFor(g.config().members[1].address);
  const absl::Time lost_at = g.now();
  g.Edit(1);
  const ChangeNumber wanted = g.member(0).store->GetItem(g.keys()[edits % g.keys().size()]).value().change_key;
  absl::Duration latency;
  for (int r = 0; r < 1000; ++r) {
    g.Round();
    if (g.member(1).store->GetItem(g.keys()[edits % g.keys().size()]).value().change_key == wanted) {
      latency = g.now() - lost_at;
      break;
    }
    if (r == 999) std::abort();
  }

  std::printf("group_bench: %d members, SQLite stores, spool transport, 1%% loss, %lld items of 4 KiB\n",
              kMembers, static_cast<long long>(items));
  std::printf("  load:     every member holds all %lld items after %.2f s (%d rounds of 10 s)\n",
              static_cast<long long>(items), load, load_rounds);
  std::printf("  load:     %.0f items/s of tick time per receiving member (spool reads, status, backfill)\n",
              items / load_tick);
  std::printf("  apply:    %.0f items/s from %zu changes messages at a member; a Session pull of the same items: %.0f items/s (%.0f%%)\n",
              items / apply, batch.size(), items / pull, 100.0 * pull / apply);
  std::printf("            CPU seconds (the same median runs): apply %.2f, pull %.2f (%.0f%%); the rest of the wall time is waiting for the disk\n",
              applies[1].cpu, pulls[1].cpu, 100.0 * pulls[1].cpu / applies[1].cpu);
  std::printf("  burst:    %lld edits at one member, every CNSET whole again after %.2f s (%d rounds)\n",
              static_cast<long long>(edits), burst, burst_rounds);
  std::printf("  bytes:    %.0f bytes per change and recipient; payload %.0f; overhead %.0f\n",
              per_change, payload, per_change - payload);
  std::printf("  backfill: a lost changes message recovered after %s of member time (status interval %s)\n",
              absl::FormatDuration(latency).c_str(),
              absl::FormatDuration(g.config().status_interval).c_str());
  fs::remove_all(dir);
  return 0;
}

}  // namespace
}  // namespace ioreplication

int main() { return ioreplication::Main(); }
