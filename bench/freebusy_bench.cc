// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Free/busy end to end (issue 7's target: 10,000 users with 50 appointments
// each, published and replicated in under 10 s): every user's message is
// computed from their calendar (PublishFreeBusy: 45 single appointments and
// 5 weekly series over the 2-month window), written into the publisher's
// site folder (SQLite), and replicated by a free/busy session to a
// subscriber (SQLite) whose recipient list has every user. The counters give
// each phase's seconds; the calendars and the recipient list are built
// before timing starts.
//
// Users: IOREPL_FREEBUSY_BENCH_USERS (default 10000); scripts/bench --quick
// uses a small number.

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "ioreplication/calendar.h"
#include "ioreplication/freebusy_publish.h"
#include "ioreplication/freebusy_store.h"
#include "ioreplication/recipient.h"
#include "ioreplication/recipient_list.h"
#include "ioreplication/session.h"

namespace ioreplication {
namespace {

void Check(const absl::Status& s) {
  if (!s.ok()) {
    std::fprintf(stderr, "freebusy_bench: %s\n",
                 std::string(s.message()).c_str());
    std::abort();
  }
}

std::string FreshPath(const std::string& tag) {
  const std::string path =
      absl::StrCat("/tmp/iorepl_freebusy_bench_", tag, "_", getpid(), ".db");
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::remove((path + suffix).c_str());
  }
  return path;
}

Item Appointment(absl::Time start, absl::Duration length, BusyStatus status,
                 const char* rrule) {
  Item item;
  item.message_class = "IPM.Appointment";
  Check(item.properties.Set(kPropAppointmentStart,
                            FileTime::FromAbslTime(start)));
  Check(item.properties.Set(kPropAppointmentEnd,
                            FileTime::FromAbslTime(start + length)));
  Check(item.properties.Set(kPropBusyStatus, static_cast<int32_t>(status)));
  if (rrule != nullptr) {
    Check(item.properties.Set(kPropRecurrenceRule, std::string(rrule)));
  }
  return item;
}

// 45 single appointments and 5 weekly series, varied by user.
std::vector<Item> Calendar(int user, absl::Time day0) {
  std::vector<Item> items;
  items.reserve(50);
  for (int i = 0; i < 45; ++i) {
    const int day = (user * 7 + i * 3) % 60;
    const int hour = 8 + (user + i) % 9;
    const BusyStatus status = i % 9 == 0    ? BusyStatus::kTentative
                              : i % 15 == 0 ? BusyStatus::kOutOfOffice
                                            : BusyStatus::kBusy;
    items.push_back(Appointment(day0 + absl::Hours(24 * day + hour),
                                absl::Minutes(30 + 15 * (i % 4)), status,
                                nullptr));
  }
  static const char* const kSeries[] = {
      "FREQ=WEEKLY;BYDAY=MO", "FREQ=WEEKLY;BYDAY=TU,TH",
      "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE", "FREQ=WEEKLY;BYDAY=FR;COUNT=6",
      "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR"};
  for (int s = 0; s < 5; ++s) {
    items.push_back(Appointment(day0 + absl::Hours(7 + s + user % 3),
                                absl::Minutes(15), BusyStatus::kBusy,
                                kSeries[s]));
  }
  return items;
}

void BM_PublishAndReplicate(benchmark::State& state) {
  const int users = static_cast<int>(state.range(0));
  const absl::Time now = absl::FromCivil(
      absl::CivilSecond(2026, 11, 22, 12, 0, 0), absl::UTCTimeZone());
  const absl::Time day0 =
      absl::FromCivil(absl::CivilDay(2026, 11, 1), absl::UTCTimeZone());
  std::vector<std::vector<Item>> calendars;
  std::vector<FreeBusyUser> people;
  std::vector<Recipient> contacts;
  for (int u = 0; u < users; ++u) {
    calendars.push_back(Calendar(u, day0));
    FreeBusyUser p;
    p.smtp_address = absl::StrCat("user", u, "@contoso.com");
    p.display_name = absl::StrCat("User ", u);
    p.legacy_dn = absl::StrCat("/o=Contoso/ou=Site/cn=Recipients/cn=user", u);
    people.push_back(p);
    contacts.push_back({p.smtp_address, p.display_name});
  }
  double publish_s = 0, write_s = 0, replicate_s = 0;
  for (auto _ : state) {
    const std::string pub = FreshPath("pub"), sub = FreshPath("sub");
    std::unique_ptr<Store> sub_store = OpenStore("sqlite:" + sub).value();
    Check(ImportRecipients(*sub_store, kDefaultRecipientsPath, contacts, {})
              .status());
    sub_store.reset();

    absl::Time t0 = absl::Now();
    PublishOptions options;
    options.now = now;
    std::vector<FreeBusyMessage> messages;
    messages.reserve(users);
    for (int u = 0; u < users; ++u) {
      absl::StatusOr<PublishedFreeBusy> p =
          PublishFreeBusy(people[u], calendars[u], options);
      Check(p.status());
      messages.push_back(std::move(p->message));
    }
    absl::Time t1 = absl::Now();
    {
      std::unique_ptr<Store> store = OpenStore("sqlite:" + pub).value();
      std::unique_ptr<FreeBusyFolder> site =
          FreeBusyFolder::Open(store.get(),
                               FreeBusySiteFolderPath("EX:/o=Contoso/ou=Site"))
              .value();
      // One transaction for the site (Replica::Batch).
      Check(site->Batch([&]() -> absl::Status {
        for (const FreeBusyMessage& m : messages) Check(site->Put(m).status());
        return absl::OkStatus();
      }));
    }
    absl::Time t2 = absl::Now();
    SessionConfig config;
    config.name = "bench free/busy";
    config.type = SessionType::kFreeBusy;
    config.publisher = "sqlite:" + pub;
    config.subscribers = {"sqlite:" + sub};
    const std::string root(kFreeBusyRootPath);
    config.mappings = {{root, root, MappingDirection::kOneWay}};
    std::unique_ptr<Session> session = Session::Open(config).value();
    absl::StatusOr<SessionStatistics> stats = session->Run();
    Check(stats.status());
    absl::Time t3 = absl::Now();
    if (stats->message_changes != static_cast<uint64_t>(users)) {
      std::fprintf(stderr, "freebusy_bench: %llu messages replicated, not %d\n",
                   static_cast<unsigned long long>(stats->message_changes),
                   users);
      std::abort();
    }
    publish_s += absl::ToDoubleSeconds(t1 - t0);
    write_s += absl::ToDoubleSeconds(t2 - t1);
    replicate_s += absl::ToDoubleSeconds(t3 - t2);
    for (const std::string& path : {pub, sub}) {
      for (const char* suffix : {"", "-wal", "-shm"}) {
        std::remove((path + suffix).c_str());
      }
    }
  }
  const double n = static_cast<double>(state.iterations());
  state.counters["publish_s"] = publish_s / n;
  state.counters["write_s"] = write_s / n;
  state.counters["replicate_s"] = replicate_s / n;
  state.counters["total_s"] = (publish_s + write_s + replicate_s) / n;
  state.counters["users"] = users;
}

int Users() {
  const char* env = std::getenv("IOREPL_FREEBUSY_BENCH_USERS");
  return env != nullptr ? std::atoi(env) : 10000;
}

BENCHMARK(BM_PublishAndReplicate)
    ->Arg(Users())
    ->Iterations(1)
    ->Unit(benchmark::kSecond)
    ->UseRealTime();

}  // namespace
}  // namespace ioreplication

BENCHMARK_MAIN();
