// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "ioreplication/recipient.h"
#include "ioreplication/recipient_list.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ioreplication/folder_path.h"
#include "ioreplication/replica.h"

namespace ioreplication {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(SmtpAddressTest, AcceptsOrdinaryAndInternationalAddresses) {
  for (const char* ok :
       {"jdoe@contoso.com", "first.last+tag@mail.example.co.uk", "a@b",
        "o'brien@x-y.example", "müller@bücher.de", "x_y-z@123.example"}) {
    EXPECT_TRUE(ValidateSmtpAddress(ok).ok()) << ok;
  }
  EXPECT_EQ(SmtpAddressKey("JDoe@Contoso.COM"), "jdoe@contoso.com");
  EXPECT_EQ(SmtpAddressKey("ÄB@x"), "Äb@x");  // ASCII only
}

TEST(SmtpAddressTest, RejectsWithAReason) {
  struct Case {
    std::string address;
    const char* error;
  } cases[] = {
      {"", "empty"},
      {"jdoe", "no '@'"},
      {"@contoso.com", "nothing before the '@'"},
      {"jdoe@", "nothing after the '@'"},
      {"j doe@contoso.com", "a space or control character"},
      {"j\tdoe@contoso.com", "a space or control character"},
      {"a,b@contoso.com", "the local part holds ','"},
      {"a@b@contoso.com", "the local part holds '@'"},
      {".jdoe@contoso.com", "misplaced '.'"},
      {"j..doe@contoso.com", "misplaced '.'"},
      {"jdoe@contoso..com", "empty label"},
      {"jdoe@-contoso.com", "starts or ends with '-'"},
      {"jdoe@contoso_x.com", "the domain holds '_'"},
      {std::string(65, 'a') + "@x.com", "local part is over 64 bytes"},
      {"a@" + std::string(64, 'b') + ".com", "over 63 bytes"},
      {std::string(60, 'a') + "@" + std::string(63, 'b') + "." +
           std::string(63, 'c') + "." + std::string(63, 'd') + ".com",
       "the limit is 254"},
      {"bad\xC3@x.com", "invalid UTF-8"},
  };
  for (const Case& c : cases) {
    const absl::Status s = ValidateSmtpAddress(c.address);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.address;
    EXPECT_THAT(std::string(s.message()), HasSubstr(c.error)) << c.address;
  }
}

TEST(RecipientsCsvTest, ReadsTheCommonShapes) {
  EXPECT_THAT(
      ParseRecipientsCsv(
          "smtp_address,display_name\r\n"
          "jdoe@contoso.com,Jane Doe\r\n"
          "\"rsmith@contoso.com\",\"Smith, Robert \"\"Bob\"\"\"\r\n")
          .value(),
      ElementsAre(Recipient{"jdoe@contoso.com", "Jane Doe"},
                  Recipient{"rsmith@contoso.com", "Smith, Robert \"Bob\""}));
  // A byte order mark, LF line ends, other column names and extra columns,
  // a missing final line end, empty lines and spaces around values.
  EXPECT_THAT(
      ParseRecipientsCsv("\xEF\xBB\xBF"
                         "Title,DisplayName,Primary SMTP "
                         "Address\n\nCEO, Ann ,ann@x.com\n"
                         "\"multi\nline\",Bo,bo@x.com")
          .value(),
      ElementsAre(Recipient{"ann@x.com", "Ann"}, Recipient{"bo@x.com", "Bo"}));
  EXPECT_THAT(ParseRecipientsCsv("email\njdoe@x.com\n").value(),
              ElementsAre(Recipient{"jdoe@x.com", ""}));
  EXPECT_TRUE(ParseRecipientsCsv("smtp\n").value().empty());
}

TEST(RecipientsCsvTest, RefusesBadFilesNamingTheLine) {
  struct Case {
    std::string text;
    const char* error;
  } cases[] = {
      {"", "no header line"},
      {"name,title\nA,B\n", "line 1: no address column"},
      {"smtp,email\n", "columns 1 (\"smtp\") and 2 (\"email\") name the same"},
      {"smtp,name\njdoe@x.com\n", "line 2: 1 fields; the header has 2"},
      {"smtp,name\njdoe@x.com,A,B\n", "line 2: 3 fields"},
      {"smtp\n\"jdoe@x.com\n", "line 2: a quoted field is not closed"},
      {"smtp\n\"jdoe@x.com\"x\n", "line 2: field 1: text after the closing"},
      {"smtp\njd\"oe@x.com\n", "line 2: field 1: a quote inside an unquoted"},
      {"smtp\rjdoe@x.com\n", "line 1: a carriage return without a line feed"},
      {"smtp,note\na@x.com,\"two\nlines\"\nbad,x\n", "line 4: SMTP address"},
      {"smtp\njdoe@x.com\nJDOE@X.COM\n",
       "line 3: \"JDOE@X.COM\" is already on line 2"},
      {"smtp,name\njdoe@x.com,A\x01\n", "line 2: display name: byte 1"},
      {"smtp\n\xFF\n", "invalid UTF-8"},
  };
  for (const Case& c : cases) {
    const absl::Status s = ParseRecipientsCsv(c.text).status();
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.text;
    EXPECT_THAT(std::string(s.message()), HasSubstr(c.error)) << c.text;
  }
}

TEST(RecipientListTest, ImportAddsUpdatesAndReplaces) {
  std::unique_ptr<Store> store = OpenStore("memory:").value();
  EXPECT_EQ(ReadRecipients(*store).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(ReadRecipientKeys(*store).status().code(),
            absl::StatusCode::kNotFound);

  RecipientImport r =
      ImportRecipients(*store, kDefaultRecipientsPath,
                       {{"bob@x.com", "Bob"}, {"ann@x.com", ""}}, {})
          .value();
  EXPECT_EQ(r.added, 2u);
  EXPECT_THAT(
      ReadRecipients(*store).value(),
      ElementsAre(Recipient{"ann@x.com", ""}, Recipient{"bob@x.com", "Bob"}));

  r = ImportRecipients(
          *store, kDefaultRecipientsPath,
          {{"ANN@x.com", "Ann"}, {"bob@x.com", "Bob"}, {"cyd@x.com", "Cyd"}},
          {})
          .value();
  EXPECT_EQ(r.added, 1u);
  EXPECT_EQ(r.updated, 1u);
  EXPECT_EQ(r.unchanged, 1u);
  EXPECT_EQ(r.removed, 0u);

  r = ImportRecipients(*store, kDefaultRecipientsPath, {{"cyd@x.com", "Cyd"}},
                       {.replace = true})
          .value();
  EXPECT_EQ(r.removed, 2u);
  EXPECT_EQ(r.unchanged, 1u);
  EXPECT_THAT(ReadRecipients(*store).value(),
              ElementsAre(Recipient{"cyd@x.com", "Cyd"}));
  EXPECT_THAT(ReadRecipientKeys(*store).value(),
              ::testing::UnorderedElementsAre("cyd@x.com"));
}

TEST(RecipientListTest, BadInputChangesNothing) {
  std::unique_ptr<Store> store = OpenStore("memory:").value();
  ASSERT_TRUE(ImportRecipients(*store, kDefaultRecipientsPath,
                               {{"ann@x.com", "Ann"}}, {})
                  .ok());
  const StoreCounts before = store->Count().value();
  struct Case {
    std::vector<Recipient> list;
    const char* error;
  } cases[] = {
      {{{"bob@x.com", ""}, {"nope", ""}}, "recipient 2: SMTP address \"nope\""},
      {{{"bob@x.com", ""}, {"BOB@x.com", ""}},
       "recipient 2: \"BOB@x.com\" is listed twice"},
      {{{"bob@x.com", "B\nob"}}, "recipient 1: display name: byte 1"},
      {{{"bob@x.com", std::string(300, 'b')}}, "the limit is 256"},
  };
  for (const Case& c : cases) {
    const absl::Status s = ImportRecipients(*store, kDefaultRecipientsPath,
                                            c.list, {.replace = true})
                               .status();
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(s.message()), HasSubstr(c.error));
  }
  EXPECT_EQ(ImportRecipients(*store, "no-slash", {}, {}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store->Count().value().items, before.items);
  EXPECT_EQ(store->Count().value().folders, before.folders);
}

TEST(RecipientListTest, OnlyContactsWithValidAddressesCount) {
  std::unique_ptr<Store> store = OpenStore("memory:").value();
  ASSERT_TRUE(
      ImportRecipients(*store, "/People", {{"ann@x.com", "Ann"}}, {}).ok());
  std::unique_ptr<Replica> replica = Replica::Open(store.get()).value();
  const Folder people = FindFolderByPath(*store, "/People").value().value();
  ItemContent post;  // not a contact
  ASSERT_TRUE(
      post.properties
          .Set(PropTag(0x39FE, PropType::kString), std::string("bob@x.com"))
          .ok());
  ASSERT_TRUE(replica->CreateItem(people.source_key, post).ok());
  ItemContent broken;  // a contact with a bad address
  broken.message_class = "IPM.Contact.Special";
  ASSERT_TRUE(broken.properties
                  .Set(PropTag(0x39FE, PropType::kString),
                       std::string("not an address"))
                  .ok());
  ASSERT_TRUE(replica->CreateItem(people.source_key, broken).ok());
  EXPECT_THAT(ReadRecipients(*store, "/People").value(),
              ElementsAre(Recipient{"ann@x.com", "Ann"}));
}

TEST(RecipientListTest, ASecondContactOfOneAddressIsRemoved) {
  std::unique_ptr<Store> store = OpenStore("memory:").value();
  ASSERT_TRUE(
      ImportRecipients(*store, "/People", {{"ann@x.com", "Ann"}}, {}).ok());
  std::unique_ptr<Replica> replica = Replica::Open(store.get()).value();
  const Folder people = FindFolderByPath(*store, "/People").value().value();
  ItemContent twin;  // written by someone else, with other case
  twin.message_class = "IPM.Contact";
  ASSERT_TRUE(
      twin.properties
          .Set(PropTag(0x39FE, PropType::kString), std::string("ANN@x.com"))
          .ok());
  ASSERT_TRUE(replica->CreateItem(people.source_key, twin).ok());
  ASSERT_EQ(ReadRecipients(*store, "/People").value().size(), 2u);
  const RecipientImport r =
      ImportRecipients(*store, "/People", {{"ann@x.com", "Ann"}}, {}).value();
  EXPECT_EQ(r.removed, 1u);
  EXPECT_EQ(r.unchanged + r.updated, 1u);
  EXPECT_EQ(ReadRecipients(*store, "/People").value().size(), 1u);
}

}  // namespace
}  // namespace ioreplication
