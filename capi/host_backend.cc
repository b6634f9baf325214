// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "capi/host_backend.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "capi/args.h"
#include "capi/errors.h"
#include "core/text.h"
#include "stores/record_codec.h"
#include "stores/store_backend.h"
#include "stores/store_kernel.h"

namespace ioreplication::capi_internal {
namespace {

using stores_internal::RecordHeader;
using stores_internal::RecordPart;
using stores_internal::RecordVisitor;
using stores_internal::ScanLimits;

// The host's kind bits are KindBit's (IOREPL_KIND_FOLDER = 1 << kFolder...).
static_assert(IOREPL_KIND_FOLDER == KindBit(ObjectKind::kFolder) &&
              IOREPL_KIND_ITEM == KindBit(ObjectKind::kItem) &&
              IOREPL_KIND_TOMBSTONE == KindBit(ObjectKind::kTombstone));

ObjectKind FromHostKind(int kind) {
  return kind == IOREPL_KIND_FOLDER ? ObjectKind::kFolder
         : kind == IOREPL_KIND_ITEM ? ObjectKind::kItem
                                    : ObjectKind::kTombstone;
}

// The change key a record's body holds.
absl::StatusOr<ChangeNumber> ChangeKeyOf(ObjectKind kind,
                                         std::string_view body) {
  switch (kind) {
    case ObjectKind::kFolder: {
      absl::StatusOr<Folder> f = stores_internal::DecodeFolder(body);
      if (!f.ok()) return f.status();
      return f->change_key;
    }
    case ObjectKind::kItem: {
      absl::StatusOr<Item> i = stores_internal::DecodeItem(body);
      if (!i.ok()) return i.status();
      return i->change_key;
    }
    case ObjectKind::kTombstone:
      break;
  }
  absl::StatusOr<Tombstone> t = stores_internal::DecodeTombstone(body);
  if (!t.ok()) return t.status();
  return t->deletion_cn;
}

class HostBackend final : public stores_internal::StoreBackend {
 public:
  explicit HostBackend(const iorepl_host_store& vtable) : vt_(vtable) {}
  ~HostBackend() override {
    if (vt_.destroy != nullptr) vt_.destroy(vt_.user);
  }

  absl::Status Begin() override {
    (void)TakeCallbackMessage();
    return Check(vt_.begin(vt_.user), "begin");
  }
  absl::Status Commit() override {
    (void)TakeCallbackMessage();
    return Check(vt_.commit(vt_.user), "commit");
  }
  absl::Status Rollback() override {
    (void)TakeCallbackMessage();
    return Check(vt_.rollback(vt_.user), "rollback");
  }

  absl::StatusOr<bool> Get(const SourceKey& key, RecordPart part,
                           RecordVisitor visit) override;
  absl::Status Put(const RecordHeader& header, std::string_view body,
                   bool replace) override;
  absl::Status Remove(const SourceKey& key) override;
  absl::Status ListChildren(const std::optional<SourceKey>& parent,
                            uint32_t kinds, RecordPart part, size_t limit,
                            RecordVisitor visit) override;
  absl::Status ScanByLocalCn(uint64_t first, uint64_t last, uint32_t kinds,
                             RecordPart part, const ScanLimits& limits,
                             RecordVisitor visit) override;
  absl::StatusOr<StoreCounts> Count() override;
  // host_store.h promises callbacks on the thread of the iorepl_ call
  // unless the host said any thread will do.
  bool CallerThreadOnly() const override { return vt_.any_thread == 0; }

  absl::StatusOr<std::optional<std::string>> GetValue(
      std::string_view name) override;
  absl::Status PutValue(std::string_view name, std::string_view value) override;
  // The vtable has no call to remove a value: an empty one stands for none.
  absl::Status DeleteValue(std::string_view name) override {
    return PutValue(name, "");
  }

 private:
  // The status for a callback's return code (OK for 0).
  absl::Status Check(int rc, const char* slot);
  // A host answer that breaks the contract.
  absl::Status BadAnswer(const char* slot, std::string_view what);
  // Calls `visit` with each row of rows_, its header read from the row (and
  // its change key from the body, when `part` asks for one).
  absl::Status VisitRows(RecordPart part, RecordVisitor visit, bool* stopped);

  iorepl_host_store vt_;
  iorepl_rows rows_;
  iorepl_blob blob_;
};

absl::Status HostBackend::Check(int rc, const char* slot) {
  if (rc == IOREPL_OK) return absl::OkStatus();
  const std::string message = TakeCallbackMessage();
  std::string what = absl::StrCat("host store: ", slot, " returned ", rc, " (",
                                  iorepl_rc_str(rc), ")",
                                  message.empty() ? "" : ": ", message);
  NoteCallbackFailure();
  return absl::UnavailableError(what);
}

absl::Status HostBackend::BadAnswer(const char* slot, std::string_view what) {
  std::string message =
      absl::StrCat("host store: ", slot, " answered ", core_internal::Sv(what));
  NoteCallbackFailure();
  return absl::DataLossError(message);
}

absl::Status HostBackend::VisitRows(RecordPart part, RecordVisitor visit,
                                    bool* stopped) {
  *stopped = false;
  for (const iorepl_rows::Row& row : rows_.rows) {
    RecordHeader h;
    h.kind = FromHostKind(row.kind);
    absl::StatusOr<SourceKey> key = SourceKey::Decode(row.key.bytes);
    if (!key.ok()) return key.status();
    h.key = *key;
    if (row.has_parent) {
      absl::StatusOr<SourceKey> parent = SourceKey::Decode(row.parent.bytes);
      if (!parent.ok()) return parent.status();
      h.parent = *parent;
    }
    absl::StatusOr<GlobCnt> local_cn = GlobCnt::FromValue(row.local_cn);
    if (!local_cn.ok() || row.local_cn == 0) {
      return BadAnswer("a lookup", "a record with local_cn 0 or above 2^48");
    }
    h.local_cn = *local_cn;
    const std::string_view body = rows_.Data(row);
    if (part != RecordPart::kHeader) {
      absl::StatusOr<ChangeNumber> change_key = ChangeKeyOf(h.kind, body);
      if (!change_key.ok()) return change_key.status();
      h.change_key = *change_key;
    }
    absl::StatusOr<bool> more =
        visit(h, part == RecordPart::kBody ? body : std::string_view());
    if (!more.ok()) return more.status();
    if (!*more) {
      *stopped = true;
      break;
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> HostBackend::Get(const SourceKey& key, RecordPart part,
                                      RecordVisitor visit) {
  rows_.Clear();
  const iorepl_key k = ToCKey(key);
  (void)TakeCallbackMessage();
  const int rc =
      vt_.get(vt_.user, &k, part == RecordPart::kHeader ? 0 : 1, &rows_);
  if (rc == IOREPL_ENOTFOUND) return false;
  if (absl::Status s = Check(rc, "get"); !s.ok()) return s;
  if (rows_.rows.size() != 1 ||
      std::memcmp(rows_.rows[0].key.bytes, k.bytes, sizeof(k.bytes)) != 0) {
    return BadAnswer(
        "get", absl::StrCat(rows_.rows.size(), " rows or another key for ",
                            key.ToString()));
  }
  bool stopped = false;
  if (absl::Status s = VisitRows(part, visit, &stopped); !s.ok()) return s;
  return true;
}

absl::Status HostBackend::Put(const RecordHeader& header, std::string_view body,
                              bool /*replace*/) {
  // The host's put inserts or replaces.
  iorepl_record record;
  std::memset(&record, 0, sizeof(record));
  record.struct_size = sizeof(record);
  record.kind = static_cast<int>(KindBit(header.kind));
  record.key = ToCKey(header.key);
  record.has_parent = header.parent ? 1 : 0;
  if (header.parent) record.parent = ToCKey(*header.parent);
  record.local_cn = header.local_cn.value();
  record.data = reinterpret_cast<const uint8_t*>(body.data());
  record.data_len = body.size();
  (void)TakeCallbackMessage();
  return Check(vt_.put(vt_.user, &record), "put");
}

absl::Status HostBackend::Remove(const SourceKey& key) {
  const iorepl_key k = ToCKey(key);
  (void)TakeCallbackMessage();
  return Check(vt_.remove(vt_.user, &k), "remove");
}

absl::Status HostBackend::ListChildren(const std::optional<SourceKey>& parent,
                                       uint32_t kinds, RecordPart part,
                                       size_t limit, RecordVisitor visit) {
  rows_.Clear();
  iorepl_key p;
  if (parent) p = ToCKey(*parent);
  (void)TakeCallbackMessage();
  if (absl::Status s = Check(
          vt_.list(vt_.user, parent ? &p : nullptr, static_cast<int>(kinds),
                   limit, part == RecordPart::kHeader ? 0 : 1, &rows_),
          "list");
      !s.ok()) {
    return s;
  }
  for (const iorepl_rows::Row& row : rows_.rows) {
    const bool parent_ok =
        parent ? row.has_parent &&
                     std::memcmp(row.parent.bytes, p.bytes, sizeof(p)) == 0
               : !row.has_parent;
    if ((static_cast<uint32_t>(row.kind) & kinds) == 0 || !parent_ok) {
      return BadAnswer("list", "a record of another kind or parent");
    }
  }
  if (limit != 0 && rows_.rows.size() > limit) {
    return BadAnswer("list", "more records than the limit");
  }
  bool stopped = false;
  return VisitRows(part, visit, &stopped);
}

absl::Status HostBackend::ScanByLocalCn(uint64_t first, uint64_t last,
                                        uint32_t kinds, RecordPart part,
                                        const ScanLimits& limits,
                                        RecordVisitor visit) {
  // The host answers a page at a time; the next page starts past the last
  // record of this one, until a page comes back empty or `visit` stops.
  const size_t page = std::min<size_t>(limits.max_count, 1000);
  uint64_t from = first;
  while (from <= last) {
    rows_.Clear();
    (void)TakeCallbackMessage();
    if (absl::Status s =
            Check(vt_.scan(vt_.user, from, last, static_cast<int>(kinds), page,
                           limits.max_bytes, &rows_),
                  "scan");
        !s.ok()) {
      return s;
    }
    if (rows_.rows.empty()) break;
    uint64_t previous = from - 1;
    for (const iorepl_rows::Row& row : rows_.rows) {
      if (row.local_cn <= previous || row.local_cn > last ||
          (static_cast<uint32_t>(row.kind) & kinds) == 0) {
        return BadAnswer("scan",
                         "records out of order, out of range or of another "
                         "kind");
      }
      previous = row.local_cn;
    }
    bool stopped = false;
    if (absl::Status s = VisitRows(part, visit, &stopped); !s.ok()) return s;
    if (stopped || previous == last) break;
    from = previous + 1;
  }
  return absl::OkStatus();
}

absl::StatusOr<StoreCounts> HostBackend::Count() {
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

absl::StatusOr<std::optional<std::string>> HostBackend::GetValue(
    std::string_view name) {
  blob_.set = false;
  blob_.data.clear();
  const std::string c_name(name);  // NUL-terminated for the host
  (void)TakeCallbackMessage();
  const int rc = vt_.get_value(vt_.user, c_name.c_str(), &blob_);
  if (rc == IOREPL_ENOTFOUND) return std::nullopt;
  if (absl::Status s = Check(rc, "get_value"); !s.ok()) return s;
  if (!blob_.set) {
    return BadAnswer("get_value", absl::StrCat("0 for \"", c_name,
                                               "\" without iorepl_blob_set"));
  }
  return blob_.data;
}

absl::Status HostBackend::PutValue(std::string_view name,
                                   std::string_view value) {
  const std::string c_name(name);
  (void)TakeCallbackMessage();
  return Check(vt_.put_value(vt_.user, c_name.c_str(),
                             reinterpret_cast<const uint8_t*>(value.data()),
                             value.size()),
               "put_value");
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
  std::unique_ptr<HostBackend> backend;
  try {
    backend = std::make_unique<HostBackend>(vtable);
  } catch (...) {
    // The backend never existed to call destroy; it is still owed.
    if (vtable.destroy != nullptr) vtable.destroy(vtable.user);
    throw;
  }
  absl::StatusOr<std::unique_ptr<stores_internal::StoreKernel>> store =
      stores_internal::StoreKernel::Open(std::move(backend), options);
  if (!store.ok()) return store.status();  // the backend is destroyed
  return std::unique_ptr<Store>(*std::move(store));
}

}  // namespace ioreplication::capi_internal
