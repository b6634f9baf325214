// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// The named values StoreKernel keeps in its backend: their names and
// encodings, in one place for the kernel and for a backend that migrates an
// older layout of its own into them (the SQLite backend's schema 4).
// Host tables of earlier releases use these names and encodings already.
//
//   identity           GUID (16 bytes) + epoch (4, little-endian)
//   local_cn           the local change number high water (U64Value)
//   tombstone_horizon  (U64Value)
//   kernel_format      which values below are kept (U64Value)
//   counter/GUID       the counter high water reserved for GUID (U64Value)
//   in_use/GUID        the highest counter of GUID stored (U64Value)
//   digest/KEY         folder KEY's FolderDigest: items (8, LE) + sum (32);
//                      empty or absent for the zero digest
//   sync/NAME          the sync state NAME
// GUID is Guid::ToString(), KEY SourceKey::ToString().

#ifndef IOREPLICATION_SRC_STORES_KERNEL_VALUES_H_
#define IOREPLICATION_SRC_STORES_KERNEL_VALUES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ioreplication/guid.h"
#include "ioreplication/ids.h"
#include "ioreplication/store.h"

namespace ioreplication::stores_internal::kernel_values {

inline constexpr char kIdentity[] = "identity";
inline constexpr char kLocalCn[] = "local_cn";
inline constexpr char kHorizon[] = "tombstone_horizon";
inline constexpr char kFormat[] = "kernel_format";

std::string CounterName(const Guid& replica);
std::string InUseName(const Guid& replica);
std::string DigestName(const SourceKey& folder);
std::string SyncStateName(std::string_view name);

// 8 bytes, little-endian, and back (nullopt unless exactly 8 bytes).
std::string U64Value(uint64_t v);
std::optional<uint64_t> ParseU64Value(std::string_view bytes);

// A FolderDigest: items (8, LE) + sum (32); the empty value is the zero
// digest. nullopt for any other size or an impossible count.
std::string DigestValue(const FolderDigest& digest);
std::optional<FolderDigest> ParseDigestValue(std::string_view bytes);

std::string IdentityValue(const StoreIdentity& identity);
// nullopt unless 20 bytes.
std::optional<StoreIdentity> ParseIdentityValue(std::string_view bytes);

}  // namespace ioreplication::stores_internal::kernel_values

#endif  // IOREPLICATION_SRC_STORES_KERNEL_VALUES_H_
