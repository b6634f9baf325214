// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "repl/sendmail_program.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"

extern char** environ;

namespace ioreplication::repl_internal {
namespace {

constexpr size_t kKeptStderr = 2048;

void CloseFd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

}  // namespace

absl::Status RunSendmail(std::span<const std::string> command,
                         std::span<const std::string> recipients,
                         std::string_view mail, absl::Duration timeout) {
  if (command.empty() || command[0].empty()) {
    return absl::InvalidArgumentError("no sendmail program is set");
  }
  std::vector<std::string> args(command.begin(), command.end());
  args.push_back("--");
  args.insert(args.end(), recipients.begin(), recipients.end());
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  // Standard input is a socket, so that writing to a program that quit
  // early fails with EPIPE (MSG_NOSIGNAL) instead of killing the host.
  int in[2] = {-1, -1};
  int err[2] = {-1, -1};
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) != 0 ||
      ::pipe2(err, O_CLOEXEC) != 0) {
    const std::string why = std::strerror(errno);
    CloseFd(in[0]); CloseFd(in[1]); CloseFd(err[0]); CloseFd(err[1]);
    return absl::UnavailableError(absl::StrCat("cannot run ", command[0], ": ", why));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[1], STDIN_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);
  pid_t pid = -1;
  const bool search = command[0].find('/') == std::string::npos;
  const int rc = search ? ::posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ)
                        : ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  CloseFd(in[1]);
  CloseFd(err[1]);
  if (rc != 0) {
    CloseFd(in[0]); CloseFd(err[0]);
    return absl::UnavailableError(
        absl::StrCat("cannot run ", command[0], ": ", std::strerror(rc)));
  }
  ::fcntl(in[0], F_SETFL, O_NONBLOCK);
  std::string stderr_text;
  std::string_view left = mail;
  bool write_failed = false;
  const absl::Time deadline = absl::Now() + timeout;
  bool timed_out = false;
  while (err[0] >= 0 || in[0] >= 0) {
    pollfd fds[2];
    nfds_t n = 0;
    if (in[0] >= 0 && !left.empty()) fds[n++] = {in[0], POLLOUT, 0};
    if (err[0] >= 0) fds[n++] = {err[0], POLLIN, 0};
    if (n == 0) break;
    const absl::Duration remaining = deadline - absl::Now();
    if (remaining <= absl::ZeroDuration()) { timed_out = true; break; }
    const int ready = ::poll(fds, n, static_cast<int>(absl::ToInt64Milliseconds(remaining)) + 1);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) break;
    for (nfds_t i = 0; i < n; ++i) {
      if (fds[i].revents == 0) continue;
      if (fds[i].fd == in[0]) {
        const ssize_t w = ::send(in[0], left.data(), left.size(), MSG_NOSIGNAL);
        if (w < 0 && (errno == EAGAIN || errno == EINTR)) continue;
        if (w < 0) {
          write_failed = true;
          CloseFd(in[0]);
          continue;
        }
        left.remove_prefix(static_cast<size_t>(w));
        if (left.empty()) CloseFd(in[0]);  // end of the mail
      } else {
        char buf[512];
        const ssize_t r = ::read(err[0], buf, sizeof(buf));
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) {
          CloseFd(err[0]);
          continue;
        }
        if (stderr_text.size() < kKeptStderr) {
          stderr_text.append(buf, std::min<size_t>(static_cast<size_t>(r),
                                                   kKeptStderr - stderr_text.size()));
        }
      }
    }
    if (in[0] >= 0 && left.empty()) CloseFd(in[0]);
  }
  CloseFd(in[0]);
  CloseFd(err[0]);
  if (timed_out) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) {
    return absl::DeadlineExceededError(absl::StrCat(
        command[0], " did not finish within ", absl::FormatDuration(timeout),
        " and was stopped"));
  }
  std::string said;
  if (!stderr_text.empty()) {
    said = absl::StrCat(": ", stderr_text.substr(0, stderr_text.find('\n')));
  }
  if (WIFSIGNALED(status)) {
    return absl::UnavailableError(absl::StrCat(
        command[0], " was killed by signal ", WTERMSIG(status), said));
  }
  if (WEXITSTATUS(status) != 0) {
    return absl::UnavailableError(absl::StrCat(
        command[0], " exited with status ", WEXITSTATUS(status), said));
  }
  if (write_failed || !left.empty()) {
    return absl::UnavailableError(absl::StrCat(
        command[0], " exited before reading the whole mail", said));
  }
  return absl::OkStatus();
}

}  // namespace ioreplication::repl_internal
