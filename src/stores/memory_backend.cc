// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "stores/memory_backend.h"

#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "stores/store_backend.h"

namespace ioreplication::stores_internal {
namespace {

class MemoryBackend final : public StoreBackend {
 public:
  absl::Status Begin() override {
    ForgetUndo();
    return absl::OkStatus();
  }
  absl::Status Commit() override {
    ForgetUndo();  // what the transaction wrote stays
    return absl::OkStatus();
  }
  absl::Status Rollback() override;

  absl::StatusOr<bool> Get(const SourceKey& key, RecordPart /*part*/,
                           RecordVisitor visit) override {
    auto it = records_.find(key);
    if (it == records_.end()) return false;
    absl::StatusOr<bool> visited = visit(it->second.header, it->second.body);
    if (!visited.ok()) return visited.status();
    return true;
  }

  absl::Status Put(const RecordHeader& header, std::string_view body,
                   bool /*replace*/) override {
    Record record{header, std::string(body)};
    auto it = records_.find(header.key);
    if (it == records_.end()) {
      undo_records_.try_emplace(header.key, std::nullopt);
      it = records_.emplace(header.key, std::move(record)).first;
    } else {
      Unindex(it->second.header);
      // The node stays where it is, so the indexes' pointers to it hold.
      // The first version this transaction replaces is what Rollback
      // restores; later ones are dropped.
      if (!undo_records_.contains(header.key)) {
        undo_records_.emplace(header.key, std::move(it->second));
      }
      it->second = std::move(record);
    }
    Index(it->second);
    return absl::OkStatus();
  }

  absl::Status Remove(const SourceKey& key) override {
    auto it = records_.find(key);
    if (it == records_.end()) return absl::OkStatus();
    Unindex(it->second.header);
    if (!undo_records_.contains(key)) {
      undo_records_.emplace(key, std::move(it->second));
    }
    records_.erase(it);
    return absl::OkStatus();
  }

  absl::Status ListChildren(const std::optional<SourceKey>& parent,
                            uint32_t kinds, RecordPart /*part*/, size_t limit,
                            RecordVisitor visit) override {
    size_t visited = 0;
    for (ObjectKind kind :
         {ObjectKind::kFolder, ObjectKind::kItem, ObjectKind::kTombstone}) {
      if ((KindBit(kind) & kinds) == 0) continue;
      for (auto it = by_parent_.lower_bound({parent, kind, SourceKey()});
           it != by_parent_.end() && std::get<0>(it->first) == parent &&
           std::get<1>(it->first) == kind;
           ++it) {
        const Record& r = *it->second;
        absl::StatusOr<bool> more = visit(r.header, r.body);
        if (!more.ok()) return more.status();
        if (!*more || (limit != 0 && ++visited >= limit)) {
          return absl::OkStatus();
        }
      }
    }
    return absl::OkStatus();
  }

  absl::Status ScanByLocalCn(uint64_t first, uint64_t last, uint32_t kinds,
                             RecordPart /*part*/, const ScanLimits& /*limits*/,
                             RecordVisitor visit) override {
    for (auto it = by_local_cn_.lower_bound(first);
         it != by_local_cn_.end() && it->first <= last; ++it) {
      const Record& r = *it->second;
      if ((KindBit(r.header.kind) & kinds) == 0) continue;
      absl::StatusOr<bool> more = visit(r.header, r.body);
      if (!more.ok()) return more.status();
      if (!*more) break;
    }
    return absl::OkStatus();
  }

  absl::StatusOr<StoreCounts> Count() override {
    return StoreCounts{counts_[0], counts_[1], counts_[2]};
  }

  absl::StatusOr<std::optional<std::string>> GetValue(
      std::string_view name) override {
    auto it = values_.find(name);
    if (it == values_.end()) return std::nullopt;
    return it->second;
  }

  absl::Status PutValue(std::string_view name,
                        std::string_view value) override {
    SaveValue(name);
    values_.insert_or_assign(std::string(name), std::string(value));
    return absl::OkStatus();
  }

  absl::Status DeleteValue(std::string_view name) override {
    SaveValue(name);
    if (auto it = values_.find(name); it != values_.end()) values_.erase(it);
    return absl::OkStatus();
  }

 private:
  struct Record {
    RecordHeader header;
    std::string body;
  };

  void Index(const Record& r) {
    ++counts_[static_cast<int>(r.header.kind)];
    by_local_cn_.emplace(r.header.local_cn.value(), &r);
    by_parent_.emplace(ParentKey{r.header.parent, r.header.kind, r.header.key},
                       &r);
  }
  void Unindex(const RecordHeader& h) {
    --counts_[static_cast<int>(h.kind)];
    by_local_cn_.erase(h.local_cn.value());
    by_parent_.erase(ParentKey{h.parent, h.kind, h.key});
  }
  void ForgetUndo() {
    undo_records_.clear();
    undo_values_.clear();
  }
  void SaveValue(std::string_view name) {
    if (undo_values_.contains(name)) return;
    auto it = values_.find(name);
    undo_values_.emplace(name, it == values_.end()
                                   ? std::nullopt
                                   : std::optional<std::string>(it->second));
  }

  using ParentKey = std::tuple<std::optional<SourceKey>, ObjectKind, SourceKey>;

  // A map, not a hash map: its nodes stay put, so the indexes point at them.
  std::map<SourceKey, Record> records_;
  std::map<uint64_t, const Record*> by_local_cn_;
  std::map<ParentKey, const Record*> by_parent_;
  uint64_t counts_[3] = {};  // records of each ObjectKind
  std::map<std::string, std::string, std::less<>> values_;
  // What the open transaction replaced: the earlier record or value, or
  // nullopt where there was none.
  absl::flat_hash_map<SourceKey, std::optional<Record>> undo_records_;
  std::map<std::string, std::optional<std::string>, std::less<>> undo_values_;
};

absl::Status MemoryBackend::Rollback() {
  for (auto& [key, old] : undo_records_) {
    if (auto it = records_.find(key); it != records_.end()) {
      Unindex(it->second.header);
      records_.erase(it);
    }
    if (old) Index(records_.emplace(key, *std::move(old)).first->second);
  }
  for (auto& [name, old] : undo_values_) {
    if (old) {
      values_.insert_or_assign(name, *std::move(old));
    } else if (auto it = values_.find(name); it != values_.end()) {
      values_.erase(it);
    }
  }
  ForgetUndo();
  return absl::OkStatus();
}

}  // namespace

std::unique_ptr<StoreKernel> NewMemoryStore(const StoreOptions& options) {
  // A memory backend cannot fail to give a new kernel its identity.
  return *StoreKernel::Open(std::make_unique<MemoryBackend>(), options);
}

}  // namespace ioreplication::stores_internal
