// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "ioreplication/idset.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/byte_reader.h"
#include "core/globset_codec.h"
#include "core/text.h"

namespace ioreplication {
namespace {

using core_internal::ByteReader;

// How each kind of replica key is written, read and shown.
template <typename Key>
struct KeyTraits;

template <>
struct KeyTraits<Guid> {
  static constexpr size_t kSize = Guid::kSize;
  static constexpr const char* kWhat = "replica GUID";
  static Guid Read(const uint8_t* p) {
    return Guid::FromBytes(std::span<const uint8_t, Guid::kSize>(p, kSize));
  }
  static bool Valid(const Guid&) { return true; }
  static void Append(const Guid& key, std::string* out) { key.AppendTo(out); }
  static std::string ToText(const Guid& key) { return key.ToString(); }
  static absl::StatusOr<Guid> ParseText(std::string_view text) {
    return Guid::Parse(text);
  }
};

template <>
struct KeyTraits<ReplId> {
  static constexpr size_t kSize = 2;
  static constexpr const char* kWhat = "REPLID";
  static ReplId Read(const uint8_t* p) {
    return static_cast<ReplId>(p[0] | p[1] << 8);
  }
  static bool Valid(ReplId key) { return key != 0; }
  static void Append(ReplId key, std::string* out) {
    out->push_back(static_cast<char>(key & 0xFF));
    out->push_back(static_cast<char>(key >> 8));
  }
  static std::string ToText(ReplId key) { return absl::StrCat(key); }
  static absl::StatusOr<ReplId> ParseText(std::string_view text) {
    absl::StatusOr<uint64_t> v = core_internal::ParseDecimal(text, 0xFFFF);
    if (!v.ok()) return v.status();
    if (*v == 0) return absl::InvalidArgumentError("REPLID 0 is reserved");
    return static_cast<ReplId>(*v);
  }
};

}  // namespace

template <typename Key>
GlobSet& BasicIdSet<Key>::Mutable(const Key& key) {
  if (entries_.empty() || entries_.back().key < key) {
    return entries_.emplace_back(Entry{key, GlobSet()}).globset;
  }
  auto pos =
      std::lower_bound(entries_.begin(), entries_.end(), key,
                       [](const Entry& e, const Key& k) { return e.key < k; });
  if (pos == entries_.end() || pos->key != key) {
    pos = entries_.insert(pos, Entry{key, GlobSet()});
  }
  return pos->globset;
}

template <typename Key>
void BasicIdSet<Key>::DropEmpty() {
  std::erase_if(entries_, [](const Entry& e) { return e.globset.empty(); });
}

template <typename Key>
void BasicIdSet<Key>::Insert(const Key& key, GlobCnt value) {
  Mutable(key).Insert(value);
}

template <typename Key>
void BasicIdSet<Key>::InsertAll(const Key& key,
                                std::span<const GlobCnt> values) {
  if (values.empty()) return;
  Mutable(key).InsertAll(values);
}

template <typename Key>
absl::Status BasicIdSet<Key>::InsertRange(const Key& key, GlobCnt low,
                                          GlobCnt high) {
  if (!KeyTraits<Key>::Valid(key)) {
    return absl::InvalidArgumentError("REPLID 0 is reserved");
  }
  if (low > high) {
    return absl::InvalidArgumentError(absl::StrCat(
        "inverted GLOBCNT range ", low.value(), "-", high.value()));
  }
  return Mutable(key).InsertRange(low, high);
}

template <typename Key>
const GlobSet* BasicIdSet<Key>::Find(const Key& key) const {
  auto pos =
      std::lower_bound(entries_.begin(), entries_.end(), key,
                       [](const Entry& e, const Key& k) { return e.key < k; });
  if (pos == entries_.end() || pos->key != key) return nullptr;
  return &pos->globset;
}

template <typename Key>
bool BasicIdSet<Key>::Contains(const Key& key, GlobCnt value) const {
  const GlobSet* set = Find(key);
  return set != nullptr && set->Contains(value);
}

template <typename Key>
bool BasicIdSet<Key>::Includes(const BasicIdSet& other) const {
  for (const Entry& e : other.entries_) {
    const GlobSet* mine = Find(e.key);
    if (mine == nullptr || !mine->Includes(e.globset)) return false;
  }
  return true;
}

template <typename Key>
void BasicIdSet<Key>::UnionWith(const BasicIdSet& other) {
  for (const Entry& e : other.entries_) Mutable(e.key).UnionWith(e.globset);
}

template <typename Key>
void BasicIdSet<Key>::Subtract(const BasicIdSet& other) {
  for (Entry& e : entries_) {
    if (const GlobSet* cut = other.Find(e.key)) e.globset.Subtract(*cut);
  }
  DropEmpty();
}

template <typename Key>
void BasicIdSet<Key>::IntersectWith(const BasicIdSet& other) {
  for (Entry& e : entries_) {
    if (const GlobSet* keep = other.Find(e.key)) {
      e.globset.IntersectWith(*keep);
    } else {
      e.globset.clear();
    }
  }
  DropEmpty();
}

template <typename Key>
uint64_t BasicIdSet<Key>::Count() const {
  uint64_t n = 0;
  for (const Entry& e : entries_) n += e.globset.Count();
  return n;
}

template <typename Key>
void BasicIdSet<Key>::EncodeTo(std::string* out) const {
  for (const Entry& e : entries_) {
    KeyTraits<Key>::Append(e.key, out);
    e.globset.EncodeTo(out);
  }
}

template <typename Key>
std::string BasicIdSet<Key>::Encode() const {
  std::string out;
  EncodeTo(&out);
  return out;
}

template <typename Key>
absl::StatusOr<BasicIdSet<Key>> BasicIdSet<Key>::Decode(
    std::span<const uint8_t> bytes) {
  using Traits = KeyTraits<Key>;
  ByteReader in(bytes, "IDSET");
  BasicIdSet set;
  while (!in.empty()) {
    const size_t at = in.offset();
    const uint8_t* key_bytes = in.Take(Traits::kSize);
    if (key_bytes == nullptr) {
      return in.TruncatedAt(at, Traits::kWhat, Traits::kSize);
    }
    const Key key = Traits::Read(key_bytes);
    if (!Traits::Valid(key)) return in.ErrorAt(at, "REPLID 0 is reserved");
    if (set.entries_.empty() || set.entries_.back().key < key) {
      // Groups in ascending order, as writers must: decode in place.
      Entry& entry = set.entries_.emplace_back(Entry{key, GlobSet()});
      absl::Status status = GlobSetDecoder::Decode(in, entry.globset);
      if (!status.ok()) return status;
      if (entry.globset.empty()) set.entries_.pop_back();
    } else {
      // A group out of order or repeated: tolerated, and merged.
      GlobSet group;
      absl::Status status = GlobSetDecoder::Decode(in, group);
      if (!status.ok()) return status;
      if (!group.empty()) set.Mutable(key).UnionWith(group);
    }
  }
  return set;
}

template <typename Key>
std::string BasicIdSet<Key>::ToString() const {
  std::string out;
  for (const Entry& e : entries_) {
    if (!out.empty()) out.push_back('\n');
    absl::StrAppend(&out, KeyTraits<Key>::ToText(e.key), ": ",
                    e.globset.ToString());
  }
  return out;
}

template <typename Key>
absl::StatusOr<BasicIdSet<Key>> BasicIdSet<Key>::Parse(std::string_view text) {
  BasicIdSet set;
  size_t line_number = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t stop = text.find_first_of("\n;", start);
    if (stop == std::string_view::npos) stop = text.size();
    ++line_number;
    std::string_view line =
        core_internal::Trim(text.substr(start, stop - start));
    if (!line.empty() && line.back() == '\r') {
      line = core_internal::Trim(line.substr(0, line.size() - 1));
    }
    start = stop + 1;
    if (line.empty()) continue;
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("IDSET text line ", line_number,
                       ": expected \"<replica>: <ranges>\", got \"",
                       std::string(line), "\""));
    }
    absl::StatusOr<Key> key =
        KeyTraits<Key>::ParseText(core_internal::Trim(line.substr(0, colon)));
    if (!key.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "IDSET text line ", line_number, ": ", key.status().message()));
    }
    absl::StatusOr<GlobSet> members = GlobSet::Parse(line.substr(colon + 1));
    if (!members.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "IDSET text line ", line_number, ": ", members.status().message()));
    }
    if (!members->empty()) set.Mutable(*key).UnionWith(*members);
  }
  return set;
}

template class BasicIdSet<Guid>;
template class BasicIdSet<ReplId>;

}  // namespace ioreplication
