// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "ioreplication/property.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "core/utf8.h"

namespace ioreplication {
namespace {

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

bool TagLess(const PropertyBag::Entry& e, PropTag tag) { return e.tag < tag; }

}  // namespace

bool IsKnownPropType(uint16_t code) {
  switch (static_cast<PropType>(code)) {
    case PropType::kInt32:
    case PropType::kBoolean:
    case PropType::kInt64:
    case PropType::kString:
    case PropType::kTime:
    case PropType::kBinary:
    case PropType::kMvInt32:
    case PropType::kMvInt64:
    case PropType::kMvString:
    case PropType::kMvTime:
    case PropType::kMvBinary:
      return true;
  }
  return false;
}

absl::StatusOr<PropTag> PropTag::FromValue(uint32_t value) {
  const uint16_t type = value & 0xFFFF;
  if (!IsKnownPropType(type)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "property tag 0x", absl::Hex(value, absl::kZeroPad8),
        ": unsupported type 0x", absl::Hex(type, absl::kZeroPad4)));
  }
  if ((value >> 16) == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("property tag 0x", absl::Hex(value, absl::kZeroPad8),
                     ": property ID 0 is reserved"));
  }
  return PropTag(static_cast<uint16_t>(value >> 16),
                 static_cast<PropType>(type));
}

std::string PropTag::ToString() const {
  return absl::StrCat("0x", absl::Hex(value_, absl::kZeroPad8));
}

PropType TypeOf(const PropValue& value) {
  return std::visit(
      Overloaded{
          [](int32_t) { return PropType::kInt32; },
          [](bool) { return PropType::kBoolean; },
          [](int64_t) { return PropType::kInt64; },
          [](const std::string&) { return PropType::kString; },
          [](FileTime) { return PropType::kTime; },
          [](const Bytes&) { return PropType::kBinary; },
          [](const std::vector<int32_t>&) { return PropType::kMvInt32; },
          [](const std::vector<int64_t>&) { return PropType::kMvInt64; },
          [](const std::vector<std::string>&) { return PropType::kMvString; },
          [](const std::vector<FileTime>&) { return PropType::kMvTime; },
          [](const std::vector<Bytes>&) { return PropType::kMvBinary; },
      },
      value);
}

size_t PayloadSize(const PropValue& value) {
  return std::visit(
      Overloaded{
          [](int32_t) -> size_t { return 4; },
          [](bool) -> size_t { return 1; },
          [](int64_t) -> size_t { return 8; },
          [](const std::string& s) { return s.size(); },
          [](FileTime) -> size_t { return 8; },
          [](const Bytes& b) { return b.data.size(); },
          [](const std::vector<int32_t>& v) { return 4 * v.size(); },
          [](const std::vector<int64_t>& v) { return 8 * v.size(); },
          [](const std::vector<std::string>& v) {
            size_t n = 0;
            for (const auto& s : v) n += s.size();
            return n;
          },
          [](const std::vector<FileTime>& v) { return 8 * v.size(); },
          [](const std::vector<Bytes>& v) {
            size_t n = 0;
            for (const auto& b : v) n += b.data.size();
            return n;
          },
      },
      value);
}

absl::Status PropertyBag::Set(PropTag tag, PropValue value) {
  if (TypeOf(value) != tag.type()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "property ", tag.ToString(), ": value of type 0x",
        absl::Hex(static_cast<uint16_t>(TypeOf(value)), absl::kZeroPad4),
        " does not match the tag's type"));
  }
  const std::string what = absl::StrCat("property ", tag.ToString());
  if (const auto* text = std::get_if<std::string>(&value)) {
    if (absl::Status st = core_internal::ValidateUtf8(*text, what); !st.ok()) {
      return st;
    }
  } else if (const auto* texts =
                 std::get_if<std::vector<std::string>>(&value)) {
    for (const std::string& t : *texts) {
      if (absl::Status st = core_internal::ValidateUtf8(t, what); !st.ok()) {
        return st;
      }
    }
  }
  auto pos = std::lower_bound(entries_.begin(), entries_.end(), tag, TagLess);
  if (pos != entries_.end() && pos->tag == tag) {
    pos->value = std::move(value);
  } else {
    entries_.insert(pos, Entry{tag, std::move(value)});
  }
  return absl::OkStatus();
}

const PropValue* PropertyBag::Get(PropTag tag) const {
  auto pos = std::lower_bound(entries_.begin(), entries_.end(), tag, TagLess);
  if (pos == entries_.end() || pos->tag != tag) return nullptr;
  return &pos->value;
}

bool PropertyBag::Remove(PropTag tag) {
  auto pos = std::lower_bound(entries_.begin(), entries_.end(), tag, TagLess);
  if (pos == entries_.end() || pos->tag != tag) return false;
  entries_.erase(pos);
  return true;
}

size_t PropertyBag::PayloadSize() const {
  size_t n = 0;
  for (const Entry& e : entries_) n += ioreplication::PayloadSize(e.value);
  return n;
}

}  // namespace ioreplication
