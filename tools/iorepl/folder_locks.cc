// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "folder_locks.h"

#include <chrono>
#include <filesystem>

#include "absl/strings/ascii.h"
#include "ioreplication/folder_path.h"

namespace ioreplication::iorepl {
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

FolderLocks::Hold::~Hold() { locks_->Release(id_); }

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

std::unique_ptr<FolderLocks::Hold> FolderLocks::Acquire(
    const std::string& owner, std::vector<FolderTree> trees,
    const std::function<bool()>& cancelled,
    const std::function<void(const std::string&)>& on_wait) {
  std::unique_lock<std::mutex> lock(mu_);
  bool told = false;
  while (const std::string* other = InTheWay(trees)) {
    if (cancelled && cancelled()) return nullptr;
    if (!told && on_wait) {
      const std::string name = *other;
      lock.unlock();
      on_wait(name);
      lock.lock();
      told = true;
      continue;
    }
    released_.wait_for(lock, std::chrono::milliseconds(100));
  }
  const uint64_t id = next_id_++;
  held_.push_back({id, owner, std::move(trees)});
  return std::unique_ptr<Hold>(new Hold(this, id));
}

void FolderLocks::Release(uint64_t id) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    std::erase_if(held_, [id](const Held& h) { return h.id == id; });
  }
  released_.notify_all();
}

}  // namespace ioreplication::iorepl
