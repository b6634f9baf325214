// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "ioreplication/property.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ioreplication {
namespace {

using ::testing::HasSubstr;

constexpr PropTag kSubject(0x0037, PropType::kString);    // PidTagSubject
constexpr PropTag kImportance(0x0017, PropType::kInt32);  // PidTagImportance
constexpr PropTag kStart(0x0060, PropType::kTime);        // PidTagStartDate
constexpr PropTag kKeywords(0x8001, PropType::kMvString);
constexpr PropTag kBlob(0x8002, PropType::kBinary);

TEST(PropTagTest, MapiLayout) {
  constexpr PropTag message_class(0x001A, PropType::kString);
  EXPECT_EQ(message_class.value(), 0x001A001Fu);
  EXPECT_EQ(message_class.id(), 0x001A);
  EXPECT_EQ(message_class.type(), PropType::kString);
  EXPECT_EQ(message_class.ToString(), "0x001a001f");
  EXPECT_EQ(PropTag::FromValue(0x001A001F).value(), message_class);
}

TEST(PropTagTest, FromValueRejectsUnknownTypesAndIdZero) {
  EXPECT_THAT(std::string(PropTag::FromValue(0x001A001E).status().message()),
              HasSubstr("unsupported type 0x001e"));  // PT_STRING8
  EXPECT_THAT(std::string(PropTag::FromValue(0x00000003).status().message()),
              HasSubstr("property ID 0 is reserved"));
  for (uint16_t t : {0x0003, 0x000B, 0x0014, 0x001F, 0x0040, 0x0102, 0x1003,
                     0x1014, 0x101F, 0x1040, 0x1102}) {
    EXPECT_TRUE(PropTag::FromValue(0x80000000u | t).ok()) << t;
  }
}

TEST(PropertyBagTest, SetGetReplaceRemove) {
  PropertyBag bag;
  ASSERT_TRUE(bag.Set(kSubject, std::string("Quarterly numbers")).ok());
  ASSERT_TRUE(bag.Set(kImportance, int32_t{2}).ok());
  ASSERT_TRUE(bag.Set(kStart, FileTime::FromTicks(133000000000000000)).ok());
  ASSERT_TRUE(bag.Set(kKeywords, std::vector<std::string>{"a", "b"}).ok());
  ASSERT_TRUE(bag.Set(kBlob, Bytes{std::string("\0\1\2", 3)}).ok());
  EXPECT_EQ(bag.size(), 5u);
  EXPECT_EQ(std::get<std::string>(*bag.Get(kSubject)), "Quarterly numbers");
  ASSERT_TRUE(bag.Set(kImportance, int32_t{1}).ok());
  EXPECT_EQ(std::get<int32_t>(*bag.Get(kImportance)), 1);
  EXPECT_EQ(bag.size(), 5u);
  // Entries stay in tag order whatever the insertion order.
  for (size_t i = 1; i < bag.entries().size(); ++i) {
    EXPECT_LT(bag.entries()[i - 1].tag, bag.entries()[i].tag);
  }
  EXPECT_TRUE(bag.Remove(kSubject));
  EXPECT_FALSE(bag.Remove(kSubject));
  EXPECT_EQ(bag.Get(kSubject), nullptr);
}

TEST(PropertyBagTest, RejectsTypeMismatchAndChangesNothing) {
  PropertyBag bag;
  ASSERT_TRUE(bag.Set(kImportance, int32_t{2}).ok());
  const absl::Status s = bag.Set(kImportance, std::string("high"));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), HasSubstr("does not match"));
  EXPECT_EQ(std::get<int32_t>(*bag.Get(kImportance)), 2);
  EXPECT_FALSE(bag.Set(kBlob, std::string("text is not binary")).ok());
  EXPECT_FALSE(bag.Set(kSubject, Bytes{"binary is not text"}).ok());
  EXPECT_FALSE(bag.Set(kImportance, int64_t{2}).ok());
  EXPECT_EQ(bag.size(), 1u);
}

TEST(PropertyBagTest, RejectsInvalidUtf8InStrings) {
  PropertyBag bag;
  const absl::Status s = bag.Set(kSubject, std::string("bad \xC3("));
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("property 0x0037001f: byte 4: invalid UTF-8"));
  EXPECT_FALSE(bag.Set(kKeywords, std::vector<std::string>{"ok", "\xFF"}).ok());
  EXPECT_TRUE(bag.empty());
  // Binary data is not text: any bytes go.
  EXPECT_TRUE(bag.Set(kBlob, Bytes{"\xFF\xFE"}).ok());
}

TEST(PropertyBagTest, HoldsMultiMegabyteValues) {
  PropertyBag bag;
  std::string big(5 << 20, 'x');
  ASSERT_TRUE(bag.Set(kBlob, Bytes{big}).ok());
  ASSERT_TRUE(bag.Set(kSubject, big).ok());
  EXPECT_EQ(bag.PayloadSize(), 2 * big.size());
}

TEST(PropertyBagTest, PayloadSizeCountsEveryKind) {
  PropertyBag bag;
  ASSERT_TRUE(bag.Set(kImportance, int32_t{1}).ok());  // 4
  ASSERT_TRUE(bag.Set(kStart, FileTime()).ok());       // 8
  ASSERT_TRUE(
      bag.Set(kKeywords, std::vector<std::string>{"ab", "c"}).ok());  // 3
  ASSERT_TRUE(
      bag.Set(PropTag(0x8003, PropType::kMvInt64), std::vector<int64_t>{1, 2})
          .ok());                                                        // 16
  ASSERT_TRUE(bag.Set(PropTag(0x8004, PropType::kBoolean), true).ok());  // 1
  EXPECT_EQ(bag.PayloadSize(), 32u);
}

}  // namespace
}  // namespace ioreplication
