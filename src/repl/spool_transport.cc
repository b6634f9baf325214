// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "ioreplication/spool_transport.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string_view>
#include <system_error>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "ioreplication/clock.h"
#include "ioreplication/guid.h"

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

absl::Status WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return absl::UnavailableError(ErrnoText());
    }
    bytes.remove_prefix(static_cast<size_t>(n));
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
    const fs::path dir = fs::path(own_) / "new";
    std::vector<std::string> names;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end;
         it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (name.size() > 4 && name.ends_with(".msg")) names.push_back(name);
    }
    if (ec) {
      return absl::UnavailableError(
          absl::StrCat("cannot read ", dir.string(), ": ", ec.message()));
    }
    std::sort(names.begin(), names.end());
    std::vector<std::string> out;
    for (const std::string& name : names) {
      if (out.size() >= max) break;
      const std::string path = (dir / name).string();
      absl::StatusOr<std::optional<std::string>> bytes = ReadMessage(path);
      ::unlink(path.c_str());
      if (!bytes.ok()) return bytes.status();
      if (bytes->has_value()) out.push_back(**std::move(bytes));
    }
    return out;
  }

 private:
  // The file's bytes, or nullopt for one that is not a regular file of at
  // most max_bytes_ (dropped).
  absl::StatusOr<std::optional<std::string>> ReadMessage(
      const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return std::optional<std::string>();
    struct stat st;
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        static_cast<uint64_t>(st.st_size) > max_bytes_) {
      ::close(fd);
      return std::optional<std::string>();
    }
    std::string bytes(static_cast<size_t>(st.st_size), '\0');
    size_t got = 0;
    while (got < bytes.size()) {
      const ssize_t n = ::read(fd, bytes.data() + got, bytes.size() - got);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      got += static_cast<size_t>(n);
    }
    ::close(fd);
    bytes.resize(got);
    return std::optional<std::string>(std::move(bytes));
  }

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
    absl::Status s = WriteAll(fd, message);
    if (s.ok() && ::fsync(fd) != 0) s = absl::UnavailableError(ErrnoText());
    ::close(fd);
    if (s.ok() && ::rename(tmp.c_str(), final_path.c_str()) != 0) {
      s = absl::UnavailableError(ErrnoText());
    }
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
