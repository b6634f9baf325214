// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "logger.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"

namespace ioreplication::iorepl {

std::string JsonString(std::string_view text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20) {
          out += absl::StrFormat("\\u%04x", c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string PassJson(const SessionConfig& config, const PassReport& outcome) {
  const SessionStatistics& s = outcome.stats;
  std::string json = absl::StrCat(
      "{\"time\":",
      JsonString(absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", outcome.start,
                                  absl::UTCTimeZone())),
      ",\"session\":", JsonString(config.name), ",\"type\":",
      JsonString(config.type == SessionType::kFreeBusy ? "free_busy"
                                                       : "public_folder"),
      ",\"result\":", JsonString(PassResultName(outcome.result())));
  absl::StrAppend(&json, ",\"message_changes\":", s.message_changes,
                  ",\"message_deletions\":", s.message_deletions,
                  ",\"message_ignores\":", s.message_ignores,
                  ",\"message_errors\":", s.message_errors,
                  ",\"folder_changes\":", s.folder_changes,
                  ",\"folder_deletions\":", s.folder_deletions,
                  ",\"folder_ignores\":", s.folder_ignores,
                  ",\"folder_errors\":", s.folder_errors,
                  ",\"conflicts\":", s.conflicts, ",\"bytes\":", s.bytes,
                  ",\"reconciliations\":", s.reconciliations,
                  ",\"differences\":", s.differences,
                  ",\"duration_ms\":", absl::ToInt64Milliseconds(s.duration));
  if (!outcome.error.empty()) {
    absl::StrAppend(&json, ",\"error\":", JsonString(outcome.error));
  }
  return json + "}";
}

Logger::Logger(std::ostream& out, std::ostream& err, bool json)
    : out_(out), err_(err), json_(json) {}

std::string Logger::Stamp() const {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S", absl::Now(),
                          absl::LocalTimeZone());
}

void Logger::AppendToFile(const std::string& path, const std::string& line) {
  auto it = files_.find(path);
  if (it == files_.end()) {
    auto file = std::make_unique<std::ofstream>(path, std::ios::app);
    if (!*file) {
      err_ << Stamp() << " cannot open log file " << path
           << "; logging to standard error only\n";
    }
    it = files_.emplace(path, std::move(file)).first;
  }
  if (*it->second) *it->second << line << std::endl;
}

void Logger::Service(std::string_view text) {
  std::lock_guard<std::mutex> lock(mu_);
  const std::string stamp = Stamp();
  for (absl::string_view part :
       absl::StrSplit(absl::string_view(text.data(), text.size()), '\n')) {
    err_ << stamp << " " << part << std::endl;
  }
}

void Logger::Session(const SessionConfig& config, std::string_view text) {
  std::lock_guard<std::mutex> lock(mu_);
  const std::string stamp = Stamp();
  // One log line per line of text (errors may hold several).
  for (absl::string_view part :
       absl::StrSplit(absl::string_view(text.data(), text.size()), '\n')) {
    const std::string line =
        absl::StrCat(stamp, " session '", config.name, "': ", part);
    err_ << line << std::endl;
    if (!config.logging.file.empty()) AppendToFile(config.logging.file, line);
  }
}

void Logger::Pass(const SessionConfig& config, const PassReport& outcome) {
  const std::string line =
      RenderStatisticsLine(config.type, config.name, outcome.stats);
  if (!outcome.error.empty()) {
    Session(config, absl::StrCat("pass failed: ", outcome.error));
  }
  if (outcome.interrupted) {
    Session(config,
            "pass interrupted after a batch; the next pass continues it");
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (json_) {
      out_ << PassJson(config, outcome) << std::endl;
    } else {
      out_ << line << std::endl;
    }
    if (!config.logging.file.empty()) {
      AppendToFile(config.logging.file, absl::StrCat(Stamp(), " ", line));
    }
  }
}

void Logger::ReopenFiles() {
  std::lock_guard<std::mutex> lock(mu_);
  files_.clear();
}

void Logger::Output(std::string_view line) {
  std::lock_guard<std::mutex> lock(mu_);
  out_ << line << std::endl;
}

}  // namespace ioreplication::iorepl
