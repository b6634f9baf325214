// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "sync/folder_tree.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "ioreplication/replica.h"

namespace ioreplication::sync_internal {

absl::StatusOr<absl::flat_hash_map<SourceKey, int>> SubtreeDepths(
    Store& store, const SourceKey& root) {
  absl::flat_hash_map<SourceKey, int> depths = {{root, 0}};
  std::vector<SourceKey> frontier = {root};
  for (int depth = 1; !frontier.empty(); ++depth) {
    std::vector<SourceKey> next;
    for (const SourceKey& key : frontier) {
      absl::StatusOr<std::vector<Folder>> children =
          store.ListChildFolders(key);
      if (!children.ok()) return children.status();
      for (const Folder& child : *children) {
        // A damaged store could hold a cycle; never loop on it.
        if (depths.emplace(child.source_key, depth).second) {
          next.push_back(child.source_key);
        }
      }
    }
    frontier = std::move(next);
  }
  return depths;
}

// The folder at `path` in `store`, created (with its missing ancestors, and
// a root if the store has none) when absent.
namespace {

// One walk down `names`, creating what is missing. AlreadyExistsError when
// another writer created a folder of the path meanwhile.
absl::StatusOr<Folder> CreatePath(Store& store, Replica& replica,
                                  const std::vector<std::string>& names) {
  absl::StatusOr<std::vector<Folder>> roots =
      store.ListChildFolders(std::nullopt);
  if (!roots.ok()) return roots.status();
  Folder at;
  if (roots->empty()) {
    absl::StatusOr<Folder> root = replica.CreateRootFolder("Public Folders");
    if (!root.ok()) return root.status();
    at = *root;
  } else {
    at = roots->front();
  }
  for (const std::string& name : names) {
    absl::StatusOr<std::vector<Folder>> children =
        store.ListChildFolders(at.source_key);
    if (!children.ok()) return children.status();
    bool found_child = false;
    for (const Folder& child : *children) {
      if (absl::EqualsIgnoreCase(child.display_name, name)) {
        at = child;
        found_child = true;
        break;
      }
    }
    if (found_child) continue;
    absl::StatusOr<Folder> created = replica.CreateFolder(at.source_key, name);
    if (!created.ok()) return created.status();
    at = *created;
  }
  return at;
}

}  // namespace

absl::StatusOr<Folder> EnsureFolderPath(Store& store, std::string_view path) {
  absl::StatusOr<std::optional<Folder>> found = FindFolderByPath(store, path);
  if (!found.ok()) return found.status();
  if (found->has_value()) return **found;
  absl::StatusOr<std::vector<std::string>> names = SplitFolderPath(path);
  if (!names.ok()) return names.status();
  absl::StatusOr<std::unique_ptr<Replica>> replica = Replica::Open(&store);
  if (!replica.ok()) return replica.status();
  // Another session (or process) may be creating the same root or
  // ancestors at the same moment: whoever loses takes what the other made.
  // Each retry finds at least one more folder in place.
  absl::StatusOr<Folder> at = CreatePath(store, **replica, *names);
  for (size_t attempt = 0;
       absl::IsAlreadyExists(at.status()) && attempt <= names->size();
       ++attempt) {
    at = CreatePath(store, **replica, *names);
  }
  return at;
}

}  // namespace ioreplication::sync_internal
