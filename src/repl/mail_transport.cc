// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "ioreplication/mail_transport.h"

#include <unistd.h>

#include <filesystem>
#include <optional>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "repl/message_files.h"
#include "repl/replication_mail.h"
#include "repl/sendmail_program.h"

namespace ioreplication {
namespace {

namespace fs = std::filesystem;

class MailTransport : public Transport {
 public:
  explicit MailTransport(MailTransportOptions options)
      : options_(std::move(options)) {}

  absl::Status Send(std::string_view message,
                    std::span<const std::string> to) override {
    absl::StatusOr<std::string> mail =
        ComposeReplicationMail(message, options_.own_address, to);
    if (!mail.ok()) return mail.status();
    return repl_internal::RunSendmail(options_.sendmail, to, *mail);
  }

  absl::StatusOr<std::vector<std::string>> Receive(size_t max) override {
    std::vector<std::string> out;
    if (options_.maildir.empty()) return out;
    const std::string dir = (fs::path(options_.maildir) / "new").string();
    absl::StatusOr<std::vector<std::string>> names =
        repl_internal::ListMessageFiles(dir);
    if (!names.ok()) return names.status();
    const size_t limit = MaxReplicationMailBytes(options_.max_message_bytes);
    for (const std::string& name : *names) {
      if (out.size() >= max) break;
      const std::string path = (fs::path(dir) / name).string();
      std::optional<std::string> bytes = repl_internal::ReadBoundedFile(path, limit);
      // Handed out once, applied or not: a mail lost here is backfilled.
      ::unlink(path.c_str());
      if (!bytes.has_value()) {
        Log(absl::StrCat("dropped mail ", path,
                         ": not a regular file, or larger than ", limit,
                         " bytes"));
        continue;
      }
      absl::StatusOr<std::string> frame =
          ExtractReplicationFrame(*bytes, options_.max_message_bytes);
      if (!frame.ok()) {
        Log(absl::StrCat("dropped mail ", path, ": ", frame.status().message()));
        continue;
      }
      out.push_back(*std::move(frame));
    }
    return out;
  }

 private:
  void Log(std::string_view line) {
    if (options_.log) options_.log(line);
  }

  MailTransportOptions options_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Transport>> NewMailTransport(
    MailTransportOptions options) {
  if (absl::Status s = repl_internal::ValidateMailAddress(options.own_address);
      !s.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("own address: ", s.message()));
  }
  if (options.sendmail.empty() || options.sendmail[0].empty()) {
    return absl::InvalidArgumentError("the sendmail command is empty");
  }
  if (!options.maildir.empty()) {
    std::error_code ec;
    if (!fs::is_directory(fs::path(options.maildir) / "new", ec)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "the Maildir ", options.maildir, " has no new/ directory"));
    }
  }
  return std::unique_ptr<Transport>(new MailTransport(std::move(options)));
}

}  // namespace ioreplication
