// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// ByteReader: bounds-checked reading of untrusted wire bytes.
//
// Every decoder of outside input reads through this class so that every error
// names what was being decoded and the byte offset where it went wrong, in one
// format: "<what>: byte <offset>: <problem>".

#ifndef IOREPLICATION_SRC_CORE_BYTE_READER_H_
#define IOREPLICATION_SRC_CORE_BYTE_READER_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace ioreplication::core_internal {

class ByteReader {
 public:
  // `what` names the structure in error messages and must outlive the reader.
  ByteReader(std::span<const uint8_t> data, const char* what)
      : data_(data), what_(what) {}

  size_t offset() const { return offset_; }
  size_t remaining() const { return data_.size() - offset_; }
  bool empty() const { return offset_ == data_.size(); }
  const char* what() const { return what_; }

  // Consumes `n` bytes and returns a pointer to them, or nullptr when fewer
  // than `n` remain (then nothing is consumed).
  const uint8_t* Take(size_t n) {
    if (remaining() < n) return nullptr;
    const uint8_t* p = data_.data() + offset_;
    offset_ += n;
    return p;
  }

  // A DataLossError "<what>: byte <at>: <problem...>".
  template <typename... Parts>
  absl::Status ErrorAt(size_t at, const Parts&... problem) const {
    return absl::DataLossError(
        absl::StrCat(what_, ": byte ", at, ": ", problem...));
  }

  // The error for a structure of `needed` bytes starting at `at` that runs
  // past the end of the input.
  absl::Status TruncatedAt(size_t at, const char* item, size_t needed) const {
    return ErrorAt(at, "truncated ", item, ": needs ", needed, " bytes, ",
                   data_.size() - at, " remain");
  }

 private:
  std::span<const uint8_t> data_;
  const char* what_;
  size_t offset_ = 0;
};

// Big-endian loads and stores of 1..8 bytes.
inline uint64_t LoadBigEndian(const uint8_t* p, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v = (v << 8) | p[i];
  return v;
}

inline void AppendBigEndian(uint64_t v, size_t n, std::string* out) {
  for (size_t i = n; i-- > 0;) {
    out->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  }
}

inline std::span<const uint8_t> AsBytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

// The reverse of AsBytes: the bytes as a string (e.g. a GUID for a bytes
// field or a BLOB column).
inline std::string AsString(std::span<const uint8_t> bytes) {
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

}  // namespace ioreplication::core_internal

#endif  // IOREPLICATION_SRC_CORE_BYTE_READER_H_
