// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Log lines held back while a destination transaction holds the write
// lock.

#ifndef IOREPLICATION_SRC_SYNC_LOG_BUFFER_H_
#define IOREPLICATION_SRC_SYNC_LOG_BUFFER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace ioreplication::sync_internal {

// A log sink may write a file, a terminal or call a host's function; none
// of that may happen while a store transaction holds the database's write
// lock, where it would stall every other writer (and, in the report that
// led here, 20,000 lines were written under it). Lines produced inside a
// transaction wait here and go out, in order, once it has ended. The lines
// of an attempt that was rolled back go with it (Drop), so a batch applied
// again after a rollback logs once.
//
// Not thread-safe; the sinks it returns must not outlive it.
class LogBuffer {
 public:
  using Sink = std::function<void(std::string_view)>;
  using FlagSink = std::function<void(bool, std::string_view)>;

  LogBuffer() = default;
  LogBuffer(const LogBuffer&) = delete;
  LogBuffer& operator=(const LogBuffer&) = delete;

  // A sink that keeps what `sink` would receive until Flush; empty when
  // `sink` is.
  Sink Defer(Sink sink);
  FlagSink Defer(FlagSink sink);

  // Sends the kept lines to their sinks, in the order they came, and
  // forgets them.
  void Flush();
  // Forgets the kept lines.
  void Drop() { lines_.clear(); }
  bool empty() const { return lines_.empty(); }

 private:
  struct Line {
    uint32_t sink;  // index into sinks_ or flag_sinks_
    bool flagged;   // a FlagSink's line
    bool flag;
    std::string text;
  };
  std::vector<Sink> sinks_;
  std::vector<FlagSink> flag_sinks_;
  std::vector<Line> lines_;
};

}  // namespace ioreplication::sync_internal

#endif  // IOREPLICATION_SRC_SYNC_LOG_BUFFER_H_
