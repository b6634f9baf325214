// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "ioreplication/recipient.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "core/text.h"
#include "core/utf8.h"
#include "model/recipient_checks.h"

namespace ioreplication {
namespace {

absl::Status Bad(std::string_view address, std::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("SMTP address \"", core_internal::Sv(address),
                   "\": ", core_internal::Sv(why)));
}

bool IsSpecial(unsigned char c) {
  return c <= 0x20 || c == 0x7F || c == '"' || c == '(' || c == ')' ||
         c == ',' || c == ':' || c == ';' || c == '<' || c == '>' || c == '@' ||
         c == '[' || c == '\\' || c == ']';
}

absl::Status CheckLabel(std::string_view address, std::string_view label) {
  if (label.empty()) return Bad(address, "the domain has an empty label");
  if (label.size() > 63) {
    return Bad(address,
               absl::StrCat("the domain label \"", core_internal::Sv(label),
                            "\" is over 63 bytes"));
  }
  if (label.front() == '-' || label.back() == '-') {
    return Bad(address,
               absl::StrCat("the domain label \"", core_internal::Sv(label),
                            "\" starts or ends with '-'"));
  }
  for (unsigned char c : label) {
    if (c >= 0x80 || absl::ascii_isalnum(c) || c == '-') continue;
    return Bad(address,
               absl::StrCat("the domain holds '", std::string(1, c), "'"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateSmtpAddress(std::string_view address) {
  if (address.empty()) {
    return absl::InvalidArgumentError("the SMTP address is empty");
  }
  if (address.size() > kMaxSmtpAddressLength) {
    return absl::InvalidArgumentError(
        absl::StrCat("SMTP address of ", address.size(),
                     " bytes; the limit is ", kMaxSmtpAddressLength));
  }
  if (absl::Status s = core_internal::ValidateUtf8(address, "SMTP address");
      !s.ok()) {
    return s;
  }
  const size_t at = address.rfind('@');
  if (at == std::string_view::npos) return Bad(address, "no '@'");
  const std::string_view local = address.substr(0, at);
  const std::string_view domain = address.substr(at + 1);
  if (local.empty()) return Bad(address, "nothing before the '@'");
  if (local.size() > 64) return Bad(address, "the local part is over 64 bytes");
  for (unsigned char c : local) {
    if (c < 0x80 && IsSpecial(c)) {
      return Bad(address, c <= 0x20 || c == 0x7F
                              ? std::string("a space or control character")
                              : absl::StrCat("the local part holds '",
                                             std::string(1, c), "'"));
    }
  }
  if (local.front() == '.' || local.back() == '.' ||
      local.find("..") != std::string_view::npos) {
    return Bad(address, "misplaced '.' in the local part");
  }
  if (domain.empty()) return Bad(address, "nothing after the '@'");
  size_t begin = 0;
  while (true) {
    const size_t dot = std::min(domain.find('.', begin), domain.size());
    if (absl::Status s = CheckLabel(address, domain.substr(begin, dot - begin));
        !s.ok()) {
      return s;
    }
    if (dot == domain.size()) break;
    begin = dot + 1;
  }
  return absl::OkStatus();
}

std::string SmtpAddressKey(std::string_view address) {
  std::string key(address);
  absl::AsciiStrToLower(&key);
  return key;
}

namespace model_internal {

absl::Status ValidateRecipientName(std::string_view name) {
  if (name.size() > kMaxRecipientNameLength) {
    return absl::InvalidArgumentError(
        absl::StrCat("display name of ", name.size(), " bytes; the limit is ",
                     kMaxRecipientNameLength));
  }
  return core_internal::ValidateText(name, "display name");
}

}  // namespace model_internal
}  // namespace ioreplication
