// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "session/status_file.h"

#include <fcntl.h>
#include <google/protobuf/text_format.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace ioreplication::session_internal {
namespace {

absl::StatusOr<v1::RunStatus> Read(const std::string& path) {
  v1::RunStatus status;
  std::ifstream in(path);
  if (!in) return status;  // nothing recorded yet
  std::ostringstream text;
  text << in.rdbuf();
  if (!google::protobuf::TextFormat::ParseFromString(text.str(), &status)) {
    return absl::DataLossError(
        absl::StrCat("status file ", path, " does not parse"));
  }
  return status;
}

// An flock on "<path>.lock" for the life of the object.
class FileLock {
 public:
  explicit FileLock(const std::string& path)
      : fd_(open((path + ".lock").c_str(), O_CREAT | O_RDWR | O_CLOEXEC,
                 0644)) {
    if (fd_ >= 0) flock(fd_, LOCK_EX);
  }
  ~FileLock() {
    if (fd_ >= 0) close(fd_);  // releases the lock
  }
  bool ok() const { return fd_ >= 0; }

 private:
  int fd_;
};

}  // namespace

absl::Status RecordPass(const std::string& path, const SessionConfig& config,
                        const PassReport& outcome) {
  FileLock lock(path);
  if (!lock.ok()) {
    return absl::UnavailableError(absl::StrCat(
        "cannot lock status file ", path, ".lock: ", std::strerror(errno)));
  }
  absl::StatusOr<v1::RunStatus> status = Read(path);
  if (!status.ok()) {
    // A damaged file is replaced rather than blocking every later record.
    status = v1::RunStatus();
  }
  v1::SessionRunStatus* entry = nullptr;
  for (v1::SessionRunStatus& s : *status->mutable_session()) {
    if (s.name() == config.name) entry = &s;
  }
  if (entry == nullptr) entry = status->add_session();
  entry->Clear();
  const SessionStatistics& st = outcome.stats;
  entry->set_name(config.name);
  entry->set_last_start_unix(absl::ToUnixSeconds(outcome.start));
  entry->set_duration_ms(absl::ToInt64Milliseconds(st.duration));
  entry->set_result(std::string(PassResultName(outcome.result())));
  entry->set_error(outcome.error);
  entry->set_statistics_line(
      RenderStatisticsLine(config.type, config.name, st));
  v1::RunCounts* c = entry->mutable_counts();
  c->set_message_changes(st.message_changes);
  c->set_message_deletions(st.message_deletions);
  c->set_message_ignores(st.message_ignores);
  c->set_message_errors(st.message_errors);
  c->set_folder_changes(st.folder_changes);
  c->set_folder_deletions(st.folder_deletions);
  c->set_folder_ignores(st.folder_ignores);
  c->set_folder_errors(st.folder_errors);
  c->set_conflicts(st.conflicts);
  c->set_bytes(st.bytes);
  c->set_reconciliations(st.reconciliations);

  std::string text;
  google::protobuf::TextFormat::PrintToString(*status, &text);
  const std::string temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::trunc);
    out << "# Written by the iorepl service; read by iorepl status.\n" << text;
    out.flush();
    if (!out) {
      return absl::UnavailableError(absl::StrCat("cannot write ", temp));
    }
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot replace ", path, ": ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::map<std::string, v1::SessionRunStatus>> ReadStatusFile(
    const std::string& path) {
  absl::StatusOr<v1::RunStatus> status = Read(path);
  if (!status.ok()) return status.status();
  std::map<std::string, v1::SessionRunStatus> by_name;
  for (const v1::SessionRunStatus& s : status->session()) by_name[s.name()] = s;
  return by_name;
}

PassReport PassReportOf(const v1::SessionRunStatus& record) {
  PassReport report;
  report.session = record.name();
  report.start = absl::FromUnixSeconds(record.last_start_unix());
  report.error = record.error();
  report.interrupted = record.result() == "interrupted";
  SessionStatistics& st = report.stats;
  st.duration = absl::Milliseconds(record.duration_ms());
  const v1::RunCounts& c = record.counts();
  st.message_changes = c.message_changes();
  st.message_deletions = c.message_deletions();
  st.message_ignores = c.message_ignores();
  st.message_errors = c.message_errors();
  st.folder_changes = c.folder_changes();
  st.folder_deletions = c.folder_deletions();
  st.folder_ignores = c.folder_ignores();
  st.folder_errors = c.folder_errors();
  st.conflicts = c.conflicts();
  st.bytes = c.bytes();
  st.reconciliations = c.reconciliations();
  return report;
}

}  // namespace ioreplication::session_internal
