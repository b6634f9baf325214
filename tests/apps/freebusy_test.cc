// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// The free/busy wire form: MS-OXOPFFB's examples byte for byte
// (SPEC-NOTES.md TV-9), month and year boundaries, merging, strict decoding,
// and messages to and from properties.

#include "ioreplication/freebusy.h"

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ioreplication {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

int64_t Minute(int y, int mo, int d, int h, int mi = 0) {
  return FreeBusyMinutes(
      absl::FromCivil(absl::CivilMinute(y, mo, d, h, mi), absl::UTCTimeZone()));
}

std::string Raw(std::initializer_list<int> bytes) {
  std::string out;
  for (int b : bytes) out.push_back(static_cast<char>(b));
  return out;
}

FreeBusyMonths Encode(std::vector<FreeBusyInterval> intervals) {
  absl::StatusOr<FreeBusyMonths> out = EncodeFreeBusyMonths(intervals);
  EXPECT_TRUE(out.ok()) << out.status();
  return out.value_or(FreeBusyMonths{});
}

absl::StatusOr<std::vector<FreeBusyInterval>> Decode(
    std::vector<int32_t> months, std::vector<std::string> blocks) {
  return DecodeFreeBusyMonths(months, blocks, "Busy");
}

TEST(FreeBusyMinutesTest, CountFromSixteenOhOne) {
  // SPEC-NOTES TV-9, PublishStart/End.
  EXPECT_EQ(Minute(2008, 2, 1, 0), 214104960);
  EXPECT_EQ(Minute(2008, 2, 25, 0), 214139520);
  EXPECT_EQ(Minute(2008, 5, 1, 0), 214234560);
  EXPECT_EQ(Minute(1601, 1, 1, 0), 0);
  const absl::Time t = FromFreeBusyMinutes(214104960) + absl::Seconds(30);
  EXPECT_EQ(FreeBusyMinutes(t), 214104960);      // rounds down
  EXPECT_EQ(FreeBusyMinutesCeil(t), 214104961);  // rounds up
  EXPECT_EQ(FreeBusyMinutesCeil(FromFreeBusyMinutes(7)), 7);
  // Before 1970 the rounding still goes toward the past.
  EXPECT_EQ(FreeBusyMinutes(FromFreeBusyMinutes(100) + absl::Seconds(59)), 100);
}

TEST(FreeBusyCodecTest, SpecExampleByteForByte) {
  // Busy Feb 2, 2008, 12:00-13:00 PST = 20:00-21:00 UTC.
  const FreeBusyMonths one =
      Encode({{Minute(2008, 2, 2, 20), Minute(2008, 2, 2, 21)}});
  EXPECT_THAT(one.months, ElementsAre(32130));  // 2008 * 16 + 2
  EXPECT_THAT(one.blocks, ElementsAre(Raw({0x50, 0x0A, 0x8C, 0x0A})));
  // Two back-to-back events merge into one block.
  const FreeBusyMonths two =
      Encode({{Minute(2008, 2, 2, 21), Minute(2008, 2, 2, 22)},
              {Minute(2008, 2, 2, 20), Minute(2008, 2, 2, 21)}});
  EXPECT_THAT(two.blocks, ElementsAre(Raw({0x50, 0x0A, 0xC8, 0x0A})));
  EXPECT_THAT(
      Encode({{Minute(2026, 11, 3, 9), Minute(2026, 11, 3, 10)}}).months,
      ElementsAre(32427));  // 0x7EAB
}

TEST(FreeBusyCodecTest, MonthBoundarySplitsAndDecodingJoins) {
  // Jan 31 23:00 -> Feb 1 01:00: one block per month.
  const FreeBusyInterval span{Minute(2009, 1, 31, 23), Minute(2009, 2, 1, 1)};
  const FreeBusyMonths encoded = Encode({span});
  EXPECT_THAT(encoded.months, ElementsAre(2009 * 16 + 1, 2009 * 16 + 2));
  EXPECT_THAT(encoded.blocks, ElementsAre(Raw({0x24, 0xAE, 0x60, 0xAE}),
                                          Raw({0x00, 0x00, 0x3C, 0x00})));
  EXPECT_THAT(Decode(encoded.months, encoded.blocks).value(),
              ElementsAre(span));
  // New year: December 2025 into January 2026.
  const FreeBusyInterval year{Minute(2025, 12, 31, 22), Minute(2026, 1, 1, 2)};
  const FreeBusyMonths y = Encode({year});
  EXPECT_THAT(y.months, ElementsAre(2025 * 16 + 12, 2026 * 16 + 1));
  EXPECT_THAT(Decode(y.months, y.blocks).value(), ElementsAre(year));
  // A whole month and more: three months, the middle one full.
  const FreeBusyInterval leave{Minute(2024, 1, 20, 0), Minute(2024, 3, 2, 0)};
  const FreeBusyMonths l = Encode({leave});
  ASSERT_EQ(l.months.size(), 3u);
  EXPECT_EQ(l.blocks[1], Raw({0x00, 0x00, 0x20, 0xA3}));  // 29 * 1440
  EXPECT_THAT(Decode(l.months, l.blocks).value(), ElementsAre(leave));
}

TEST(FreeBusyCodecTest, BlocksAtAMonthEdgeThatAreSeparateStaySeparate) {
  // One event ends with January, another starts March 1: not joined.
  const FreeBusyInterval a{Minute(2009, 1, 31, 23), Minute(2009, 2, 1, 0)};
  const FreeBusyInterval b{Minute(2009, 3, 1, 0), Minute(2009, 3, 1, 1)};
  const FreeBusyMonths e = Encode({a, b});
  EXPECT_THAT(Decode(e.months, e.blocks).value(), ElementsAre(a, b));
}

TEST(FreeBusyCodecTest, NormalizeMergesOverlapsAndDropsEmpties) {
  EXPECT_THAT(NormalizeFreeBusyIntervals(
                  {{50, 60}, {10, 20}, {15, 30}, {30, 40}, {70, 70}}),
              ElementsAre(FreeBusyInterval{10, 40}, FreeBusyInterval{50, 60}));
  EXPECT_TRUE(Encode({}).months.empty());
  EXPECT_FALSE(
      EncodeFreeBusyMonths(std::vector<FreeBusyInterval>{{5, 4}}).ok());
  EXPECT_FALSE(
      EncodeFreeBusyMonths(std::vector<FreeBusyInterval>{{-1, 4}}).ok());
  EXPECT_FALSE(EncodeFreeBusyMonths(
                   std::vector<FreeBusyInterval>{{0, kFreeBusyMaxMinute + 1}})
                   .ok());
}

TEST(FreeBusyCodecTest, DecodingIsStrict) {
  const int32_t feb08 = 32130;  // 29 days: 41760 minutes
  const std::string ok = Raw({0x50, 0x0A, 0x8C, 0x0A});
  ASSERT_TRUE(Decode({feb08}, {ok}).ok());
  const auto refused = [](absl::StatusOr<std::vector<FreeBusyInterval>> r,
                          const std::string& why) {
    EXPECT_EQ(r.status().code(), absl::StatusCode::kDataLoss) << why;
    EXPECT_THAT(std::string(r.status().message()), HasSubstr(why));
  };
  refused(Decode({feb08}, {}), "1 months but 0 block values");
  refused(Decode({2008 * 16}, {ok}), "not year * 16 + month");       // month 0
  refused(Decode({2008 * 16 + 13}, {ok}), "not year * 16 + month");  // 13
  refused(Decode({1600 * 16 + 1}, {ok}), "not year * 16 + month");
  refused(Decode({-5}, {ok}), "not year * 16 + month");
  refused(Decode({feb08, feb08 - 1}, {ok, ok}), "months must ascend");
  refused(Decode({feb08, feb08}, {ok, ok}), "months must ascend");
  refused(Decode({feb08}, {ok.substr(0, 3)}), "3 bytes, not a multiple of 4");
  refused(Decode({feb08}, {Raw({0x8C, 0x0A, 0x50, 0x0A})}), "reversed");
  // An empty block still has to lie inside its month.
  refused(Decode({feb08}, {Raw({0xFF, 0xFF, 0xFF, 0xFF})}), "past the month");
  // 41761 is one minute past the end of February 2008.
  refused(Decode({feb08}, {Raw({0x00, 0x00, 0x21, 0xA3})}), "past the month");
  EXPECT_TRUE(Decode({feb08}, {Raw({0x00, 0x00, 0x20, 0xA3})}).ok());
  // Blocks out of order are not a looser form of anything.
  refused(Decode({feb08}, {Raw({0x60, 0x0A, 0x70, 0x0A}) + ok}),
          "block 1: starts at 2640, before the previous block's start 2656");
  // January 5684 holds minute kFreeBusyMaxMinute; nothing may end past it.
  refused(Decode({5684 * 16 + 1}, {Raw({0x50, 0x63, 0x0A, 0x8C})}),
          "the last a free/busy time can name");
}

// What Kopano and Evolution write where the specification asks for merged,
// non-empty blocks: read as the intervals they mean, re-encoded canonically.
TEST(FreeBusyCodecTest, DecodingNormalizesWhatRealWritersProduce) {
  const int32_t nov26 = 2026 * 16 + 11;
  const int32_t dec26 = 2026 * 16 + 12;
  const int32_t jan27 = 2027 * 16 + 1;
  const int64_t nov = Minute(2026, 11, 1, 0);
  const auto block = [](int start, int end) {
    return Raw({start & 0xFF, start >> 8, end & 0xFF, end >> 8});
  };
  // Kopano's HrMergeBlocks leaves back-to-back meetings 09-10 and 10-11 as
  // two touching blocks: one interval 09-11.
  const std::vector<FreeBusyInterval> kopano_touching =
      Decode({nov26}, {block(2 * 1440 + 540, 2 * 1440 + 600) +
                       block(2 * 1440 + 600, 2 * 1440 + 660)})
          .value();
  EXPECT_THAT(kopano_touching, ElementsAre(FreeBusyInterval{
                                   nov + 2 * 1440 + 540, nov + 2 * 1440 + 660}));
  EXPECT_EQ(Encode(kopano_touching).blocks,
            std::vector<std::string>{block(2 * 1440 + 540, 2 * 1440 + 660)});
  // Overlapping blocks, and one inside another, are joined the same way.
  EXPECT_THAT(Decode({nov26}, {block(100, 300) + block(200, 400) +
                               block(250, 260) + block(500, 600)})
                  .value(),
              ElementsAre(FreeBusyInterval{nov + 100, nov + 400},
                          FreeBusyInterval{nov + 500, nov + 600}));
  // Kopano writes [0, 0] in the month after an event that ends at 00:00 on
  // the 1st: dropped, and a month left without blocks is no interval.
  EXPECT_THAT(Decode({nov26, dec26}, {block(43000, 43200), block(0, 0)})
                  .value(),
              ElementsAre(FreeBusyInterval{nov + 43000, nov + 43200}));
  EXPECT_THAT(Decode({dec26}, {block(0, 0) + block(60, 120)}).value(),
              ElementsAre(FreeBusyInterval{Minute(2026, 12, 1, 1),
                                           Minute(2026, 12, 1, 2)}));
  // Evolution writes an empty value for every month between the first and
  // the last event.
  const std::vector<FreeBusyInterval> evolution =
      Decode({nov26, dec26, jan27}, {block(60, 120), "", block(60, 120)})
          .value();
  EXPECT_THAT(evolution,
              ElementsAre(FreeBusyInterval{nov + 60, nov + 120},
                          FreeBusyInterval{Minute(2027, 1, 1, 1),
                                           Minute(2027, 1, 1, 2)}));
  EXPECT_THAT(Encode(evolution).months, ElementsAre(nov26, jan27));
  EXPECT_TRUE(Decode({dec26}, {""}).value().empty());
}

FreeBusyMessage SampleMessage() {
  FreeBusyMessage m;
  m.legacy_dn =
      "/o=Contoso/ou=First Administrative Group/cn=Recipients/cn=jdoe";
  m.smtp_address = "jdoe@contoso.com";
  m.display_name = "Jo Doe";
  m.publish_start = Minute(2026, 11, 1, 0);
  m.publish_end = Minute(2027, 1, 1, 0);
  m.count_months = 2;
  m.range_timestamp = FileTime::FromTicks(134000000000000000);
  m.busy = {{Minute(2026, 11, 3, 9), Minute(2026, 11, 3, 10)},
            {Minute(2026, 11, 30, 23), Minute(2026, 12, 1, 1)}};
  m.tentative = {{Minute(2026, 11, 4, 9), Minute(2026, 11, 4, 10)}};
  m.out_of_office = {{Minute(2026, 12, 20, 0), Minute(2026, 12, 24, 0)}};
  return m;
}

TEST(FreeBusyMessageTest, PropertiesRoundTrip) {
  const FreeBusyMessage m = SampleMessage();
  PropertyBag bag;
  ASSERT_TRUE(WriteFreeBusyProperties(m, &bag).ok());
  EXPECT_EQ(std::get<std::string>(*bag.Get(PropTag(0x0E1D, PropType::kString))),
            "USER-/CN=RECIPIENTS/CN=JDOE");
  // Merged is busy and out of office together, never tentative.
  const auto* merged_months = bag.Get(PropTag(0x684F, PropType::kMvInt32));
  ASSERT_NE(merged_months, nullptr);
  EXPECT_THAT(std::get<std::vector<int32_t>>(*merged_months),
              ElementsAre(2026 * 16 + 11, 2026 * 16 + 12));
  absl::StatusOr<FreeBusyMessage> back = ReadFreeBusyProperties(bag);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, m);
}

TEST(FreeBusyMessageTest, AKindWithoutEventsHasNoProperties) {
  FreeBusyMessage m = SampleMessage();
  PropertyBag bag;
  ASSERT_TRUE(
      bag.Set(PropTag(0x686C, PropType::kBinary), ::ioreplication::Bytes{"old"})
          .ok());
  ASSERT_TRUE(WriteFreeBusyProperties(m, &bag).ok());
  m.tentative.clear();
  ASSERT_TRUE(WriteFreeBusyProperties(m, &bag).ok());
  EXPECT_EQ(bag.Get(PropTag(0x6851, PropType::kMvInt32)), nullptr);
  EXPECT_EQ(bag.Get(PropTag(0x6852, PropType::kMvBinary)), nullptr);
  EXPECT_EQ(bag.Get(PropTag(0x686C, PropType::kBinary)), nullptr);  // obsolete
  EXPECT_EQ(ReadFreeBusyProperties(bag)->tentative.size(), 0u);
}

TEST(FreeBusyMessageTest, SubjectFromTheSmtpAddressWithoutADn) {
  FreeBusyMessage m;
  m.smtp_address = "ana.alvarez@fabrikam.com";
  EXPECT_EQ(FreeBusySubject(m), "USER-/CN=RECIPIENTS/CN=ANA.ALVAREZ");
}

TEST(FreeBusyMessageTest, WritingRefusesBadValuesAndChangesNothing) {
  PropertyBag bag;
  ASSERT_TRUE(
      bag.Set(PropTag(0x0037, PropType::kString), std::string("x")).ok());
  const PropertyBag before = bag;
  FreeBusyMessage m = SampleMessage();
  m.publish_end = m.publish_start - 1;
  EXPECT_FALSE(WriteFreeBusyProperties(m, &bag).ok());
  m = SampleMessage();
  m.count_months = 37;
  EXPECT_FALSE(WriteFreeBusyProperties(m, &bag).ok());
  m = SampleMessage();
  m.busy.push_back({10, 5});
  EXPECT_FALSE(WriteFreeBusyProperties(m, &bag).ok());
  EXPECT_EQ(bag, before);
}

TEST(FreeBusyMessageTest, ReadingIsStrict) {
  PropertyBag good;
  ASSERT_TRUE(WriteFreeBusyProperties(SampleMessage(), &good).ok());
  const auto refused = [](const PropertyBag& bag, const std::string& why) {
    absl::StatusOr<FreeBusyMessage> r = ReadFreeBusyProperties(bag);
    EXPECT_EQ(r.status().code(), absl::StatusCode::kDataLoss) << why;
    EXPECT_THAT(std::string(r.status().message()), HasSubstr(why));
  };
  PropertyBag bag = good;
  bag.Remove(PropTag(0x6847, PropType::kInt32));
  refused(bag, "are required");
  bag = good;
  ASSERT_TRUE(bag.Set(PropTag(0x6848, PropType::kInt32), int32_t{5}).ok());
  refused(bag, "publishing range");
  bag = good;
  ASSERT_TRUE(bag.Set(PropTag(0x6869, PropType::kInt32), int32_t{99}).ok());
  refused(bag, "CountMonths 99");
  bag = good;
  bag.Remove(PropTag(0x6854, PropType::kMvBinary));
  refused(bag, "Busy: the months are there but not the blocks");
  bag = good;
  ASSERT_TRUE(bag.Set(PropTag(0x6850, PropType::kMvBinary),
                      std::vector<::ioreplication::Bytes>{{"abc"}})
                  .ok());
  refused(bag, "Merged");
}

// Merged is written for readers that want one list; it says nothing Busy
// and OutOfOffice do not. Touching blocks in it, as Kopano writes them for
// a busy hour next to an out-of-office one, leave the message readable.
TEST(FreeBusyMessageTest, AMergedPairWithTouchingBlocksIsReadable) {
  const FreeBusyMessage m = SampleMessage();
  PropertyBag bag;
  ASSERT_TRUE(WriteFreeBusyProperties(m, &bag).ok());
  const PropTag merged_months(0x684F, PropType::kMvInt32);
  const PropTag merged_blocks(0x6850, PropType::kMvBinary);
  ASSERT_TRUE(bag.Set(merged_months, std::vector<int32_t>{2026 * 16 + 11}).ok());
  ASSERT_TRUE(
      bag.Set(merged_blocks,
              std::vector<::ioreplication::Bytes>{
                  {Raw({0x1C, 0x0C, 0x58, 0x0C, 0x58, 0x0C, 0x94, 0x0C})}})
          .ok());
  absl::StatusOr<FreeBusyMessage> read = ReadFreeBusyProperties(bag);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->busy, m.busy);
  EXPECT_EQ(read->out_of_office, m.out_of_office);
}

}  // namespace
}  // namespace ioreplication
