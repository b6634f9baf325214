// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "ioreplication/item.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ioreplication {
namespace {

using ::testing::HasSubstr;

Item Post() {
  Item item;
  item.message_class = "IPM.Post";
  item.body = "Hello, partners.";
  EXPECT_TRUE(
      item.properties.Set(PropTag(0x0037, PropType::kString), std::string("Hi"))
          .ok());
  item.attachments.push_back({"plan.pdf", "application/pdf", "%PDF-1.7"});
  return item;
}

TEST(ItemTest, ByteSizeCountsAllContent) {
  const Item item = Post();
  EXPECT_EQ(item.ByteSize(), 8u + 2 + 16 + (8 + 15 + 8));
  EXPECT_TRUE(ValidateItem(item).ok());
}

TEST(ItemTest, MessageClasses) {
  for (const char* ok : {"IPM.Post", "IPM.Appointment", "IPM.Contact",
                         "IPM.Note.Custom-Form_2"}) {
    EXPECT_TRUE(ValidateMessageClass(ok).ok()) << ok;
  }
  EXPECT_THAT(std::string(ValidateMessageClass("").message()),
              HasSubstr("empty"));
  EXPECT_THAT(std::string(ValidateMessageClass("IPM Post").message()),
              HasSubstr("byte 3"));
  EXPECT_FALSE(ValidateMessageClass("IPM.Pöst").ok());
  EXPECT_FALSE(ValidateMessageClass(std::string(256, 'A')).ok());
  EXPECT_TRUE(ValidateMessageClass(std::string(255, 'A')).ok());
}

TEST(ItemTest, ValidateRejectsMalformedContent) {
  Item bad_class = Post();
  bad_class.message_class = "IPM\tPost";
  EXPECT_FALSE(ValidateItem(bad_class).ok());

  Item bad_body = Post();
  bad_body.body = "caf\xC3";
  EXPECT_THAT(std::string(ValidateItem(bad_body).message()),
              HasSubstr("item body: byte 3: invalid UTF-8"));

  Item bad_name = Post();
  bad_name.attachments[0].file_name = "a\nb.pdf";
  EXPECT_THAT(std::string(ValidateItem(bad_name).message()),
              HasSubstr("attachment 0 file name: byte 1: control character"));

  Item bad_mime = Post();
  bad_mime.attachments[0].mime_type = "application/ pdf";
  EXPECT_THAT(std::string(ValidateItem(bad_mime).message()),
              HasSubstr("attachment 0 MIME type"));

  Item binary_data = Post();
  binary_data.attachments[0].data = std::string("\xFF\x00\xFE", 3);
  EXPECT_TRUE(ValidateItem(binary_data).ok());
}

}  // namespace
}  // namespace ioreplication
