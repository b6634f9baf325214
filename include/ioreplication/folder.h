// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Folder: one public folder as a replica holds it.
//
// Identity is the source key, fixed for the folder's life on every replica.
// The version is the change key (the last change) and the PCL (every change
// folded in); conflict detection compares PCLs. The root of a store's
// public folder tree has no parent.
//
// Thread safety: a value.

#ifndef IOREPLICATION_FOLDER_H_
#define IOREPLICATION_FOLDER_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "ioreplication/acl.h"
#include "ioreplication/clock.h"
#include "ioreplication/export.h"
#include "ioreplication/ids.h"
#include "ioreplication/pcl.h"
#include "ioreplication/property.h"

namespace ioreplication {

struct Folder {
  SourceKey source_key;
  // The parent folder; nullopt only for the root of a store's tree.
  std::optional<SourceKey> parent;
  std::string display_name;
  ChangeNumber change_key;
  Pcl pcl;
  FileTime last_modified;
  PropertyBag properties;
  Acl acl;

  friend bool operator==(const Folder& a, const Folder& b) = default;
};

// Longest folder name, in code points.
inline constexpr size_t kMaxFolderNameLength = 256;

// OK when `name` can name a folder: 1..256 code points of valid UTF-8, no
// control characters (C0, DEL or C1), and neither "." nor "..". This one
// check serves every way a folder gets a name: the local API (Replica), the
// C ABI and Python (which call it), import from another organization, and
// stores reading their records. A '/' is allowed (MS-OXOPFFB's free/busy site
// folders have them); paths escape it (ioreplication/folder_path.h).
// Otherwise InvalidArgumentError saying which rule failed and where.
IOREPL_EXPORT absl::Status ValidateFolderName(std::string_view name);

}  // namespace ioreplication

#endif  // IOREPLICATION_FOLDER_H_
