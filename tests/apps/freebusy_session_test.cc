// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Free/busy sessions end to end: one way, a user's message only where the
// subscriber has a contact with that SMTP address, incremental changes and
// deletions, and the classic statistics line.

#include <string>
#include <vector>

#include "../sync/sync_test_util.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ioreplication/folder_path.h"
#include "ioreplication/freebusy_store.h"
#include "ioreplication/prop_tags.h"
#include "ioreplication/recipient.h"
#include "ioreplication/recipient_list.h"
#include "ioreplication/session.h"

namespace ioreplication {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using testing_util::MakeOrg;
using testing_util::Org;

constexpr char kSite[] = "EX:/o=Contoso/ou=First Site";

FreeBusyMessage Message(const std::string& alias, int64_t busy_start) {
  FreeBusyMessage m;
  m.legacy_dn =
      absl::StrCat("/o=Contoso/ou=First Site/cn=Recipients/cn=", alias);
  m.smtp_address = absl::StrCat(alias, "@contoso.com");
  m.display_name = alias;
  m.publish_start = 222'000'000;
  m.publish_end = 222'100'000;
  m.count_months = 2;
  m.range_timestamp =
      FileTime::FromAbslTime(absl::FromUnixSeconds(1'800'000'000));
  m.busy = {{busy_start, busy_start + 60}};
  return m;
}

class FreeBusySessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    contoso_ = MakeOrg(true, "fb_contoso");
    fabrikam_ = MakeOrg(true, "fb_fabrikam");
    site_ = FreeBusyFolder::Open(contoso_.store.get(),
                                 FreeBusySiteFolderPath(kSite))
                .value();
    for (const char* alias : {"ann", "bob", "cyd"}) {
      ASSERT_TRUE(site_->Put(Message(alias, 222'000'600)).ok());
    }
    config_ = ParseSessionConfig(
                  absl::StrCat("name: 'Contoso free/busy' type: FREE_BUSY "
                               "publisher: '",
                               contoso_.uri, "' subscriber: '", fabrikam_.uri,
                               "' logging { level: DETAIL }"))
                  .value();
  }

  void Contacts(std::vector<Recipient> list, bool replace = false) {
    ASSERT_TRUE(ImportRecipients(*fabrikam_.store, kDefaultRecipientsPath, list,
                                 {.replace = replace})
                    .ok());
  }

  SessionStatistics Run() {
    std::unique_ptr<Session> session =
        Session::WithStores(config_, contoso_.store.get(),
                            {fabrikam_.store.get()})
            .value();
    session->set_hooks({.log = [this](LogLevel, std::string_view line) {
      log_.emplace_back(line);
    }});
    log_.clear();
    absl::StatusOr<SessionStatistics> stats = session->Run();
    EXPECT_TRUE(stats.ok()) << stats.status();
    line_ = session->StatisticsLine(*stats);
    return *stats;
  }

  // The SMTP addresses of the messages the subscriber holds, sorted.
  std::vector<std::string> AtFabrikam() {
    std::vector<std::string> out;
    absl::StatusOr<std::vector<StoredFreeBusy>> all =
        ListFreeBusyMessages(*fabrikam_.store);
    if (absl::IsNotFound(all.status())) return out;
    for (const StoredFreeBusy& s : all.value()) {
      EXPECT_EQ(s.folder_path, FreeBusySiteFolderPath(kSite));
      out.push_back(s.message.value().smtp_address);
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  Org contoso_, fabrikam_;
  std::unique_ptr<FreeBusyFolder> site_;
  SessionConfig config_;
  std::vector<std::string> log_;
  std::string line_;
};

TEST_F(FreeBusySessionTest, WritesOnlyUsersWithAContactMatchedIgnoringCase) {
  Contacts({{"ANN@Contoso.com", "Ann (Contoso)"}, {"bob@contoso.com", "Bob"}});
  const SessionStatistics stats = Run();
  EXPECT_EQ(line_,
            "Statistics for Free/Busy replication session 'Contoso free/busy' "
            "[2 Message Changes, 0 Message Deletions, 1 Message Ignores, 0 "
            "Message Errors, 1 Folder Changes, 0 Folder Deletions, 0 Folder "
            "Ignores, 0 Folder Errors].");
  EXPECT_EQ(stats.message_ignore_reasons[Reason::kNoRecipient], 1u);
  EXPECT_EQ(AtFabrikam(),
            (std::vector<std::string>{"ann@contoso.com", "bob@contoso.com"}));
  EXPECT_THAT(log_, Contains(HasSubstr(
                        "ignored (no_recipient): subscriber 1 has no contact "
                        "with the address cyd@contoso.com")));
  // The message arrives exactly as published, under the same site folder.
  const StoredFreeBusy ann =
      FindFreeBusyMessage(*fabrikam_.store, "Ann@contoso.com").value();
  EXPECT_EQ(ann.message.value(), Message("ann", 222'000'600));
}

TEST_F(FreeBusySessionTest, AtSummaryLevelTheAddressIsNotLogged) {
  config_.logging.level = LogLevel::kSummary;
  Contacts({{"ann@contoso.com", ""}});
  Run();
  EXPECT_THAT(log_, Not(Contains(HasSubstr("cyd@contoso.com"))));
}

TEST_F(FreeBusySessionTest, AContactAddedLaterGetsTheMessageOnTheNextRun) {
  Contacts({{"ann@contoso.com", "Ann"}});
  EXPECT_EQ(Run().message_changes, 1u);
  // Nothing changed: the two without a contact are looked at again.
  SessionStatistics again = Run();
  EXPECT_EQ(again.message_changes, 0u);
  EXPECT_EQ(again.message_ignores, 2u);
  Contacts({{"Cyd@CONTOSO.com", "Cyd"}});
  SessionStatistics next = Run();
  EXPECT_EQ(next.message_changes, 1u);
  EXPECT_EQ(next.message_ignores, 1u);
  EXPECT_EQ(AtFabrikam(),
            (std::vector<std::string>{"ann@contoso.com", "cyd@contoso.com"}));
}

TEST_F(FreeBusySessionTest, ChangesAndDeletionsReplicateIncrementally) {
  Contacts({{"ann@contoso.com", ""},
            {"bob@contoso.com", ""},
            {"cyd@contoso.com", ""}});
  EXPECT_EQ(Run().message_changes, 3u);
  EXPECT_EQ(Run().message_changes, 0u);  // quiescent
  ASSERT_TRUE(site_->Put(Message("ann", 222'050'000)).ok());
  ASSERT_TRUE(site_->Remove("BOB@contoso.com").ok());
  const SessionStatistics stats = Run();
  EXPECT_EQ(stats.message_changes, 1u);
  EXPECT_EQ(stats.message_deletions, 1u);
  EXPECT_EQ(stats.message_ignores, 0u);
  EXPECT_EQ(AtFabrikam(),
            (std::vector<std::string>{"ann@contoso.com", "cyd@contoso.com"}));
  EXPECT_EQ(FindFreeBusyMessage(*fabrikam_.store, "ann@contoso.com")
                .value()
                .message->busy,
            (std::vector<FreeBusyInterval>{{222'050'000, 222'050'060}}));
}

TEST_F(FreeBusySessionTest, AContactRemovedTakesTheMessageAwayAtItsNextChange) {
  Contacts({{"ann@contoso.com", ""}, {"bob@contoso.com", ""}});
  Run();
  Contacts({{"bob@contoso.com", ""}}, /*replace=*/true);
  ASSERT_TRUE(site_->Put(Message("ann", 222'060'000)).ok());
  const SessionStatistics stats = Run();
  EXPECT_EQ(stats.message_deletions, 1u);
  EXPECT_EQ(AtFabrikam(), (std::vector<std::string>{"bob@contoso.com"}));
}

TEST_F(FreeBusySessionTest,
       WithoutARecipientListNothingIsWrittenAndTheLogSaysWhy) {
  const SessionStatistics stats = Run();
  EXPECT_EQ(stats.message_changes, 0u);
  EXPECT_EQ(stats.message_ignores, 3u);
  EXPECT_THAT(AtFabrikam(), IsEmpty());
  EXPECT_THAT(
      log_, Contains(HasSubstr("subscriber 1 has no recipient list (no folder "
                               "/NON_IPM_SUBTREE/IOREPL RECIPIENTS)")));
}

TEST_F(FreeBusySessionTest, AMessageWithoutAnAddressIsIgnoredWithItsReason) {
  Contacts({{"ann@contoso.com", ""}});
  ItemContent odd;
  odd.message_class = "IPM.Post.FreeBusy";
  ASSERT_TRUE(odd.properties.Set(kPropSubject, std::string("USER-/CN=X")).ok());
  ASSERT_TRUE(
      contoso_.replica->CreateItem(site_->folder().source_key, std::move(odd))
          .ok());
  const SessionStatistics stats = Run();
  EXPECT_EQ(stats.message_ignores, 3u);  // bob, cyd and the odd one
  EXPECT_THAT(log_, Contains(HasSubstr("has no SMTP address")));
}

TEST_F(FreeBusySessionTest, ARecipientsPathOfTheSessionsChoiceIsUsed) {
  config_.options.recipients_path = "/Partners/Contoso people";
  ASSERT_TRUE(ImportRecipients(*fabrikam_.store, "/Partners/Contoso people",
                               {{"bob@contoso.com", ""}}, {})
                  .ok());
  Contacts({{"ann@contoso.com", ""}});  // the default list: not consulted
  Run();
  EXPECT_EQ(AtFabrikam(), (std::vector<std::string>{"bob@contoso.com"}));
}

TEST(FreeBusyConfigTest, DefaultsAndRules) {
  const SessionConfig c =
      ParseSessionConfig(
          "name: 'fb' type: FREE_BUSY publisher: 'memory:' subscriber: "
          "'sqlite:/tmp/x.db'")
          .value();
  ASSERT_EQ(c.mappings.size(), 1u);
  EXPECT_EQ(c.mappings[0].publisher_path,
            "/NON_IPM_SUBTREE/SCHEDULE+ FREE BUSY");
  EXPECT_EQ(c.mappings[0].subscriber_path, c.mappings[0].publisher_path);
  EXPECT_EQ(RenderStatisticsLine(c.type, c.name, {}),
            "Statistics for Free/Busy replication session 'fb' [0 Message "
            "Changes, 0 Message Deletions, 0 Message Ignores, 0 Message "
            "Errors, 0 Folder Changes, 0 Folder Deletions, 0 Folder Ignores, "
            "0 Folder Errors].");

  const absl::Status both =
      ParseSessionConfig(
          "name: 'fb' type: FREE_BUSY publisher: 'memory:' subscriber: "
          "'sqlite:/tmp/x.db' mapping { publisher_path: '/A' subscriber_path: "
          "'/B' direction: BIDIRECTIONAL }")
          .status();
  EXPECT_THAT(std::string(both.message()),
              HasSubstr("mapping 1: free/busy sessions are one way"));

  const absl::Status overlap =
      ParseSessionConfig(
          "name: 'fb' type: FREE_BUSY publisher: 'memory:' subscriber: "
          "'sqlite:/tmp/x.db' options { recipients_path: "
          "'/NON_IPM_SUBTREE/SCHEDULE+ FREE BUSY/People' }")
          .status();
  EXPECT_THAT(std::string(overlap.message()),
              HasSubstr("overlaps mapping 1's subscriber path"));

  const absl::Status public_folder =
      ParseSessionConfig(
          "name: 'pf' publisher: 'memory:' subscriber: 'sqlite:/tmp/x.db' "
          "mapping { publisher_path: '/A' subscriber_path: '/B' } "
          "options { recipients_path: '/R' }")
          .status();
  EXPECT_THAT(std::string(public_folder.message()),
              HasSubstr("recipients_path applies only to FREE_BUSY"));
  // A public folder session still needs a mapping.
  EXPECT_THAT(std::string(ParseSessionConfig(
                              "name: 'pf' publisher: 'memory:' subscriber: "
                              "'sqlite:/tmp/x.db'")
                              .status()
                              .message()),
              HasSubstr("no folder mapping"));
}

TEST(FreeBusyStoreTest, SiteFolderNamesFollowMsOxopffb) {
  EXPECT_EQ(
      FreeBusySiteFolderName("/o=Contoso/ou=First Site/cn=Recipients/cn=jdoe")
          .value(),
      "EX:/o=Contoso/ou=First Site");
  EXPECT_EQ(FreeBusySiteFolderName("/O=C/OU=S/CN=R/CN=J").value(),
            "EX:/O=C/OU=S");
  for (const char* bad : {"", "jdoe", "/cn=Recipients/cn=jdoe", "/o=Contoso"}) {
    EXPECT_EQ(FreeBusySiteFolderName(bad).status().code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
  EXPECT_EQ(FreeBusySiteFolderPath("EX:/o=C/ou=S"),
            "/NON_IPM_SUBTREE/SCHEDULE+ FREE BUSY/EX:%2Fo=C%2Fou=S");
}

TEST(FreeBusyStoreTest, PutReplacesTheUsersMessageAndRefusesBadOnes) {
  Org org = MakeOrg(false, "fb_put");
  auto site =
      FreeBusyFolder::Open(org.store.get(), FreeBusySiteFolderPath(kSite))
          .value();
  const Item first = site->Put(Message("ann", 222'000'600)).value();
  FreeBusyMessage changed = Message("ann", 222'000'900);
  changed.smtp_address = "ANN@contoso.com";
  const Item second = site->Put(changed).value();
  EXPECT_EQ(second.source_key, first.source_key);
  EXPECT_EQ(site->size(), 1u);
  // Opened again, it knows whose message is there.
  auto again =
      FreeBusyFolder::Open(org.store.get(), FreeBusySiteFolderPath(kSite))
          .value();
  EXPECT_EQ(again->size(), 1u);
  EXPECT_EQ(again->Put(Message("ann", 1)).value().source_key, first.source_key);

  FreeBusyMessage bad = Message("bob", 5);
  bad.smtp_address = "bob";
  EXPECT_EQ(site->Put(bad).status().code(), absl::StatusCode::kInvalidArgument);
  bad = Message("bob", 5);
  bad.count_months = 99;
  EXPECT_EQ(site->Put(bad).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(org.store->Count().value().items, 1u);
  EXPECT_EQ(site->Remove("nobody@contoso.com").code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(ListFreeBusyMessages(*org.store, "/Nowhere").status().code(),
            absl::StatusCode::kNotFound);
}

TEST(FreeBusyStoreTest, ABatchWritesASiteInOneTransactionOrNotAtAll) {
  Org org = MakeOrg(false, "fb_batch");
  auto site =
      FreeBusyFolder::Open(org.store.get(), FreeBusySiteFolderPath(kSite))
          .value();
  const Item ann = site->Put(Message("ann", 222'000'600)).value();
  // A bad message fails alone; the others commit together.
  ASSERT_TRUE(site
                  ->Batch([&]() -> absl::Status {
                    EXPECT_TRUE(site->Put(Message("bob", 222'000'700)).ok());
                    FreeBusyMessage bad = Message("eve", 5);
                    bad.smtp_address = "eve";
                    EXPECT_EQ(site->Put(bad).status().code(),
                              absl::StatusCode::kInvalidArgument);
                    EXPECT_TRUE(org.store->InTransaction());
                    return site->Put(Message("cat", 222'000'800)).status();
                  })
                  .ok());
  EXPECT_EQ(org.store->Count().value().items, 3u);
  EXPECT_EQ(site->size(), 3u);
  // A batch that fails leaves the store, and the folder's index, as they
  // were: a later Put of the same user creates the message again.
  const absl::Status failed = site->Batch([&]() -> absl::Status {
    EXPECT_TRUE(site->Put(Message("dan", 222'000'900)).ok());
    EXPECT_TRUE(site->Remove("ann@contoso.com").ok());
    return absl::AbortedError("stop");
  });
  EXPECT_EQ(failed.code(), absl::StatusCode::kAborted);
  EXPECT_EQ(org.store->Count().value().items, 3u);
  EXPECT_EQ(site->size(), 3u);
  EXPECT_TRUE(org.store->GetItem(ann.source_key).ok());
  const Item dan = site->Put(Message("dan", 222'000'900)).value();
  EXPECT_TRUE(org.store->GetItem(dan.source_key).ok());
  EXPECT_EQ(site->size(), 4u);
}

TEST(FreeBusyStoreTest, ADamagedMessageIsFoundByAddressWithTheReason) {
  Org org = MakeOrg(false, "fb_damaged");
  auto site =
      FreeBusyFolder::Open(org.store.get(), FreeBusySiteFolderPath(kSite))
          .value();
  ASSERT_TRUE(site->Put(Message("ann", 222'000'600)).ok());
  ItemContent damaged;  // an address, but no published range
  damaged.message_class = "IPM.Post.FreeBusy";
  ASSERT_TRUE(
      damaged.properties.Set(kPropSmtpAddress, std::string("bob@contoso.com"))
          .ok());
  ASSERT_TRUE(
      org.replica->CreateItem(site->folder().source_key, std::move(damaged))
          .ok());
  const StoredFreeBusy bob =
      FindFreeBusyMessage(*org.store, "BOB@contoso.com").value();
  EXPECT_EQ(bob.smtp_address, "bob@contoso.com");
  EXPECT_EQ(bob.folder_path, FreeBusySiteFolderPath(kSite));
  EXPECT_EQ(bob.message.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_TRUE(
      FindFreeBusyMessage(*org.store, "ann@contoso.com").value().message.ok());
  const std::vector<StoredFreeBusy> all =
      ListFreeBusyMessages(*org.store).value();
  std::vector<std::string> listed;
  for (const StoredFreeBusy& m : all) listed.push_back(m.smtp_address);
  EXPECT_THAT(listed, ::testing::UnorderedElementsAre("ann@contoso.com",
                                                      "bob@contoso.com"));
  EXPECT_EQ(FindFreeBusyMessage(*org.store, "cyd@contoso.com").status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace ioreplication
