// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// FolderLocks: two session tasks that write the same destination folder run
// one after the other, so that neither creates what the other is creating
// (a duplicate folder or item). A task names every folder tree it writes (a
// store and a path); trees conflict when they are in the same store and one
// path is the other or lies under it. A task takes all its trees at once or
// waits, so tasks cannot deadlock.
//
// Within a process the trees are exact. With a lock directory, processes
// that name the same directory take turns too, through flock(2) on files in
// it: a tree takes its store's file shared and the file of its store and
// first folder name exclusively (the root, "/", takes the store's file
// exclusively). That is coarser than exact (/Sales/A and /Sales/B of one
// store take turns across processes) and never finer. A process takes each
// file once for all its tasks (the exact in-process rule already keeps those
// apart), and takes a task's files all at once or none, waiting between
// tries, so processes cannot deadlock either.

#ifndef IOREPLICATION_SRC_SESSION_FOLDER_LOCKS_H_
#define IOREPLICATION_SRC_SESSION_FOLDER_LOCKS_H_

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "ioreplication/session_config.h"

namespace ioreplication::session_internal {

struct FolderTree {
  std::string store;               // a normalized store URI
  std::vector<std::string> names;  // the path's names, lower case
};

// The trees a task of `config` for subscriber `subscriber` writes: the
// subscriber's mapped folders, and the publisher's for bidirectional
// mappings. SQLite paths are made absolute so that two spellings of one file
// are one store.
std::vector<FolderTree> TreesWritten(const SessionConfig& config,
                                     size_t subscriber);

class FolderLocks {
 public:
  // Who waits is told who is in the way: an owner of this process, or this
  // text for another process.
  static constexpr char kAnotherProcess[] = "another process";

  // `lock_directory` empty: in this process only. `poll`: how often a
  // waiting task tries again.
  explicit FolderLocks(std::string lock_directory = "",
                       absl::Duration poll = absl::Milliseconds(100));
  ~FolderLocks();

  class Hold {
   public:
    ~Hold();
    Hold(const Hold&) = delete;
    Hold& operator=(const Hold&) = delete;

   private:
    friend class FolderLocks;
    Hold(FolderLocks* locks, uint64_t id, std::vector<std::string> files)
        : locks_(locks), id_(id), files_(std::move(files)) {}
    FolderLocks* locks_;
    uint64_t id_;
    std::vector<std::string> files_;
  };

  // Waits until none of `trees` conflicts with a tree held by another task
  // (of this process, or of another one through the lock directory), then
  // holds them all until the Hold is destroyed. `on_wait` is called once,
  // with the owner in the way, if it has to wait. CancelledError when
  // `cancelled()` turns true while waiting; UnavailableError naming the
  // file when the lock directory cannot be written.
  absl::StatusOr<std::unique_ptr<Hold>> Acquire(
      const std::string& owner, std::vector<FolderTree> trees,
      const std::function<bool()>& cancelled,
      const std::function<void(const std::string&)>& on_wait = nullptr);

 private:
  struct Held {
    uint64_t id;
    std::string owner;
    std::vector<FolderTree> trees;
  };
  // A lock file this process holds, for `users` tasks.
  struct LockFile {
    int fd = -1;
    size_t users = 0;
  };
  void Release(uint64_t id, const std::vector<std::string>& files);
  // The owner of a held tree conflicting with `trees`, or null.
  const std::string* InTheWay(const std::vector<FolderTree>& trees) const;
  // The files `trees` take, each with true for exclusive, sorted.
  std::vector<std::pair<std::string, bool>> FilesFor(
      const std::vector<FolderTree>& trees) const;
  // Takes all of `files` (true) or none (false: another process holds
  // one). Called with mu_ held.
  absl::StatusOr<bool> TryFiles(
      const std::vector<std::pair<std::string, bool>>& files);
  void DropFile(const std::string& name);

  const std::string directory_;
  const absl::Duration poll_;
  std::mutex mu_;
  std::condition_variable released_;
  std::vector<Held> held_;
  std::map<std::string, LockFile> files_;
  uint64_t next_id_ = 1;
};

}  // namespace ioreplication::session_internal

#endif  // IOREPLICATION_SRC_SESSION_FOLDER_LOCKS_H_
