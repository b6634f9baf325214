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
// The writer streams to a file; the reader checks a whole file before
// handing out anything, so a refused file yields nothing, and reads it a
// frame at a time, so no file, however large, is held in memory.

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
// Largest frame accepted by default: an item of the largest size a session
// allows, with room for its record's framing. An import passes its session's
// own bound (ExchangeFrameLimit).
inline constexpr uint32_t kMaxFrame = (1u << 30);

// The largest frame a file for a session whose items are at most
// `max_item_size` bytes can hold: the item and its record's framing.
uint32_t ExchangeFrameLimit(size_t max_item_size);

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
  // Starts the file for `path` and writes the magic and the header. The
  // file has no name until Commit (an O_TMPFILE file in path's directory, or
  // "<path>.tmp" where the file system has none), so an export that is
  // killed leaves nothing behind. AlreadyExistsError when `path` exists and
  // not `overwrite`. Removes a "<path>.tmp" an older export left.
  static absl::StatusOr<std::unique_ptr<ExchangeWriter>> Create(
      const std::string& path, std::string_view key,
      const v1::ExchangeHeader& header, bool overwrite);
  ~ExchangeWriter();  // drops the file unless committed

  absl::Status Add(const v1::ExchangeEntry& entry);
  // Writes the trailer and the tag, syncs, and gives the file its name
  // (without `overwrite`, failing rather than replacing a file that appeared
  // meanwhile). Returns the file size.
  absl::StatusOr<uint64_t> Commit(v1::ExchangeTrailer trailer);

 private:
  ExchangeWriter(std::string path, std::string temp_path, std::FILE* file,
                 std::string_view key, bool overwrite);
  absl::Status Write(std::string_view bytes);
  absl::Status Frame(uint8_t type, const google::protobuf::MessageLite& m);
  absl::Status Publish();

  std::string path_;
  std::string temp_path_;  // empty for an unnamed (O_TMPFILE) file
  std::FILE* file_;
  Tagger tagger_;
  bool overwrite_;
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

// An entry's object, decoded as untrusted input (DataLossError saying what
// is wrong); its mapping index is not checked.
absl::StatusOr<ExchangeRecord> DecodeEntryObject(const v1::ExchangeEntry& entry);
// Sets `entry`'s object to `change`'s, in the store record encoding.
void EncodeEntryObject(const Change& change, v1::ExchangeEntry& entry);

// Where a reader's bytes come from: a file on disk, read piece by piece, or
// bytes in memory (tests, fuzzing).
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual uint64_t size() const = 0;
  // Exactly `n` bytes at `offset` into `out`.
  virtual absl::Status ReadAt(uint64_t offset, size_t n, char* out) = 0;
  // OK while the bytes are still the ones the reader checked (a file that
  // another process replaced or rewrote since is an error).
  virtual absl::Status Unchanged() { return absl::OkStatus(); }
};

// The regular file at `path`, kept open. NotFoundError when it cannot be
// opened; InvalidArgumentError for anything but a regular file (a
// directory, a device such as /dev/zero, a pipe), since its size is what
// the tag check starts from.
absl::StatusOr<std::unique_ptr<ByteSource>> OpenFileSource(
    const std::string& path);
std::unique_ptr<ByteSource> MemorySource(std::string_view bytes);

// An exchange file checked whole before anything is handed out, without
// holding it in memory: Open reads it twice, one bounded buffer at a time:
// first the tag over all the bytes (with `key` when the file says it is
// keyed), then every frame, decoding each entry and letting it go. Only then
// does Next() hand out the entries, decoding each again, one at a time, so
// memory stays at the largest frame plus what the caller keeps.
// Open's errors: DataLossError saying what is wrong for a damaged or
// truncated file; PermissionDeniedError when the file's keying does not
// match `key` (keyed file without a key, or the reverse, or another key).
// A frame longer than `max_frame` is damage.
class ExchangeReader {
 public:
  static absl::StatusOr<std::unique_ptr<ExchangeReader>> Open(
      std::unique_ptr<ByteSource> source, std::string_view key,
      uint32_t max_frame = kMaxFrame);

  const v1::ExchangeHeader& header() const { return header_; }
  const v1::ExchangeTrailer& trailer() const { return trailer_; }
  bool keyed() const { return keyed_; }
  uint64_t entry_count() const { return entry_count_; }

  // Back to the first entry.
  void Rewind() { at_ = first_entry_; }
  // The next entry, or nullopt after the last. DataLossError if the file
  // changed since Open (see ByteSource::Unchanged; checked at the first and
  // after the last entry of each walk, and by every entry's decoding).
  absl::StatusOr<std::optional<ExchangeRecord>> Next();

 private:
  ExchangeReader(std::unique_ptr<ByteSource> source, uint32_t max_frame)
      : source_(std::move(source)), max_frame_(max_frame) {}
  absl::Status CheckTag(std::string_view key);
  absl::Status CheckFrames();
  // Reads the frame at at_ into frame_ and advances; its type in `type`.
  absl::Status ReadFrame(uint64_t frame_number, uint8_t& type);

  std::unique_ptr<ByteSource> source_;
  uint32_t max_frame_;
  v1::ExchangeHeader header_;
  v1::ExchangeTrailer trailer_;
  bool keyed_ = false;
  uint64_t entry_count_ = 0;
  uint64_t body_end_ = 0;     // where the tag starts
  uint64_t first_entry_ = 0;  // the offset of the frame after the header
  uint64_t trailer_at_ = 0;   // the offset of the trailer frame
  uint64_t at_ = 0;
  std::string frame_;  // reused for every frame
};

// A checked file, whole in memory.
struct ExchangeContent {
  v1::ExchangeHeader header;
  v1::ExchangeTrailer trailer;
  bool keyed = false;
  std::vector<ExchangeRecord> records;
};

// ExchangeReader over `bytes`, with every entry collected.
absl::StatusOr<ExchangeContent> ReadExchangeFile(std::string_view bytes,
                                                 std::string_view key);

}  // namespace ioreplication::exchange_internal

#endif  // IOREPLICATION_SRC_EXCHANGE_EXCHANGE_FILE_H_
