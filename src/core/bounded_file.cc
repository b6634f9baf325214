// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "core/bounded_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace ioreplication::core_internal {

std::string ByteSizeText(size_t bytes) {
  if (bytes >= (size_t{1} << 20) && bytes % (size_t{1} << 20) == 0) {
    return absl::StrCat(bytes >> 20, " MiB");
  }
  if (bytes >= 1024 && bytes % 1024 == 0) {
    return absl::StrCat(bytes >> 10, " KiB");
  }
  return absl::StrCat(bytes, " bytes");
}

absl::StatusOr<std::string> ReadBoundedFile(const std::string& path,
                                            std::string_view what,
                                            size_t max_bytes) {
  const std::string name = absl::StrCat(std::string(what), " ", path);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    if (error == ENOENT) {
      return absl::NotFoundError(absl::StrCat(name, " does not exist"));
    }
    return absl::NotFoundError(
        absl::StrCat(name, " cannot be read: ", std::strerror(error)));
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    return absl::InvalidArgumentError(absl::StrCat(name, " is a directory"));
  }
  const auto too_large = [&] {
    return absl::OutOfRangeError(absl::StrCat(
        name, " holds more than ", ByteSizeText(max_bytes), ", the limit for a ",
        std::string(what)));
  };
  // A regular file says its size: refuse a large one without reading it.
  if (S_ISREG(st.st_mode) && static_cast<uint64_t>(st.st_size) > max_bytes) {
    return too_large();
  }
  std::string bytes;
  if (S_ISREG(st.st_mode)) bytes.reserve(static_cast<size_t>(st.st_size));
  char buffer[64 * 1024];
  while (true) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      return absl::DataLossError(
          absl::StrCat(name, ": read failed: ", std::strerror(errno)));
    }
    if (n == 0) break;
    if (bytes.size() + static_cast<size_t>(n) > max_bytes) return too_large();
    bytes.append(buffer, static_cast<size_t>(n));
  }
  return bytes;
}

}  // namespace ioreplication::core_internal
