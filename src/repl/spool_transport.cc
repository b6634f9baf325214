// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "ioreplication/spool_transport.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string_view>
#include <system_error>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "ioreplication/clock.h"
#include "ioreplication/guid.h"
#include "repl/message_files.h"

namespace ioreplication {
namespace {

namespace fs = std::filesystem;

std::string ErrnoText() { return std::strerror(errno); }

absl::Status MakeDirs(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(fs::path(dir) / "tmp", ec);
  if (!ec) fs::create_directories(fs::path(dir) / "new", ec);
  if (ec) {
    return absl::UnavailableError(
        absl::StrCat("cannot make spool directory ", dir, ": ", ec.message()));
  }
  return absl::OkStatus();
}

class SpoolTransport : public Transport {
 public:
  SpoolTransport(std::string own, size_t max_bytes)
      : own_(std::move(own)), max_bytes_(max_bytes) {}

  absl::Status Send(std::string_view message,
                    std::span<const std::string> to) override {
    if (to.empty()) return absl::InvalidArgumentError("no address");
    for (const std::string& dir : to) {
      if (absl::Status s = Deliver(dir, message); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::vector<std::string>> Receive(size_t max) override {
    const std::string dir = (fs::path(own_) / "new").string();
    absl::StatusOr<std::vector<std::string>> names =
        repl_internal::ListMessageFiles(dir);
    if (!names.ok()) return names.status();
    std::vector<std::string> out;
    for (const std::string& name : *names) {
      if (out.size() >= max) break;
      if (!name.ends_with(".msg")) continue;
      const std::string path = (fs::path(dir) / name).string();
      std::optional<std::string> bytes =
          repl_internal::ReadBoundedFile(path, max_bytes_);
      ::unlink(path.c_str());
      if (bytes.has_value()) out.push_back(*std::move(bytes));
    }
    return out;
  }

 private:
  absl::Status Deliver(const std::string& dir, std::string_view message) {
    const std::string name = absl::StrCat(
        FileTime::FromAbslTime(absl::Now()).ticks(), ".", ::getpid(), ".",
        Guid::Random().ToString().substr(1, 8), ".msg");
    const std::string tmp = (fs::path(dir) / "tmp" / name).string();
    const std::string final_path = (fs::path(dir) / "new" / name).string();
    const int fd = ::open(tmp.c_str(),
                          O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    if (fd < 0) {
      return absl::UnavailableError(
          absl::StrCat("cannot write to spool ", dir, ": ", ErrnoText()));
    }
    absl::Status s = repl_internal::WriteAll(fd, message);
    if (s.ok() && ::fsync(fd) != 0) s = absl::UnavailableError(ErrnoText());
    ::close(fd);
    if (s.ok() && ::rename(tmp.c_str(), final_path.c_str()) != 0) {
      s = absl::UnavailableError(ErrnoText());
    }
    // Without this a power loss may take the rename back: the sender would
    // count the message as sent (backfill would recover it, later).
    if (s.ok()) s = repl_internal::SyncDirectory((fs::path(dir) / "new").string());
    if (!s.ok()) {
      ::unlink(tmp.c_str());
      return absl::UnavailableError(absl::StrCat(
          "cannot deliver to spool ", dir, ": ", s.message()));
    }
    return absl::OkStatus();
  }

  std::string own_;
  size_t max_bytes_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Transport>> NewSpoolTransport(
    const std::string& own_dir, size_t max_message_bytes) {
  if (own_dir.empty()) {
    return absl::InvalidArgumentError("the spool directory is empty");
  }
  if (absl::Status s = MakeDirs(own_dir); !s.ok()) return s;
  return std::unique_ptr<Transport>(
      new SpoolTransport(own_dir, max_message_bytes));
}

}  // namespace ioreplication
