// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// FolderLocks: two session tasks that write the same destination folder run
// one after the other, so that neither creates what the other is creating
// (a duplicate folder or item). A task names every folder tree it writes (a
// store and a path); trees conflict when they are in the same store and one
// path is the other or lies under it. A task takes all its trees at once or
// waits, so tasks cannot deadlock.
//
// The locks are per process: two `iorepl run` processes on the same stores
// are not serialized by them (SQLite still keeps each store consistent).

#ifndef IOREPLICATION_TOOLS_IOREPL_FOLDER_LOCKS_H_
#define IOREPLICATION_TOOLS_IOREPL_FOLDER_LOCKS_H_

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ioreplication/session.h"

namespace ioreplication::iorepl {

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
  class Hold {
   public:
    ~Hold();
    Hold(const Hold&) = delete;
    Hold& operator=(const Hold&) = delete;

   private:
    friend class FolderLocks;
    Hold(FolderLocks* locks, uint64_t id) : locks_(locks), id_(id) {}
    FolderLocks* locks_;
    uint64_t id_;
  };

  // Waits until none of `trees` conflicts with a tree held by another task,
  // then holds them all until the Hold is destroyed. `on_wait` is called
  // once, with the owner in the way, if it has to wait. Returns null when
  // `cancelled()` turns true while waiting (checked every 100 ms).
  std::unique_ptr<Hold> Acquire(
      const std::string& owner, std::vector<FolderTree> trees,
      const std::function<bool()>& cancelled,
      const std::function<void(const std::string&)>& on_wait = nullptr);

 private:
  struct Held {
    uint64_t id;
    std::string owner;
    std::vector<FolderTree> trees;
  };
  void Release(uint64_t id);
  // The owner of a held tree conflicting with `trees`, or null.
  const std::string* InTheWay(const std::vector<FolderTree>& trees) const;

  std::mutex mu_;
  std::condition_variable released_;
  std::vector<Held> held_;
  uint64_t next_id_ = 1;
};

}  // namespace ioreplication::iorepl

#endif  // IOREPLICATION_TOOLS_IOREPL_FOLDER_LOCKS_H_
