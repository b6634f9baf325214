// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// BatchReader: an exporter's batches, the next one read on a second thread
// while the caller imports the current one.
//
// A full sync spends about a fifth of its time reading the source (decoding
// records, the pages behind them) and the rest writing the destination; on
// one thread the two add up, on two they overlap. Reading ahead is only done
// when it cannot change what is sent:
//  - the source may be called from another thread (not a host store, whose
//    callbacks are promised the caller's thread: Store::CallerThreadOnly);
//  - the batch being imported holds stream entries only
//    (Exporter::LastBatchStreamed), so its import cannot feed the exporter
//    (Retry, Pull) anything the next batch would have had to reflect.
// Everything else on the source (the importer's SourceSettles question, the
// end of the pass) first calls Wait(), so the source is used by one thread
// at a time, as the Store contract asks.

#ifndef IOREPLICATION_SRC_SYNC_BATCH_READER_H_
#define IOREPLICATION_SRC_SYNC_BATCH_READER_H_

#include <optional>
#include <thread>

#include "absl/status/statusor.h"
#include "sync/exporter.h"

namespace ioreplication::sync_internal {

class BatchReader {
 public:
  // `exporter` must outlive the reader and be started. With `read_ahead`
  // false every batch is read in Next(), on the caller's thread.
  BatchReader(Exporter& exporter, bool read_ahead);
  ~BatchReader();  // waits for a read in flight (its batch is dropped)

  BatchReader(const BatchReader&) = delete;
  BatchReader& operator=(const BatchReader&) = delete;

  // The next batch: the one read ahead, or one read now.
  absl::StatusOr<ExportBatch> Next();

  // Starts reading the batch after the one Next() returned, when allowed
  // (see above); otherwise the next Next() reads it.
  void ReadAhead();

  // Returns once no read is in flight: call before using the source or the
  // exporter on this thread.
  void Wait();

 private:
  Exporter& exporter_;
  const bool read_ahead_;
  std::thread thread_;
  // Written by `thread_`, read after joining it.
  std::optional<absl::StatusOr<ExportBatch>> ahead_;
};

}  // namespace ioreplication::sync_internal

#endif  // IOREPLICATION_SRC_SYNC_BATCH_READER_H_
