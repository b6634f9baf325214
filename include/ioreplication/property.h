// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// PropTag, PropValue and PropertyBag: MAPI-style properties of folders and
// items.
//
// A property tag is a 16-bit property ID and a 16-bit type, as in MAPI
// (MS-OXCDATA section 2.9): PidTagMessageClass is 0x001A001F, ID 0x001A and
// type PT_UNICODE. Hosts that bridge to MAPI keep their tags unchanged. The
// value of a property must be of its tag's type; strings are UTF-8 (PT_UNICODE
// travels as UTF-8 here, not UTF-16) and must be valid.
//
// Thread safety: values; const methods may be called concurrently.

#ifndef IOREPLICATION_PROPERTY_H_
#define IOREPLICATION_PROPERTY_H_

#include <compare>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "ioreplication/clock.h"
#include "ioreplication/export.h"

namespace ioreplication {

// The property types supported, with their MAPI type codes.
enum class PropType : uint16_t {
  kInt32 = 0x0003,     // PT_LONG
  kBoolean = 0x000B,   // PT_BOOLEAN
  kInt64 = 0x0014,     // PT_I8
  kString = 0x001F,    // PT_UNICODE (held as UTF-8)
  kTime = 0x0040,      // PT_SYSTIME (FILETIME)
  kBinary = 0x0102,    // PT_BINARY
  kMvInt32 = 0x1003,   // PT_MV_LONG
  kMvInt64 = 0x1014,   // PT_MV_I8
  kMvString = 0x101F,  // PT_MV_UNICODE
  kMvTime = 0x1040,    // PT_MV_SYSTIME
  kMvBinary = 0x1102,  // PT_MV_BINARY
};

// True when `code` is one of the PropType values above.
IOREPL_EXPORT bool IsKnownPropType(uint16_t code);

class IOREPL_EXPORT PropTag {
 public:
  constexpr PropTag(uint16_t id, PropType type)
      : value_(uint32_t{id} << 16 | static_cast<uint16_t>(type)) {}

  // Builds a tag from its 32-bit form. Returns InvalidArgumentError for an
  // unsupported type or property ID 0.
  [[nodiscard]] static absl::StatusOr<PropTag> FromValue(uint32_t value);

  constexpr uint32_t value() const { return value_; }
  constexpr uint16_t id() const { return static_cast<uint16_t>(value_ >> 16); }
  constexpr PropType type() const {
    return static_cast<PropType>(value_ & 0xFFFF);
  }

  // "0x001A001F".
  std::string ToString() const;

  friend constexpr bool operator==(PropTag a, PropTag b) = default;
  friend constexpr std::strong_ordering operator<=>(PropTag a,
                                                    PropTag b) = default;

 private:
  uint32_t value_;
};

// Binary property data, distinct from string data in a PropValue.
struct Bytes {
  std::string data;
  friend bool operator==(const Bytes& a, const Bytes& b) = default;
};

// One value; the alternative must match the tag's PropType.
using PropValue = std::variant<int32_t, bool, int64_t, std::string, FileTime,
                               Bytes, std::vector<int32_t>,
                               std::vector<int64_t>, std::vector<std::string>,
                               std::vector<FileTime>, std::vector<Bytes>>;

// The PropType a value can be stored under.
IOREPL_EXPORT PropType TypeOf(const PropValue& value);

// Bytes of payload a value holds (string and binary contents, 4 or 8 per
// number), for size limits.
IOREPL_EXPORT size_t PayloadSize(const PropValue& value);

class IOREPL_EXPORT PropertyBag {
 public:
  struct Entry {
    PropTag tag;
    PropValue value;
    friend bool operator==(const Entry& a, const Entry& b) = default;
  };

  PropertyBag() = default;

  // Sets `tag` to `value`, replacing any value it had. Returns
  // InvalidArgumentError, and changes nothing, when the value's type is not
  // the tag's or a string is not valid UTF-8.
  [[nodiscard]] absl::Status Set(PropTag tag, PropValue value);

  // The value of `tag`, or nullptr.
  const PropValue* Get(PropTag tag) const;

  // Removes `tag`; returns whether it was there.
  bool Remove(PropTag tag);

  // Entries in ascending tag order.
  std::span<const Entry> entries() const { return entries_; }
  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }

  // Sum of PayloadSize over all values.
  size_t PayloadSize() const;

  friend bool operator==(const PropertyBag& a, const PropertyBag& b) = default;

 private:
  std::vector<Entry> entries_;
};

}  // namespace ioreplication

#endif  // IOREPLICATION_PROPERTY_H_
