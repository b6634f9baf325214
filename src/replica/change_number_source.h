// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// ChangeNumberSource: counter values of a store's own GUID, for whoever
// writes versions the store makes its own. The Replica takes local change
// numbers and source keys from it (one source each); the importer takes the
// change numbers of the versions a conflict makes the destination's own.
//
// Values come from blocks the store reserves (Store::ReserveCounters). A
// writer that knows how many it will need reserves them before its
// transaction (Reserve), as one durable write. Inside a transaction, a value
// the block at hand cannot give (it is used up, or it is not above what an
// object's PCL records for this GUID because another handle wrote above
// this block) comes from a block reserved inside that transaction: the
// reservation commits or rolls back with it, so the writer tells the source
// how the transaction ended (Ended) and a rolled-back block is dropped. No
// transaction is ever replayed for want of a change number.

#ifndef IOREPLICATION_SRC_REPLICA_CHANGE_NUMBER_SOURCE_H_
#define IOREPLICATION_SRC_REPLICA_CHANGE_NUMBER_SOURCE_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "ioreplication/guid.h"
#include "ioreplication/ids.h"
#include "ioreplication/pcl.h"
#include "ioreplication/store.h"

namespace ioreplication::replica_internal {

class ChangeNumberSource {
 public:
  // Values of `replica` (the store's current GUID) from `store`, which must
  // outlive the source, reserved `block_size` (>= 1) or more at a time.
  ChangeNumberSource(Store* store, const Guid& replica, uint64_t block_size)
      : store_(store), replica_(replica), block_size_(block_size) {}

  // The store took a new GUID: the block at hand belonged to the old one.
  void Reset(const Guid& replica);

  // Makes at least `count` values available, reserving a block of
  // max(count, block_size) when fewer are. Outside a transaction the
  // reservation is durable at once; inside one it belongs to it.
  absl::Status Reserve(uint64_t count);

  // The next value as a change number, above the counter `pcl` records for
  // this GUID (when `pcl` is given). Reserves inside the open transaction
  // when it must. FailedPreconditionError when even a fresh block is not
  // above what `pcl` records: the store's counter is behind its own data (it
  // was restored from a backup or damaged).
  absl::StatusOr<ChangeNumber> Next(const Pcl* pcl = nullptr);

  // The transaction a Reserve or Next ran in ended; after a rollback a block
  // reserved inside it is gone.
  void Ended(bool committed);

 private:
  uint64_t available() const { return end_ >= next_ ? end_ - next_ + 1 : 0; }

  Store* store_;
  Guid replica_;
  uint64_t block_size_;
  uint64_t next_ = 1;  // the next value of the block at hand
  uint64_t end_ = 0;   // its last value
  // The block at hand was reserved inside the open transaction.
  bool tentative_ = false;
};

}  // namespace ioreplication::replica_internal

#endif  // IOREPLICATION_SRC_REPLICA_CHANGE_NUMBER_SOURCE_H_
