// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// A store that fills up: it forwards to another store and, once armed,
// lets a given number of transactions commit and then fails every commit
// and write with ResourceExhaustedError, as SQLite does when the disk is
// full. For tests of what a pass or an import reports, and keeps, when the
// destination runs out of space midway.

#ifndef IOREPLICATION_TESTS_SYNC_FILLING_STORE_H_
#define IOREPLICATION_TESTS_SYNC_FILLING_STORE_H_

#include <cstdint>
#include <optional>

#include "forwarding_store.h"

namespace ioreplication::testing_util {

class FillingStore : public ForwardingStore {
 public:
  explicit FillingStore(Store* inner) : ForwardingStore(inner) {}

  // After `commits` more commits, the disk is full.
  void FullAfter(uint64_t commits) { left_ = commits; }
  bool full() const { return left_.has_value() && *left_ == 0; }

  absl::Status Commit() override {
    if (full()) {
      (void)inner()->Rollback();
      return Full();
    }
    if (left_.has_value()) --*left_;
    return inner()->Commit();
  }

 protected:
  absl::Status BeforeWrite() override {
    return full() ? Full() : absl::OkStatus();
  }

 private:
  static absl::Status Full() {
    return absl::ResourceExhaustedError("database or disk is full");
  }

  std::optional<uint64_t> left_;
};

}  // namespace ioreplication::testing_util

#endif  // IOREPLICATION_TESTS_SYNC_FILLING_STORE_H_
