// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Replication mails, built and read with GMime (ioreplication/mail_transport.h
// says what one looks like).

#include <gmime/gmime.h>

#include <memory>
#include <mutex>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/text.h"
#include "ioreplication/mail_transport.h"
#include "repl/replication_mail.h"

namespace ioreplication {
namespace {

constexpr char kMarkerHeader[] = "X-Ioreplication";
constexpr char kMarkerValue[] = "1";
constexpr char kSubject[] = "ioreplication replication message";
constexpr char kPayloadType[] = "application";
constexpr char kPayloadSubtype[] = "x-ioreplication";
constexpr char kExplanation[] =
    "This message carries a replication message between the members of an\n"
    "ioreplication replica group. It is meant for a program, not a person;\n"
    "if it reached a mailbox someone reads, the group's configuration names\n"
    "this address by mistake.\n";
// Headers and the text part stay well under this; GMime folds base64 at 76
// columns plus CRLF.
constexpr size_t kMailOverhead = 16 * 1024;

void InitGMime() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

struct GObjectUnref {
  void operator()(void* p) const {
    if (p != nullptr) g_object_unref(p);
  }
};
template <typename T>
using GPtr = std::unique_ptr<T, GObjectUnref>;

bool AddrChar(char c, bool domain) {
  if (absl::ascii_isalnum(static_cast<unsigned char>(c))) return true;
  if (c == '.' || c == '-') return true;
  if (domain) return false;
  static constexpr std::string_view kAtext = "!#$%&'*+/=?^_`{|}~";
  return kAtext.find(c) != std::string_view::npos;
}

}  // namespace

namespace repl_internal {

absl::Status ValidateMailAddress(std::string_view address) {
  const size_t at = address.rfind('@');
  if (address.size() > 254 || at == std::string_view::npos || at == 0 ||
      at + 1 == address.size() || address[0] == '-' || address[0] == '.') {
    return absl::InvalidArgumentError(absl::StrCat(
        "\"", absl::CEscape(core_internal::Sv(address)), "\" is not a plain mail address (local@domain)"));
  }
  for (size_t i = 0; i < address.size(); ++i) {
    if (i == at) continue;
    if (!AddrChar(address[i], i > at)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "\"", absl::CEscape(core_internal::Sv(address)),
          "\" is not a plain mail address: character ", i + 1,
          " is not allowed"));
    }
  }
  return absl::OkStatus();
}

}  // namespace repl_internal

size_t MaxReplicationMailBytes(size_t max_frame_bytes) {
  const size_t base64 = (max_frame_bytes + 2) / 3 * 4;
  return base64 + (base64 / 76 + 1) * 2 + kMailOverhead;
}

absl::StatusOr<std::string> ComposeReplicationMail(
    std::string_view frame, std::string_view from,
    std::span<const std::string> to) {
  if (to.empty()) return absl::InvalidArgumentError("a mail needs a recipient");
  if (absl::Status s = repl_internal::ValidateMailAddress(from); !s.ok()) {
    return s;
  }
  for (const std::string& address : to) {
    if (absl::Status s = repl_internal::ValidateMailAddress(address); !s.ok()) {
      return s;
    }
  }
  InitGMime();
  GPtr<GMimeMessage> message(g_mime_message_new(TRUE));
  const std::string from_text(from);
  g_mime_message_add_mailbox(message.get(), GMIME_ADDRESS_TYPE_FROM, nullptr,
                             from_text.c_str());
  for (const std::string& address : to) {
    g_mime_message_add_mailbox(message.get(), GMIME_ADDRESS_TYPE_TO, nullptr,
                               address.c_str());
  }
  g_mime_message_set_subject(message.get(), kSubject, nullptr);
  GDateTime* now = g_date_time_new_now_utc();
  g_mime_message_set_date(message.get(), now);
  g_date_time_unref(now);
  const std::string domain = from_text.substr(from_text.rfind('@') + 1);
  char* id = g_mime_utils_generate_message_id(domain.c_str());
  g_mime_message_set_message_id(message.get(), id);
  g_free(id);
  GMimeObject* top = GMIME_OBJECT(message.get());
  g_mime_object_set_header(top, "Auto-Submitted", "auto-generated", nullptr);
  g_mime_object_set_header(top, kMarkerHeader, kMarkerValue, nullptr);

  GPtr<GMimeMultipart> mixed(g_mime_multipart_new_with_subtype("mixed"));
  GPtr<GMimeTextPart> text(g_mime_text_part_new_with_subtype("plain"));
  g_mime_text_part_set_text(text.get(), kExplanation);
  g_mime_multipart_add(mixed.get(), GMIME_OBJECT(text.get()));

  GPtr<GMimePart> payload(g_mime_part_new_with_type(kPayloadType, kPayloadSubtype));
  GPtr<GMimeStream> bytes(
      g_mime_stream_mem_new_with_buffer(frame.data(), frame.size()));
  GPtr<GMimeDataWrapper> content(g_mime_data_wrapper_new_with_stream(
      bytes.get(), GMIME_CONTENT_ENCODING_DEFAULT));
  g_mime_part_set_content(payload.get(), content.get());
  g_mime_part_set_content_encoding(payload.get(), GMIME_CONTENT_ENCODING_BASE64);
  g_mime_part_set_filename(payload.get(), "replication-message.bin");
  g_mime_multipart_add(mixed.get(), GMIME_OBJECT(payload.get()));
  g_mime_message_set_mime_part(message.get(), GMIME_OBJECT(mixed.get()));

  GPtr<GMimeStream> out(g_mime_stream_mem_new());
  if (g_mime_object_write_to_stream(top, nullptr, out.get()) < 0) {
    return absl::InternalError("GMime could not write the mail");
  }
  GByteArray* array = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out.get()));
  return std::string(reinterpret_cast<const char*>(array->data), array->len);
}

absl::StatusOr<std::string> ExtractReplicationFrame(std::string_view mail,
                                                    size_t max_frame_bytes) {
  if (mail.size() > MaxReplicationMailBytes(max_frame_bytes)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the mail has ", mail.size(), " bytes, more than a replication message of at most ",
        max_frame_bytes, " bytes could make"));
  }
  InitGMime();
  GPtr<GMimeStream> in(g_mime_stream_mem_new_with_buffer(mail.data(), mail.size()));
  GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(in.get()));
  GPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), nullptr));
  if (message == nullptr) {
    return absl::InvalidArgumentError("not a mail message (RFC 5322)");
  }
  const char* marker = g_mime_object_get_header(GMIME_OBJECT(message.get()), kMarkerHeader);
  if (marker == nullptr ||
      absl::StripAsciiWhitespace(marker) != absl::string_view(kMarkerValue)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "not a replication mail: no \"", kMarkerHeader, ": ", kMarkerValue, "\" header"));
  }
  // The payload: the top part itself, or one among the top multipart's
  // parts (nested multiparts are not looked into: this library never
  // writes one).
  GMimeObject* body = g_mime_message_get_mime_part(message.get());
  GMimePart* payload = nullptr;
  int payloads = 0;
  auto consider = [&](GMimeObject* part) {
    if (part == nullptr || !GMIME_IS_PART(part)) return;
    GMimeContentType* type = g_mime_object_get_content_type(part);
    if (type != nullptr &&
        g_mime_content_type_is_type(type, kPayloadType, kPayloadSubtype)) {
      payload = GMIME_PART(part);
      ++payloads;
    }
  };
  if (body != nullptr && GMIME_IS_MULTIPART(body)) {
    GMimeMultipart* multipart = GMIME_MULTIPART(body);
    const int count = g_mime_multipart_get_count(multipart);
    for (int i = 0; i < count; ++i) consider(g_mime_multipart_get_part(multipart, i));
  } else {
    consider(body);
  }
  if (payloads != 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "a replication mail carries one ", kPayloadType, "/", kPayloadSubtype,
        " part; this one has ", payloads));
  }
  if (g_mime_part_get_content_encoding(payload) != GMIME_CONTENT_ENCODING_BASE64) {
    return absl::InvalidArgumentError("the replication part is not base64");
  }
  GMimeDataWrapper* content = g_mime_part_get_content(payload);
  GMimeStream* raw = content != nullptr ? g_mime_data_wrapper_get_stream(content) : nullptr;
  if (raw == nullptr) return absl::InvalidArgumentError("the replication part is empty");
  // The encoded text, checked strictly (GMime's own decoder skips what is
  // not base64, so a mangled mail would decode to a different frame).
  GPtr<GMimeStream> encoded(g_mime_stream_mem_new());
  g_mime_stream_reset(raw);
  if (g_mime_stream_write_to_stream(raw, encoded.get()) < 0) {
    return absl::InvalidArgumentError("the replication part cannot be read");
  }
  GByteArray* array = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(encoded.get()));
  std::string compact;
  compact.reserve(array->len);
  for (guint i = 0; i < array->len; ++i) {
    const char c = static_cast<char>(array->data[i]);
    if (c == '\r' || c == '\n' || c == ' ' || c == '\t') continue;
    compact.push_back(c);
  }
  if (compact.size() % 4 != 0 ||
      compact.find_first_not_of(
          "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") !=
          std::string::npos) {
    return absl::InvalidArgumentError("the replication part is not valid base64");
  }
  std::string frame;
  if (!absl::Base64Unescape(compact, &frame)) {
    return absl::InvalidArgumentError("the replication part is not valid base64");
  }
  if (frame.size() > max_frame_bytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the replication part holds ", frame.size(), " bytes, more than ",
        max_frame_bytes));
  }
  return frame;
}

}  // namespace ioreplication
