// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// ObjectKind: what a stored object is. One name for the three everywhere:
// a store's records, the change stream's kind filter
// (ChangeStreamOptions::kinds, a set of KindBit values), the C ABI's
// IOREPL_KIND_* (the same bits), and a tombstone's `kind`, which says what
// was deleted (kFolder or kItem).

#ifndef IOREPLICATION_OBJECT_KIND_H_
#define IOREPLICATION_OBJECT_KIND_H_

#include <cstdint>

namespace ioreplication {

enum class ObjectKind { kFolder = 0, kItem = 1, kTombstone = 2 };

// A kind as a bit, so that a set of kinds is an OR of them.
constexpr uint32_t KindBit(ObjectKind kind) {
  return uint32_t{1} << static_cast<int>(kind);
}

// The set of all three kinds.
inline constexpr uint32_t kAllKinds = KindBit(ObjectKind::kFolder) |
                                      KindBit(ObjectKind::kItem) |
                                      KindBit(ObjectKind::kTombstone);

}  // namespace ioreplication

#endif  // IOREPLICATION_OBJECT_KIND_H_
