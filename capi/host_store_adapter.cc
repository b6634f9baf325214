// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "capi/host_store_adapter.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "capi/args.h"
#include "capi/errors.h"
#include "core/text.h"
#include "stores/record_codec.h"
#include "stores/record_store.h"
#include "stores/store_checks.h"

namespace ioreplication::capi_internal {
namespace {

using stores_internal::CheckInTransaction;
using stores_internal::DecodeFolder;
using stores_internal::DecodeItem;
using stores_internal::DecodeTombstone;
using stores_internal::ExcludedRange;

constexpr char kIdentity[] = "identity";
constexpr char kLocalCn[] = "local_cn";
constexpr char kHorizon[] = "tombstone_horizon";
// Rows per scan page when the adapter reads all tombstones.
constexpr size_t kScanPage = 1000;

std::string PerGuid(std::string_view prefix, const Guid& g) {
  return absl::StrCat(core_internal::Sv(prefix), g.ToString());
}

std::string U64Bytes(uint64_t v) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>(v >> (8 * i));
  return out;
}

// The host's kind bits for a record kind, and back (rows_add admits only
// the three).
using stores_internal::RecordKind;

int HostKind(RecordKind kind) {
  switch (kind) {
    case RecordKind::kFolder:
      return IOREPL_KIND_FOLDER;
    case RecordKind::kItem:
      return IOREPL_KIND_ITEM;
    case RecordKind::kTombstone:
      return IOREPL_KIND_TOMBSTONE;
  }
  return 0;
}

RecordKind FromHostKind(int kind) {
  return kind == IOREPL_KIND_FOLDER ? RecordKind::kFolder
         : kind == IOREPL_KIND_ITEM ? RecordKind::kItem
                                    : RecordKind::kTombstone;
}

class HostStore final : public stores_internal::RecordStore {
 public:
  HostStore(const iorepl_host_store& vtable, const StoreOptions& options)
      : RecordStore(options), vt_(vtable) {}
  ~HostStore() override {
    if (vt_.destroy != nullptr) vt_.destroy(vt_.user);
  }

  absl::Status Init();

  absl::StatusOr<StoreIdentity> Identity() override { return identity_; }
  absl::Status SetIdentity(const StoreIdentity& identity) override;
  absl::StatusOr<CounterBlock> ReserveCounters(uint64_t count) override;
  absl::StatusOr<GlobCnt> CounterHighWater() override;
  absl::StatusOr<GlobCnt> MaxCounterInUse(const Guid& replica) override;

  absl::Status Begin() override;
  absl::Status Commit() override;
  absl::Status Rollback() override;
  bool InTransaction() const override { return in_tx_; }

  // Object reads and writes: RecordStore, over the primitives below.
  absl::StatusOr<std::vector<Folder>> ListChildFolders(
      const std::optional<SourceKey>& parent) override;
  absl::StatusOr<std::vector<SourceKey>> ListItems(
      const SourceKey& folder) override;

  absl::StatusOr<std::vector<Change>> ReadChanges(
      const GlobSet& exclude, GlobCnt after,
      const ChangeStreamOptions& options) override;
  absl::StatusOr<GlobCnt> LocalCnHighWater() override;

  absl::StatusOr<uint64_t> PurgeTombstones(FileTime deleted_before) override;
  absl::StatusOr<GlobCnt> TombstoneHorizon() override;

  absl::StatusOr<std::optional<std::string>> GetSyncState(
      std::string_view name) override;
  absl::Status PutSyncState(std::string_view name,
                            std::string_view blob) override;

  absl::StatusOr<StoreCounts> Count() override;

 private:
  // The status for a callback's return code (OK for 0).
  absl::Status Check(int rc, const char* slot);
  // A host answer that breaks the contract.
  absl::Status BadAnswer(const char* slot, std::string_view what);

  // RecordStore's primitives.
  absl::StatusOr<std::optional<Stored>> Lookup(const SourceKey& key) override;
  absl::StatusOr<bool> ReadRecord(
      const SourceKey& key, RecordKind kind,
      absl::FunctionRef<absl::Status(std::string_view)> use) override;
  absl::StatusOr<bool> HasRoot() override;
  absl::StatusOr<std::optional<RecordKind>> AnyChild(
      const SourceKey& folder) override;
  absl::Status WriteRecord(const SourceKey& key, RecordKind kind,
                           const std::optional<SourceKey>& parent,
                           const ChangeNumber& cn, size_t size,
                           const std::string& body,
                           const std::optional<Stored>& old) override;
  absl::Status RemoveRecord(const SourceKey& key, const Stored& old) override;

  // Looks `key` up: the row is rows_.rows[0] when found. Without
  // `with_data` the host may leave the body out.
  absl::StatusOr<bool> Fetch(const SourceKey& key, bool with_data);
  // Lists into rows_ and checks the answer.
  absl::Status List(const std::optional<SourceKey>& parent, int kinds,
                    size_t limit, bool with_data);

  absl::StatusOr<std::optional<std::string>> GetValue(const std::string& name);
  absl::Status PutValue(const std::string& name, std::string_view bytes);
  // A value of 8 little-endian bytes (0 when absent) at most kMaxValue.
  absl::StatusOr<uint64_t> GetU64(const std::string& name);
  absl::Status LoadIdentity();
  absl::StatusOr<GlobCnt> NextLocalCn();
  void NoteInUse(const Guid& g, GlobCnt counter);

  iorepl_host_store vt_;
  iorepl_rows rows_;
  iorepl_blob blob_;
  StoreIdentity identity_;
  bool in_tx_ = false;
  bool local_cn_loaded_ = false;
  uint64_t local_cn_high_ = 0;
  // The highest counter per GUID this transaction stored; merged into
  // "in_use/GUID" at commit.
  absl::flat_hash_map<Guid, uint64_t> in_use_;
};

absl::Status HostStore::Check(int rc, const char* slot) {
  if (rc == IOREPL_OK) return absl::OkStatus();
  const std::string message = TakeCallbackMessage();
  std::string what = absl::StrCat("host store: ", slot, " returned ", rc, " (",
                                  iorepl_rc_str(rc), ")",
                                  message.empty() ? "" : ": ", message);
  NoteCallbackFailure();
  return absl::UnavailableError(what);
}

absl::Status HostStore::BadAnswer(const char* slot, std::string_view what) {
  std::string message =
      absl::StrCat("host store: ", slot, " answered ", core_internal::Sv(what));
  NoteCallbackFailure();
  return absl::DataLossError(message);
}

absl::Status HostStore::Init() {
  absl::Status loaded = LoadIdentity();
  if (!absl::IsNotFound(loaded)) return loaded;
  // A new table: take an identity. Re-read inside the transaction, since
  // another handle may have just done the same.
  if (absl::Status s = Begin(); !s.ok()) return s;
  loaded = LoadIdentity();
  if (absl::IsNotFound(loaded)) loaded = SetIdentity({Guid::Random(), 0});
  if (loaded.ok()) loaded = Commit();
  if (!loaded.ok()) {
    // Leave the host's table as it was: no transaction open at destroy.
    if (in_tx_) (void)Rollback();
    return loaded;
  }
  return absl::OkStatus();
}

absl::Status HostStore::LoadIdentity() {
  absl::StatusOr<std::optional<std::string>> bytes = GetValue(kIdentity);
  if (!bytes.ok()) return bytes.status();
  if (!bytes->has_value()) return absl::NotFoundError("no identity yet");
  const std::string& b = **bytes;
  if (b.size() != Guid::kSize + 4) {
    return absl::DataLossError(absl::StrCat(
        "host store: the identity value has ", b.size(), " bytes, not 20"));
  }
  const auto* p = reinterpret_cast<const uint8_t*>(b.data());
  identity_.replica = Guid::FromBytes(std::span<const uint8_t, 16>(p, 16));
  identity_.epoch = uint32_t{p[16]} | uint32_t{p[17]} << 8 |
                    uint32_t{p[18]} << 16 | uint32_t{p[19]} << 24;
  return absl::OkStatus();
}

absl::StatusOr<std::optional<std::string>> HostStore::GetValue(
    const std::string& name) {
  blob_.set = false;
  blob_.data.clear();
  (void)TakeCallbackMessage();
  const int rc = vt_.get_value(vt_.user, name.c_str(), &blob_);
  if (rc == IOREPL_ENOTFOUND) return std::nullopt;
  if (absl::Status s = Check(rc, "get_value"); !s.ok()) return s;
  if (!blob_.set) {
    return BadAnswer("get_value", absl::StrCat("0 for \"", name,
                                               "\" without iorepl_blob_set"));
  }
  return blob_.data;
}

absl::Status HostStore::PutValue(const std::string& name,
                                 std::string_view bytes) {
  (void)TakeCallbackMessage();
  return Check(vt_.put_value(vt_.user, name.c_str(),
                             reinterpret_cast<const uint8_t*>(bytes.data()),
                             bytes.size()),
               "put_value");
}

absl::StatusOr<uint64_t> HostStore::GetU64(const std::string& name) {
  absl::StatusOr<std::optional<std::string>> bytes = GetValue(name);
  if (!bytes.ok()) return bytes.status();
  if (!bytes->has_value()) return 0;
  const std::string& b = **bytes;
  uint64_t v = 0;
  if (b.size() == 8) {
    for (int i = 7; i >= 0; --i) v = v << 8 | static_cast<uint8_t>(b[i]);
  }
  if (b.size() != 8 || v > GlobCnt::kMaxValue) {
    return absl::DataLossError(
        absl::StrCat("host store: corrupt value \"", name, "\""));
  }
  return v;
}

// ---- Identity and counters ----

absl::Status HostStore::SetIdentity(const StoreIdentity& identity) {
  if (absl::Status s = CheckInTransaction(in_tx_, "SetIdentity"); !s.ok()) {
    return s;
  }
  std::string bytes;
  identity.replica.AppendTo(&bytes);
  bytes += U64Bytes(identity.epoch).substr(0, 4);
  if (absl::Status s = PutValue(kIdentity, bytes); !s.ok()) return s;
  identity_ = identity;
  return absl::OkStatus();
}

absl::StatusOr<CounterBlock> HostStore::ReserveCounters(uint64_t count) {
  if (count == 0) {
    return absl::InvalidArgumentError("ReserveCounters needs a count >= 1");
  }
  if (in_tx_) {
    return absl::FailedPreconditionError(
        "ReserveCounters must be called outside a transaction");
  }
  if (absl::Status s = Begin(); !s.ok()) return s;
  const std::string name = PerGuid("counter/", identity_.replica);
  absl::StatusOr<uint64_t> high = GetU64(name);
  absl::Status status = high.status();
  CounterBlock block;
  if (status.ok()) {
    if (count > GlobCnt::kMaxValue - *high) {
      status = absl::OutOfRangeError(absl::StrCat("the 48-bit counter of ",
                                                  identity_.replica.ToString(),
                                                  " would overflow"));
    } else {
      block.first = *GlobCnt::FromValue(*high + 1);
      block.last = *GlobCnt::FromValue(*high + count);
      status = PutValue(name, U64Bytes(*high + count));
    }
  }
  if (!status.ok()) {
    (void)Rollback();
    return status;
  }
  if (absl::Status s = Commit(); !s.ok()) {
    (void)Rollback();
    return s;
  }
  return block;
}

absl::StatusOr<GlobCnt> HostStore::CounterHighWater() {
  absl::StatusOr<uint64_t> high =
      GetU64(PerGuid("counter/", identity_.replica));
  if (!high.ok()) return high.status();
  return *GlobCnt::FromValue(*high);
}

absl::StatusOr<GlobCnt> HostStore::MaxCounterInUse(const Guid& replica) {
  absl::StatusOr<uint64_t> stored = GetU64(PerGuid("in_use/", replica));
  if (!stored.ok()) return stored.status();
  uint64_t max = *stored;
  if (auto it = in_use_.find(replica); it != in_use_.end()) {
    max = std::max(max, it->second);
  }
  return *GlobCnt::FromValue(max);
}

void HostStore::NoteInUse(const Guid& g, GlobCnt counter) {
  uint64_t& high = in_use_[g];
  high = std::max(high, counter.value());
}

// ---- Transactions ----

absl::Status HostStore::Begin() {
  if (in_tx_) {
    return absl::FailedPreconditionError("a transaction is already open");
  }
  (void)TakeCallbackMessage();
  if (absl::Status s = Check(vt_.begin(vt_.user), "begin"); !s.ok()) return s;
  in_tx_ = true;
  return absl::OkStatus();
}

absl::Status HostStore::Commit() {
  if (!in_tx_) {
    return absl::FailedPreconditionError("Commit without a transaction");
  }
  if (local_cn_loaded_) {
    if (absl::Status s = PutValue(kLocalCn, U64Bytes(local_cn_high_));
        !s.ok()) {
      return s;
    }
  }
  for (const auto& [guid, high] : in_use_) {
    const std::string name = PerGuid("in_use/", guid);
    absl::StatusOr<uint64_t> stored = GetU64(name);
    if (!stored.ok()) return stored.status();
    if (high > *stored) {
      if (absl::Status s = PutValue(name, U64Bytes(high)); !s.ok()) return s;
    }
  }
  (void)TakeCallbackMessage();
  if (absl::Status s = Check(vt_.commit(vt_.user), "commit"); !s.ok()) {
    return s;
  }
  in_tx_ = false;
  local_cn_loaded_ = false;
  in_use_.clear();
  return absl::OkStatus();
}

absl::Status HostStore::Rollback() {
  if (!in_tx_) {
    return absl::FailedPreconditionError("Rollback without a transaction");
  }
  (void)TakeCallbackMessage();
  absl::Status s = Check(vt_.rollback(vt_.user), "rollback");
  in_tx_ = false;
  local_cn_loaded_ = false;
  in_use_.clear();
  // The identity may have changed inside the transaction.
  if (absl::Status reload = LoadIdentity(); s.ok()) s = reload;
  return s;
}

// ---- Record access ----

absl::StatusOr<bool> HostStore::Fetch(const SourceKey& key, bool with_data) {
  rows_.Clear();
  const iorepl_key k = ToCKey(key);
  (void)TakeCallbackMessage();
  const int rc = vt_.get(vt_.user, &k, with_data ? 1 : 0, &rows_);
  if (rc == IOREPL_ENOTFOUND) return false;
  if (absl::Status s = Check(rc, "get"); !s.ok()) return s;
  if (rows_.rows.size() != 1 ||
      std::memcmp(rows_.rows[0].key.bytes, k.bytes, sizeof(k.bytes)) != 0) {
    return BadAnswer(
        "get", absl::StrCat(rows_.rows.size(), " rows or another key for ",
                            key.ToString()));
  }
  return true;
}

absl::StatusOr<std::optional<HostStore::Stored>> HostStore::Lookup(
    const SourceKey& key) {
  absl::StatusOr<bool> found = Fetch(key, false);
  if (!found.ok()) return found.status();
  if (!*found) return std::optional<Stored>();
  return Stored{FromHostKind(rows_.rows[0].kind), rows_.rows[0].has_parent};
}

absl::StatusOr<bool> HostStore::ReadRecord(
    const SourceKey& key, RecordKind kind,
    absl::FunctionRef<absl::Status(std::string_view)> use) {
  absl::StatusOr<bool> found = Fetch(key, true);
  if (!found.ok()) return found.status();
  if (!*found || rows_.rows[0].kind != HostKind(kind)) return false;
  if (absl::Status s = use(rows_.Data(rows_.rows[0])); !s.ok()) return s;
  return true;
}

absl::StatusOr<bool> HostStore::HasRoot() {
  if (absl::Status s = List(std::nullopt, IOREPL_KIND_FOLDER, 1, false);
      !s.ok()) {
    return s;
  }
  return !rows_.rows.empty();
}

absl::StatusOr<std::optional<HostStore::RecordKind>> HostStore::AnyChild(
    const SourceKey& folder) {
  if (absl::Status s =
          List(folder, IOREPL_KIND_FOLDER | IOREPL_KIND_ITEM, 1, false);
      !s.ok()) {
    return s;
  }
  if (rows_.rows.empty()) return std::optional<RecordKind>();
  return FromHostKind(rows_.rows[0].kind);
}

absl::Status HostStore::List(const std::optional<SourceKey>& parent, int kinds,
                             size_t limit, bool with_data) {
  rows_.Clear();
  iorepl_key p;
  if (parent) p = ToCKey(*parent);
  (void)TakeCallbackMessage();
  if (absl::Status s = Check(vt_.list(vt_.user, parent ? &p : nullptr, kinds,
                                      limit, with_data ? 1 : 0, &rows_),
                             "list");
      !s.ok()) {
    return s;
  }
  for (const iorepl_rows::Row& row : rows_.rows) {
    const bool parent_ok =
        parent ? row.has_parent &&
                     std::memcmp(row.parent.bytes, p.bytes, sizeof(p)) == 0
               : !row.has_parent;
    if ((row.kind & kinds) == 0 || !parent_ok) {
      return BadAnswer("list", "a record of another kind or parent");
    }
  }
  if (limit != 0 && rows_.rows.size() > limit) {
    return BadAnswer("list", "more records than the limit");
  }
  return absl::OkStatus();
}

absl::StatusOr<GlobCnt> HostStore::NextLocalCn() {
  if (!local_cn_loaded_) {
    absl::StatusOr<uint64_t> high = GetU64(kLocalCn);
    if (!high.ok()) return high.status();
    local_cn_high_ = *high;
    local_cn_loaded_ = true;
  }
  absl::StatusOr<GlobCnt> next = GlobCnt::FromValue(local_cn_high_ + 1);
  if (!next.ok()) {
    return absl::OutOfRangeError("the store's local change numbers ran out");
  }
  ++local_cn_high_;
  return next;
}

// The host's put inserts or replaces, so `old` and `size` are not needed
// (host stores keep no folder digests: Store::GetFolderDigest computes them).
absl::Status HostStore::WriteRecord(const SourceKey& key, RecordKind kind,
                                    const std::optional<SourceKey>& parent,
                                    const ChangeNumber& cn, size_t /*size*/,
                                    const std::string& body,
                                    const std::optional<Stored>& /*old*/) {
  absl::StatusOr<GlobCnt> local_cn = NextLocalCn();
  if (!local_cn.ok()) return local_cn.status();
  iorepl_record record;
  std::memset(&record, 0, sizeof(record));
  record.struct_size = sizeof(record);
  record.kind = HostKind(kind);
  record.key = ToCKey(key);
  record.has_parent = parent ? 1 : 0;
  if (parent) record.parent = ToCKey(*parent);
  record.local_cn = local_cn->value();
  record.data = reinterpret_cast<const uint8_t*>(body.data());
  record.data_len = body.size();
  (void)TakeCallbackMessage();
  absl::Status status = Check(vt_.put(vt_.user, &record), "put");
  if (!status.ok()) {
    // A failed write changes nothing, its local change number included.
    --local_cn_high_;
    return status;
  }
  NoteInUse(key.replica(), key.counter());
  NoteInUse(cn.replica(), cn.counter());
  return absl::OkStatus();
}

absl::Status HostStore::RemoveRecord(const SourceKey& key,
                                     const Stored& /*old*/) {
  const iorepl_key k = ToCKey(key);
  (void)TakeCallbackMessage();
  return Check(vt_.remove(vt_.user, &k), "remove");
}

// ---- Listing ----

absl::StatusOr<std::vector<Folder>> HostStore::ListChildFolders(
    const std::optional<SourceKey>& parent) {
  if (absl::Status s = List(parent, IOREPL_KIND_FOLDER, 0, true); !s.ok()) {
    return s;
  }
  std::vector<Folder> out;
  out.reserve(rows_.rows.size());
  for (const iorepl_rows::Row& row : rows_.rows) {
    absl::StatusOr<Folder> f = DecodeFolder(rows_.Data(row));
    if (!f.ok()) return f.status();
    out.push_back(*std::move(f));
  }
  std::sort(out.begin(), out.end(), [](const Folder& a, const Folder& b) {
    return a.source_key < b.source_key;
  });
  return out;
}

absl::StatusOr<std::vector<SourceKey>> HostStore::ListItems(
    const SourceKey& folder) {
  if (absl::Status s = List(folder, IOREPL_KIND_ITEM, 0, false); !s.ok()) {
    return s;
  }
  std::vector<SourceKey> out;
  out.reserve(rows_.rows.size());
  for (const iorepl_rows::Row& row : rows_.rows) {
    absl::StatusOr<SourceKey> key = SourceKey::Decode(row.key.bytes);
    if (!key.ok()) return key.status();
    out.push_back(*key);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// ---- The change stream ----

absl::StatusOr<std::vector<Change>> HostStore::ReadChanges(
    const GlobSet& exclude, GlobCnt after, const ChangeStreamOptions& options) {
  std::vector<Change> out;
  size_t bytes = 0;
  const int kinds = static_cast<int>(options.kinds) & IOREPL_KIND_ALL;
  uint64_t from = after.value() + 1;
  const auto ranges = exclude.ranges();
  while (from <= GlobCnt::kMaxValue && out.size() < options.max_count &&
         (out.empty() || bytes < options.max_bytes)) {
    if (std::optional<GlobRange> skip =
            ExcludedRange(exclude, *GlobCnt::FromValue(from))) {
      from = skip->high + 1;
      continue;
    }
    // Scan up to the next excluded range: one round trip per gap.
    uint64_t last = GlobCnt::kMaxValue;
    auto next = std::upper_bound(
        ranges.begin(), ranges.end(), from,
        [](uint64_t x, const GlobRange& r) { return x < r.low; });
    if (next != ranges.end()) last = next->low - 1;
    rows_.Clear();
    (void)TakeCallbackMessage();
    if (absl::Status s = Check(
            vt_.scan(
                vt_.user, from, last, kinds, options.max_count - out.size(),
                out.empty() ? options.max_bytes : options.max_bytes - bytes,
                &rows_),
            "scan");
        !s.ok()) {
      return s;
    }
    if (rows_.rows.empty()) {
      from = last + 1;  // this gap holds nothing more
      continue;
    }
    uint64_t previous = from - 1;
    for (const iorepl_rows::Row& row : rows_.rows) {
      if (row.local_cn <= previous || row.local_cn > last ||
          (row.kind & kinds) == 0) {
        return BadAnswer("scan",
                         "records out of order, out of range or of another "
                         "kind");
      }
      if (out.size() >= options.max_count) break;
      previous = row.local_cn;
      const GlobCnt local_cn = *GlobCnt::FromValue(row.local_cn);
      const std::string_view body = rows_.Data(row);
      if (row.kind == IOREPL_KIND_FOLDER) {
        absl::StatusOr<Folder> f = DecodeFolder(body);
        if (!f.ok()) return f.status();
        out.push_back(Change{*std::move(f), local_cn});
      } else if (row.kind == IOREPL_KIND_ITEM) {
        absl::StatusOr<Item> i = DecodeItem(body);
        if (!i.ok()) return i.status();
        bytes += i->ByteSize();
        out.push_back(Change{*std::move(i), local_cn});
      } else {
        absl::StatusOr<Tombstone> t = DecodeTombstone(body);
        if (!t.ok()) return t.status();
        out.push_back(Change{*std::move(t), local_cn});
      }
    }
    from = previous + 1;
  }
  return out;
}

absl::StatusOr<GlobCnt> HostStore::LocalCnHighWater() {
  if (local_cn_loaded_) return *GlobCnt::FromValue(local_cn_high_);
  absl::StatusOr<uint64_t> high = GetU64(kLocalCn);
  if (!high.ok()) return high.status();
  return *GlobCnt::FromValue(*high);
}

// ---- Tombstone retention ----

absl::StatusOr<uint64_t> HostStore::PurgeTombstones(FileTime deleted_before) {
  if (absl::Status s = CheckInTransaction(in_tx_, "PurgeTombstones"); !s.ok()) {
    return s;
  }
  absl::StatusOr<uint64_t> horizon = GetU64(kHorizon);
  if (!horizon.ok()) return horizon.status();
  uint64_t high = *horizon;
  std::vector<iorepl_key> expired;
  uint64_t from = 1;
  while (from <= GlobCnt::kMaxValue) {
    rows_.Clear();
    (void)TakeCallbackMessage();
    if (absl::Status s =
            Check(vt_.scan(vt_.user, from, GlobCnt::kMaxValue,
                           IOREPL_KIND_TOMBSTONE, kScanPage, SIZE_MAX, &rows_),
                  "scan");
        !s.ok()) {
      return s;
    }
    if (rows_.rows.empty()) break;
    for (const iorepl_rows::Row& row : rows_.rows) {
      if (row.local_cn < from || row.kind != IOREPL_KIND_TOMBSTONE) {
        return BadAnswer("scan", "records out of order or of another kind");
      }
      absl::StatusOr<Tombstone> t = DecodeTombstone(rows_.Data(row));
      if (!t.ok()) return t.status();
      if (t->deleted_at < deleted_before) {
        expired.push_back(row.key);
        high = std::max(high, row.local_cn);
      }
      from = row.local_cn + 1;
    }
  }
  for (const iorepl_key& key : expired) {
    (void)TakeCallbackMessage();
    if (absl::Status s = Check(vt_.remove(vt_.user, &key), "remove"); !s.ok()) {
      return s;
    }
  }
  if (high != *horizon) {
    if (absl::Status s = PutValue(kHorizon, U64Bytes(high)); !s.ok()) return s;
  }
  return expired.size();
}

absl::StatusOr<GlobCnt> HostStore::TombstoneHorizon() {
  absl::StatusOr<uint64_t> horizon = GetU64(kHorizon);
  if (!horizon.ok()) return horizon.status();
  return *GlobCnt::FromValue(*horizon);
}

// ---- Sync state and counts ----

absl::StatusOr<std::optional<std::string>> HostStore::GetSyncState(
    std::string_view name) {
  if (name.find('\0') != std::string_view::npos) {
    return absl::InvalidArgumentError("a sync state name holds a NUL byte");
  }
  return GetValue(absl::StrCat("sync/", core_internal::Sv(name)));
}

absl::Status HostStore::PutSyncState(std::string_view name,
                                     std::string_view blob) {
  if (absl::Status s = CheckInTransaction(in_tx_, "PutSyncState"); !s.ok()) {
    return s;
  }
  if (name.find('\0') != std::string_view::npos) {
    return absl::InvalidArgumentError("a sync state name holds a NUL byte");
  }
  return PutValue(absl::StrCat("sync/", core_internal::Sv(name)), blob);
}

absl::StatusOr<StoreCounts> HostStore::Count() {
  StoreCounts counts;
  for (auto [kind, field] :
       {std::pair{IOREPL_KIND_FOLDER, &counts.folders},
        std::pair{IOREPL_KIND_ITEM, &counts.items},
        std::pair{IOREPL_KIND_TOMBSTONE, &counts.tombstones}}) {
    (void)TakeCallbackMessage();
    if (absl::Status s = Check(vt_.count(vt_.user, kind, field), "count");
        !s.ok()) {
      return s;
    }
  }
  return counts;
}

}  // namespace

absl::Status CheckVtable(const iorepl_host_store& vt) {
  std::string missing;
  auto need = [&](const void* slot, const char* name) {
    if (slot == nullptr)
      absl::StrAppend(&missing, missing.empty() ? "" : ", ", name);
  };
  need(reinterpret_cast<const void*>(vt.begin), "begin");
  need(reinterpret_cast<const void*>(vt.commit), "commit");
  need(reinterpret_cast<const void*>(vt.rollback), "rollback");
  need(reinterpret_cast<const void*>(vt.get), "get");
  need(reinterpret_cast<const void*>(vt.put), "put");
  need(reinterpret_cast<const void*>(vt.remove), "remove");
  need(reinterpret_cast<const void*>(vt.list), "list");
  need(reinterpret_cast<const void*>(vt.scan), "scan");
  need(reinterpret_cast<const void*>(vt.count), "count");
  need(reinterpret_cast<const void*>(vt.get_value), "get_value");
  need(reinterpret_cast<const void*>(vt.put_value), "put_value");
  if (!missing.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("vtable: these callbacks are NULL: ", missing));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Store>> OpenHostStore(
    const iorepl_host_store& vtable, const StoreOptions& options) {
  std::unique_ptr<HostStore> store;
  try {
    store = std::make_unique<HostStore>(vtable, options);
  } catch (...) {
    // The store never existed to call destroy; it is still owed.
    if (vtable.destroy != nullptr) vtable.destroy(vtable.user);
    throw;
  }
  if (absl::Status s = store->Init(); !s.ok()) return s;  // destroys it
  return store;
}

}  // namespace ioreplication::capi_internal
