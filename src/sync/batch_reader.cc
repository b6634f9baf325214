// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "sync/batch_reader.h"

#include <system_error>
#include <utility>

namespace ioreplication::sync_internal {

BatchReader::BatchReader(Exporter& exporter, bool read_ahead)
    : exporter_(exporter), read_ahead_(read_ahead) {}

BatchReader::~BatchReader() { Wait(); }

void BatchReader::Wait() {
  if (thread_.joinable()) thread_.join();
}

void BatchReader::ReadAhead() {
  if (!read_ahead_ || thread_.joinable() || ahead_.has_value() ||
      !exporter_.LastBatchStreamed()) {
    return;
  }
  try {
    thread_ = std::thread([this] { ahead_.emplace(exporter_.Next()); });
  } catch (const std::system_error&) {
    // No thread to be had (the process is at its limit): Next() reads the
    // batch itself, as without read-ahead.
  }
}

absl::StatusOr<ExportBatch> BatchReader::Next() {
  Wait();
  if (ahead_.has_value()) {
    absl::StatusOr<ExportBatch> batch = *std::move(ahead_);
    ahead_.reset();
    return batch;
  }
  return exporter_.Next();
}

}  // namespace ioreplication::sync_internal
