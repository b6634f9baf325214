// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "exchange/exchange_file.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

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

ExchangeWriter::ExchangeWriter(std::string path, std::FILE* file,
                               std::string_view key)
    : path_(std::move(path)),
      temp_path_(path_ + ".tmp"),
      file_(file),
      tagger_(key) {}

ExchangeWriter::~ExchangeWriter() {
  if (file_ != nullptr) std::fclose(file_);
  if (!committed_) std::remove(temp_path_.c_str());
}

absl::StatusOr<std::unique_ptr<ExchangeWriter>> ExchangeWriter::Create(
    const std::string& path, std::string_view key,
    const v1::ExchangeHeader& header) {
  const std::string temp = path + ".tmp";
  std::FILE* file = std::fopen(temp.c_str(), "wb");
  if (file == nullptr) {
    return absl::UnavailableError(
        absl::StrCat("cannot create ", temp, ": ", ErrnoText()));
  }
  std::unique_ptr<ExchangeWriter> writer(new ExchangeWriter(path, file, key));
  const char auth = key.empty() ? 0 : 1;
  if (absl::Status s = writer->Write(kMagic); !s.ok()) return s;
  if (absl::Status s = writer->Write(std::string_view(&auth, 1)); !s.ok()) {
    return s;
  }
  if (absl::Status s = writer->Frame(kHeader, header); !s.ok()) return s;
  return writer;
}

absl::Status ExchangeWriter::Write(std::string_view bytes) {
  tagger_.Update(bytes);
  size_ += bytes.size();
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) {
    return absl::UnavailableError(
        absl::StrCat("cannot write ", temp_path_, ": ", ErrnoText()));
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
        absl::StrCat("cannot write ", temp_path_, ": ", ErrnoText()));
  }
  size_ += tag.size();
  std::fclose(file_);
  file_ = nullptr;
  if (std::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    return absl::UnavailableError(absl::StrCat(
        "cannot rename ", temp_path_, " to ", path_, ": ", ErrnoText()));
  }
  committed_ = true;
  return size_;
}

// ---- Reader ----

absl::StatusOr<ExchangeContent> ReadExchangeFile(std::string_view bytes,
                                                 std::string_view key) {
  const size_t min_size = kMagic.size() + 1 + kTagSize;
  if (bytes.size() < kMagic.size() ||
      bytes.substr(0, kMagic.size()) != kMagic) {
    return Damaged("not an exchange file (no IOREPLX1 magic)");
  }
  if (bytes.size() < min_size) {
    return Damaged(absl::StrCat("truncated: ", bytes.size(), " bytes"));
  }
  ExchangeContent content;
  const uint8_t auth = static_cast<uint8_t>(bytes[kMagic.size()]);
  if (auth > 1) {
    return Damaged(absl::StrCat("unknown integrity method ", auth));
  }
  content.keyed = auth == 1;
  if (content.keyed && key.empty()) {
    return absl::PermissionDeniedError(
        "exchange file: the file is authenticated with an exchange key, but "
        "the session has none (set exchange_key)");
  }
  if (!content.keyed && !key.empty()) {
    return absl::PermissionDeniedError(
        "exchange file: the session requires an exchange key, but the file "
        "was made without one");
  }
  const std::string_view body = bytes.substr(0, bytes.size() - kTagSize);
  const std::string_view tag = bytes.substr(bytes.size() - kTagSize);
  Tagger tagger(key);
  tagger.Update(body);
  const std::string expected = tagger.Final();
  if (expected.size() != kTagSize ||
      CRYPTO_memcmp(expected.data(), tag.data(), kTagSize) != 0) {
    if (content.keyed) {
      return absl::PermissionDeniedError(
          "exchange file: the HMAC does not match: the file was altered, "
          "truncated, or made with another exchange key");
    }
    return Damaged(
        "the SHA-256 digest does not match: the file was altered or "
        "truncated");
  }

  size_t at = kMagic.size() + 1;
  bool have_header = false, have_trailer = false;
  uint64_t frame_number = 0;
  while (at < body.size()) {
    ++frame_number;
    if (have_trailer) {
      return Damaged(
          absl::StrCat("frame ", frame_number, " after the trailer"));
    }
    if (body.size() - at < 5) {
      return Damaged(absl::StrCat("frame ", frame_number, " is truncated"));
    }
    const uint8_t type = static_cast<uint8_t>(body[at]);
    uint32_t n = 0;
    for (int i = 0; i < 4; ++i) {
      n |= static_cast<uint32_t>(static_cast<uint8_t>(body[at + 1 + i]))
           << (8 * i);
    }
    at += 5;
    if (n > kMaxFrame || n > body.size() - at) {
      return Damaged(absl::StrCat("frame ", frame_number, " claims ", n,
                                  " bytes, ", body.size() - at, " remain"));
    }
    const std::string_view frame = body.substr(at, n);
    at += n;
    const int size = static_cast<int>(frame.size());
    if (!have_header && type != kHeader) {
      return Damaged("the first frame is not the header");
    }
    switch (type) {
      case kHeader:
        if (have_header) return Damaged("a second header");
        if (!content.header.ParseFromArray(frame.data(), size)) {
          return Damaged("the header does not parse");
        }
        if (content.header.format_version() != 1) {
          return Damaged(absl::StrCat("format version ",
                                      content.header.format_version(),
                                      " is not supported (this reads 1)"));
        }
        have_header = true;
        break;
      case kEntry: {
        v1::ExchangeEntry entry;
        if (!entry.ParseFromArray(frame.data(), size)) {
          return Damaged(absl::StrCat("entry ", content.records.size() + 1,
                                      " does not parse"));
        }
        const std::string where =
            absl::StrCat("entry ", content.records.size() + 1);
        if (entry.mapping() >=
            static_cast<uint32_t>(content.header.mapping_size())) {
          return Damaged(absl::StrCat(where, " names mapping ",
                                      entry.mapping() + 1, " of ",
                                      content.header.mapping_size()));
        }
        ExchangeRecord record;
        record.mapping = entry.mapping();
        record.scope_exit = entry.scope_exit();
        absl::Status decoded;
        switch (entry.object_case()) {
          case v1::ExchangeEntry::kFolder: {
            absl::StatusOr<Folder> f =
                stores_internal::DecodeFolder(entry.folder());
            if (f.ok()) record.change.object = *std::move(f);
            decoded = f.status();
            break;
          }
          case v1::ExchangeEntry::kItem: {
            absl::StatusOr<Item> i = stores_internal::DecodeItem(entry.item());
            if (i.ok()) record.change.object = *std::move(i);
            decoded = i.status();
            break;
          }
          case v1::ExchangeEntry::kTombstone: {
            absl::StatusOr<Tombstone> t =
                stores_internal::DecodeTombstone(entry.tombstone());
            if (t.ok()) record.change.object = *std::move(t);
            decoded = t.status();
            if (decoded.ok() && record.scope_exit) {
              decoded =
                  absl::DataLossError("a deletion cannot be a scope exit");
            }
            break;
          }
          default:
            decoded = absl::DataLossError("no object");
        }
        if (!decoded.ok()) {
          return Damaged(absl::StrCat(where, ": ", decoded.message()));
        }
        content.records.push_back(std::move(record));
        break;
      }
      case kTrailer:
        if (!content.trailer.ParseFromArray(frame.data(), size)) {
          return Damaged("the trailer does not parse");
        }
        have_trailer = true;
        break;
      default:
        return Damaged(
            absl::StrCat("frame ", frame_number, " has unknown type ", type));
    }
  }
  if (!have_trailer) return Damaged("no trailer (truncated?)");
  if (content.trailer.entry_count() != content.records.size()) {
    return Damaged(
        absl::StrCat("the trailer counts ", content.trailer.entry_count(),
                     " entries, the file holds ", content.records.size()));
  }
  if (content.trailer.end_seen_size() != content.header.mapping_size()) {
    return Damaged("the trailer's mappings do not match the header's");
  }
  return content;
}

}  // namespace ioreplication::exchange_internal
