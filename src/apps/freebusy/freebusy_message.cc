// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// A FreeBusyMessage to and from the MAPI properties of its item
// (SPEC-NOTES.md 5.2).

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "ioreplication/freebusy.h"
#include "ioreplication/prop_tags.h"

namespace ioreplication {
namespace {

// Tags from SPEC-NOTES.md 5.2.
constexpr PropTag kPublishStart(0x6847, PropType::kInt32);
constexpr PropTag kPublishEnd(0x6848, PropType::kInt32);
constexpr PropTag kEmailAddress(0x6849, PropType::kString);
constexpr PropTag kRangeTimestamp(0x6868, PropType::kTime);
constexpr PropTag kCountMonths(0x6869, PropType::kInt32);
constexpr PropTag kObsoleteFreeBusy(0x686C, PropType::kBinary);

// A kind's pair of properties.
struct KindTags {
  const char* name;
  PropTag months;
  PropTag blocks;
};
constexpr KindTags kTentative{"Tentative", PropTag(0x6851, PropType::kMvInt32),
                              PropTag(0x6852, PropType::kMvBinary)};
constexpr KindTags kBusy{"Busy", PropTag(0x6853, PropType::kMvInt32),
                         PropTag(0x6854, PropType::kMvBinary)};
constexpr KindTags kAway{"Away", PropTag(0x6855, PropType::kMvInt32),
                         PropTag(0x6856, PropType::kMvBinary)};
constexpr KindTags kMerged{"Merged", PropTag(0x684F, PropType::kMvInt32),
                           PropTag(0x6850, PropType::kMvBinary)};

constexpr int32_t kMaxCountMonths = 36;

absl::Status CheckRange(int64_t start, int64_t end) {
  if (start < 0 || end > kFreeBusyMaxMinute || start > end) {
    return absl::InvalidArgumentError(absl::StrCat(
        "free/busy publishing range [", start, ", ", end,
        ") is reversed or outside 1601-01-01 .. minute ", kFreeBusyMaxMinute));
  }
  return absl::OkStatus();
}

// Sets or removes one kind's pair in `bag`.
absl::Status WriteKind(const KindTags& tags,
                       const std::vector<FreeBusyInterval>& intervals,
                       PropertyBag* bag) {
  absl::StatusOr<FreeBusyMonths> encoded = EncodeFreeBusyMonths(intervals);
  if (!encoded.ok()) return encoded.status();
  if (encoded->months.empty()) {
    bag->Remove(tags.months);
    bag->Remove(tags.blocks);
    return absl::OkStatus();
  }
  std::vector<Bytes> blocks;
  blocks.reserve(encoded->blocks.size());
  for (std::string& b : encoded->blocks) blocks.push_back(Bytes{std::move(b)});
  if (absl::Status s = bag->Set(tags.months, std::move(encoded->months));
      !s.ok()) {
    return s;
  }
  return bag->Set(tags.blocks, std::move(blocks));
}

absl::StatusOr<std::vector<FreeBusyInterval>> ReadKind(const KindTags& tags,
                                                       const PropertyBag& bag) {
  const PropValue* months = bag.Get(tags.months);
  const PropValue* blocks = bag.Get(tags.blocks);
  if (months == nullptr && blocks == nullptr) {
    return std::vector<FreeBusyInterval>();
  }
  if (months == nullptr || blocks == nullptr) {
    return absl::DataLossError(absl::StrCat(
        "free/busy ", tags.name, ": ",
        months == nullptr ? "the blocks are there but not the months"
                          : "the months are there but not the blocks"));
  }
  std::vector<std::string> raw;
  for (const Bytes& b : std::get<std::vector<Bytes>>(*blocks)) {
    raw.push_back(b.data);
  }
  return DecodeFreeBusyMonths(std::get<std::vector<int32_t>>(*months), raw,
                              tags.name);
}

// The DN's part from the first "/cn=", upper-cased: "/CN=RECIPIENTS/CN=JDOE".
std::string DnTail(const std::string& dn) {
  const std::string lower = absl::AsciiStrToLower(dn);
  const size_t at = lower.find("/cn=");
  if (at == std::string::npos) return "";
  return absl::AsciiStrToUpper(dn.substr(at));
}

}  // namespace

std::string FreeBusySubject(const FreeBusyMessage& message) {
  std::string tail = DnTail(message.legacy_dn);
  if (tail.empty()) {
    const std::string& smtp = message.smtp_address;
    tail = absl::StrCat("/CN=RECIPIENTS/CN=",
                        absl::AsciiStrToUpper(smtp.substr(0, smtp.find('@'))));
  }
  return absl::StrCat("USER-", tail);
}

absl::Status WriteFreeBusyProperties(const FreeBusyMessage& message,
                                     PropertyBag* bag) {
  if (absl::Status s = CheckRange(message.publish_start, message.publish_end);
      !s.ok()) {
    return s;
  }
  if (message.count_months < 0 || message.count_months > kMaxCountMonths) {
    return absl::InvalidArgumentError(
        absl::StrCat("free/busy count of months ", message.count_months,
                     " is outside 0..", kMaxCountMonths));
  }
  // Written into a copy, so that a refusal leaves `bag` as it was.
  PropertyBag out = *bag;
  std::vector<FreeBusyInterval> merged = message.busy;
  merged.insert(merged.end(), message.out_of_office.begin(),
                message.out_of_office.end());
  for (const auto& [tags, intervals] :
       {std::pair{&kTentative, &message.tentative},
        std::pair{&kBusy, &message.busy},
        std::pair{&kAway, &message.out_of_office},
        std::pair{&kMerged, static_cast<const std::vector<FreeBusyInterval>*>(
                                &merged)}}) {
    if (absl::Status s = WriteKind(*tags, *intervals, &out); !s.ok()) return s;
  }
  const std::string subject = FreeBusySubject(message);
  for (const auto& [tag, value] : {
           std::pair{kPropSubject, PropValue(subject)},
           std::pair{kPropNormalizedSubject, PropValue(subject)},
           std::pair{kEmailAddress, PropValue(message.legacy_dn)},
           std::pair{kPropSmtpAddress, PropValue(message.smtp_address)},
           std::pair{kPropDisplayName, PropValue(message.display_name)},
           std::pair{kPublishStart,
                     PropValue(static_cast<int32_t>(message.publish_start))},
           std::pair{kPublishEnd,
                     PropValue(static_cast<int32_t>(message.publish_end))},
           std::pair{kRangeTimestamp, PropValue(message.range_timestamp)},
           std::pair{kCountMonths, PropValue(message.count_months)},
       }) {
    if (absl::Status s = out.Set(tag, value); !s.ok()) return s;
  }
  out.Remove(kObsoleteFreeBusy);
  *bag = std::move(out);
  return absl::OkStatus();
}

absl::StatusOr<FreeBusyMessage> ReadFreeBusyProperties(const PropertyBag& bag) {
  FreeBusyMessage m;
  const PropValue* start = bag.Get(kPublishStart);
  const PropValue* end = bag.Get(kPublishEnd);
  if (start == nullptr || end == nullptr) {
    return absl::DataLossError(
        "free/busy message: PidTagFreeBusyPublishStart and "
        "PidTagFreeBusyPublishEnd are required");
  }
  m.publish_start = std::get<int32_t>(*start);
  m.publish_end = std::get<int32_t>(*end);
  if (absl::Status s = CheckRange(m.publish_start, m.publish_end); !s.ok()) {
    return absl::DataLossError(s.message());
  }
  if (const PropValue* v = bag.Get(kCountMonths)) {
    m.count_months = std::get<int32_t>(*v);
    if (m.count_months < 0 || m.count_months > kMaxCountMonths) {
      return absl::DataLossError(
          absl::StrCat("free/busy message: PidTagFreeBusyCountMonths ",
                       m.count_months, " is outside 0..", kMaxCountMonths));
    }
  }
  if (const PropValue* v = bag.Get(kRangeTimestamp)) {
    m.range_timestamp = std::get<FileTime>(*v);
  }
  if (const PropValue* v = bag.Get(kEmailAddress)) {
    m.legacy_dn = std::get<std::string>(*v);
  }
  if (const PropValue* v = bag.Get(kPropSmtpAddress)) {
    m.smtp_address = std::get<std::string>(*v);
  }
  if (const PropValue* v = bag.Get(kPropDisplayName)) {
    m.display_name = std::get<std::string>(*v);
  }
  for (const auto& [tags, field] :
       {std::pair{&kTentative, &m.tentative}, std::pair{&kBusy, &m.busy},
        std::pair{&kAway, &m.out_of_office}}) {
    absl::StatusOr<std::vector<FreeBusyInterval>> kind = ReadKind(*tags, bag);
    if (!kind.ok()) return kind.status();
    *field = *std::move(kind);
  }
  if (absl::StatusOr<std::vector<FreeBusyInterval>> merged =
          ReadKind(kMerged, bag);
      !merged.ok()) {
    return merged.status();
  }
  return m;
}

}  // namespace ioreplication
