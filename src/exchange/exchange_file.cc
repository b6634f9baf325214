// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "exchange/exchange_file.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "stores/record_codec.h"

namespace ioreplication::exchange_internal {
namespace {

enum FrameType : uint8_t { kHeader = 1, kEntry = 2, kTrailer = 3 };

std::string ErrnoText() { return std::strerror(errno); }

absl::Status Damaged(absl::string_view what) {
  return absl::DataLossError(absl::StrCat("exchange file: ", what));
}

}  // namespace

// ---- Tagger ----

struct Tagger::Impl {
  EVP_MD_CTX* md = nullptr;
  EVP_MAC* mac = nullptr;
  EVP_MAC_CTX* mac_ctx = nullptr;
};

Tagger::Tagger(std::string_view key) : impl_(std::make_unique<Impl>()) {
  // Failures here mean OpenSSL itself is broken (no SHA-256): the tag then
  // comes out empty and no file verifies, which fails safe.
  if (key.empty()) {
    impl_->md = EVP_MD_CTX_new();
    if (impl_->md != nullptr) {
      EVP_DigestInit_ex(impl_->md, EVP_sha256(), nullptr);
    }
    return;
  }
  impl_->mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (impl_->mac == nullptr) return;
  impl_->mac_ctx = EVP_MAC_CTX_new(impl_->mac);
  if (impl_->mac_ctx == nullptr) return;
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_end()};
  EVP_MAC_init(impl_->mac_ctx, reinterpret_cast<const uint8_t*>(key.data()),
               key.size(), params);
}

Tagger::~Tagger() {
  EVP_MD_CTX_free(impl_->md);
  EVP_MAC_CTX_free(impl_->mac_ctx);
  EVP_MAC_free(impl_->mac);
}

void Tagger::Update(std::string_view bytes) {
  if (impl_->md != nullptr) {
    EVP_DigestUpdate(impl_->md, bytes.data(), bytes.size());
  } else if (impl_->mac_ctx != nullptr) {
    EVP_MAC_update(impl_->mac_ctx,
                   reinterpret_cast<const uint8_t*>(bytes.data()),
                   bytes.size());
  }
}

std::string Tagger::Final() {
  std::string tag(kTagSize, '\0');
  auto* out = reinterpret_cast<uint8_t*>(tag.data());
  if (impl_->md != nullptr) {
    unsigned int n = 0;
    if (EVP_DigestFinal_ex(impl_->md, out, &n) == 1 && n == kTagSize) {
      return tag;
    }
  } else if (impl_->mac_ctx != nullptr) {
    size_t n = 0;
    if (EVP_MAC_final(impl_->mac_ctx, out, &n, kTagSize) == 1 &&
        n == kTagSize) {
      return tag;
    }
  }
  return "";
}

// ---- Writer ----

ExchangeWriter::ExchangeWriter(std::string path, std::string temp_path,
                               std::FILE* file, std::string_view key,
                               bool overwrite)
    : path_(std::move(path)),
      temp_path_(std::move(temp_path)),
      file_(file),
      tagger_(key),
      overwrite_(overwrite) {}

ExchangeWriter::~ExchangeWriter() {
  if (file_ != nullptr) std::fclose(file_);
  if (!committed_ && !temp_path_.empty()) std::remove(temp_path_.c_str());
}

absl::StatusOr<std::unique_ptr<ExchangeWriter>> ExchangeWriter::Create(
    const std::string& path, std::string_view key,
    const v1::ExchangeHeader& header, bool overwrite) {
  if (!overwrite && ::access(path.c_str(), F_OK) == 0) {
    return absl::AlreadyExistsError(absl::StrCat(
        path,
        " exists, and its subscriber may not have imported it yet (the next "
        "file would then be refused until a full export); move it away "
        "first, or replace it on purpose (iorepl export --force)"));
  }
  // What an export killed by an older version left behind.
  const std::string stale = path + ".tmp";
  std::remove(stale.c_str());
  // An unnamed file in the target's directory: a killed export leaves
  // nothing behind, and two exports cannot write into each other's file.
  // It gets its name only at Commit. Where the file system has no
  // O_TMPFILE, a named "<path>.tmp" stands in.
  std::string dir = std::filesystem::path(path).parent_path().string();
  if (dir.empty()) dir = ".";
  std::FILE* file = nullptr;
  std::string temp_path;
  const int fd = ::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
  if (fd >= 0) {
    file = ::fdopen(fd, "wb");
    if (file == nullptr) ::close(fd);
  } else if (errno == EOPNOTSUPP || errno == EISDIR) {
    temp_path = stale;
    file = std::fopen(temp_path.c_str(), "wbx");
  }
  if (file == nullptr) {
    return absl::UnavailableError(absl::StrCat(
        "cannot create a file in ", dir, " for ", path, ": ", ErrnoText()));
  }
  std::unique_ptr<ExchangeWriter> writer(
      new ExchangeWriter(path, temp_path, file, key, overwrite));
  const char auth = key.empty() ? 0 : 1;
  if (absl::Status s = writer->Write(kMagic); !s.ok()) return s;
  if (absl::Status s = writer->Write(std::string_view(&auth, 1)); !s.ok()) {
    return s;
  }
  if (absl::Status s = writer->Frame(kHeader, header); !s.ok()) return s;
  return writer;
}

absl::Status ExchangeWriter::Publish() {
  if (!temp_path_.empty()) {
    if (!overwrite_) {
      // link() fails where the name exists: no file appears over another.
      if (::link(temp_path_.c_str(), path_.c_str()) != 0) {
        return absl::UnavailableError(absl::StrCat(
            "cannot create ", path_, ": ", ErrnoText()));
      }
      std::remove(temp_path_.c_str());
      return absl::OkStatus();
    }
    if (std::rename(temp_path_.c_str(), path_.c_str()) != 0) {
      return absl::UnavailableError(absl::StrCat(
          "cannot rename ", temp_path_, " to ", path_, ": ", ErrnoText()));
    }
    return absl::OkStatus();
  }
  const std::string proc =
      absl::StrCat("/proc/self/fd/", ::fileno(file_));
  if (!overwrite_) {
    if (::linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, path_.c_str(),
                 AT_SYMLINK_FOLLOW) != 0) {
      return absl::UnavailableError(
          absl::StrCat("cannot create ", path_, ": ", ErrnoText()));
    }
    return absl::OkStatus();
  }
  // Replacing: a name of our own first, then over the old file at once.
  const std::string named = absl::StrCat(path_, ".", ::getpid(), ".tmp");
  if (::linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, named.c_str(),
               AT_SYMLINK_FOLLOW) != 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot create ", named, ": ", ErrnoText()));
  }
  if (std::rename(named.c_str(), path_.c_str()) != 0) {
    const std::string why = ErrnoText();
    std::remove(named.c_str());
    return absl::UnavailableError(
        absl::StrCat("cannot rename ", named, " to ", path_, ": ", why));
  }
  return absl::OkStatus();
}

absl::Status ExchangeWriter::Write(std::string_view bytes) {
  tagger_.Update(bytes);
  size_ += bytes.size();
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) {
    return absl::UnavailableError(
        absl::StrCat("cannot write ", path_, ": ", ErrnoText()));
  }
  return absl::OkStatus();
}

absl::Status ExchangeWriter::Frame(uint8_t type,
                                   const google::protobuf::MessageLite& m) {
  const std::string body = m.SerializeAsString();
  if (body.size() > kMaxFrame) {
    return absl::OutOfRangeError(absl::StrCat(
        "exchange file: a record of ", body.size(), " bytes is too large"));
  }
  char head[5] = {static_cast<char>(type)};
  const uint32_t n = static_cast<uint32_t>(body.size());
  for (int i = 0; i < 4; ++i) head[1 + i] = static_cast<char>(n >> (8 * i));
  if (absl::Status s = Write(std::string_view(head, 5)); !s.ok()) return s;
  return Write(body);
}

absl::Status ExchangeWriter::Add(const v1::ExchangeEntry& entry) {
  ++entries_;
  return Frame(kEntry, entry);
}

absl::StatusOr<uint64_t> ExchangeWriter::Commit(v1::ExchangeTrailer trailer) {
  trailer.set_entry_count(entries_);
  if (absl::Status s = Frame(kTrailer, trailer); !s.ok()) return s;
  const std::string tag = tagger_.Final();
  if (tag.size() != kTagSize) {
    return absl::InternalError("exchange file: SHA-256 is unavailable");
  }
  if (std::fwrite(tag.data(), 1, tag.size(), file_) != tag.size() ||
      std::fflush(file_) != 0 || fsync(fileno(file_)) != 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot write ", path_, ": ", ErrnoText()));
  }
  size_ += tag.size();
  if (absl::Status s = Publish(); !s.ok()) return s;
  committed_ = true;
  std::fclose(file_);
  file_ = nullptr;
  // The new name is durable once its directory is.
  std::string dir = std::filesystem::path(path_).parent_path().string();
  if (dir.empty()) dir = ".";
  if (const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
  return size_;
}

// ---- Reader ----

uint32_t ExchangeFrameLimit(size_t max_item_size) {
  // An item's record adds its keys, change key, PCL and property tags to
  // the bytes max_item_size counts; 1 MiB is far more than those take (a
  // PCL entry is 25 bytes).
  constexpr uint64_t kRecordSlack = uint64_t{1} << 20;
  return static_cast<uint32_t>(
      std::min<uint64_t>(uint64_t{max_item_size} + kRecordSlack, kMaxFrame));
}

namespace {

class FileSource : public ByteSource {
 public:
  FileSource(int fd, const struct stat& st, std::string path)
      : fd_(fd), st_(st), path_(std::move(path)) {}
  ~FileSource() override { ::close(fd_); }

  uint64_t size() const override { return static_cast<uint64_t>(st_.st_size); }

  absl::Status ReadAt(uint64_t offset, size_t n, char* out) override {
    while (n > 0) {
      const ssize_t got = ::pread(fd_, out, n, static_cast<off_t>(offset));
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) {
        return absl::UnavailableError(
            absl::StrCat("cannot read ", path_, ": ", ErrnoText()));
      }
      if (got == 0) {
        return Damaged(absl::StrCat("the file became shorter while it was "
                                    "read (at byte ",
                                    offset, ")"));
      }
      out += got;
      offset += static_cast<uint64_t>(got);
      n -= static_cast<size_t>(got);
    }
    return absl::OkStatus();
  }

  absl::Status Unchanged() override {
    struct stat now {};
    if (::fstat(fd_, &now) != 0 || now.st_size != st_.st_size ||
        now.st_mtim.tv_sec != st_.st_mtim.tv_sec ||
        now.st_mtim.tv_nsec != st_.st_mtim.tv_nsec) {
      return Damaged("the file was changed while it was imported");
    }
    return absl::OkStatus();
  }

 private:
  int fd_;
  struct stat st_;
  std::string path_;
};

class InMemorySource : public ByteSource {
 public:
  explicit InMemorySource(std::string_view bytes) : bytes_(bytes) {}
  uint64_t size() const override { return bytes_.size(); }
  absl::Status ReadAt(uint64_t offset, size_t n, char* out) override {
    if (offset > bytes_.size() || n > bytes_.size() - offset) {
      return Damaged("read past the end");
    }
    std::memcpy(out, bytes_.data() + offset, n);
    return absl::OkStatus();
  }

 private:
  std::string_view bytes_;
};

absl::StatusOr<ExchangeRecord> DecodeEntry(const v1::ExchangeEntry& entry,
                                           int mappings) {
  if (entry.mapping() >= static_cast<uint32_t>(mappings)) {
    return absl::DataLossError(absl::StrCat("names mapping ",
                                            entry.mapping() + 1, " of ",
                                            mappings));
  }
  return DecodeEntryObject(entry);
}

}  // namespace

absl::StatusOr<ExchangeRecord> DecodeEntryObject(
    const v1::ExchangeEntry& entry) {
  ExchangeRecord record;
  record.mapping = entry.mapping();
  record.scope_exit = entry.scope_exit();
  switch (entry.object_case()) {
    case v1::ExchangeEntry::kFolder: {
      absl::StatusOr<Folder> f = stores_internal::DecodeFolder(entry.folder());
      if (!f.ok()) return f.status();
      record.change.object = *std::move(f);
      return record;
    }
    case v1::ExchangeEntry::kItem: {
      absl::StatusOr<Item> i = stores_internal::DecodeItem(entry.item());
      if (!i.ok()) return i.status();
      record.change.object = *std::move(i);
      return record;
    }
    case v1::ExchangeEntry::kTombstone: {
      absl::StatusOr<Tombstone> t =
          stores_internal::DecodeTombstone(entry.tombstone());
      if (!t.ok()) return t.status();
      if (record.scope_exit) {
        return absl::DataLossError("a deletion cannot be a scope exit");
      }
      record.change.object = *std::move(t);
      return record;
    }
    default:
      return absl::DataLossError("no object");
  }
}

void EncodeEntryObject(const Change& change, v1::ExchangeEntry& entry) {
  if (const auto* folder = std::get_if<Folder>(&change.object)) {
    entry.set_folder(stores_internal::EncodeFolder(*folder));
  } else if (const auto* item = std::get_if<Item>(&change.object)) {
    entry.set_item(stores_internal::EncodeItem(*item));
  } else {
    entry.set_tombstone(
        stores_internal::EncodeTombstone(std::get<Tombstone>(change.object)));
  }
}

absl::StatusOr<std::unique_ptr<ByteSource>> OpenFileSource(
    const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return absl::NotFoundError(
        absl::StrCat("cannot read ", path, ": ", ErrnoText()));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return absl::InvalidArgumentError(absl::StrCat(
        path, " is not a regular file (an exchange file is read from disk)"));
  }
  return std::make_unique<FileSource>(fd, st, path);
}

std::unique_ptr<ByteSource> MemorySource(std::string_view bytes) {
  return std::make_unique<InMemorySource>(bytes);
}

absl::StatusOr<std::unique_ptr<ExchangeReader>> ExchangeReader::Open(
    std::unique_ptr<ByteSource> source, std::string_view key,
    uint32_t max_frame) {
  std::unique_ptr<ExchangeReader> reader(
      new ExchangeReader(std::move(source), max_frame));
  if (absl::Status s = reader->CheckTag(key); !s.ok()) return s;
  if (absl::Status s = reader->CheckFrames(); !s.ok()) return s;
  reader->Rewind();
  return reader;
}

absl::Status ExchangeReader::CheckTag(std::string_view key) {
  const uint64_t size = source_->size();
  const size_t min_size = kMagic.size() + 1 + kTagSize;
  char start[kMagic.size() + 1];
  if (size < kMagic.size() ||
      !source_->ReadAt(0, kMagic.size(), start).ok() ||
      std::string_view(start, kMagic.size()) != kMagic) {
    return Damaged("not an exchange file (no IOREPLX1 magic)");
  }
  if (size < min_size) {
    return Damaged(absl::StrCat("truncated: ", size, " bytes"));
  }
  if (absl::Status s = source_->ReadAt(kMagic.size(), 1, start + kMagic.size());
      !s.ok()) {
    return s;
  }
  const uint8_t auth = static_cast<uint8_t>(start[kMagic.size()]);
  if (auth > 1) {
    return Damaged(absl::StrCat("unknown integrity method ", auth));
  }
  keyed_ = auth == 1;
  if (keyed_ && key.empty()) {
    return absl::PermissionDeniedError(
        "exchange file: the file is authenticated with an exchange key, but "
        "the session has none (set exchange_key)");
  }
  if (!keyed_ && !key.empty()) {
    return absl::PermissionDeniedError(
        "exchange file: the session requires an exchange key, but the file "
        "was made without one");
  }
  body_end_ = size - kTagSize;
  Tagger tagger(key);
  constexpr size_t kChunk = 1 << 20;
  std::string chunk(static_cast<size_t>(std::min<uint64_t>(kChunk, body_end_)),
                    '\0');
  for (uint64_t at = 0; at < body_end_;) {
    const size_t n =
        static_cast<size_t>(std::min<uint64_t>(chunk.size(), body_end_ - at));
    if (absl::Status s = source_->ReadAt(at, n, chunk.data()); !s.ok()) {
      return s;
    }
    tagger.Update(std::string_view(chunk.data(), n));
    at += n;
  }
  char tag[kTagSize];
  if (absl::Status s = source_->ReadAt(body_end_, kTagSize, tag); !s.ok()) {
    return s;
  }
  const std::string expected = tagger.Final();
  if (expected.size() != kTagSize ||
      CRYPTO_memcmp(expected.data(), tag, kTagSize) != 0) {
    if (keyed_) {
      return absl::PermissionDeniedError(
          "exchange file: the HMAC does not match: the file was altered, "
          "truncated, or made with another exchange key");
    }
    return Damaged(
        "the SHA-256 digest does not match: the file was altered or "
        "truncated");
  }
  return absl::OkStatus();
}

absl::Status ExchangeReader::ReadFrame(uint64_t frame_number, uint8_t& type) {
  if (body_end_ - at_ < 5) {
    return Damaged(absl::StrCat("frame ", frame_number, " is truncated"));
  }
  char head[5];
  if (absl::Status s = source_->ReadAt(at_, 5, head); !s.ok()) return s;
  type = static_cast<uint8_t>(head[0]);
  uint32_t n = 0;
  for (int i = 0; i < 4; ++i) {
    n |= static_cast<uint32_t>(static_cast<uint8_t>(head[1 + i])) << (8 * i);
  }
  at_ += 5;
  if (n > body_end_ - at_) {
    return Damaged(absl::StrCat("frame ", frame_number, " claims ", n,
                                " bytes, ", body_end_ - at_, " remain"));
  }
  if (n > max_frame_) {
    return Damaged(absl::StrCat("frame ", frame_number, " claims ", n,
                                " bytes, more than the ", max_frame_,
                                " a record may take (an item above the "
                                "session's max_item_size, with its framing)"));
  }
  frame_.resize(n);
  if (absl::Status s = source_->ReadAt(at_, n, frame_.data()); !s.ok()) {
    return s;
  }
  at_ += n;
  return absl::OkStatus();
}

absl::Status ExchangeReader::CheckFrames() {
  at_ = kMagic.size() + 1;
  bool have_header = false, have_trailer = false;
  uint64_t frame_number = 0;
  while (at_ < body_end_) {
    ++frame_number;
    if (have_trailer) {
      return Damaged(
          absl::StrCat("frame ", frame_number, " after the trailer"));
    }
    const uint64_t frame_at = at_;
    uint8_t type = 0;
    if (absl::Status s = ReadFrame(frame_number, type); !s.ok()) return s;
    const int size = static_cast<int>(frame_.size());
    if (!have_header && type != kHeader) {
      return Damaged("the first frame is not the header");
    }
    switch (type) {
      case kHeader:
        if (have_header) return Damaged("a second header");
        if (!header_.ParseFromArray(frame_.data(), size)) {
          return Damaged("the header does not parse");
        }
        if (header_.format_version() != 1) {
          return Damaged(absl::StrCat("format version ",
                                      header_.format_version(),
                                      " is not supported (this reads 1)"));
        }
        have_header = true;
        first_entry_ = at_;
        break;
      case kEntry: {
        ++entry_count_;
        v1::ExchangeEntry entry;
        if (!entry.ParseFromArray(frame_.data(), size)) {
          return Damaged(
              absl::StrCat("entry ", entry_count_, " does not parse"));
        }
        absl::StatusOr<ExchangeRecord> record =
            DecodeEntry(entry, header_.mapping_size());
        if (!record.ok()) {
          return Damaged(absl::StrCat("entry ", entry_count_, ": ",
                                      record.status().message()));
        }
        break;
      }
      case kTrailer:
        if (!trailer_.ParseFromArray(frame_.data(), size)) {
          return Damaged("the trailer does not parse");
        }
        have_trailer = true;
        trailer_at_ = frame_at;
        break;
      default:
        return Damaged(
            absl::StrCat("frame ", frame_number, " has unknown type ", type));
    }
  }
  if (!have_trailer) return Damaged("no trailer (truncated?)");
  if (trailer_.entry_count() != entry_count_) {
    return Damaged(absl::StrCat("the trailer counts ", trailer_.entry_count(),
                                " entries, the file holds ", entry_count_));
  }
  if (trailer_.end_seen_size() != header_.mapping_size()) {
    return Damaged("the trailer's mappings do not match the header's");
  }
  // Frames are big only for big items; give the memory back.
  frame_.clear();
  frame_.shrink_to_fit();
  return absl::OkStatus();
}

absl::StatusOr<std::optional<ExchangeRecord>> ExchangeReader::Next() {
  // Checked where a walk over the entries starts and where it ends, not per
  // entry (a syscall each): a change in between shows as an entry that no
  // longer decodes, or at the end.
  if (at_ == first_entry_ || at_ >= trailer_at_) {
    if (absl::Status s = source_->Unchanged(); !s.ok()) return s;
  }
  if (at_ >= trailer_at_) return std::nullopt;
  uint8_t type = 0;
  if (absl::Status s = ReadFrame(0, type); !s.ok()) return s;
  v1::ExchangeEntry entry;
  if (type != kEntry ||
      !entry.ParseFromArray(frame_.data(), static_cast<int>(frame_.size()))) {
    return Damaged("the file was changed while it was imported");
  }
  absl::StatusOr<ExchangeRecord> record =
      DecodeEntry(entry, header_.mapping_size());
  if (!record.ok()) {
    return Damaged("the file was changed while it was imported");
  }
  return std::optional<ExchangeRecord>(*std::move(record));
}

absl::StatusOr<ExchangeContent> ReadExchangeFile(std::string_view bytes,
                                                 std::string_view key) {
  absl::StatusOr<std::unique_ptr<ExchangeReader>> reader =
      ExchangeReader::Open(MemorySource(bytes), key);
  if (!reader.ok()) return reader.status();
  ExchangeContent content;
  content.header = (*reader)->header();
  content.trailer = (*reader)->trailer();
  content.keyed = (*reader)->keyed();
  while (true) {
    absl::StatusOr<std::optional<ExchangeRecord>> record = (*reader)->Next();
    if (!record.ok()) return record.status();
    if (!record->has_value()) break;
    content.records.push_back(**std::move(record));
  }
  return content;
}

}  // namespace ioreplication::exchange_internal
