// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "replica/change_number_source.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace ioreplication::replica_internal {

void ChangeNumberSource::Reset(const Guid& replica) {
  replica_ = replica;
  next_ = 1;
  end_ = 0;
  tentative_ = false;
}

absl::Status ChangeNumberSource::Reserve(uint64_t count) {
  if (count == 0 || available() >= count) return absl::OkStatus();
  absl::StatusOr<CounterBlock> block =
      store_->ReserveCounters(std::max(count, block_size_));
  if (!block.ok()) return block.status();
  next_ = block->first.value();
  end_ = block->last.value();
  tentative_ = store_->InTransaction();
  return absl::OkStatus();
}

absl::StatusOr<ChangeNumber> ChangeNumberSource::Next(const Pcl* pcl) {
  // A PCL keeps one counter per GUID, so a new change must be above the one
  // the object records for this GUID, or it would not show as newer.
  uint64_t floor = 0;
  if (pcl != nullptr) {
    if (const Xid* mine = pcl->Find(replica_)) {
      absl::StatusOr<ChangeNumber> seen = ChangeNumber::FromXid(*mine);
      if (seen.ok()) floor = seen->counter().value();
    }
  }
  if (available() == 0 || next_ <= floor) {
    // A fresh block is above every value reserved so far, by any handle.
    end_ = 0;
    if (absl::Status s = Reserve(1); !s.ok()) return s;
    if (next_ <= floor) {
      return absl::FailedPreconditionError(absl::StrCat(
          "an object records change number ", floor, " of replica ",
          replica_.ToString(),
          ", above the store's counter: the store was restored from a "
          "backup or damaged; mark it restored (Replica::MarkRestored) and "
          "retry"));
    }
  }
  return ChangeNumber(replica_, *GlobCnt::FromValue(next_++));
}

void ChangeNumberSource::Ended(bool committed) {
  if (tentative_ && !committed) end_ = 0;  // its reservation was undone
  tentative_ = false;
}

}  // namespace ioreplication::replica_internal
