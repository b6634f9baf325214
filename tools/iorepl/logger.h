// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Logger: what `iorepl run` reports, safe to call from session threads.
//
// Log lines ("2026-11-21 10:00:00 session 'Sales': ...") go to the error
// stream and, for a session with logging.file set, are appended to that
// file too. Statistics after each pass go to the output stream: the classic
// line, or with --json one JSON object per line for monitoring.

#ifndef IOREPLICATION_TOOLS_IOREPL_LOGGER_H_
#define IOREPLICATION_TOOLS_IOREPL_LOGGER_H_

#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "ioreplication/service.h"
#include "ioreplication/session_config.h"

namespace ioreplication::iorepl {

class Logger {
 public:
  Logger(std::ostream& out, std::ostream& err, bool json);

  // A line about the service itself.
  void Service(std::string_view line);
  // A line about a session (also appended to its log file).
  void Session(const SessionConfig& config, std::string_view line);
  // After a pass: the statistics (classic line or JSON) on the output, and
  // the classic line and any error in the log.
  void Pass(const SessionConfig& config, const PassReport& outcome);
  // Closes the log files; the next line reopens them (after a SIGHUP, so
  // that rotated logs are let go).
  void ReopenFiles();
  // A line on the output as it is (results of other commands).
  void Output(std::string_view line);

 private:
  std::string Stamp() const;
  void AppendToFile(const std::string& path, const std::string& line);

  std::mutex mu_;
  std::ostream& out_;
  std::ostream& err_;
  const bool json_;
  std::map<std::string, std::unique_ptr<std::ofstream>> files_;
};

// The pass as one JSON object (no newline).
std::string PassJson(const SessionConfig& config, const PassReport& outcome);

// `text` as a JSON string literal, quotes included.
std::string JsonString(std::string_view text);

}  // namespace ioreplication::iorepl

#endif  // IOREPLICATION_TOOLS_IOREPL_LOGGER_H_
