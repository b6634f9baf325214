// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "stores/store_checks.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace ioreplication::stores_internal {

absl::Status CheckInTransaction(bool in_transaction, const char* operation) {
  if (in_transaction) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat(operation, " needs an open transaction (call Begin())"));
}

absl::Status CheckFolder(const Folder& folder) {
  return ValidateFolderName(folder.display_name);
}

absl::Status CheckItem(const Item& item, const StoreOptions& options) {
  if (absl::Status s = ValidateItem(item); !s.ok()) return s;
  const size_t size = item.ByteSize();
  if (size > options.max_item_size) {
    return absl::ResourceExhaustedError(
        absl::StrCat("item ", item.source_key.ToString(), " is ", size,
                     " bytes; this store's limit is ", options.max_item_size));
  }
  return absl::OkStatus();
}

std::optional<GlobRange> ExcludedRange(const GlobSet& exclude,
                                       GlobCnt local_cn) {
  const auto ranges = exclude.ranges();
  const uint64_t v = local_cn.value();
  auto after = std::upper_bound(
      ranges.begin(), ranges.end(), v,
      [](uint64_t x, const GlobRange& r) { return x < r.low; });
  if (after == ranges.begin() || (after - 1)->high < v) return std::nullopt;
  return *(after - 1);
}

absl::Status NotFound(const char* what, const SourceKey& key) {
  return absl::NotFoundError(absl::StrCat("no ", what, " ", key.ToString()));
}

absl::Status KeyInUseError(const SourceKey& key) {
  return absl::AlreadyExistsError(
      absl::StrCat("source key ", key.ToString(), " is already in use"));
}

absl::Status MissingParent(const char* what, const SourceKey& parent) {
  return absl::FailedPreconditionError(absl::StrCat(
      what, " parent folder ", parent.ToString(), " does not exist"));
}

}  // namespace ioreplication::stores_internal
