// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "sync/log_buffer.h"

#include <utility>

namespace ioreplication::sync_internal {

LogBuffer::Sink LogBuffer::Defer(Sink sink) {
  if (!sink) return nullptr;
  const auto index = static_cast<uint32_t>(sinks_.size());
  sinks_.push_back(std::move(sink));
  return [this, index](std::string_view line) {
    lines_.push_back({index, false, false, std::string(line)});
  };
}

LogBuffer::FlagSink LogBuffer::Defer(FlagSink sink) {
  if (!sink) return nullptr;
  const auto index = static_cast<uint32_t>(flag_sinks_.size());
  flag_sinks_.push_back(std::move(sink));
  return [this, index](bool flag, std::string_view line) {
    lines_.push_back({index, true, flag, std::string(line)});
  };
}

void LogBuffer::Flush() {
  // A sink may log again (into this buffer, through a deferred sink): take
  // the lines first.
  std::vector<Line> lines = std::move(lines_);
  lines_.clear();
  for (const Line& line : lines) {
    if (line.flagged) {
      flag_sinks_[line.sink](line.flag, line.text);
    } else {
      sinks_[line.sink](line.text);
    }
  }
}

}  // namespace ioreplication::sync_internal
