// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// FindFolderByPath: a path walked through the Store interface.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/match.h"
#include "ioreplication/folder_path.h"
#include "ioreplication/store.h"

namespace ioreplication {

absl::StatusOr<std::optional<Folder>> FindFolderByPath(Store& store,
                                                       std::string_view path) {
  absl::StatusOr<std::vector<std::string>> names = SplitFolderPath(path);
  if (!names.ok()) return names.status();
  absl::StatusOr<std::vector<Folder>> level =
      store.ListChildFolders(std::nullopt);
  if (!level.ok()) return level.status();
  if (level->empty()) return std::nullopt;
  Folder at = level->front();
  for (const std::string& name : *names) {
    level = store.ListChildFolders(at.source_key);
    if (!level.ok()) return level.status();
    bool found = false;
    for (Folder& child : *level) {
      if (absl::EqualsIgnoreCase(child.display_name, name)) {
        at = std::move(child);
        found = true;
        break;
      }
    }
    if (!found) return std::nullopt;
  }
  return at;
}

}  // namespace ioreplication
