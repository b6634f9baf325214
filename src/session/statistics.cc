// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "ioreplication/statistics.h"

#include "absl/strings/str_cat.h"
#include "core/text.h"

namespace ioreplication {

std::string_view ReasonName(Reason reason) {
  switch (reason) {
    case Reason::kAlreadyPresent:
      return "already_present";
    case Reason::kOlderVersion:
      return "older_version";
    case Reason::kTooLarge:
      return "too_large";
    case Reason::kOutOfScope:
      return "out_of_scope";
    case Reason::kMappingRoot:
      return "mapping_root";
    case Reason::kPermissionMismatch:
      return "permission_mismatch";
    case Reason::kWriteFailed:
      return "write_failed";
    case Reason::kInvalidObject:
      return "invalid_object";
    case Reason::kNameClash:
      return "name_clash";
    case Reason::kParentMissing:
      return "parent_missing";
    case Reason::kFolderNotEmpty:
      return "folder_not_empty";
    case Reason::kNoRecipient:
      return "no_recipient";
  }
  return "unknown";
}

uint64_t ReasonCounts::Total() const {
  uint64_t total = 0;
  for (uint64_t n : counts_) total += n;
  return total;
}

void ReasonCounts::Merge(const ReasonCounts& other) {
  for (size_t i = 0; i < kReasonCount; ++i) counts_[i] += other.counts_[i];
}

std::string ReasonCounts::ToString() const {
  std::string out;
  for (size_t i = 0; i < kReasonCount; ++i) {
    if (counts_[i] == 0) continue;
    absl::StrAppend(&out, out.empty() ? "" : ", ",
                    core_internal::Sv(ReasonName(static_cast<Reason>(i))), "=",
                    counts_[i]);
  }
  return out;
}

void SessionStatistics::Merge(const SessionStatistics& other) {
  message_changes += other.message_changes;
  message_deletions += other.message_deletions;
  message_ignores += other.message_ignores;
  message_errors += other.message_errors;
  folder_changes += other.folder_changes;
  folder_deletions += other.folder_deletions;
  folder_ignores += other.folder_ignores;
  folder_errors += other.folder_errors;
  conflicts += other.conflicts;
  bytes += other.bytes;
  reconciliations += other.reconciliations;
  differences += other.differences;
  duration += other.duration;
  message_ignore_reasons.Merge(other.message_ignore_reasons);
  message_error_reasons.Merge(other.message_error_reasons);
  folder_ignore_reasons.Merge(other.folder_ignore_reasons);
  folder_error_reasons.Merge(other.folder_error_reasons);
}

bool SessionStatistics::Quiescent() const {
  return message_changes + message_deletions + message_ignores +
             message_errors + folder_changes + folder_deletions +
             folder_ignores + folder_errors + conflicts ==
         0;
}

std::string_view SessionTypeName(SessionType type) {
  switch (type) {
    case SessionType::kPublicFolder:
      return "Public Folder";
    case SessionType::kFreeBusy:
      return "Free/Busy";
  }
  return "Unknown";
}

std::string RenderStatisticsLine(SessionType type,
                                 std::string_view session_name,
                                 const SessionStatistics& s) {
  return absl::StrCat(
      "Statistics for ", core_internal::Sv(SessionTypeName(type)),
      " replication session '",
      absl::string_view(session_name.data(), session_name.size()), "' [",
      s.message_changes, " Message Changes, ", s.message_deletions,
      " Message Deletions, ", s.message_ignores, " Message Ignores, ",
      s.message_errors, " Message Errors, ", s.folder_changes,
      " Folder Changes, ", s.folder_deletions, " Folder Deletions, ",
      s.folder_ignores, " Folder Ignores, ", s.folder_errors,
      " Folder Errors].");
}

}  // namespace ioreplication
