// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Mapped subtrees (paths themselves: ioreplication/folder_path.h).

#ifndef IOREPLICATION_SRC_SYNC_FOLDER_TREE_H_
#define IOREPLICATION_SRC_SYNC_FOLDER_TREE_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "ioreplication/folder_path.h"
#include "ioreplication/store.h"

namespace ioreplication::sync_internal {

// The folders of the subtree rooted at `root` (included, depth 0) with their
// depth below it. Cost: one ListChildFolders per folder in the subtree.
absl::StatusOr<absl::flat_hash_map<SourceKey, int>> SubtreeDepths(
    Store& store, const SourceKey& root);

// The folder at `path` in `store`, created (with its missing ancestors, and
// a root named "Public Folders" if the store has none) when absent.
absl::StatusOr<Folder> EnsureFolderPath(Store& store, std::string_view path);

}  // namespace ioreplication::sync_internal

#endif  // IOREPLICATION_SRC_SYNC_FOLDER_TREE_H_
