// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// The exchange file container (docs/exchange-files.md):
//
//   "IOREPLX1"                      8 bytes of magic
//   auth                            1 byte: 0 SHA-256, 1 HMAC-SHA256
//   frames                          each: type (1 byte), length (4 bytes,
//                                   little-endian), that many bytes
//       type 1: ExchangeHeader      exactly one, first
//       type 2: ExchangeEntry       any number
//       type 3: ExchangeTrailer     exactly one, last
//   tag                             32 bytes: the digest or HMAC of all the
//                                   bytes before it
//
// The writer streams to a file; the reader checks a whole file held in
// memory before handing out anything, so a refused file yields nothing.

#ifndef IOREPLICATION_SRC_EXCHANGE_EXCHANGE_FILE_H_
#define IOREPLICATION_SRC_EXCHANGE_EXCHANGE_FILE_H_

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "ioreplication/store.h"
#include "ioreplication/v1/exchange.pb.h"

namespace ioreplication::exchange_internal {

inline constexpr std::string_view kMagic = "IOREPLX1";
inline constexpr size_t kTagSize = 32;
// Largest frame accepted: an item of the largest size a session allows, with
// room for its record's framing.
inline constexpr uint32_t kMaxFrame = (1u << 30);

// A running SHA-256 or, with a key, HMAC-SHA256.
class Tagger {
 public:
  explicit Tagger(std::string_view key);
  ~Tagger();
  Tagger(const Tagger&) = delete;
  Tagger& operator=(const Tagger&) = delete;
  void Update(std::string_view bytes);
  std::string Final();  // kTagSize bytes

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

class ExchangeWriter {
 public:
  // Creates "<path>.tmp" and writes the magic and the header.
  static absl::StatusOr<std::unique_ptr<ExchangeWriter>> Create(
      const std::string& path, std::string_view key,
      const v1::ExchangeHeader& header);
  ~ExchangeWriter();  // removes the temporary file unless committed

  absl::Status Add(const v1::ExchangeEntry& entry);
  // Writes the trailer and the tag, syncs, and renames the file into place.
  // Returns the file size.
  absl::StatusOr<uint64_t> Commit(v1::ExchangeTrailer trailer);

 private:
  ExchangeWriter(std::string path, std::FILE* file, std::string_view key);
  absl::Status Write(std::string_view bytes);
  absl::Status Frame(uint8_t type, const google::protobuf::MessageLite& m);

  std::string path_;
  std::string temp_path_;
  std::FILE* file_;
  Tagger tagger_;
  uint64_t entries_ = 0;
  uint64_t size_ = 0;
  bool committed_ = false;
};

// One entry, decoded.
struct ExchangeRecord {
  uint32_t mapping = 0;
  bool scope_exit = false;
  Change change;  // local_cn unset
};

// A checked file.
struct ExchangeContent {
  v1::ExchangeHeader header;
  v1::ExchangeTrailer trailer;
  bool keyed = false;
  std::vector<ExchangeRecord> records;
};

// Checks and decodes a whole file: the tag (with `key` when the file says it
// is keyed), the framing, the header, every entry and the trailer.
// DataLossError saying what is wrong for a damaged or truncated file;
// PermissionDeniedError when the file's keying does not match `key` (keyed
// file without a key, or the reverse, or another key).
absl::StatusOr<ExchangeContent> ReadExchangeFile(std::string_view bytes,
                                                 std::string_view key);

}  // namespace ioreplication::exchange_internal

#endif  // IOREPLICATION_SRC_EXCHANGE_EXCHANGE_FILE_H_
