// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "ioreplication/acl.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "core/utf8.h"

namespace ioreplication {
namespace {

bool MemberLess(const Acl::Entry& e, std::string_view member) {
  return e.member < member;
}

}  // namespace

absl::Status Acl::Set(std::string_view member, uint32_t granted) {
  if (member.empty()) {
    return absl::InvalidArgumentError("ACL member name is empty");
  }
  if (member.size() > kMaxMemberSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("ACL member name is ", member.size(),
                     " bytes; the limit is ", kMaxMemberSize));
  }
  if (absl::Status s = core_internal::ValidateText(member, "ACL member name");
      !s.ok()) {
    return s;
  }
  if ((granted & ~rights::kAll) != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("ACL rights 0x", absl::Hex(granted, absl::kZeroPad8),
                     " set undefined flags 0x",
                     absl::Hex(granted & ~rights::kAll, absl::kZeroPad8)));
  }
  if (((granted & rights::kEditAny) && !(granted & rights::kEditOwned)) ||
      ((granted & rights::kDeleteAny) && !(granted & rights::kDeleteOwned))) {
    return absl::InvalidArgumentError(absl::StrCat(
        "ACL rights 0x", absl::Hex(granted, absl::kZeroPad8),
        ": EditAny needs EditOwned and DeleteAny needs DeleteOwned"));
  }
  auto pos =
      std::lower_bound(entries_.begin(), entries_.end(), member, MemberLess);
  if (pos != entries_.end() && pos->member == member) {
    pos->rights = granted;
  } else {
    entries_.insert(pos, Entry{std::string(member), granted});
  }
  return absl::OkStatus();
}

std::optional<uint32_t> Acl::Get(std::string_view member) const {
  auto pos =
      std::lower_bound(entries_.begin(), entries_.end(), member, MemberLess);
  if (pos == entries_.end() || pos->member != member) return std::nullopt;
  return pos->rights;
}

bool Acl::Remove(std::string_view member) {
  auto pos =
      std::lower_bound(entries_.begin(), entries_.end(), member, MemberLess);
  if (pos == entries_.end() || pos->member != member) return false;
  entries_.erase(pos);
  return true;
}

}  // namespace ioreplication
