// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// What only a persistent store must do: keep everything across a reopen,
// refuse files it does not understand, and report corrupt records.

#include "stores/sqlite_backend.h"

#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "stores/folder_digest.h"
#include "stores/record_codec.h"

namespace ioreplication::stores_internal {
namespace {

using ::testing::HasSubstr;

GlobCnt GC(uint64_t v) { return GlobCnt::FromValue(v).value(); }

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = absl::StrCat(
        ::testing::TempDir(), "/sqlite_store_test_", getpid(), "_",
        ::testing::UnitTest::GetInstance()->current_test_info()->name(), ".db");
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::remove((path_ + suffix).c_str());
    }
  }

  std::unique_ptr<StoreKernel> Open() {
    absl::StatusOr<std::unique_ptr<StoreKernel>> store =
        OpenSqliteStore(path_, StoreOptions());
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? std::move(*store) : nullptr;
  }

  // Runs SQL on the file directly, as another program would.
  void RawExec(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error),
              SQLITE_OK)
        << (error ? error : "");
    sqlite3_free(error);
    sqlite3_close(db);
  }

  std::string path_;
};

TEST_F(SqliteStoreTest, EverythingSurvivesAReopen) {
  Folder root;
  root.source_key = SourceKey(Guid::Random(), GC(1));
  root.display_name = "Public";
  root.change_key = ChangeNumber(root.source_key.replica(), GC(1));
  StoreIdentity identity;
  {
    std::unique_ptr<StoreKernel> store = Open();
    identity = store->Identity().value();
    EXPECT_EQ(store->ReserveCounters(100).value().last, GC(100));
    ASSERT_TRUE(store->Begin().ok());
    ASSERT_TRUE(store->InsertFolder(root).ok());
    ASSERT_TRUE(store->PutSyncState("session", "state").ok());
    ASSERT_TRUE(store->Commit().ok());
    // An uncommitted transaction at close is rolled back.
    ASSERT_TRUE(store->Begin().ok());
    ASSERT_TRUE(store->PutSyncState("session", "uncommitted").ok());
  }
  std::unique_ptr<StoreKernel> store = Open();
  EXPECT_EQ(store->Identity().value(), identity);
  EXPECT_EQ(store->CounterHighWater().value(), GC(100));
  EXPECT_EQ(store->ReserveCounters(1).value().first, GC(101));
  EXPECT_EQ(store->GetFolder(root.source_key).value(), root);
  EXPECT_EQ(store->GetSyncState("session").value(), "state");
  EXPECT_TRUE(store->CheckIntegrity().ok());
}

TEST_F(SqliteStoreTest, HandlesOpeningANewFileAtOnceShareOneSchema) {
  // Two sessions of a service open a new subscriber file at the same time;
  // both must see one store (one identity), neither a schema error.
  for (int round = 0; round < 20; ++round) {
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::remove((path_ + suffix).c_str());
    }
    std::vector<std::unique_ptr<StoreKernel>> stores(4);
    std::vector<std::thread> threads;
    for (auto& store : stores) {
      threads.emplace_back([&] { store = Open(); });
    }
    for (std::thread& t : threads) t.join();
    ASSERT_NE(stores[0], nullptr);
    const StoreIdentity first = stores[0]->Identity().value();
    for (auto& store : stores) {
      ASSERT_NE(store, nullptr);
      EXPECT_EQ(store->Identity().value(), first);
    }
  }
}

TEST_F(SqliteStoreTest, UsesWalMode) {
  Open();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)),
               "wal");
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

TEST_F(SqliteStoreTest, RefusesANewerSchema) {
  Open();
  RawExec(
      absl::StrCat("PRAGMA user_version = ", kSqliteSchemaVersion + 1));
  absl::StatusOr<std::unique_ptr<StoreKernel>> store =
      OpenSqliteStore(path_, StoreOptions());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(store.status().message()),
              HasSubstr(absl::StrCat(
                  "schema version ", kSqliteSchemaVersion + 1,
                  ", newer than the ", kSqliteSchemaVersion)));
}

TEST_F(SqliteStoreTest, RefusesAForeignDatabase) {
  RawExec("CREATE TABLE mail (id INTEGER)");
  absl::StatusOr<std::unique_ptr<StoreKernel>> store =
      OpenSqliteStore(path_, StoreOptions());
  ASSERT_FALSE(store.ok());
  EXPECT_THAT(std::string(store.status().message()),
              HasSubstr("not an ioreplication store"));
}

TEST_F(SqliteStoreTest, RefusesAFileThatIsNotADatabase) {
  FILE* f = std::fopen(path_.c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fputs(
      "this is not an SQLite database, just some text that is long "
      "enough to have a header\n",
      f);
  std::fclose(f);
  absl::StatusOr<std::unique_ptr<StoreKernel>> store =
      OpenSqliteStore(path_, StoreOptions());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kDataLoss);
}

// A file written by schema version 1 (before local change numbers): opening
// it numbers the existing objects in their change-key order and carries on.
TEST_F(SqliteStoreTest, MigratesSchemaVersion1) {
  const Guid replica = Guid::Random();
  auto folder = [&](uint64_t key, std::optional<uint64_t> parent, uint64_t cn) {
    Folder f;
    f.source_key = SourceKey(replica, GC(key));
    if (parent) f.parent = SourceKey(replica, GC(*parent));
    f.display_name = absl::StrCat("folder ", key);
    f.change_key = ChangeNumber(replica, GC(cn));
    EXPECT_TRUE(f.pcl.Raise(f.change_key).ok());
    return f;
  };
  auto hex = [](const std::string& bytes) {
    std::string out = "x'";
    for (unsigned char c : bytes)
      absl::StrAppend(&out, absl::Hex(c, absl::kZeroPad2));
    return out + "'";
  };
  std::string rows;
  // Inserted out of change-key order: the migration sorts by change key.
  for (const Folder& f : {folder(1, {}, 9), folder(2, 1, 3)}) {
    const std::string guid(
        reinterpret_cast<const char*>(replica.bytes().data()), Guid::kSize);
    absl::StrAppend(&rows,
                    "INSERT INTO objects (source_key, kind, parent, "
                    "cn_replica, cn_counter, size, record) VALUES (",
                    hex(f.source_key.Encode()), ", 0, ",
                    f.parent ? hex(f.parent->Encode()) : "NULL", ", ",
                    hex(guid), ", ", f.change_key.counter().value(), ", 0, ",
                    hex(EncodeFolder(f)), ");");
  }
  RawExec(absl::StrCat(
      R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY, value ANY) STRICT;
CREATE TABLE counters (replica BLOB PRIMARY KEY, high INTEGER NOT NULL) STRICT;
CREATE TABLE objects (
  id INTEGER PRIMARY KEY, source_key BLOB NOT NULL UNIQUE,
  kind INTEGER NOT NULL, parent BLOB, cn_replica BLOB NOT NULL,
  cn_counter INTEGER NOT NULL, size INTEGER NOT NULL, record BLOB NOT NULL
) STRICT;
CREATE INDEX objects_by_cn ON objects (cn_replica, cn_counter);
CREATE INDEX objects_by_parent ON objects (parent, kind, source_key);
CREATE TABLE sync_state (name TEXT PRIMARY KEY, blob BLOB NOT NULL) STRICT;
INSERT INTO meta VALUES ('epoch', 0);
INSERT INTO counters VALUES (randomblob(16), 9);
)sql",
      "INSERT INTO meta VALUES ('replica', ",
      hex(std::string(reinterpret_cast<const char*>(replica.bytes().data()),
                      Guid::kSize)),
      ");", "INSERT INTO counters VALUES (",
      hex(std::string(reinterpret_cast<const char*>(replica.bytes().data()),
                      Guid::kSize)),
      ", 12); INSERT INTO sync_state VALUES ('session/x', x'0102');", rows,
      "PRAGMA user_version = 1;"));
  std::unique_ptr<StoreKernel> store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->Identity().value().replica, replica);
  // Schema 4 keeps them as the kernel's named values.
  EXPECT_EQ(store->CounterHighWater().value(), GC(12));
  EXPECT_EQ(store->GetSyncState("session/x").value(), std::string("\1\2"));
  EXPECT_EQ(store->MaxCounterInUse(replica).value(), GC(9));
  EXPECT_EQ(store->LocalCnHighWater().value(), GC(2));
  std::vector<Change> all =
      store->ReadChanges(GlobSet(), GlobCnt(), {}).value();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].source_key(), SourceKey(replica, GC(2)));  // change key 3
  EXPECT_EQ(all[0].local_cn, GC(1));
  EXPECT_EQ(all[1].source_key(), SourceKey(replica, GC(1)));  // change key 9
  EXPECT_EQ(all[1].local_cn, GC(2));
  // New writes continue the numbering.
  ASSERT_TRUE(store->Begin().ok());
  ASSERT_TRUE(store->InsertFolder(folder(3, 1, 20)).ok());
  ASSERT_TRUE(store->Commit().ok());
  EXPECT_EQ(store->LocalCnHighWater().value(), GC(3));
  EXPECT_TRUE(store->CheckIntegrity().ok());
}

// The kernel keeps each folder's digest as items change; a store whose kept
// values predate it (no "kernel_format": a file migrated from schema 3, a
// host table of an earlier release) has them computed when it is opened; a
// kept digest that disagrees with the items is found by CheckIntegrity.
TEST_F(SqliteStoreTest, KeepsDigestsAndComputesMissingOnes) {
  const Guid replica = Guid::Random();
  Folder root;
  root.source_key = SourceKey(replica, GC(1));
  root.display_name = "Public";
  root.change_key = ChangeNumber(replica, GC(1));
  Item item;
  item.source_key = SourceKey(replica, GC(2));
  item.folder = root.source_key;
  item.change_key = ChangeNumber(replica, GC(2));
  ASSERT_TRUE(item.pcl.Raise(item.change_key).ok());
  item.message_class = "IPM.Post";
  {
    std::unique_ptr<StoreKernel> store = Open();
    ASSERT_TRUE(store->Begin().ok());
    ASSERT_TRUE(store->InsertFolder(root).ok());
    ASSERT_TRUE(store->InsertItem(item).ok());
    ASSERT_TRUE(store->Commit().ok());
  }
  RawExec(
      "DELETE FROM named_values WHERE name = 'kernel_format' OR "
      "name LIKE 'digest/%' OR name LIKE 'in_use/%'");
  std::unique_ptr<StoreKernel> store = Open();
  ASSERT_NE(store, nullptr);
  FolderDigest expected;
  AddItem(expected, item.source_key, item.change_key);
  EXPECT_EQ(store->GetFolderDigest(root.source_key).value(), expected);
  EXPECT_EQ(store->MaxCounterInUse(replica).value(), GC(2));
  Item second = item;
  second.source_key = SourceKey(replica, GC(3));
  second.change_key = ChangeNumber(replica, GC(3));
  ASSERT_TRUE(store->Begin().ok());
  ASSERT_TRUE(store->InsertItem(second).ok());
  ASSERT_TRUE(store->Commit().ok());
  AddItem(expected, second.source_key, second.change_key);
  EXPECT_EQ(store->GetFolderDigest(root.source_key).value(), expected);
  EXPECT_TRUE(store->CheckIntegrity().ok());
  store.reset();

  // Seven items, says the kept digest.
  RawExec(
      "UPDATE named_values SET value = CAST(x'0700000000000000' || "
      "substr(value, 9) AS BLOB) WHERE name LIKE 'digest/%'");
  store = Open();
  EXPECT_THAT(store->CheckIntegrity().message(),
              HasSubstr("1 folders' kept digests differ from their items"));
}

TEST_F(SqliteStoreTest, CorruptRecordsAreDataLossNotCrashes) {
  Folder root;
  root.source_key = SourceKey(Guid::Random(), GC(1));
  root.display_name = "Public";
  {
    std::unique_ptr<StoreKernel> store = Open();
    ASSERT_TRUE(store->Begin().ok());
    ASSERT_TRUE(store->InsertFolder(root).ok());
    ASSERT_TRUE(store->Commit().ok());
  }
  RawExec("UPDATE objects SET record = x'0a03ffffff'");
  std::unique_ptr<StoreKernel> store = Open();
  absl::StatusOr<Folder> folder = store->GetFolder(root.source_key);
  ASSERT_FALSE(folder.ok());
  EXPECT_EQ(folder.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(folder.status().message()),
              HasSubstr("folder record"));
  EXPECT_EQ(store->ReadChanges(GlobSet(), GlobCnt(), {}).status().code(),
            absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace ioreplication::stores_internal
