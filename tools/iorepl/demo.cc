// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "demo.h"

#include <filesystem>
#include <fstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "cli.h"
#include "ioreplication/calendar.h"
#include "ioreplication/conflict.h"
#include "ioreplication/freebusy_publish.h"
#include "ioreplication/freebusy_store.h"
#include "ioreplication/prop_tags.h"
#include "ioreplication/recipient.h"
#include "ioreplication/recipient_list.h"
#include "ioreplication/replica.h"
#include "ioreplication/store.h"
#include "service.h"
#include "session/status_file.h"

namespace ioreplication::iorepl {
namespace {

namespace fs = std::filesystem;

// MAPI properties the demo's items carry (MS-OXPROPS).
// (The shared ones are in ioreplication/prop_tags.h.)
constexpr PropTag kCompanyName(0x3A16, PropType::kString);
constexpr PropTag kBusinessPhone(0x3A08, PropType::kString);

// Fixed times, so every run of the demo builds the same content.
const absl::Time kBase =
    absl::FromCivil(absl::CivilMinute(2026, 11, 2, 9, 0), absl::UTCTimeZone());

// An organization under construction; `Check` turns the first failure into
// the demo's error.
class Org {
 public:
  static absl::StatusOr<Org> Create(const std::string& path,
                                    const std::string& root_name) {
    Org org;
    absl::StatusOr<std::unique_ptr<Store>> store =
        OpenStore(absl::StrCat("sqlite:", path));
    if (!store.ok()) return store.status();
    org.store_ = *std::move(store);
    absl::StatusOr<std::unique_ptr<Replica>> replica =
        Replica::Open(org.store_.get());
    if (!replica.ok()) return replica.status();
    org.replica_ = *std::move(replica);
    absl::StatusOr<Folder> root = org.replica_->CreateRootFolder(root_name);
    if (!root.ok()) return root.status();
    org.root_ = root->source_key;
    return org;
  }

  Replica& replica() { return *replica_; }
  Store& store() { return *store_; }

  absl::StatusOr<SourceKey> AddFolder(const SourceKey& parent,
                                      const std::string& name) {
    absl::StatusOr<ioreplication::Folder> f =
        replica_->CreateFolder(parent, name);
    if (!f.ok()) return f.status();
    ++folders_;
    return f->source_key;
  }
  const SourceKey& root() const { return root_; }

  absl::StatusOr<Item> Add(const SourceKey& folder, ItemContent content) {
    ++items_;
    return replica_->CreateItem(folder, std::move(content));
  }

  int folders() const { return folders_; }
  int items() const { return items_; }

 private:
  std::unique_ptr<Store> store_;
  std::unique_ptr<Replica> replica_;
  SourceKey root_;
  int folders_ = 0;
  int items_ = 0;
};

ItemContent Post(const std::string& subject, const std::string& body) {
  ItemContent c;
  c.message_class = "IPM.Post";
  (void)c.properties.Set(kPropSubject, subject);
  c.body = body;
  return c;
}

ItemContent Appointment(const std::string& subject, int day, int hour,
                        int hours) {
  ItemContent c;
  c.message_class = "IPM.Appointment";
  const absl::Time start = kBase + absl::Hours(24 * day + hour);
  (void)c.properties.Set(kPropSubject, subject);
  (void)c.properties.Set(kPropStartDate, FileTime::FromAbslTime(start));
  (void)c.properties.Set(kPropEndDate,
                         FileTime::FromAbslTime(start + absl::Hours(hours)));
  c.body = absl::StrCat("Agenda for ", subject, ".\n");
  return c;
}

ItemContent Contact(const std::string& name, const std::string& company,
                    int n) {
  ItemContent c;
  c.message_class = "IPM.Contact";
  std::string address = absl::AsciiStrToLower(name);
  std::replace(address.begin(), address.end(), ' ', '.');
  (void)c.properties.Set(kPropSubject, name);
  (void)c.properties.Set(kPropDisplayName, name);
  (void)c.properties.Set(
      kPropSmtpAddress,
      absl::StrCat(address, "@", absl::AsciiStrToLower(company), ".com"));
  (void)c.properties.Set(kCompanyName, company);
  (void)c.properties.Set(kBusinessPhone,
                         absl::StrFormat("+1 425 555 %04d", 1000 + n));
  return c;
}

constexpr const char* kFirst[] = {"Ana",   "Ben", "Chen", "Dara", "Emil",
                                  "Fatma", "Gus", "Hana", "Ivo",  "Jun"};
constexpr const char* kLast[] = {"Alvarez", "Brooks",  "Costa",  "Dubois",
                                 "Eriksen", "Fischer", "Garcia", "Haddad"};

// Contoso: announcements, a joint project, a contact list; about 400 items.
absl::Status BuildContoso(Org& org, SourceKey* kickoff) {
  auto check = [](const auto& v) {
    return v.ok() ? absl::OkStatus() : v.status();
  };
  absl::StatusOr<SourceKey> announcements =
      org.AddFolder(org.root(), "Announcements");
  if (!announcements.ok()) return announcements.status();
  absl::StatusOr<SourceKey> archive = org.AddFolder(*announcements, "2025");
  if (!archive.ok()) return archive.status();
  absl::StatusOr<SourceKey> projects = org.AddFolder(org.root(), "Projects");
  if (!projects.ok()) return projects.status();
  absl::StatusOr<SourceKey> joint = org.AddFolder(*projects, "Joint");
  if (!joint.ok()) return joint.status();
  absl::StatusOr<SourceKey> design = org.AddFolder(*joint, "Design");
  if (!design.ok()) return design.status();
  absl::StatusOr<SourceKey> meetings = org.AddFolder(*joint, "Meetings");
  if (!meetings.ok()) return meetings.status();
  absl::StatusOr<SourceKey> internal = org.AddFolder(*projects, "Internal");
  if (!internal.ok()) return internal.status();
  absl::StatusOr<SourceKey> directory = org.AddFolder(org.root(), "Directory");
  if (!directory.ok()) return directory.status();
  absl::StatusOr<SourceKey> contacts =
      org.AddFolder(*directory, "Partner Contacts");
  if (!contacts.ok()) return contacts.status();

  // Permissions: everyone reads the shared folders, the replication
  // account owns them, editors per folder.
  for (const SourceKey& f : {*announcements, *joint, *contacts}) {
    if (absl::Status s =
            check(org.replica().SetAclMember(f, "Default", rights::kReviewer));
        !s.ok())
      return s;
    if (absl::Status s = check(org.replica().SetAclMember(
            f, "iorepl@contoso.com", rights::kOwner));
        !s.ok())
      return s;
  }
  if (absl::Status s = check(org.replica().SetAclMember(
          *joint, "pm-team@contoso.com", rights::kEditor));
      !s.ok())
    return s;

  for (int i = 1; i <= 90; ++i) {
    if (absl::Status s = check(
            org.Add(*announcements,
                    Post(absl::StrFormat("Contoso news %03d", i),
                         absl::StrFormat("Announcement %d of the year, posted "
                                         "for all staff and partners.\n",
                                         i))));
        !s.ok())
      return s;
  }
  for (int i = 1; i <= 60; ++i) {
    if (absl::Status s = check(
            org.Add(*archive, Post(absl::StrFormat("2025 bulletin %02d", i),
                                   "From last year's archive.\n")));
        !s.ok())
      return s;
  }
  for (int i = 1; i <= 50; ++i) {
    if (absl::Status s = check(org.Add(
            *design,
            Post(
                absl::StrFormat("Design note %02d", i),
                "Drafts, diagrams and decisions of the joint design team.\n")));
        !s.ok())
      return s;
  }
  absl::StatusOr<Item> first =
      org.Add(*meetings, Appointment("Project kickoff", 1, 9, 2));
  if (!first.ok()) return first.status();
  *kickoff = first->source_key;
  for (int i = 1; i < 60; ++i) {
    if (absl::Status s = check(org.Add(
            *meetings,
            Appointment(absl::StrFormat("Weekly sync %02d", i), i, 14, 1)));
        !s.ok())
      return s;
  }
  for (int i = 1; i <= 40; ++i) {
    if (absl::Status s = check(org.Add(
            *internal,
            Post(absl::StrFormat("Internal memo %02d", i), "Not shared.\n")));
        !s.ok())
      return s;
  }
  int n = 0;
  for (const char* first_name : kFirst) {
    for (const char* last_name : kLast) {
      if (absl::Status s = check(org.Add(
              *contacts, Contact(absl::StrCat(first_name, " ", last_name),
                                 n % 2 ? "Fabrikam" : "Contoso", n)));
          !s.ok())
        return s;
      ++n;
    }
  }
  return absl::OkStatus();
}

absl::Status BuildFabrikam(Org& org) {
  absl::StatusOr<SourceKey> joint = org.AddFolder(org.root(), "Joint");
  if (!joint.ok()) return joint.status();
  absl::StatusOr<SourceKey> notes = org.AddFolder(*joint, "Fabrikam notes");
  if (!notes.ok()) return notes.status();
  absl::StatusOr<SourceKey> hr = org.AddFolder(org.root(), "HR");
  if (!hr.ok()) return hr.status();
  for (int i = 1; i <= 30; ++i) {
    absl::StatusOr<Item> item = org.Add(
        *notes, Post(absl::StrFormat("Fabrikam note %02d", i),
                     "Fabrikam's contribution to the joint project.\n"));
    if (!item.ok()) return item.status();
  }
  for (int i = 1; i <= 10; ++i) {
    absl::StatusOr<Item> item =
        org.Add(*hr, Post(absl::StrFormat("Policy %02d", i), "Not shared.\n"));
    if (!item.ok()) return item.status();
  }
  return absl::OkStatus();
}

// Free/busy: Contoso publishes kFreeBusyUsers users' calendars (from now,
// so that the data is current) into its site folder; Fabrikam's recipient
// list knows kFreeBusyContacts of them.
constexpr int kFreeBusyUsers = 12;
constexpr int kFreeBusyContacts = 9;

// A calendar item as PublishFreeBusy reads it (never stored).
Item CalendarEntry(absl::Time start, absl::Duration length, BusyStatus status,
                   const char* rrule = nullptr) {
  Item c;
  c.message_class = "IPM.Appointment";
  (void)c.properties.Set(kPropAppointmentStart, FileTime::FromAbslTime(start));
  (void)c.properties.Set(kPropAppointmentEnd,
                         FileTime::FromAbslTime(start + length));
  (void)c.properties.Set(kPropBusyStatus, static_cast<int32_t>(status));
  if (rrule != nullptr) {
    (void)c.properties.Set(kPropRecurrenceRule, std::string(rrule));
  }
  return c;
}

absl::Status BuildFreeBusy(Org& contoso, Org& fabrikam) {
  const absl::Time today = absl::FromCivil(
      absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()), absl::UTCTimeZone());
  absl::StatusOr<std::unique_ptr<FreeBusyFolder>> site = FreeBusyFolder::Open(
      &contoso.store(), FreeBusySiteFolderPath("EX:/o=Contoso/ou=First Site"));
  if (!site.ok()) return site.status();
  std::vector<Recipient> contacts;
  // All users' messages in one transaction.
  absl::Status written = (*site)->Batch([&]() -> absl::Status {
    for (int i = 0; i < kFreeBusyUsers; ++i) {
      const std::string first_name = kFirst[i % 10];
      const std::string last_name = kLast[(i + i / 10) % 8];
      const std::string first = absl::AsciiStrToLower(first_name);
      const std::string last = absl::AsciiStrToLower(last_name);
      FreeBusyUser user;
      user.smtp_address = absl::StrCat(first, ".", last, "@contoso.com");
      user.display_name = absl::StrCat(first_name, " ", last_name);
      user.legacy_dn = absl::StrCat(
          "/o=Contoso/ou=First Site/cn=Recipients/cn=", first, last);
      // A daily stand-up, a busy meeting, a tentative one and a day out.
      const std::vector<Item> calendar = {
          CalendarEntry(today + absl::Hours(8), absl::Minutes(15),
                        BusyStatus::kBusy, "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR"),
          CalendarEntry(today + absl::Hours(24 * (1 + i % 5) + 13),
                        absl::Hours(1), BusyStatus::kBusy),
          CalendarEntry(today + absl::Hours(24 * (2 + i % 3) + 10),
                        absl::Minutes(30), BusyStatus::kTentative),
          CalendarEntry(today + absl::Hours(24 * (8 + i)), absl::Hours(24),
                        BusyStatus::kOutOfOffice),
      };
      PublishOptions options;
      options.now = absl::Now();
      absl::StatusOr<PublishedFreeBusy> published =
          PublishFreeBusy(user, calendar, options);
      if (!published.ok()) return published.status();
      if (absl::StatusOr<Item> put = (*site)->Put(published->message);
          !put.ok()) {
        return put.status();
      }
      if (i < kFreeBusyContacts) {
        contacts.push_back({user.smtp_address, user.display_name});
      }
    }
    return absl::OkStatus();
  });
  if (!written.ok()) return written;
  return ImportRecipients(fabrikam.store(), kDefaultRecipientsPath, contacts,
                          {})
      .status();
}

// The folder at `path` in `store`.
absl::StatusOr<SourceKey> At(Store& store, const std::string& path) {
  absl::StatusOr<std::optional<Folder>> f = FindFolderByPath(store, path);
  if (!f.ok()) return f.status();
  if (!f->has_value())
    return absl::NotFoundError(absl::StrCat("no folder ", path));
  return (*f)->source_key;
}

absl::StatusOr<Item> FindBySubject(Store& store, const SourceKey& folder,
                                   const std::string& subject) {
  absl::StatusOr<std::vector<SourceKey>> keys = store.ListItems(folder);
  if (!keys.ok()) return keys.status();
  for (const SourceKey& key : *keys) {
    absl::StatusOr<Item> item = store.GetItem(key);
    if (!item.ok()) return item.status();
    const PropValue* value = item->properties.Get(kPropSubject);
    if (value != nullptr && std::get_if<std::string>(value) != nullptr &&
        std::get<std::string>(*value) == subject) {
      return *item;
    }
  }
  return absl::NotFoundError(absl::StrCat("no item \"", subject, "\""));
}

ItemContent ContentOf(const Item& item) {
  return ItemContent{item.message_class, item.properties, item.body,
                     item.attachments};
}

// Edits on both sides between the passes; returns a line saying what.
absl::StatusOr<std::string> EditBothSides(const std::string& contoso_path,
                                          const std::string& fabrikam_path) {
  absl::StatusOr<std::unique_ptr<Store>> contoso =
      OpenStore(absl::StrCat("sqlite:", contoso_path));
  if (!contoso.ok()) return contoso.status();
  absl::StatusOr<std::unique_ptr<Store>> fabrikam =
      OpenStore(absl::StrCat("sqlite:", fabrikam_path));
  if (!fabrikam.ok()) return fabrikam.status();
  absl::StatusOr<std::unique_ptr<Replica>> c = Replica::Open(contoso->get());
  if (!c.ok()) return c.status();
  absl::StatusOr<std::unique_ptr<Replica>> f = Replica::Open(fabrikam->get());
  if (!f.ok()) return f.status();

  absl::StatusOr<SourceKey> news = At(**contoso, "/Announcements");
  if (!news.ok()) return news.status();
  if (auto s = (*c)->CreateItem(
          *news, Post("Merger day-one checklist", "What changes on Monday.\n"));
      !s.ok()) {
    return s.status();
  }
  absl::StatusOr<SourceKey> contacts =
      At(**contoso, "/Directory/Partner Contacts");
  if (!contacts.ok()) return contacts.status();
  absl::StatusOr<Item> gone =
      FindBySubject(**contoso, *contacts, "Ana Alvarez");
  if (!gone.ok()) return gone.status();
  if (absl::Status s = (*c)->DeleteItem(gone->source_key); !s.ok()) return s;

  // The conflict: both sides move the kickoff meeting.
  absl::StatusOr<SourceKey> c_meetings =
      At(**contoso, "/Projects/Joint/Meetings");
  if (!c_meetings.ok()) return c_meetings.status();
  absl::StatusOr<Item> c_kickoff =
      FindBySubject(**contoso, *c_meetings, "Project kickoff");
  if (!c_kickoff.ok()) return c_kickoff.status();
  ItemContent moved = ContentOf(*c_kickoff);
  moved.body = "Moved to Tuesday 10:00 (Contoso).\n";
  if (auto s = (*c)->ModifyItem(c_kickoff->source_key, moved); !s.ok())
    return s.status();

  absl::StatusOr<SourceKey> f_meetings = At(**fabrikam, "/Joint/Meetings");
  if (!f_meetings.ok()) return f_meetings.status();
  absl::StatusOr<Item> f_kickoff =
      FindBySubject(**fabrikam, *f_meetings, "Project kickoff");
  if (!f_kickoff.ok()) return f_kickoff.status();
  ItemContent theirs = ContentOf(*f_kickoff);
  theirs.body = "Moved to Wednesday 15:00 (Fabrikam).\n";
  if (auto s = (*f)->ModifyItem(f_kickoff->source_key, theirs); !s.ok())
    return s.status();

  absl::StatusOr<SourceKey> f_design = At(**fabrikam, "/Joint/Design");
  if (!f_design.ok()) return f_design.status();
  if (auto s = (*f)->CreateItem(
          *f_design, Post("Fabrikam review of note 07", "Comments inline.\n"));
      !s.ok()) {
    return s.status();
  }
  return std::string(
      "Contoso posts an announcement and deletes a contact; Fabrikam posts a "
      "design review; both move \"Project kickoff\" (a conflict)");
}

}  // namespace

int DemoCommand(const std::string& dir, std::ostream& out, std::ostream& err) {
  std::error_code error;
  fs::create_directories(dir, error);
  if (error) {
    err << "iorepl: cannot create " << dir << ": " << error.message() << "\n";
    return kExitFailure;
  }
  const std::string base = fs::absolute(dir).lexically_normal().string();
  const std::string contoso = base + "/contoso.db";
  const std::string fabrikam = base + "/fabrikam.db";
  const std::string config = base + "/iorepl.conf";
  const std::string log = base + "/iorepl.log";
  for (const std::string& f :
       {contoso, fabrikam, contoso + "-wal", contoso + "-shm",
        fabrikam + "-wal", fabrikam + "-shm", config, config + ".status",
        config + ".status.lock", log}) {
    fs::remove(f, error);
  }
  auto fail = [&](const absl::Status& s) {
    err << "iorepl: demo: " << s.message() << "\n";
    return kExitFailure;
  };
  int contoso_folders = 0, contoso_items = 0, fabrikam_folders = 0,
      fabrikam_items = 0;
  {
    absl::StatusOr<Org> c = Org::Create(contoso, "Contoso Public Folders");
    if (!c.ok()) return fail(c.status());
    SourceKey kickoff;
    if (absl::Status s = BuildContoso(*c, &kickoff); !s.ok()) return fail(s);
    absl::StatusOr<Org> f = Org::Create(fabrikam, "Fabrikam Public Folders");
    if (!f.ok()) return fail(f.status());
    if (absl::Status s = BuildFabrikam(*f); !s.ok()) return fail(s);
    if (absl::Status s = BuildFreeBusy(*c, *f); !s.ok()) return fail(s);
    contoso_folders = c->folders();
    contoso_items = c->items();
    fabrikam_folders = f->folders();
    fabrikam_items = f->items();
  }
  std::ofstream(config) << absl::StrFormat(
      R"(# Written by iorepl demo. Reference: docs/config.md.
session {
  name: "Contoso to Fabrikam"
  publisher: "sqlite:%1$s"
  subscriber: "sqlite:%2$s"
  mapping { publisher_path: "/Announcements"
            subscriber_path: "/Contoso/Announcements" direction: ONE_WAY }
  mapping { publisher_path: "/Directory/Partner Contacts"
            subscriber_path: "/Contoso/Contacts" direction: ONE_WAY }
  options { replicate_permissions: true }
  logging { file: "%3$s" }
  schedule { interval_seconds: 900 }
}
session {
  name: "Joint project"
  publisher: "sqlite:%1$s"
  subscriber: "sqlite:%2$s"
  mapping { publisher_path: "/Projects/Joint" subscriber_path: "/Joint"
            direction: BIDIRECTIONAL }
  options { conflict_policy: KEEP_BOTH replicate_permissions: true }
  logging { file: "%3$s" }
  schedule { interval_seconds: 300 days: "mon" days: "tue" days: "wed"
             days: "thu" days: "fri" window_start: "07:00" window_end: "20:00" }
}
session {
  name: "Contoso free/busy"
  type: FREE_BUSY      # one way; only users Fabrikam has a contact for
  publisher: "sqlite:%1$s"
  subscriber: "sqlite:%2$s"
  logging { file: "%3$s" }  # level: DETAIL names each address without a contact
  schedule { interval_seconds: 900 }
}
)",
      contoso, fabrikam, log);

  out << "iorepl demo: two organizations in " << base << "\n"
      << "  contoso.db    Contoso: " << contoso_folders << " folders, "
      << contoso_items
      << " posts, appointments and contacts, with permissions\n"
      << "  fabrikam.db   Fabrikam: " << fabrikam_folders << " folders, "
      << fabrikam_items << " posts\n"
      << "  iorepl.conf   'Contoso to Fabrikam' (one way: announcements and "
         "contacts)\n"
      << "                'Joint project' (both ways: /Projects/Joint <-> "
         "/Joint)\n"
      << "                'Contoso free/busy' (one way: " << kFreeBusyUsers
      << " users' free/busy; Fabrikam has contacts for " << kFreeBusyContacts
      << " of them)\n\n"
      << "First pass (iorepl run " << config << " --once):\n"
      << std::flush;
  RunOptions run{config, {}, /*once=*/true, /*json=*/false, false};
  int status = RunSessions(run, out, err);
  if (status != kExitOk) {
    err << "iorepl: demo: the first pass did not succeed (exit " << status
        << ")\n";
    return status;
  }
  absl::StatusOr<std::string> edits = EditBothSides(contoso, fabrikam);
  if (!edits.ok()) return fail(edits.status());
  out << "\nEdits: " << *edits << ".\n\nSecond pass:\n" << std::flush;
  status = RunSessions(run, out, err);
  if (status != kExitOk) {
    err << "iorepl: demo: the second pass did not succeed (exit " << status
        << ")\n";
    return status;
  }
  absl::StatusOr<std::map<std::string, v1::SessionRunStatus>> recorded =
      session_internal::ReadStatusFile(config + ".status");
  if (recorded.ok()) {
    for (const auto& [name, last] : *recorded) {
      if (last.counts().conflicts() == 0) continue;
      out << "Session '" << name << "' resolved " << last.counts().conflicts()
          << " conflict" << (last.counts().conflicts() == 1 ? "" : "s")
          << " (policy keep_both: both versions kept, a notice posted).\n";
    }
  }
  out << "\nWhere to look:\n"
      << "  iorepl status " << config << "\n"
      << "      each session's last pass and what waits at the publisher\n"
      << "  " << log << "\n"
      << "      the sessions' log\n"
      << "  iorepl list sqlite:" << fabrikam << " /Joint/Meetings\n"
      << "      both versions of \"Project kickoff\" and the conflict notice\n"
      << "  iorepl list sqlite:" << fabrikam << " /Contoso/Announcements\n"
      << "      Contoso's announcements at Fabrikam\n"
      << "  iorepl freebusy export --user ana.alvarez@contoso.com --store "
         "sqlite:"
      << fabrikam << "\n"
      << "      a Contoso user's free/busy at Fabrikam, as iCalendar\n"
      << "  iorepl recipients list --store sqlite:" << fabrikam << "\n"
      << "      the contacts that decide whose free/busy Fabrikam gets\n"
      << "  iorepl run " << config << " --once\n"
      << "      another pass: nothing left to do\n";
  return kExitOk;
}

}  // namespace ioreplication::iorepl
