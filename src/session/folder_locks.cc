// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "session/folder_locks.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "ioreplication/folder_path.h"

namespace ioreplication::session_internal {
namespace {

std::string NormalizeStore(const std::string& uri) {
  constexpr std::string_view kSqlite = "sqlite:";
  if (uri.rfind(kSqlite, 0) != 0) return uri;
  std::error_code error;
  std::filesystem::path path =
      std::filesystem::weakly_canonical(
          std::filesystem::absolute(uri.substr(kSqlite.size()), error), error)
          .lexically_normal();
  if (error) return uri;
  return std::string(kSqlite) + path.string();
}

FolderTree Tree(const std::string& uri, const std::string& path) {
  FolderTree tree{NormalizeStore(uri), {}};
  absl::StatusOr<std::vector<std::string>> names = SplitFolderPath(path);
  if (names.ok()) {
    for (std::string& name : *names) {
      tree.names.push_back(absl::AsciiStrToLower(name));
    }
  }
  return tree;
}

// FNV-1a: stable across processes and builds (absl::Hash is not). A
// collision only makes two trees take turns.
std::string FileName(const char* kind, std::string_view text) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return absl::StrCat(kind, "-", absl::Hex(h, absl::kZeroPad16), ".lock");
}

bool Conflict(const FolderTree& a, const FolderTree& b) {
  if (a.store != b.store) return false;
  const size_t n = std::min(a.names.size(), b.names.size());
  for (size_t i = 0; i < n; ++i) {
    if (a.names[i] != b.names[i]) return false;
  }
  return true;
}

}  // namespace

std::vector<FolderTree> TreesWritten(const SessionConfig& config,
                                     size_t subscriber) {
  std::vector<FolderTree> trees;
  for (const FolderMapping& m : config.mappings) {
    trees.push_back(Tree(config.subscribers[subscriber], m.subscriber_path));
    if (m.direction == MappingDirection::kBidirectional) {
      trees.push_back(Tree(config.publisher, m.publisher_path));
    }
  }
  return trees;
}

FolderLocks::FolderLocks(std::string lock_directory, absl::Duration poll)
    : directory_(std::move(lock_directory)), poll_(poll) {}

FolderLocks::~FolderLocks() {
  for (auto& [name, file] : files_) close(file.fd);
}

FolderLocks::Hold::~Hold() { locks_->Release(id_, files_); }

const std::string* FolderLocks::InTheWay(
    const std::vector<FolderTree>& trees) const {
  for (const Held& held : held_) {
    for (const FolderTree& mine : trees) {
      for (const FolderTree& theirs : held.trees) {
        if (Conflict(mine, theirs)) return &held.owner;
      }
    }
  }
  return nullptr;
}

std::vector<std::pair<std::string, bool>> FolderLocks::FilesFor(
    const std::vector<FolderTree>& trees) const {
  std::map<std::string, bool> files;  // name -> exclusive
  if (directory_.empty()) return {};
  for (const FolderTree& tree : trees) {
    const std::string store = FileName("store", tree.store);
    files[store] |= tree.names.empty();
    if (!tree.names.empty()) {
      files[FileName(
          "tree", absl::StrCat(tree.store, "\n", tree.names.front()))] = true;
    }
  }
  return {files.begin(), files.end()};
}

absl::StatusOr<bool> FolderLocks::TryFiles(
    const std::vector<std::pair<std::string, bool>>& files) {
  if (files.empty()) return true;
  std::error_code error;
  std::filesystem::create_directories(directory_, error);
  std::vector<std::string> opened;  // by this try
  auto undo = [&] {
    for (const std::string& name : opened) {
      close(files_[name].fd);
      files_.erase(name);
    }
  };
  for (const auto& [name, exclusive] : files) {
    if (files_.contains(name)) continue;  // held for another task already
    const std::string path = absl::StrCat(directory_, "/", name);
    const int fd = open(path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644);
    if (fd < 0) {
      const int e = errno;
      undo();
      return absl::UnavailableError(
          absl::StrCat("cannot open lock file ", path, ": ", std::strerror(e)));
    }
    if (flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0) {
      const int e = errno;
      close(fd);
      undo();
      if (e == EWOULDBLOCK || e == EINTR) return false;
      return absl::UnavailableError(
          absl::StrCat("cannot lock ", path, ": ", std::strerror(e)));
    }
    files_[name].fd = fd;
    opened.push_back(name);
  }
  for (const auto& [name, exclusive] : files) ++files_[name].users;
  return true;
}

absl::StatusOr<std::unique_ptr<FolderLocks::Hold>> FolderLocks::Acquire(
    const std::string& owner, std::vector<FolderTree> trees,
    const std::function<bool()>& cancelled,
    const std::function<void(const std::string&)>& on_wait) {
  std::unique_lock<std::mutex> lock(mu_);
  bool told = false;
  auto tell = [&](const std::string& who) {
    if (told || !on_wait) return false;
    told = true;
    lock.unlock();
    on_wait(who);
    lock.lock();
    return true;
  };
  while (const std::string* other = InTheWay(trees)) {
    if (cancelled && cancelled()) {
      return absl::CancelledError("stopped while waiting for folder locks");
    }
    if (tell(*other)) continue;
    released_.wait_for(lock, absl::ToChronoMilliseconds(poll_));
  }
  // Held in this process from here: its other tasks wait for this one
  // while it waits for other processes.
  const std::vector<std::pair<std::string, bool>> files = FilesFor(trees);
  const uint64_t id = next_id_++;
  held_.push_back({id, owner, std::move(trees)});
  auto give_up = [&](absl::Status status) {
    std::erase_if(held_, [id](const Held& h) { return h.id == id; });
    released_.notify_all();
    return status;
  };
  while (true) {
    absl::StatusOr<bool> got = TryFiles(files);
    if (!got.ok()) return give_up(got.status());
    if (*got) break;
    if (cancelled && cancelled()) {
      return give_up(
          absl::CancelledError("stopped while waiting for folder locks"));
    }
    if (tell(kAnotherProcess)) continue;
    released_.wait_for(lock, absl::ToChronoMilliseconds(poll_));
  }
  std::vector<std::string> names;
  for (const auto& [name, exclusive] : files) names.push_back(name);
  return std::unique_ptr<Hold>(new Hold(this, id, std::move(names)));
}

void FolderLocks::Release(uint64_t id, const std::vector<std::string>& files) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    std::erase_if(held_, [id](const Held& h) { return h.id == id; });
    for (const std::string& name : files) {
      auto it = files_.find(name);
      if (it == files_.end() || --it->second.users > 0) continue;
      close(it->second.fd);  // releases the flock
      files_.erase(it);
    }
  }
  released_.notify_all();
}

}  // namespace ioreplication::session_internal
