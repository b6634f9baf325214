// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "ioreplication/item.h"

#include "absl/strings/str_cat.h"
#include "core/utf8.h"

namespace ioreplication {

size_t Item::ByteSize() const {
  size_t n = message_class.size() + properties.PayloadSize() + body.size();
  for (const Attachment& a : attachments) {
    n += a.file_name.size() + a.mime_type.size() + a.data.size();
  }
  return n;
}

absl::Status ValidateMessageClass(std::string_view message_class) {
  if (message_class.empty()) {
    return absl::InvalidArgumentError("message class is empty");
  }
  if (message_class.size() > kMaxMessageClassSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("message class is ", message_class.size(),
                     " bytes; the limit is ", kMaxMessageClassSize));
  }
  for (size_t i = 0; i < message_class.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(message_class[i]);
    if (c <= 0x20 || c >= 0x7F) {
      return absl::InvalidArgumentError(
          absl::StrCat("message class: byte ", i,
                       ": only printable ASCII without spaces is allowed"));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateItem(const Item& item) {
  if (absl::Status s = ValidateMessageClass(item.message_class); !s.ok()) {
    return s;
  }
  if (absl::Status s = core_internal::ValidateUtf8(item.body, "item body");
      !s.ok()) {
    return s;
  }
  for (size_t i = 0; i < item.attachments.size(); ++i) {
    const Attachment& a = item.attachments[i];
    const std::string what = absl::StrCat("attachment ", i, " file name");
    if (absl::Status s = core_internal::ValidateUtf8(a.file_name, what);
        !s.ok()) {
      return s;
    }
    for (size_t k = 0; k < a.file_name.size(); ++k) {
      const unsigned char c = static_cast<unsigned char>(a.file_name[k]);
      if (c < 0x20 || c == 0x7F) {
        return absl::InvalidArgumentError(
            absl::StrCat(what, ": byte ", k, ": control character"));
      }
    }
    if (absl::Status s = ValidateMessageClass(a.mime_type);
        !a.mime_type.empty() && !s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("attachment ", i,
                       " MIME type: only printable ASCII without spaces "
                       "is allowed"));
    }
  }
  return absl::OkStatus();
}

}  // namespace ioreplication
