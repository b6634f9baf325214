// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// The recipient list's CSV form (RFC 4180), read strictly: a file that is
// not well formed is refused whole rather than read in part.

#include <optional>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "core/text.h"
#include "core/utf8.h"
#include "ioreplication/recipient.h"
#include "model/recipient_checks.h"

namespace ioreplication {
namespace {

struct Record {
  size_t line = 0;  // where the record starts, from 1
  std::vector<std::string> fields;
};

absl::Status CsvError(size_t line, std::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(
      "recipients CSV: line ", line, ": ", core_internal::Sv(what)));
}

// Splits `text` into records. Empty lines are skipped.
absl::StatusOr<std::vector<Record>> SplitRecords(std::string_view text) {
  std::vector<Record> records;
  size_t line = 1;
  size_t i = 0;
  while (i < text.size()) {
    // An empty line.
    if (text[i] == '\n' ||
        (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n')) {
      i += text[i] == '\n' ? 1 : 2;
      ++line;
      continue;
    }
    Record record;
    record.line = line;
    while (true) {  // one field per turn
      std::string field;
      if (i < text.size() && text[i] == '"') {
        const size_t opened = line;
        ++i;
        while (true) {
          if (i >= text.size()) {
            return CsvError(opened, "a quoted field is not closed");
          }
          if (text[i] == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              field.push_back('"');
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (text[i] == '\n') ++line;
          field.push_back(text[i++]);
        }
        if (i < text.size() && text[i] != ',' && text[i] != '\n' &&
            text[i] != '\r') {
          return CsvError(line, absl::StrCat("field ", record.fields.size() + 1,
                                             ": text after the closing quote"));
        }
      } else {
        while (i < text.size() && text[i] != ',' && text[i] != '\n' &&
               text[i] != '\r') {
          if (text[i] == '"') {
            return CsvError(line,
                            absl::StrCat("field ", record.fields.size() + 1,
                                         ": a quote inside an unquoted "
                                         "field (quote the field and "
                                         "double the quote)"));
          }
          field.push_back(text[i++]);
        }
      }
      record.fields.push_back(std::move(field));
      if (i >= text.size()) break;
      if (text[i] == ',') {
        ++i;
        continue;
      }
      if (text[i] == '\r') {
        if (i + 1 >= text.size() || text[i + 1] != '\n') {
          return CsvError(line, "a carriage return without a line feed");
        }
        ++i;
      }
      ++i;  // '\n'
      ++line;
      break;
    }
    records.push_back(std::move(record));
  }
  return records;
}

// "Primary SMTP-Address" -> "primarysmtpaddress".
std::string ColumnKey(std::string_view name) {
  std::string key;
  for (char c : core_internal::Trim(name)) {
    if (c == ' ' || c == '_' || c == '-') continue;
    key.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
  }
  return key;
}

enum class Column { kAddress, kName };

std::optional<Column> KnownColumn(std::string_view name) {
  const std::string key = ColumnKey(name);
  if (key == "smtpaddress" || key == "smtp" || key == "email" ||
      key == "emailaddress" || key == "primarysmtpaddress") {
    return Column::kAddress;
  }
  if (key == "displayname" || key == "name") return Column::kName;
  return std::nullopt;
}

}  // namespace

absl::StatusOr<std::vector<Recipient>> ParseRecipientsCsv(
    std::string_view text) {
  if (text.size() > kMaxRecipientsCsvBytes) {
    return absl::OutOfRangeError(absl::StrCat(
        "recipients CSV of ", text.size(), " bytes is longer than the ",
        kMaxRecipientsCsvBytes >> 20, " MiB a recipient list may hold"));
  }
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  if (absl::Status s = core_internal::ValidateUtf8(text, "recipients CSV");
      !s.ok()) {
    return s;
  }
  absl::StatusOr<std::vector<Record>> records = SplitRecords(text);
  if (!records.ok()) return records.status();
  if (records->empty()) {
    return absl::InvalidArgumentError(
        "recipients CSV: no header line (expected e.g. "
        "\"smtp_address,display_name\")");
  }
  const Record& header = records->front();
  std::optional<size_t> address_column, name_column;
  for (size_t c = 0; c < header.fields.size(); ++c) {
    const std::optional<Column> known = KnownColumn(header.fields[c]);
    if (!known) continue;
    std::optional<size_t>& slot =
        *known == Column::kAddress ? address_column : name_column;
    if (slot) {
      return CsvError(
          header.line,
          absl::StrCat("columns ", *slot + 1, " (\"", header.fields[*slot],
                       "\") and ", c + 1, " (\"", header.fields[c],
                       "\") name the same thing"));
    }
    slot = c;
  }
  if (!address_column) {
    return CsvError(header.line,
                    "no address column (smtp_address, smtp, email, "
                    "email_address or PrimarySmtpAddress)");
  }
  std::vector<Recipient> recipients;
  absl::flat_hash_map<std::string, size_t> first_line;
  for (size_t r = 1; r < records->size(); ++r) {
    const Record& record = (*records)[r];
    if (record.fields.size() != header.fields.size()) {
      return CsvError(record.line, absl::StrCat(record.fields.size(),
                                                " fields; the header has ",
                                                header.fields.size()));
    }
    Recipient recipient;
    recipient.smtp_address =
        std::string(core_internal::Trim(record.fields[*address_column]));
    if (name_column) {
      recipient.display_name =
          std::string(core_internal::Trim(record.fields[*name_column]));
    }
    if (absl::Status s = ValidateSmtpAddress(recipient.smtp_address); !s.ok()) {
      return CsvError(record.line, std::string(s.message()));
    }
    if (absl::Status s =
            model_internal::ValidateRecipientName(recipient.display_name);
        !s.ok()) {
      return CsvError(record.line, std::string(s.message()));
    }
    auto [it, fresh] =
        first_line.emplace(SmtpAddressKey(recipient.smtp_address), record.line);
    if (!fresh) {
      return CsvError(record.line,
                      absl::StrCat("\"", recipient.smtp_address,
                                   "\" is already on line ", it->second));
    }
    recipients.push_back(std::move(recipient));
  }
  return recipients;
}

}  // namespace ioreplication
