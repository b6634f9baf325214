// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// IdSet and ReplIdSet: sets of IDs grouped by replica, and their serialized
// IDSET forms (MS-OXCFXICS sections 2.2.2.4 and 3.1.5.4).
//
// An IDSET (a CNSET when it holds change numbers) maps each replica to the
// GlobSet of counters it holds from that replica. MS-OXCFXICS names replicas
// two ways, and so there are two types:
//
//   IdSet      keyed by the 16-byte replica GUID. The only form that travels
//              between organizations (sync state, CNSET seen, IDSET given).
//   ReplIdSet  keyed by a store-local 2-byte REPLID (1..65535), the form of
//              MetaTagIdsetDeleted and friends inside one store.
//
// Wire form: for each replica in ascending key order (GUIDs by wire bytes,
// REPLIDs as little-endian numbers), the key followed by its GLOBSET; the
// empty set is zero bytes. Decode() also accepts groups out of order or
// repeated (one known implementation writes them so) and merges them.
//
// Example:
//   IdSet seen;
//   seen.Insert(cn.replica(), cn.counter());
//   std::string blob = seen.Encode();
//   absl::StatusOr<IdSet> back = IdSet::Decode(bytes);
//
// Thread safety: const methods may be called concurrently; mutation needs
// exclusive access.

#ifndef IOREPLICATION_IDSET_H_
#define IOREPLICATION_IDSET_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "ioreplication/export.h"
#include "ioreplication/globcnt.h"
#include "ioreplication/globset.h"
#include "ioreplication/guid.h"
#include "ioreplication/ids.h"

namespace ioreplication {

template <typename Key>
class BasicIdSet {
 public:
  // One replica's members. Entries with an empty GlobSet are never kept, so
  // equal sets have equal entries.
  struct Entry {
    Key key;
    GlobSet globset;

    friend bool operator==(const Entry& a, const Entry& b) = default;
  };

  BasicIdSet() = default;

  // Adds one counter value under `key`. For ReplIdSet, `key` must not be 0.
  void Insert(const Key& key, GlobCnt value);

  // Adds many values, in any order, under `key` (see GlobSet::InsertAll).
  // For ReplIdSet, `key` must not be 0.
  void InsertAll(const Key& key, std::span<const GlobCnt> values);

  // Adds [low, high] under `key`. Returns InvalidArgumentError, and changes
  // nothing, when low > high (or, for ReplIdSet, when key is 0).
  [[nodiscard]] absl::Status InsertRange(const Key& key, GlobCnt low,
                                         GlobCnt high);

  bool Contains(const Key& key, GlobCnt value) const;

  // The members under `key`, or nullptr when there are none.
  const GlobSet* Find(const Key& key) const;

  // True when every member of `other` is a member of this set.
  bool Includes(const BasicIdSet& other) const;

  // this = this ∪ other, this − other, this ∩ other.
  void UnionWith(const BasicIdSet& other);
  void Subtract(const BasicIdSet& other);
  void IntersectWith(const BasicIdSet& other);

  // Replica groups in ascending key order.
  std::span<const Entry> entries() const { return entries_; }
  auto begin() const { return entries_.begin(); }
  auto end() const { return entries_.end(); }

  // The number of values over all replicas.
  uint64_t Count() const;
  bool empty() const { return entries_.empty(); }
  void clear() { entries_.clear(); }

  // Appends the serialized IDSET: key, GLOBSET, for each replica in order.
  void EncodeTo(std::string* out) const;
  std::string Encode() const;

  // Decodes a serialized IDSET that fills `bytes` exactly. Returns
  // DataLossError naming the byte offset for a truncated key, a REPLID of 0,
  // or a malformed GLOBSET; nothing is returned on error.
  [[nodiscard]] static absl::StatusOr<BasicIdSet> Decode(
      std::span<const uint8_t> bytes);

  // Text form: one line per replica, "<key>: <GlobSet text>", where <key> is
  // "{GUID}" for IdSet and the decimal REPLID for ReplIdSet, lines joined by
  // '\n' without a trailing one.
  std::string ToString() const;

  // Parses the text form; lines may also be separated by ';', blank lines are
  // skipped and a key may appear more than once. Returns InvalidArgumentError
  // naming the line for anything else.
  [[nodiscard]] static absl::StatusOr<BasicIdSet> Parse(std::string_view text);

  friend bool operator==(const BasicIdSet& a, const BasicIdSet& b) = default;

 private:
  // The entry for `key`, created (empty) if missing.
  GlobSet& Mutable(const Key& key);
  void DropEmpty();

  std::vector<Entry> entries_;
};

// Sets of GIDs keyed by replica GUID: the inter-organization form.
using IdSet = BasicIdSet<Guid>;
// Sets of IDs keyed by store-local REPLID.
using ReplIdSet = BasicIdSet<ReplId>;

extern template class IOREPL_EXPORT BasicIdSet<Guid>;
extern template class IOREPL_EXPORT BasicIdSet<ReplId>;

}  // namespace ioreplication

#endif  // IOREPLICATION_IDSET_H_
