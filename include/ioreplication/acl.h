// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Acl: a public folder's permissions, member -> rights.
//
// Rights are the PidTagMemberRights flags of MS-OXCPERM section 2.2.7, so a
// host bridging to MAPI passes them through unchanged. Members are named by
// text the two organizations agree on: an SMTP address, or the special
// members "Default" (everyone authenticated) and "Anonymous".
//
// Thread safety: a value; const methods may be called concurrently.

#ifndef IOREPLICATION_ACL_H_
#define IOREPLICATION_ACL_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "ioreplication/export.h"

namespace ioreplication {

// PidTagMemberRights flags (MS-OXCPERM 2.2.7).
namespace rights {
inline constexpr uint32_t kReadAny = 0x00000001;
inline constexpr uint32_t kCreate = 0x00000002;  // create items
inline constexpr uint32_t kEditOwned = 0x00000008;
inline constexpr uint32_t kDeleteOwned = 0x00000010;
inline constexpr uint32_t kEditAny = 0x00000020;
inline constexpr uint32_t kDeleteAny = 0x00000040;
inline constexpr uint32_t kCreateSubfolder = 0x00000080;
inline constexpr uint32_t kFolderOwner = 0x00000100;
inline constexpr uint32_t kFolderContact = 0x00000200;
inline constexpr uint32_t kFolderVisible = 0x00000400;
inline constexpr uint32_t kFreeBusySimple = 0x00000800;    // calendars only
inline constexpr uint32_t kFreeBusyDetailed = 0x00001000;  // calendars only
// Every defined flag; others must not be set.
inline constexpr uint32_t kAll = 0x00001FFB;

// The usual roles.
inline constexpr uint32_t kReviewer = kReadAny | kFolderVisible;
inline constexpr uint32_t kAuthor =
    kReadAny | kCreate | kEditOwned | kDeleteOwned | kFolderVisible;
inline constexpr uint32_t kEditor = kAuthor | kEditAny | kDeleteAny;
inline constexpr uint32_t kOwner =
    kEditor | kCreateSubfolder | kFolderOwner | kFolderContact;
}  // namespace rights

class IOREPL_EXPORT Acl {
 public:
  struct Entry {
    std::string member;
    uint32_t rights;
    friend bool operator==(const Entry& a, const Entry& b) = default;
  };

  // Longest member name accepted, in bytes.
  static constexpr size_t kMaxMemberSize = 320;

  Acl() = default;

  // Grants `member` exactly `rights`, replacing what it had. Returns
  // InvalidArgumentError, and changes nothing, for an empty, over-long,
  // non-UTF-8 or control-character member name, or an undefined flag (also
  // when EditAny or DeleteAny comes without EditOwned or DeleteOwned, which
  // MS-OXCPERM requires alongside them).
  [[nodiscard]] absl::Status Set(std::string_view member, uint32_t rights);

  // The rights of `member`, if it has an entry.
  std::optional<uint32_t> Get(std::string_view member) const;

  // Removes `member`; returns whether it had an entry.
  bool Remove(std::string_view member);

  // Entries sorted by member name (byte order).
  std::span<const Entry> entries() const { return entries_; }
  bool empty() const { return entries_.empty(); }

  friend bool operator==(const Acl& a, const Acl& b) = default;

 private:
  std::vector<Entry> entries_;
};

}  // namespace ioreplication

#endif  // IOREPLICATION_ACL_H_
