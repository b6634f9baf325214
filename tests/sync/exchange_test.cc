// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Exchange files: a one-way session carried by files gives the same result
// as a direct one, a file applied twice changes nothing, and damaged,
// truncated, foreign, out-of-order and wrongly keyed files are refused with
// nothing changed.

#include "ioreplication/exchange.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_join.h"
#include "exchange/exchange_file.h"
#include "filling_store.h"
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
    // Files an earlier run under the same process id left behind (export
    // refuses to replace a file).
    const std::string prefix = absl::StrCat("exchange_", getpid(), "_");
    std::error_code error;
    for (const auto& entry :
         std::filesystem::directory_iterator(::testing::TempDir(), error)) {
      if (entry.path().filename().string().rfind(prefix, 0) == 0) {
        std::filesystem::remove(entry.path(), error);
      }
    }
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

// With two subscribers where the second had not imported the previous
// file, import used to apply the file at the first and then say "import
// refused, nothing changed". Every subscriber is checked first now.
TEST_F(ExchangeTest, ASubscriberThatMissedAFileStopsTheImportEverywhere) {
  Org sub2 = MakeOrg(true, "xsub2");
  const SessionConfig two =
      MakeConfig("Files", pub_, {&sub_, &sub2},
                 {{"/Sales", "/From Contoso", MappingDirection::kOneWay}});
  const std::string first = Path("two_first.iorx");
  ASSERT_TRUE(ExportExchangeFile(two, *pub_.store, first, {}).ok());
  ASSERT_TRUE(ImportExchangeFile(two, *sub_.store, 0, first, {}).ok());
  pub_.Post("/Sales", "three");
  const std::string second = Path("two_second.iorx");
  ASSERT_TRUE(ExportExchangeFile(two, *pub_.store, second, {}).ok());
  const std::string before = SubscriberImage();
  const std::vector<Store*> both = {sub_.store.get(), sub2.store.get()};
  absl::StatusOr<std::vector<ExchangeImportResult>> r =
      ImportExchangeFile(two, both, second, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(r.status().message()),
              HasSubstr("subscriber 2 (" + sub2.uri + "): "));
  EXPECT_THAT(std::string(r.status().message()),
              HasSubstr("continues an export this subscriber has not "
                        "imported"));
  EXPECT_EQ(SubscriberImage(), before);  // nothing at subscriber 1 either
  // Importing the missing file everywhere, then the refused one, converges.
  r = ImportExchangeFile(two, both, first, {});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE((*r)[0].already_applied);
  EXPECT_EQ((*r)[1].stats.message_changes, 2u);
  r = ImportExchangeFile(two, both, second, {});
  ASSERT_TRUE(r.ok()) << r.status();
  for (const ExchangeImportResult& result : *r) {
    EXPECT_TRUE(result.status.ok()) << result.status;
    EXPECT_EQ(result.stats.message_changes, 1u);
  }
  EXPECT_EQ(Snapshot(pub_, "/Sales"), Snapshot(sub_, "/From Contoso"));
  EXPECT_EQ(Snapshot(pub_, "/Sales"), Snapshot(sub2, "/From Contoso"));
  // The wrong number of stores is refused.
  EXPECT_EQ(
      ImportExchangeFile(two, {sub_.store.get()}, second, {}).status().code(),
      absl::StatusCode::kInvalidArgument);
}

// On a full disk, import used to say "import refused, nothing changed"
// after committing most of the file, and to count nothing.
TEST_F(ExchangeTest, AnImportThatFillsTheDiskCountsWhatItCommitted) {
  for (int i = 0; i < 40; ++i) pub_.Post("/Sales", absl::StrCat("bulk ", i));
  config_.options.batch_size = 4;
  const std::string file = Path("filling.iorx");
  Export(file);
  testing_util::FillingStore filling(sub_.store.get());
  filling.FullAfter(4);
  absl::StatusOr<ExchangeImportResult> r =
      ImportExchangeFile(config_, filling, 0, file, {});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->status.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(std::string(r->status.message()),
              HasSubstr("database or disk is full"));
  const auto items_at_subscriber = [&] {
    return testing_util::CountItems(sub_, "/From Contoso");
  };
  const size_t committed = items_at_subscriber();
  EXPECT_GT(committed, 0u);
  EXPECT_LT(committed, 42u);
  EXPECT_EQ(r->stats.message_changes, committed);
  // Space again: the same file continues, and counts the rest.
  r = Import(file);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->status.ok()) << r->status;
  EXPECT_FALSE(r->already_applied);
  EXPECT_EQ(Snapshot(pub_, "/Sales"), Snapshot(sub_, "/From Contoso"));
  EXPECT_EQ(items_at_subscriber(), 42u);
  EXPECT_TRUE(Import(file)->already_applied);
}

// Files are read a frame at a time from disk: what is not a regular file is
// refused before anything is read, and a frame longer than any item of the
// session could need is damage, not an allocation.
TEST_F(ExchangeTest, WhatCannotBeAnExchangeFileIsRefusedWithoutReadingIt) {
  absl::StatusOr<ExchangeImportResult> r = Import("/dev/zero");
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(r.status().message()),
              HasSubstr("/dev/zero is not a regular file"));
  r = Import(::testing::TempDir());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  r = Import(Path("missing.iorx"));
  EXPECT_EQ(r.status().code(), absl::StatusCode::kNotFound);

  // A valid file whose one entry is bigger than max_item_size allows.
  pub_.Post("/Sales", "big", std::string(1536 << 10, 'b'));
  const std::string file = Path("bigframe.iorx");
  Export(file);
  const std::string before = SubscriberImage();
  config_.options.max_item_size = 1000;
  r = Import(file);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(SubscriberImage(), before);
  config_.options.max_item_size = 64 << 20;
  r = Import(file);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->stats.message_changes, 3u);
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
  const std::string forged_again = Path("forged_again.iorx");
  ASSERT_TRUE(
      ExportExchangeFile(config_, *impostor.store, forged_again, {}).ok());
  const std::string before = SubscriberImage();
  r = Import(forged_again);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()),
              HasSubstr("the file comes from publisher replica"));
  EXPECT_EQ(SubscriberImage(), before);
}

// Export used to replace an --out file that was never imported, after
// which the subscriber refused every later file until a full export.
TEST_F(ExchangeTest, ExportDoesNotReplaceAFileUnlessAskedTo) {
  const std::string file = Path("kept.iorx");
  Export(file);
  const std::string first = ReadFile(file);
  pub_.Post("/Sales", "three");
  absl::StatusOr<ExchangeExportResult> r =
      ExportExchangeFile(config_, *pub_.store, file, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(std::string(r.status().message()),
              HasSubstr("may not have imported it yet"));
  EXPECT_EQ(ReadFile(file), first);
  // The refused export advanced nothing: the first file and then the next
  // one carry everything.
  ASSERT_TRUE(Import(file).ok());
  ExchangeOptions replace;
  replace.overwrite = true;
  EXPECT_EQ(Export(file, replace).entries, 1u);
  absl::StatusOr<ExchangeImportResult> imported = Import(file);
  ASSERT_TRUE(imported.ok()) << imported.status();
  EXPECT_EQ(imported->stats.message_changes, 1u);
  EXPECT_EQ(Snapshot(pub_, "/Sales"), Snapshot(sub_, "/From Contoso"));
}

// A killed export used to leave "<path>.tmp" behind (7 MB in the report).
// The file has no name until it is complete now, and a "<path>.tmp" of an
// older version is removed by the next export.
TEST_F(ExchangeTest, AKilledExportLeavesNothingBehind) {
  const std::string dir = Path("killed");
  std::filesystem::create_directories(dir);
  const std::string file = dir + "/out.iorx";
  std::ofstream(file + ".tmp") << std::string(4096, 's');  // stale
  for (int i = 0; i < 200; ++i) pub_.Post("/Sales", absl::StrCat("bulk ", i));
  const pid_t child = fork();
  if (child == 0) {
    v1::ExchangeHeader header;
    header.set_format_version(1);
    absl::StatusOr<std::unique_ptr<exchange_internal::ExchangeWriter>> writer =
        exchange_internal::ExchangeWriter::Create(file, "", header, false);
    if (!writer.ok()) _exit(1);
    v1::ExchangeEntry entry;
    entry.set_mapping(0);
    for (int i = 0; i < 1000; ++i) {
      if (!(*writer)->Add(entry).ok()) _exit(2);
    }
    // Killed mid-write: no destructor, no cleanup.
    raise(SIGKILL);
    _exit(3);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << status;
  EXPECT_TRUE(std::filesystem::is_empty(dir));
  // The next export works, and leaves only its file.
  Export(file);
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    names.push_back(entry.path().filename().string());
  }
  EXPECT_THAT(names, ::testing::ElementsAre("out.iorx"));
  std::filesystem::remove_all(dir);
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
