// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "stores/store_kernel.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/byte_reader.h"
#include "core/text.h"
#include "stores/folder_digest.h"
#include "stores/kernel_values.h"
#include "stores/record_codec.h"
#include "stores/store_checks.h"

namespace ioreplication::stores_internal {
namespace {

using kernel_values::CounterName;
using kernel_values::DigestName;
using kernel_values::InUseName;
using kernel_values::kFormat;
using kernel_values::kHorizon;
using kernel_values::kIdentity;
using kernel_values::kLocalCn;
using kernel_values::SyncStateName;
using kernel_values::U64Value;

// Format 1: folder digests and counters in use are kept for every record.
constexpr uint64_t kFormatVersion = 1;

RecordHeader Header(ObjectKind kind, const SourceKey& key,
                    const std::optional<SourceKey>& parent,
                    const ChangeNumber& change_key, size_t size = 0) {
  RecordHeader h;
  h.kind = kind;
  h.key = key;
  h.parent = parent;
  h.change_key = change_key;
  h.size = size;
  return h;
}

}  // namespace

StoreKernel::StoreKernel(std::unique_ptr<StoreBackend> backend,
                         const StoreOptions& options)
    : backend_(std::move(backend)), options_(options) {}

StoreKernel::~StoreKernel() {
  // An open transaction is abandoned: the backend's writes are undone.
  if (in_transaction_) (void)backend_->Rollback();
}

absl::StatusOr<std::unique_ptr<StoreKernel>> StoreKernel::Open(
    std::unique_ptr<StoreBackend> backend, const StoreOptions& options) {
  std::unique_ptr<StoreKernel> kernel(
      new StoreKernel(std::move(backend), options));
  if (absl::Status s = kernel->Init(); !s.ok()) return s;
  return kernel;
}

absl::Status StoreKernel::Init() {
  absl::Status loaded = LoadIdentity();
  if (!loaded.ok() && !absl::IsNotFound(loaded)) return loaded;
  if (loaded.ok()) {
    absl::StatusOr<std::optional<std::string>> format =
        backend_->GetValue(kFormat);
    if (!format.ok()) return format.status();
    if (format->has_value()) return absl::OkStatus();
  }
  // A new backend, or one that predates the kept values. Look again inside
  // the transaction: another handle may have just done the same.
  if (absl::Status s = Begin(); !s.ok()) return s;
  absl::Status status = [&]() -> absl::Status {
    absl::Status again = LoadIdentity();
    const bool is_new = absl::IsNotFound(again);
    if (is_new) {
      again = SetIdentity({Guid::Random(), 0});
    }
    if (!again.ok()) return again;
    absl::StatusOr<std::optional<std::string>> format =
        backend_->GetValue(kFormat);
    if (!format.ok()) return format.status();
    if (format->has_value()) return absl::OkStatus();
    if (!is_new) {
      if (absl::Status s = Upgrade(); !s.ok()) return s;
    }
    return backend_->PutValue(kFormat, U64Value(kFormatVersion));
  }();
  if (status.ok()) status = Commit();
  if (!status.ok() && in_transaction_) (void)Rollback();
  return status;
}

absl::Status StoreKernel::LoadIdentity() {
  absl::StatusOr<std::optional<std::string>> bytes =
      backend_->GetValue(kIdentity);
  if (!bytes.ok()) return bytes.status();
  if (!bytes->has_value()) return absl::NotFoundError("no identity yet");
  std::optional<StoreIdentity> identity =
      kernel_values::ParseIdentityValue(**bytes);
  if (!identity) {
    return absl::DataLossError(absl::StrCat(
        "corrupt store identity (", (*bytes)->size(), " bytes, expected 20)"));
  }
  identity_ = *identity;
  return absl::OkStatus();
}

absl::Status StoreKernel::Upgrade() {
  absl::flat_hash_map<SourceKey, FolderDigest> digests;
  absl::flat_hash_map<Guid, uint64_t> in_use;
  auto note = [&](const Guid& g, GlobCnt c) {
    uint64_t& high = in_use[g];
    high = std::max(high, c.value());
  };
  absl::Status scanned = backend_->ScanByLocalCn(
      1, GlobCnt::kMaxValue,
      KindBit(ObjectKind::kFolder) | KindBit(ObjectKind::kItem) |
          KindBit(ObjectKind::kTombstone),
      RecordPart::kChangeKey, ScanLimits{},
      [&](const RecordHeader& h, std::string_view) -> absl::StatusOr<bool> {
        if (h.kind == ObjectKind::kItem && h.parent) {
          AddItem(digests[*h.parent], h.key, h.change_key);
        }
        note(h.key.replica(), h.key.counter());
        note(h.change_key.replica(), h.change_key.counter());
        return true;
      });
  if (!scanned.ok()) return scanned;
  for (const auto& [folder, digest] : digests) {
    if (absl::Status s = backend_->PutValue(DigestName(folder),
                                            kernel_values::DigestValue(digest));
        !s.ok()) {
      return s;
    }
  }
  in_use_ = std::move(in_use);
  return FlushKept();
}

// ---- Values ----

absl::StatusOr<uint64_t> StoreKernel::GetCounterValue(std::string_view name) {
  absl::StatusOr<std::optional<std::string>> bytes = backend_->GetValue(name);
  if (!bytes.ok()) return bytes.status();
  if (!bytes->has_value()) return 0;
  const std::optional<uint64_t> v = kernel_values::ParseU64Value(**bytes);
  if (!v || *v > GlobCnt::kMaxValue) {
    return absl::DataLossError(
        absl::StrCat("corrupt store value \"", core_internal::Sv(name), "\""));
  }
  return *v;
}

absl::StatusOr<FolderDigest> StoreKernel::StoredDigest(
    const SourceKey& folder) {
  absl::StatusOr<std::optional<std::string>> bytes =
      backend_->GetValue(DigestName(folder));
  if (!bytes.ok()) return bytes.status();
  if (!bytes->has_value()) return FolderDigest();
  std::optional<FolderDigest> digest = kernel_values::ParseDigestValue(**bytes);
  if (!digest) {
    return absl::DataLossError(
        absl::StrCat("corrupt folder digest of folder ", folder.ToString()));
  }
  return *digest;
}

// ---- Identity and counters ----

absl::Status StoreKernel::SetIdentity(const StoreIdentity& identity) {
  if (absl::Status s = CheckInTransaction(in_transaction_, "SetIdentity");
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          backend_->PutValue(kIdentity, kernel_values::IdentityValue(identity));
      !s.ok()) {
    return s;
  }
  identity_ = identity;
  return absl::OkStatus();
}

absl::StatusOr<CounterBlock> StoreKernel::ReserveCounters(uint64_t count) {
  if (count == 0) {
    return absl::InvalidArgumentError("ReserveCounters needs a count >= 1");
  }
  // Outside a transaction the reservation is one of its own, durable at
  // once; inside one it commits or rolls back with it.
  const bool own = !in_transaction_;
  if (own) {
    if (absl::Status s = backend_->Begin(); !s.ok()) return s;
  }
  const std::string name = CounterName(identity_.replica);
  absl::StatusOr<uint64_t> high = GetCounterValue(name);
  absl::Status status = high.status();
  if (status.ok() && count > GlobCnt::kMaxValue - *high) {
    status = absl::OutOfRangeError(absl::StrCat(
        "the 48-bit counter of replica ", identity_.replica.ToString(),
        " is exhausted (high water ", *high, ")"));
  }
  if (status.ok()) status = backend_->PutValue(name, U64Value(*high + count));
  if (status.ok() && own) status = backend_->Commit();
  if (!status.ok()) {
    if (own) (void)backend_->Rollback();
    return status;
  }
  return CounterBlock{*GlobCnt::FromValue(*high + 1),
                      *GlobCnt::FromValue(*high + count)};
}

absl::StatusOr<GlobCnt> StoreKernel::CounterHighWater() {
  absl::StatusOr<uint64_t> high =
      GetCounterValue(CounterName(identity_.replica));
  if (!high.ok()) return high.status();
  return *GlobCnt::FromValue(*high);
}

absl::StatusOr<GlobCnt> StoreKernel::MaxCounterInUse(const Guid& replica) {
  absl::StatusOr<uint64_t> stored = GetCounterValue(InUseName(replica));
  if (!stored.ok()) return stored.status();
  uint64_t max = *stored;
  if (auto it = in_use_.find(replica); it != in_use_.end()) {
    max = std::max(max, it->second);
  }
  return *GlobCnt::FromValue(max);
}

void StoreKernel::NoteInUse(const Guid& replica, GlobCnt counter) {
  uint64_t& high = in_use_[replica];
  high = std::max(high, counter.value());
}

// ---- Transactions ----

absl::Status StoreKernel::Begin() {
  if (in_transaction_) {
    return absl::FailedPreconditionError("a transaction is already open");
  }
  if (absl::Status s = backend_->Begin(); !s.ok()) return s;
  in_transaction_ = true;
  return absl::OkStatus();
}

absl::Status StoreKernel::Commit() {
  if (!in_transaction_) {
    return absl::FailedPreconditionError("Commit without a transaction");
  }
  if (local_cn_loaded_) {
    if (absl::Status s = backend_->PutValue(kLocalCn, U64Value(local_cn_high_));
        !s.ok()) {
      return s;
    }
  }
  if (absl::Status s = FlushKept(); !s.ok()) return s;
  if (absl::Status s = backend_->Commit(); !s.ok()) return s;
  ForgetTransaction();
  return absl::OkStatus();
}

absl::Status StoreKernel::Rollback() {
  if (!in_transaction_) {
    return absl::FailedPreconditionError("Rollback without a transaction");
  }
  absl::Status s = backend_->Rollback();
  ForgetTransaction();
  // The identity may have changed inside the transaction.
  if (absl::Status reload = LoadIdentity(); s.ok()) s = reload;
  return s;
}

void StoreKernel::ForgetTransaction() {
  in_transaction_ = false;
  local_cn_loaded_ = false;
  digest_changes_.clear();
  in_use_.clear();
  folders_found_.clear();
  absent_.clear();
}

absl::Status StoreKernel::FlushKept() {
  // Each entry goes once it is written, so a Commit that fails part way and
  // is tried again does not add a folder's change twice.
  while (!digest_changes_.empty()) {
    const auto it = digest_changes_.begin();
    const SourceKey& folder = it->first;
    absl::StatusOr<FolderDigest> digest = StoredDigest(folder);
    if (!digest.ok()) return digest.status();
    const int64_t items =
        static_cast<int64_t>(digest->items) + it->second.items;
    if (items < 0) {
      return absl::DataLossError(
          absl::StrCat("folder digest of folder ", folder.ToString(),
                       " counts fewer items than were removed"));
    }
    digest->items = static_cast<uint64_t>(items);
    AddTerm(digest->sum, it->second.sum);
    const std::string name = DigestName(folder);
    if (absl::Status s =
            items == 0
                ? backend_->DeleteValue(name)
                : backend_->PutValue(name, kernel_values::DigestValue(*digest));
        !s.ok()) {
      return s;
    }
    digest_changes_.erase(it);
  }
  // Raising a value to a maximum is the same done twice.
  for (const auto& [guid, high] : in_use_) {
    const std::string name = InUseName(guid);
    absl::StatusOr<uint64_t> stored = GetCounterValue(name);
    if (!stored.ok()) return stored.status();
    if (high > *stored) {
      if (absl::Status s = backend_->PutValue(name, U64Value(high)); !s.ok()) {
        return s;
      }
    }
  }
  return absl::OkStatus();
}

// ---- Records ----

bool StoreKernel::KnownAbsent(const SourceKey& key) const {
  return in_transaction_ && absent_.contains(key);
}

void StoreKernel::NoteAbsent(const SourceKey& key) {
  // Only inside a transaction, whose writer lock keeps other handles from
  // adding the key meanwhile.
  if (in_transaction_) absent_.insert(key);
}

absl::StatusOr<std::optional<RecordHeader>> StoreKernel::Lookup(
    const SourceKey& key, RecordPart part) {
  std::optional<RecordHeader> found;
  if (KnownAbsent(key)) return found;
  absl::StatusOr<bool> got = backend_->Get(
      key, part,
      [&](const RecordHeader& h, std::string_view) -> absl::StatusOr<bool> {
        found = h;
        return true;
      });
  if (!got.ok()) return got.status();
  if (!found) NoteAbsent(key);
  return found;
}

template <typename T>
absl::StatusOr<T> StoreKernel::Decoded(
    const SourceKey& key, ObjectKind kind, const char* what,
    absl::StatusOr<T> (*decode)(std::string_view)) {
  if (KnownAbsent(key)) return NotFound(what, key);
  std::optional<absl::StatusOr<T>> value;
  bool stored = false;
  absl::StatusOr<bool> found =
      backend_->Get(key, RecordPart::kBody,
                    [&](const RecordHeader& h,
                        std::string_view body) -> absl::StatusOr<bool> {
                      stored = true;
                      if (h.kind == kind) value = decode(body);
                      return true;
                    });
  if (!found.ok()) return found.status();
  if (!stored) NoteAbsent(key);
  if (!value) return NotFound(what, key);
  return *std::move(value);
}

absl::Status StoreKernel::CheckFolderExists(const SourceKey& key,
                                            const char* what) {
  // Writes run inside a transaction, whose writer lock keeps other handles
  // from deleting a folder this one found: once found, it stays until the
  // transaction deletes it. A batch of items into one folder looks it up
  // once.
  if (folders_found_.contains(key)) return absl::OkStatus();
  absl::StatusOr<std::optional<RecordHeader>> stored =
      Lookup(key, RecordPart::kHeader);
  if (!stored.ok()) return stored.status();
  if (!*stored || (*stored)->kind != ObjectKind::kFolder) {
    return MissingParent(what, key);
  }
  folders_found_.insert(key);
  return absl::OkStatus();
}

absl::StatusOr<GlobCnt> StoreKernel::NextLocalCn() {
  if (!local_cn_loaded_) {
    // The backend's writer lock is held until the transaction ends, so no
    // other handle moves the counter meanwhile: numbers follow commit order.
    absl::StatusOr<uint64_t> high = GetCounterValue(kLocalCn);
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

void StoreKernel::NoteDigest(const SourceKey& folder, const SourceKey& key,
                             const ChangeNumber& change_key, bool add) {
  DigestChange& change = digest_changes_[folder];
  const DigestTerm term = ItemTerm(key, change_key);
  if (add) {
    ++change.items;
    AddTerm(change.sum, term);
  } else {
    --change.items;
    SubtractTerm(change.sum, term);
  }
}

absl::Status StoreKernel::Write(RecordHeader header, const std::string& body,
                                const std::optional<RecordHeader>& old) {
  absl::StatusOr<GlobCnt> local_cn = NextLocalCn();
  if (!local_cn.ok()) return local_cn.status();
  header.local_cn = *local_cn;
  absent_.erase(header.key);
  if (absl::Status s = backend_->Put(header, body, old.has_value()); !s.ok()) {
    // A failed write changes nothing, its local change number included.
    --local_cn_high_;
    return s;
  }
  if (old && old->kind == ObjectKind::kItem && old->parent) {
    NoteDigest(*old->parent, old->key, old->change_key, false);
  }
  if (header.kind == ObjectKind::kItem && header.parent) {
    NoteDigest(*header.parent, header.key, header.change_key, true);
  }
  NoteInUse(header.key.replica(), header.key.counter());
  NoteInUse(header.change_key.replica(), header.change_key.counter());
  return absl::OkStatus();
}

absl::Status StoreKernel::DeleteOfKind(const SourceKey& key, ObjectKind kind,
                                       const char* what,
                                       const char* operation) {
  if (absl::Status s = CheckInTransaction(in_transaction_, operation);
      !s.ok()) {
    return s;
  }
  absl::StatusOr<std::optional<RecordHeader>> stored =
      Lookup(key, kind == ObjectKind::kItem ? RecordPart::kChangeKey
                                            : RecordPart::kHeader);
  if (!stored.ok()) return stored.status();
  if (!*stored || (*stored)->kind != kind) return NotFound(what, key);
  if (kind == ObjectKind::kFolder) {
    std::optional<ObjectKind> child;
    if (absl::Status s = backend_->ListChildren(
            key, KindBit(ObjectKind::kFolder) | KindBit(ObjectKind::kItem),
            RecordPart::kHeader, 1,
            [&](const RecordHeader& h,
                std::string_view) -> absl::StatusOr<bool> {
              child = h.kind;
              return false;
            });
        !s.ok()) {
      return s;
    }
    if (child) {
      return absl::FailedPreconditionError(
          absl::StrCat("folder ", key.ToString(), " still has ",
                       *child == ObjectKind::kFolder ? "subfolders" : "items"));
    }
  }
  if (absl::Status s = backend_->Remove(key); !s.ok()) return s;
  if (kind == ObjectKind::kFolder) folders_found_.erase(key);
  const RecordHeader& old = **stored;
  if (old.kind == ObjectKind::kItem && old.parent) {
    NoteDigest(*old.parent, key, old.change_key, false);
  }
  return absl::OkStatus();
}

// ---- Folders ----

absl::StatusOr<Folder> StoreKernel::GetFolder(const SourceKey& key) {
  return Decoded<Folder>(key, ObjectKind::kFolder, "folder", DecodeFolder);
}

absl::Status StoreKernel::InsertFolder(const Folder& folder) {
  if (absl::Status s = CheckInTransaction(in_transaction_, "InsertFolder");
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckFolder(folder); !s.ok()) return s;
  absl::StatusOr<std::optional<RecordHeader>> existing =
      Lookup(folder.source_key, RecordPart::kHeader);
  if (!existing.ok()) return existing.status();
  if (*existing) return KeyInUseError(folder.source_key);
  if (folder.parent) {
    if (absl::Status s = CheckFolderExists(*folder.parent, "folder"); !s.ok()) {
      return s;
    }
  } else {
    bool has_root = false;
    if (absl::Status s = backend_->ListChildren(
            std::nullopt, KindBit(ObjectKind::kFolder), RecordPart::kHeader, 1,
            [&](const RecordHeader&, std::string_view) -> absl::StatusOr<bool> {
              has_root = true;
              return false;
            });
        !s.ok()) {
      return s;
    }
    if (has_root) {
      return absl::FailedPreconditionError(
          "the store already has a root folder");
    }
  }
  return Write(Header(ObjectKind::kFolder, folder.source_key, folder.parent,
                      folder.change_key),
               EncodeFolder(folder), std::nullopt);
}

absl::Status StoreKernel::UpdateFolder(const Folder& folder) {
  if (absl::Status s = CheckInTransaction(in_transaction_, "UpdateFolder");
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckFolder(folder); !s.ok()) return s;
  absl::StatusOr<std::optional<RecordHeader>> old =
      Lookup(folder.source_key, RecordPart::kHeader);
  if (!old.ok()) return old.status();
  if (!*old || (*old)->kind != ObjectKind::kFolder) {
    return NotFound("folder", folder.source_key);
  }
  if (folder.parent.has_value() != (*old)->parent.has_value()) {
    return absl::FailedPreconditionError(
        "an update cannot make a folder the root or the root a subfolder");
  }
  if (folder.parent) {
    if (absl::Status s = CheckFolderExists(*folder.parent, "folder"); !s.ok()) {
      return s;
    }
  }
  return Write(Header(ObjectKind::kFolder, folder.source_key, folder.parent,
                      folder.change_key),
               EncodeFolder(folder), *old);
}

absl::Status StoreKernel::DeleteFolder(const SourceKey& key) {
  return DeleteOfKind(key, ObjectKind::kFolder, "folder", "DeleteFolder");
}

absl::StatusOr<std::vector<Folder>> StoreKernel::ListChildFolders(
    const std::optional<SourceKey>& parent) {
  std::vector<Folder> out;
  if (absl::Status s = backend_->ListChildren(
          parent, KindBit(ObjectKind::kFolder), RecordPart::kBody, 0,
          [&](const RecordHeader&,
              std::string_view body) -> absl::StatusOr<bool> {
            absl::StatusOr<Folder> f = DecodeFolder(body);
            if (!f.ok()) return f.status();
            out.push_back(*std::move(f));
            return true;
          });
      !s.ok()) {
    return s;
  }
  std::sort(out.begin(), out.end(), [](const Folder& a, const Folder& b) {
    return a.source_key < b.source_key;
  });
  return out;
}

// ---- Items ----

absl::StatusOr<Item> StoreKernel::GetItem(const SourceKey& key) {
  return Decoded<Item>(key, ObjectKind::kItem, "item", DecodeItem);
}

absl::Status StoreKernel::InsertItem(const Item& item) {
  if (absl::Status s = CheckInTransaction(in_transaction_, "InsertItem");
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckItem(item, options_); !s.ok()) return s;
  absl::StatusOr<std::optional<RecordHeader>> existing =
      Lookup(item.source_key, RecordPart::kHeader);
  if (!existing.ok()) return existing.status();
  if (*existing) return KeyInUseError(item.source_key);
  if (absl::Status s = CheckFolderExists(item.folder, "item"); !s.ok()) {
    return s;
  }
  return Write(Header(ObjectKind::kItem, item.source_key, item.folder,
                      item.change_key, item.ByteSize()),
               EncodeItem(item), std::nullopt);
}

absl::Status StoreKernel::UpdateItem(const Item& item) {
  if (absl::Status s = CheckInTransaction(in_transaction_, "UpdateItem");
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckItem(item, options_); !s.ok()) return s;
  absl::StatusOr<std::optional<RecordHeader>> existing =
      Lookup(item.source_key, RecordPart::kChangeKey);
  if (!existing.ok()) return existing.status();
  if (!*existing || (*existing)->kind != ObjectKind::kItem) {
    return NotFound("item", item.source_key);
  }
  if (absl::Status s = CheckFolderExists(item.folder, "item"); !s.ok()) {
    return s;
  }
  return Write(Header(ObjectKind::kItem, item.source_key, item.folder,
                      item.change_key, item.ByteSize()),
               EncodeItem(item), *existing);
}

absl::Status StoreKernel::DeleteItem(const SourceKey& key) {
  return DeleteOfKind(key, ObjectKind::kItem, "item", "DeleteItem");
}

absl::StatusOr<std::vector<SourceKey>> StoreKernel::ListItems(
    const SourceKey& folder) {
  std::vector<SourceKey> out;
  if (absl::Status s = backend_->ListChildren(
          folder, KindBit(ObjectKind::kItem), RecordPart::kHeader, 0,
          [&](const RecordHeader& h, std::string_view) -> absl::StatusOr<bool> {
            out.push_back(h.key);
            return true;
          });
      !s.ok()) {
    return s;
  }
  std::sort(out.begin(), out.end());
  return out;
}

absl::StatusOr<std::vector<ItemVersion>> StoreKernel::ListItemVersions(
    const SourceKey& folder) {
  std::vector<ItemVersion> out;
  if (absl::Status s = backend_->ListChildren(
          folder, KindBit(ObjectKind::kItem), RecordPart::kChangeKey, 0,
          [&](const RecordHeader& h, std::string_view) -> absl::StatusOr<bool> {
            out.push_back({h.key, h.change_key});
            return true;
          });
      !s.ok()) {
    return s;
  }
  std::sort(out.begin(), out.end(),
            [](const ItemVersion& a, const ItemVersion& b) {
              return a.source_key < b.source_key;
            });
  return out;
}

absl::StatusOr<FolderDigest> StoreKernel::GetFolderDigest(
    const SourceKey& folder) {
  absl::StatusOr<FolderDigest> digest = StoredDigest(folder);
  if (!digest.ok()) return digest.status();
  // What this transaction changed, not yet written.
  if (auto it = digest_changes_.find(folder); it != digest_changes_.end()) {
    digest->items = static_cast<uint64_t>(static_cast<int64_t>(digest->items) +
                                          it->second.items);
    AddTerm(digest->sum, it->second.sum);
  }
  return digest;
}

// ---- Tombstones ----

absl::StatusOr<Tombstone> StoreKernel::GetTombstone(const SourceKey& key) {
  return Decoded<Tombstone>(key, ObjectKind::kTombstone, "tombstone",
                            DecodeTombstone);
}

absl::Status StoreKernel::PutTombstone(const Tombstone& tombstone) {
  if (absl::Status s = CheckInTransaction(in_transaction_, "PutTombstone");
      !s.ok()) {
    return s;
  }
  if (tombstone.kind == ObjectKind::kTombstone) {
    return absl::InvalidArgumentError(
        "a tombstone's kind is what was deleted: a folder or an item");
  }
  absl::StatusOr<std::optional<RecordHeader>> existing =
      Lookup(tombstone.source_key, RecordPart::kHeader);
  if (!existing.ok()) return existing.status();
  if (*existing && (*existing)->kind != ObjectKind::kTombstone) {
    return KeyInUseError(tombstone.source_key);
  }
  return Write(Header(ObjectKind::kTombstone, tombstone.source_key,
                      tombstone.parent, tombstone.deletion_cn),
               EncodeTombstone(tombstone), *existing);
}

absl::Status StoreKernel::DeleteTombstone(const SourceKey& key) {
  return DeleteOfKind(key, ObjectKind::kTombstone, "tombstone",
                      "DeleteTombstone");
}

// ---- The change stream ----

absl::StatusOr<std::vector<Change>> StoreKernel::ReadChanges(
    const GlobSet& exclude, GlobCnt after, const ChangeStreamOptions& options) {
  std::vector<Change> out;
  size_t bytes = 0;
  const uint32_t kinds = options.kinds & kAllKinds;
  auto full = [&] {
    return out.size() >= options.batch_size ||
           (!out.empty() && bytes >= options.batch_bytes);
  };
  const auto ranges = exclude.ranges();
  uint64_t from = after.value() + 1;
  while (from <= GlobCnt::kMaxValue && kinds != 0 && !full()) {
    if (std::optional<GlobRange> skip =
            ExcludedRange(exclude, *GlobCnt::FromValue(from))) {
      from = skip->high + 1;
      continue;
    }
    // Scan up to the next excluded range: one scan per gap.
    uint64_t last = GlobCnt::kMaxValue;
    auto next = std::upper_bound(
        ranges.begin(), ranges.end(), from,
        [](uint64_t x, const GlobRange& r) { return x < r.low; });
    if (next != ranges.end()) last = next->low - 1;
    const ScanLimits limits{
        options.batch_size - out.size(),
        out.empty() ? options.batch_bytes : options.batch_bytes - bytes};
    absl::Status scanned = backend_->ScanByLocalCn(
        from, last, kinds, RecordPart::kBody, limits,
        [&](const RecordHeader& h,
            std::string_view body) -> absl::StatusOr<bool> {
          switch (h.kind) {
            case ObjectKind::kFolder: {
              absl::StatusOr<Folder> f = DecodeFolder(body);
              if (!f.ok()) return f.status();
              out.push_back(Change{*std::move(f), h.local_cn});
              break;
            }
            case ObjectKind::kItem: {
              absl::StatusOr<Item> i = DecodeItem(body);
              if (!i.ok()) return i.status();
              bytes += i->ByteSize();
              out.push_back(Change{*std::move(i), h.local_cn});
              break;
            }
            case ObjectKind::kTombstone: {
              absl::StatusOr<Tombstone> t = DecodeTombstone(body);
              if (!t.ok()) return t.status();
              out.push_back(Change{*std::move(t), h.local_cn});
              break;
            }
          }
          return !full();
        });
    if (!scanned.ok()) return scanned;
    // Either the batch is full or this gap holds nothing more.
    if (last == GlobCnt::kMaxValue) break;
    from = last + 1;
  }
  return out;
}

absl::StatusOr<GlobCnt> StoreKernel::LocalCnHighWater() {
  if (local_cn_loaded_) return *GlobCnt::FromValue(local_cn_high_);
  absl::StatusOr<uint64_t> high = GetCounterValue(kLocalCn);
  if (!high.ok()) return high.status();
  return *GlobCnt::FromValue(*high);
}

// ---- Tombstone retention ----

absl::StatusOr<uint64_t> StoreKernel::PurgeTombstones(FileTime deleted_before) {
  if (absl::Status s = CheckInTransaction(in_transaction_, "PurgeTombstones");
      !s.ok()) {
    return s;
  }
  absl::StatusOr<uint64_t> horizon = GetCounterValue(kHorizon);
  if (!horizon.ok()) return horizon.status();
  uint64_t high = *horizon;
  std::vector<SourceKey> expired;
  if (absl::Status s = backend_->ScanByLocalCn(
          1, GlobCnt::kMaxValue, KindBit(ObjectKind::kTombstone),
          RecordPart::kBody, ScanLimits{},
          [&](const RecordHeader& h,
              std::string_view body) -> absl::StatusOr<bool> {
            absl::StatusOr<Tombstone> t = DecodeTombstone(body);
            if (!t.ok()) return t.status();
            if (t->deleted_at < deleted_before) {
              expired.push_back(h.key);
              high = std::max(high, h.local_cn.value());
            }
            return true;
          });
      !s.ok()) {
    return s;
  }
  for (const SourceKey& key : expired) {
    if (absl::Status s = backend_->Remove(key); !s.ok()) return s;
  }
  if (high != *horizon) {
    if (absl::Status s = backend_->PutValue(kHorizon, U64Value(high));
        !s.ok()) {
      return s;
    }
  }
  return expired.size();
}

absl::StatusOr<GlobCnt> StoreKernel::TombstoneHorizon() {
  absl::StatusOr<uint64_t> horizon = GetCounterValue(kHorizon);
  if (!horizon.ok()) return horizon.status();
  return *GlobCnt::FromValue(*horizon);
}

// ---- Sync state and counts ----

absl::StatusOr<std::optional<std::string>> StoreKernel::GetSyncState(
    std::string_view name) {
  if (name.find('\0') != std::string_view::npos) {
    return absl::InvalidArgumentError("a sync state name holds a NUL byte");
  }
  return backend_->GetValue(SyncStateName(name));
}

absl::Status StoreKernel::PutSyncState(std::string_view name,
                                       std::string_view blob) {
  if (absl::Status s = CheckInTransaction(in_transaction_, "PutSyncState");
      !s.ok()) {
    return s;
  }
  if (name.find('\0') != std::string_view::npos) {
    return absl::InvalidArgumentError("a sync state name holds a NUL byte");
  }
  return backend_->PutValue(SyncStateName(name), blob);
}

absl::StatusOr<StoreCounts> StoreKernel::Count() { return backend_->Count(); }

bool StoreKernel::CallerThreadOnly() const {
  return backend_->CallerThreadOnly();
}

// ---- Integrity ----

absl::Status StoreKernel::CheckIntegrity() {
  if (absl::Status s = backend_->CheckIntegrity(); !s.ok()) return s;
  absl::flat_hash_map<SourceKey, FolderDigest> computed;
  std::vector<SourceKey> folders;
  if (absl::Status s = backend_->ScanByLocalCn(
          1, GlobCnt::kMaxValue,
          KindBit(ObjectKind::kFolder) | KindBit(ObjectKind::kItem),
          RecordPart::kChangeKey, ScanLimits{},
          [&](const RecordHeader& h, std::string_view) -> absl::StatusOr<bool> {
            if (h.kind == ObjectKind::kFolder) {
              folders.push_back(h.key);
            } else if (h.parent) {
              AddItem(computed[*h.parent], h.key, h.change_key);
            }
            return true;
          });
      !s.ok()) {
    return s;
  }
  uint64_t wrong = 0;
  for (const SourceKey& folder : folders) {
    absl::StatusOr<FolderDigest> kept = StoredDigest(folder);
    if (!kept.ok()) return kept.status();
    auto it = computed.find(folder);
    if (*kept != (it == computed.end() ? FolderDigest() : it->second)) ++wrong;
    if (it != computed.end()) computed.erase(it);
  }
  wrong += computed.size();  // items whose folder is not stored
  if (wrong != 0) {
    return absl::DataLossError(
        absl::StrCat("folder digests: ", wrong,
                     " folders' kept digests differ from their items"));
  }
  return absl::OkStatus();
}

}  // namespace ioreplication::stores_internal
