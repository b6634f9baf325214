// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "signals.h"

#include <atomic>
#include <csignal>

namespace ioreplication::iorepl {
namespace {

// Lock-free atomics are safe to touch from a signal handler.
std::atomic<bool> stop_requested{false};
std::atomic<bool> reload_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void OnStop(int) { stop_requested.store(true); }
extern "C" void OnReload(int) { reload_requested.store(true); }

}  // namespace

void InstallSignalHandlers() {
  stop_requested.store(false);
  reload_requested.store(false);
  struct sigaction stop = {};
  stop.sa_handler = OnStop;
  sigemptyset(&stop.sa_mask);
  sigaction(SIGTERM, &stop, nullptr);
  sigaction(SIGINT, &stop, nullptr);
  struct sigaction reload = {};
  reload.sa_handler = OnReload;
  sigemptyset(&reload.sa_mask);
  sigaction(SIGHUP, &reload, nullptr);
}

bool StopRequested() { return stop_requested.load(); }

bool TakeReloadRequest() { return reload_requested.exchange(false); }

}  // namespace ioreplication::iorepl
