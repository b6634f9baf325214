// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Item: one message in a public folder (a post, an appointment, a contact).
//
// Like a folder, an item is identified by its source key and versioned by
// its change key and PCL. Its content is a message class, a property bag, a
// body and attachments. Values of a few MiB are normal; the total size limit
// is a store option, checked against ByteSize().
//
// Thread safety: a value.

#ifndef IOREPLICATION_ITEM_H_
#define IOREPLICATION_ITEM_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "ioreplication/clock.h"
#include "ioreplication/export.h"
#include "ioreplication/ids.h"
#include "ioreplication/pcl.h"
#include "ioreplication/property.h"

namespace ioreplication {

struct Attachment {
  std::string file_name;  // UTF-8; may be empty
  std::string mime_type;  // e.g. "application/pdf"; may be empty
  std::string data;       // the content, any bytes

  friend bool operator==(const Attachment& a, const Attachment& b) = default;
};

struct Item {
  SourceKey source_key;
  SourceKey folder;  // the parent folder's source key
  ChangeNumber change_key;
  Pcl pcl;
  FileTime last_modified;
  // PidTagMessageClass, e.g. "IPM.Post", "IPM.Appointment", "IPM.Contact".
  std::string message_class;
  PropertyBag properties;
  std::string body;  // UTF-8 text body
  std::vector<Attachment> attachments;

  // Bytes of content: class, properties, body and attachments. What store
  // size limits count.
  size_t ByteSize() const;

  friend bool operator==(const Item& a, const Item& b) = default;
};

// Longest message class, in bytes (MAPI allows 255 characters).
inline constexpr size_t kMaxMessageClassSize = 255;

// OK when `message_class` is 1..255 printable ASCII characters without
// spaces, as MAPI message classes are ("IPM.Note.Custom"). Otherwise
// InvalidArgumentError.
IOREPL_EXPORT absl::Status ValidateMessageClass(std::string_view message_class);

// OK when the item's own fields are well formed: a valid message class, a
// UTF-8 body, UTF-8 attachment names without control characters. Does not
// check sizes (a store option) or the folder (the store's business).
IOREPL_EXPORT absl::Status ValidateItem(const Item& item);

}  // namespace ioreplication

#endif  // IOREPLICATION_ITEM_H_
