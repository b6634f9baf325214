// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "ioreplication/folder.h"

#include "absl/strings/str_cat.h"
#include "core/utf8.h"

namespace ioreplication {

absl::Status ValidateFolderName(std::string_view name) {
  if (name.empty()) return absl::InvalidArgumentError("folder name is empty");
  if (name == "." || name == "..") {
    return absl::InvalidArgumentError(absl::StrCat(
        "folder name \"", std::string(name), "\" is reserved (paths use it)"));
  }
  if (absl::Status s = core_internal::ValidateText(name, "folder name");
      !s.ok()) {
    return s;
  }
  const size_t length = core_internal::CodePointCount(name);
  if (length > kMaxFolderNameLength) {
    return absl::InvalidArgumentError(absl::StrCat("folder name is ", length,
                                                   " characters; the limit is ",
                                                   kMaxFolderNameLength));
  }
  return absl::OkStatus();
}

}  // namespace ioreplication
