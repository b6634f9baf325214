// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "stores/kernel_values.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "core/byte_reader.h"
#include "core/text.h"

namespace ioreplication::stores_internal::kernel_values {

std::string CounterName(const Guid& replica) {
  return absl::StrCat("counter/", replica.ToString());
}

std::string InUseName(const Guid& replica) {
  return absl::StrCat("in_use/", replica.ToString());
}

std::string DigestName(const SourceKey& folder) {
  return absl::StrCat("digest/", folder.ToString());
}

std::string SyncStateName(std::string_view name) {
  return absl::StrCat("sync/", core_internal::Sv(name));
}

std::string U64Value(uint64_t v) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>(v >> (8 * i));
  return out;
}

std::optional<uint64_t> ParseU64Value(std::string_view bytes) {
  if (bytes.size() != 8) return std::nullopt;
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = v << 8 | static_cast<uint8_t>(bytes[i]);
  return v;
}

std::string DigestValue(const FolderDigest& digest) {
  return U64Value(digest.items) + core_internal::AsString(digest.sum);
}

std::optional<FolderDigest> ParseDigestValue(std::string_view bytes) {
  FolderDigest digest;
  if (bytes.empty()) return digest;
  const std::optional<uint64_t> items = ParseU64Value(bytes.substr(0, 8));
  if (bytes.size() != 8 + digest.sum.size() || !items ||
      *items > (uint64_t{1} << 62)) {
    return std::nullopt;
  }
  digest.items = *items;
  std::copy(bytes.begin() + 8, bytes.end(), digest.sum.begin());
  return digest;
}

std::string IdentityValue(const StoreIdentity& identity) {
  std::string bytes;
  identity.replica.AppendTo(&bytes);
  bytes += U64Value(identity.epoch).substr(0, 4);
  return bytes;
}

std::optional<StoreIdentity> ParseIdentityValue(std::string_view bytes) {
  if (bytes.size() != Guid::kSize + 4) return std::nullopt;
  absl::StatusOr<Guid> guid =
      Guid::Decode(core_internal::AsBytes(bytes.substr(0, Guid::kSize)));
  if (!guid.ok()) return std::nullopt;
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data()) + Guid::kSize;
  return StoreIdentity{*guid, uint32_t{p[0]} | uint32_t{p[1]} << 8 |
                                  uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24};
}

}  // namespace ioreplication::stores_internal::kernel_values
