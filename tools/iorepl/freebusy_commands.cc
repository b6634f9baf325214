// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "freebusy_commands.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "cli.h"
#include "ioreplication/freebusy_ical.h"
#include "ioreplication/freebusy_store.h"
#include "ioreplication/recipient.h"
#include "ioreplication/recipient_list.h"
#include "local_files.h"
#include "logger.h"

namespace ioreplication::iorepl {
namespace {

std::string Utc(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%MZ", t, absl::UTCTimeZone());
}

// "2d 3h", "45m": a coarse age for people.
std::string Coarse(absl::Duration d) {
  const int64_t minutes = absl::ToInt64Minutes(d);
  if (minutes >= 48 * 60) return absl::StrCat(minutes / (24 * 60), "d");
  if (minutes >= 120) return absl::StrCat(minutes / 60, "h");
  return absl::StrCat(minutes, "m");
}

int Fail(std::ostream& err, const absl::Status& status, int code) {
  err << "iorepl: " << status.message() << "\n";
  return code;
}

}  // namespace

absl::StatusOr<absl::Duration> ParseDays(const std::string& text) {
  const absl::Status bad = absl::InvalidArgumentError(absl::StrCat(
      "\"", text, "\" is not a duration (e.g. 36h, 7d, 2d12h, 90m)"));
  std::string rest = text;
  absl::Duration total;
  if (const size_t d = rest.find('d'); d != std::string::npos) {
    int64_t days = 0;
    // Up to about 270 years: far beyond any useful threshold, far from
    // overflowing.
    if (!absl::SimpleAtoi(rest.substr(0, d), &days) || days < 0 ||
        days > 100'000) {
      return bad;
    }
    total += absl::Hours(24 * days);
    rest = rest.substr(d + 1);
  } else if (rest.empty()) {
    return bad;
  }
  if (!rest.empty()) {
    absl::Duration more;
    if (!absl::ParseDuration(rest, &more) || more < absl::ZeroDuration() ||
        more == absl::InfiniteDuration()) {
      return bad;
    }
    total += more;
  }
  return total;
}

int RecipientsImportCommand(const std::string& file, const std::string& uri,
                            const std::string& folder, bool replace,
                            std::ostream& out, std::ostream& err) {
  absl::StatusOr<std::string> text = ReadWholeFile(file, "recipients CSV file", kMaxRecipientsCsvBytes);
  if (!text.ok()) return Fail(err, text.status(), kExitUsage);
  absl::StatusOr<std::vector<Recipient>> list = ParseRecipientsCsv(*text);
  if (!list.ok()) {
    err << "iorepl: " << file << ": " << list.status().message() << "\n";
    return kExitFailure;
  }
  absl::StatusOr<std::unique_ptr<Store>> store = OpenStore(uri);
  if (!store.ok()) return Fail(err, store.status(), kExitUsage);
  absl::StatusOr<RecipientImport> done =
      ImportRecipients(**store, folder, *list, {.replace = replace});
  if (!done.ok()) return Fail(err, done.status(), kExitFailure);
  out << "recipients at " << folder << ": " << done->added << " added, "
      << done->updated << " updated, " << done->unchanged << " unchanged, "
      << done->removed << " removed\n";
  return kExitOk;
}

int RecipientsListCommand(const std::string& uri, const std::string& folder,
                          bool json, std::ostream& out, std::ostream& err) {
  absl::StatusOr<std::unique_ptr<Store>> store = OpenExistingStore(uri);
  if (!store.ok()) return Fail(err, store.status(), kExitUsage);
  absl::StatusOr<std::vector<Recipient>> list = ReadRecipients(**store, folder);
  if (!list.ok()) return Fail(err, list.status(), kExitFailure);
  if (json) out << "[";
  for (size_t i = 0; i < list->size(); ++i) {
    const Recipient& r = (*list)[i];
    if (json) {
      out << (i == 0 ? "" : ",")
          << "\n  {\"smtp_address\": " << JsonString(r.smtp_address)
          << ", \"display_name\": " << JsonString(r.display_name) << "}";
    } else {
      out << r.smtp_address << "\t" << r.display_name << "\n";
    }
  }
  if (json) out << (list->empty() ? "]\n" : "\n]\n");
  return kExitOk;
}

int FreeBusyStatusCommand(const FreeBusyStatusOptions& o, std::ostream& out,
                          std::ostream& err) {
  absl::StatusOr<std::unique_ptr<Store>> store = OpenExistingStore(o.uri);
  if (!store.ok()) return Fail(err, store.status(), kExitUsage);
  absl::StatusOr<std::vector<StoredFreeBusy>> all =
      ListFreeBusyMessages(**store, o.root);
  if (!all.ok()) return Fail(err, all.status(), kExitFailure);
  size_t stale = 0, ending = 0, unreadable = 0, listed = 0;
  if (o.json) out << "[";
  for (const StoredFreeBusy& s : *all) {
    std::vector<std::string> problems;
    const std::string user =
        s.smtp_address.empty() ? s.key.ToString() : s.smtp_address;
    if (!s.message.ok()) {
      ++unreadable;
      problems.push_back(
          absl::StrCat("unreadable: ", s.message.status().message()));
    } else {
      const absl::Time published = s.message->range_timestamp.ToAbslTime();
      const absl::Time end = FromFreeBusyMinutes(s.message->publish_end);
      if (o.now - published > o.older_than) {
        ++stale;
        problems.push_back(absl::StrCat("stale: published ", Utc(published),
                                        ", ", Coarse(o.now - published),
                                        " ago"));
      }
      if (end - o.now < o.ends_within) {
        ++ending;
        problems.push_back(end <= o.now
                               ? absl::StrCat("range ended ", Utc(end))
                               : absl::StrCat("range ends ", Utc(end), ", in ",
                                              Coarse(end - o.now)));
      }
    }
    if (problems.empty()) continue;
    if (o.json) {
      out << (listed == 0 ? "" : ",") << "\n  {\"user\": " << JsonString(user)
          << ", \"folder\": " << JsonString(s.folder_path)
          << ", \"problems\": [";
      for (size_t i = 0; i < problems.size(); ++i) {
        out << (i == 0 ? "" : ", ") << JsonString(problems[i]);
      }
      out << "]}";
    } else {
      out << user << "\t" << absl::StrJoin(problems, "; ") << "\n";
    }
    ++listed;
  }
  if (o.json) {
    out << (listed == 0 ? "]\n" : "\n]\n");
  } else {
    out << all->size() << " free/busy messages under " << o.root << ": "
        << stale << " stale (older than " << Coarse(o.older_than) << "), "
        << ending << " with ranges ending within " << Coarse(o.ends_within)
        << ", " << unreadable << " unreadable\n";
  }
  return listed == 0 ? kExitOk : kExitFailure;
}

int FreeBusyExportCommand(const std::string& uri, const std::string& root,
                          const std::string& user, std::ostream& out,
                          std::ostream& err) {
  absl::StatusOr<std::unique_ptr<Store>> store = OpenExistingStore(uri);
  if (!store.ok()) return Fail(err, store.status(), kExitUsage);
  absl::StatusOr<StoredFreeBusy> found =
      FindFreeBusyMessage(**store, user, root);
  if (!found.ok()) return Fail(err, found.status(), kExitFailure);
  if (!found->message.ok()) {
    err << "iorepl: the free/busy message of " << user << " ("
        << found->key.ToString() << " in " << found->folder_path
        << ") cannot be read: " << found->message.status().message() << "\n";
    return kExitFailure;
  }
  out << RenderVFreeBusy(*found->message);
  return kExitOk;
}

int FreeBusyImportCommand(const std::string& file, const std::string& uri,
                          const std::string& folder,
                          const std::string& legacy_dn, std::ostream& out,
                          std::ostream& err) {
  absl::StatusOr<std::string> text = ReadWholeFile(file, "iCalendar file", kMaxICalendarBytes);
  if (!text.ok()) return Fail(err, text.status(), kExitUsage);
  absl::StatusOr<FreeBusyMessage> message = ParseVFreeBusy(*text);
  if (!message.ok()) {
    err << "iorepl: " << file << ": " << message.status().message() << "\n";
    return kExitFailure;
  }
  message->legacy_dn = legacy_dn;
  std::string path = folder;
  if (path.empty()) {
    absl::StatusOr<std::string> site = FreeBusySiteFolderName(legacy_dn);
    if (!site.ok()) return Fail(err, site.status(), kExitUsage);
    path = FreeBusySiteFolderPath(*site);
  }
  absl::StatusOr<std::unique_ptr<Store>> store = OpenStore(uri);
  if (!store.ok()) return Fail(err, store.status(), kExitUsage);
  absl::StatusOr<std::unique_ptr<FreeBusyFolder>> site =
      FreeBusyFolder::Open(store->get(), path);
  if (!site.ok()) return Fail(err, site.status(), kExitFailure);
  absl::StatusOr<Item> written = (*site)->Put(*message);
  if (!written.ok()) return Fail(err, written.status(), kExitFailure);
  out << "free/busy of " << message->smtp_address << " written to " << path
      << ": " << message->busy.size() << " busy, " << message->tentative.size()
      << " tentative, " << message->out_of_office.size()
      << " out-of-office periods\n";
  return kExitOk;
}

}  // namespace ioreplication::iorepl
