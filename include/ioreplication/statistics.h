// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Statistics: what one session pass did, in the original tool's terms.
//
// The InterOrg Replication service logged one line per session pass:
//
//   Statistics for Public Folder replication session 'Sales share' [81
//   Message Changes, 0 Message Deletions, 690 Message Ignores, 0 Message
//   Errors, 0 Folder Changes, 0 Folder Deletions, 0 Folder Ignores, 0 Folder
//   Errors].
//
// SessionStatistics keeps those eight counts and more: conflicts, bytes,
// duration, full reconciliations, and for every ignore and error the reason,
// so "690 Message Ignores" can be explained. RenderStatisticsLine() writes the
// classic line exactly.
//
// Unlike the original, an object that is already up to date at the
// destination is not sent at all and so is not an ignore: a quiescent pair of
// stores reports zero of everything.
//
// Thread safety: values.

#ifndef IOREPLICATION_STATISTICS_H_
#define IOREPLICATION_STATISTICS_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "ioreplication/export.h"

namespace ioreplication {

// Why a folder or message was ignored or failed. Stable names (ReasonName)
// appear in logs and JSON; new reasons are added at the end.
enum class Reason : uint8_t {
  // Ignores.
  kAlreadyPresent,  // the destination has this exact version
  kOlderVersion,    // the destination has a newer version
  kTooLarge,        // above the session's maximum item size
  kOutOfScope,      // the object is outside the destination's mapped folders
  kMappingRoot,     // a change to a mapped root folder itself
  // Errors (retried on the next run).
  kPermissionMismatch,  // the replication account's rights differ
  kWriteFailed,         // the destination store refused the write
  kInvalidObject,       // the incoming object is malformed
  kNameClash,           // a different folder of that name exists at the parent
  kParentMissing,       // the destination parent folder does not exist
  // Never produced: a deletion of a folder that still holds objects keeps
  // the folder as a new version, or waits a pass for them. Kept so that the
  // values after it (and the C ABI's IOREPL_REASON_*) stay as they are.
  kFolderNotEmpty,
  // Ignores (added later; sent again on the next run).
  kNoRecipient,  // free/busy: the subscriber has no contact with the address
};
inline constexpr size_t kReasonCount =
    static_cast<size_t>(Reason::kNoRecipient) + 1;

// "already_present", "older_version", ...
IOREPL_EXPORT std::string_view ReasonName(Reason reason);

// Counts per reason.
class IOREPL_EXPORT ReasonCounts {
 public:
  void Add(Reason reason, uint64_t n = 1) {
    counts_[static_cast<size_t>(reason)] += n;
  }
  uint64_t operator[](Reason reason) const {
    return counts_[static_cast<size_t>(reason)];
  }
  uint64_t Total() const;
  void Merge(const ReasonCounts& other);
  // "older_version=3, too_large=1"; empty when all are zero.
  std::string ToString() const;
  friend bool operator==(const ReasonCounts& a,
                         const ReasonCounts& b) = default;

 private:
  std::array<uint64_t, kReasonCount> counts_{};
};

struct SessionStatistics {
  uint64_t message_changes = 0;    // items created or updated
  uint64_t message_deletions = 0;  // items deleted
  uint64_t message_ignores = 0;
  uint64_t message_errors = 0;
  uint64_t folder_changes = 0;
  uint64_t folder_deletions = 0;
  uint64_t folder_ignores = 0;
  uint64_t folder_errors = 0;
  // Conflicting versions resolved (each counted once per destination).
  uint64_t conflicts = 0;
  // Bytes of item content written at destinations.
  uint64_t bytes = 0;
  // Directions that fell back to a full reconciliation (a source restored
  // or re-created, or tombstones purged before this session saw them).
  uint64_t reconciliations = 0;
  // Differences a periodic verify found (SessionOptions::verify_interval);
  // the next pass sends those objects again.
  uint64_t differences = 0;
  absl::Duration duration;
  ReasonCounts message_ignore_reasons;
  ReasonCounts message_error_reasons;
  ReasonCounts folder_ignore_reasons;
  ReasonCounts folder_error_reasons;

  // Adds `other`'s counts to these (durations add too).
  void Merge(const SessionStatistics& other);
  // True when nothing at all was changed, ignored or failed.
  bool Quiescent() const;
  friend bool operator==(const SessionStatistics& a,
                         const SessionStatistics& b) = default;
};

// The session types, as the classic line names them.
enum class SessionType : uint8_t {
  kPublicFolder,  // "Public Folder"
  kFreeBusy,      // "Free/Busy"
};

IOREPL_EXPORT std::string_view SessionTypeName(SessionType type);

// The classic statistics line, exactly:
//   Statistics for Public Folder replication session 'NAME' [N Message
//   Changes, N Message Deletions, N Message Ignores, N Message Errors, N
//   Folder Changes, N Folder Deletions, N Folder Ignores, N Folder Errors].
// (one line, no line breaks; NAME as given).
IOREPL_EXPORT std::string RenderStatisticsLine(SessionType type,
                                               std::string_view session_name,
                                               const SessionStatistics& stats);

}  // namespace ioreplication

#endif  // IOREPLICATION_STATISTICS_H_
