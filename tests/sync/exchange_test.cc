// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Exchange files: a one-way session carried by files gives the same result
// as a direct one, a file applied twice changes nothing, and damaged,
// truncated, foreign, out-of-order and wrongly keyed files are refused with
// nothing changed.

#include "ioreplication/exchange.h"

#include <cstdio>
#include <fstream>
#include <sstream>

#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sync_test_util.h"

namespace ioreplication {
namespace {

using ::testing::HasSubstr;
using testing_util::MakeConfig;
using testing_util::MakeOrg;
using testing_util::Org;
using testing_util::Snapshot;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

class ExchangeTest : public ::testing::Test {
 protected:
  ExchangeTest()
      : pub_(MakeOrg(true, "xpub")),
        sub_(MakeOrg(true, "xsub")),
        config_(MakeConfig(
            "Files", pub_, {&sub_},
            {{"/Sales", "/From Contoso", MappingDirection::kOneWay}})) {
    pub_.MakePath("/Sales/EMEA");
    pub_.Post("/Sales", "one");
    pub_.Post("/Sales/EMEA", "two");
  }

  std::string Path(const std::string& name) {
    return absl::StrCat(::testing::TempDir(), "/exchange_", getpid(), "_",
                        name);
  }

  ExchangeExportResult Export(const std::string& path,
                              ExchangeOptions options = {}) {
    absl::StatusOr<ExchangeExportResult> r =
        ExportExchangeFile(config_, *pub_.store, path, options);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : ExchangeExportResult();
  }

  absl::StatusOr<ExchangeImportResult> Import(const std::string& path,
                                              ExchangeOptions options = {}) {
    return ImportExchangeFile(config_, *sub_.store, 0, path, options);
  }

  // Everything the subscriber holds, sync states included.
  std::string SubscriberImage() {
    std::string image =
        absl::StrCat(absl::StrJoin(Snapshot(sub_, "/"), "\n"), "\n",
                     sub_.store->LocalCnHighWater().value().value());
    return image;
  }

  Org pub_, sub_;
  SessionConfig config_;
};

TEST_F(ExchangeTest, RoundTripMatchesThePublisherAndTwiceChangesNothing) {
  const std::string file = Path("round.iorx");
  EXPECT_EQ(Export(file).entries, 3u);  // EMEA and two items
  absl::StatusOr<ExchangeImportResult> r = Import(file);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->already_applied);
  EXPECT_EQ(r->stats.message_changes, 2u);
  EXPECT_EQ(r->stats.folder_changes, 1u);
  EXPECT_EQ(Snapshot(pub_, "/Sales"), Snapshot(sub_, "/From Contoso"));

  const std::string before = SubscriberImage();
  r = Import(file);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->already_applied);
  EXPECT_EQ(SubscriberImage(), before);

  // Incremental: an edit and a deletion.
  const Item one =
      sub_.store
          ->GetItem(
              pub_.store->ListItems(pub_.At("/Sales").source_key).value()[0])
          .value();
  pub_.Edit(one.source_key, "edited");
  const SourceKey two =
      pub_.store->ListItems(pub_.At("/Sales/EMEA").source_key).value()[0];
  ASSERT_TRUE(pub_.replica->DeleteItem(two).ok());
  const std::string next = Path("round2.iorx");
  EXPECT_EQ(Export(next).entries, 2u);
  r = Import(next);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->stats.message_changes, 1u);
  EXPECT_EQ(r->stats.message_deletions, 1u);
  EXPECT_EQ(Snapshot(pub_, "/Sales"), Snapshot(sub_, "/From Contoso"));

  // The older file after the newer one: already covered.
  r = Import(file);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->already_applied);
}

TEST_F(ExchangeTest, AFileThatContinuesAMissingOneIsRefused) {
  Export(Path("first.iorx"));
  pub_.Post("/Sales", "three");
  const std::string second = Path("second.iorx");
  Export(second);
  const std::string before = SubscriberImage();
  absl::StatusOr<ExchangeImportResult> r = Import(second);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(r.status().message()),
              HasSubstr("mapping 1 (/Sales -> /From Contoso): the file "
                        "continues an export this subscriber has not "
                        "imported"));
  EXPECT_EQ(SubscriberImage(), before);
  // A full export applies anywhere.
  const std::string full = Path("full.iorx");
  ExchangeOptions options;
  options.full = true;
  Export(full, options);
  r = Import(full);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->stats.message_changes, 3u);
  EXPECT_EQ(Snapshot(pub_, "/Sales"), Snapshot(sub_, "/From Contoso"));
  // And the one that was refused is covered now.
  r = Import(second);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->already_applied);
}

TEST_F(ExchangeTest,
       EveryTruncationAndManyBitFlipsAreRefusedWithNothingChanged) {
  const std::string file = Path("whole.iorx");
  Export(file);
  const std::string bytes = ReadFile(file);
  const std::string before = SubscriberImage();
  const std::string damaged = Path("damaged.iorx");
  for (size_t n = 0; n < bytes.size(); ++n) {
    WriteFile(damaged, bytes.substr(0, n));
    absl::StatusOr<ExchangeImportResult> r = Import(damaged);
    ASSERT_FALSE(r.ok()) << "truncated to " << n;
    EXPECT_EQ(r.status().code(), absl::StatusCode::kDataLoss) << n;
  }
  for (size_t at = 0; at < bytes.size(); at += 7) {
    std::string flipped = bytes;
    flipped[at] ^= 0x20;
    WriteFile(damaged, flipped);
    absl::StatusOr<ExchangeImportResult> r = Import(damaged);
    ASSERT_FALSE(r.ok()) << "flip at " << at;
  }
  EXPECT_EQ(SubscriberImage(), before);
  EXPECT_TRUE(Import(file).ok());
}

TEST_F(ExchangeTest, ForeignFilesAreRefused) {
  const std::string file = Path("foreign.iorx");
  Export(file);
  SessionConfig other = config_;
  other.name = "Another session";
  absl::StatusOr<ExchangeImportResult> r =
      ImportExchangeFile(other, *sub_.store, 0, file, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(r.status().message()),
              HasSubstr("the file belongs to session 'Files', not 'Another "
                        "session'"));
  other = config_;
  other.mappings[0].subscriber_path = "/Elsewhere";
  r = ImportExchangeFile(other, *sub_.store, 0, file, {});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()),
              HasSubstr("folder mappings differ"));

  // A file from another publisher replica, once this subscriber has a state.
  ASSERT_TRUE(Import(file).ok());
  Org impostor = MakeOrg(true, "ximpostor");
  impostor.MakePath("/Sales");
  impostor.Post("/Sales", "forged");
  const std::string forged = Path("forged.iorx");
  ASSERT_TRUE(ExportExchangeFile(config_, *impostor.store, forged, {}).ok());
  // Its first export is a full one (empty base): accepted as a new source.
  // An incremental one from it is not.
  impostor.Post("/Sales", "forged again");
  ASSERT_TRUE(ExportExchangeFile(config_, *impostor.store, forged, {}).ok());
  const std::string before = SubscriberImage();
  r = Import(forged);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()),
              HasSubstr("the file comes from publisher replica"));
  EXPECT_EQ(SubscriberImage(), before);
}

TEST_F(ExchangeTest, KeyedFilesNeedTheSameKey) {
  const std::string file = Path("keyed.iorx");
  ExchangeOptions keyed;
  keyed.key = "correct horse battery staple";
  Export(file, keyed);
  absl::StatusOr<ExchangeImportResult> r = Import(file);  // no key
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("set exchange_key"));
  ExchangeOptions wrong;
  wrong.key = "another key";
  r = Import(file, wrong);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(std::string(r.status().message()),
              ::testing::Not(HasSubstr("another key")));
  // An unkeyed file where a key is required.
  const std::string plain = Path("plain.iorx");
  ExchangeOptions full;
  full.full = true;
  Export(plain, full);
  r = Import(plain, keyed);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()),
              HasSubstr("requires an exchange key"));
  r = Import(file, keyed);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Snapshot(pub_, "/Sales"), Snapshot(sub_, "/From Contoso"));
}

TEST_F(ExchangeTest, BidirectionalMappingsAndMissingFoldersCannotExport) {
  SessionConfig both = config_;
  both.mappings[0].direction = MappingDirection::kBidirectional;
  absl::StatusOr<ExchangeExportResult> r =
      ExportExchangeFile(both, *pub_.store, Path("no.iorx"), {});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()),
              HasSubstr("mapping 1 is bidirectional"));
  SessionConfig missing = config_;
  missing.mappings[0].publisher_path = "/Nowhere";
  r = ExportExchangeFile(missing, *pub_.store, Path("no.iorx"), {});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()),
              HasSubstr("the publisher has no folder /Nowhere"));
  // A failed export leaves no file and no temporary behind.
  EXPECT_FALSE(std::ifstream(Path("no.iorx")).good());
  EXPECT_FALSE(std::ifstream(Path("no.iorx") + ".tmp").good());
}

TEST_F(ExchangeTest, AnExportWhoseFileCannotBeWrittenKeepsItsState) {
  absl::StatusOr<ExchangeExportResult> r =
      ExportExchangeFile(config_, *pub_.store, "/nonexistent-dir/x.iorx", {});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("cannot create"));
  // Nothing was marked exported: the next file carries everything.
  EXPECT_EQ(Export(Path("after.iorx")).entries, 3u);
}

TEST_F(ExchangeTest, PendingCountsWhatTheNextPassSends) {
  auto session = testing_util::MakeSession(config_, pub_, {&sub_});
  absl::StatusOr<std::vector<Session::Pending>> pending =
      session->CountPending();
  ASSERT_TRUE(pending.ok()) << pending.status();
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ((*pending)[0].mapping, "/Sales -> /From Contoso");
  EXPECT_EQ((*pending)[0].direction, "publisher -> subscriber 1");
  EXPECT_EQ((*pending)[0].changes, 3u);
  ASSERT_TRUE(session->Run().ok());
  EXPECT_EQ(session->CountPending().value()[0].changes, 0u);
  pub_.Post("/Sales", "new");
  EXPECT_EQ(session->CountPending().value()[0].changes, 1u);
  const absl::StatusOr<SessionStatistics> stats = session->Run();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->message_changes, 1u);
}

}  // namespace
}  // namespace ioreplication
