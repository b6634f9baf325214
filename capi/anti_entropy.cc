// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// The C surface of Session::Verify, ListConflicts and ResolveConflict
// (include/iorepl/session.h): marshalling only.

#include <memory>
#include <string>

#include "capi/args.h"
#include "capi/errors.h"
#include "capi/handles.h"
#include "iorepl/session.h"
#include "ioreplication/session.h"

using namespace ioreplication;                 // NOLINT
using namespace ioreplication::capi_internal;  // NOLINT

int iorepl_session_verify(iorepl_verify_report** out, iorepl_session* session,
                          int repair) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    *out = nullptr;
    if (int rc = CheckHandle(session, "session"); rc != IOREPL_OK) return rc;
    absl::StatusOr<Session::VerifyReport> report =
        session->session->Verify(repair != 0);
    if (!report.ok()) return FromStatus(report.status());
    auto handle = std::make_unique<iorepl_verify_report>();
    handle->report = *std::move(report);
    *out = handle.release();
    return Succeed();
  });
}

int iorepl_verify_report_counts(uint64_t* folders, uint64_t* items,
                                uint64_t* differing_folders,
                                const iorepl_verify_report* report) {
  return Guard([&] {
    if (int rc = CheckHandle(report, "report"); rc != IOREPL_OK) return rc;
    if (folders != nullptr) *folders = report->report.folders;
    if (items != nullptr) *items = report->report.items;
    if (differing_folders != nullptr) {
      *differing_folders = report->report.differing_folders;
    }
    return Succeed();
  });
}

size_t iorepl_verify_report_size(const iorepl_verify_report* report) {
  return GuardValue<size_t>(0, [&]() -> size_t {
    if (CheckHandle(report, "report") != IOREPL_OK) return 0;
    Succeed();
    return report->report.differences.size();
  });
}

int iorepl_verify_report_at(iorepl_difference* out,
                            const iorepl_verify_report* report, size_t index) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    if (int rc = CheckHandle(report, "report"); rc != IOREPL_OK) return rc;
    const auto& all = report->report.differences;
    if (index >= all.size()) {
      return Fail(IOREPL_ERANGE, "index is past the last difference");
    }
    const Session::Difference& d = all[index];
    iorepl_difference c{};
    c.mapping = d.mapping.c_str();
    c.subscriber = d.subscriber;
    c.path = d.path.c_str();
    c.folder = d.folder ? 1 : 0;
    c.source_key = ToCKey(d.source_key);
    c.kind = static_cast<int>(d.kind);
    c.detail = d.detail.c_str();
    // The fields the caller's struct_size covers: a struct that grows later
    // still serves callers built before.
    if (int rc = WriteStruct(c, kDifferenceV1Size, "out", out);
        rc != IOREPL_OK) {
      return rc;
    }
    return Succeed();
  });
}

void iorepl_verify_report_free(iorepl_verify_report* report) {
  if (report != nullptr && IsHandle(report)) delete report;
}

int iorepl_session_list_refused(iorepl_refused_list** out,
                                iorepl_session* session) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    *out = nullptr;
    if (int rc = CheckHandle(session, "session"); rc != IOREPL_OK) return rc;
    absl::StatusOr<std::vector<Session::Refused>> listed =
        session->session->ListRefused();
    if (!listed.ok()) return FromStatus(listed.status());
    auto list = std::make_unique<iorepl_refused_list>();
    list->refused = *std::move(listed);
    *out = list.release();
    return Succeed();
  });
}

size_t iorepl_refused_list_size(const iorepl_refused_list* list) {
  return GuardValue<size_t>(0, [&]() -> size_t {
    if (CheckHandle(list, "list") != IOREPL_OK) return 0;
    Succeed();
    return list->refused.size();
  });
}

int iorepl_refused_list_at(iorepl_refusal* out, const iorepl_refused_list* list,
                           size_t index) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    if (int rc = CheckHandle(list, "list"); rc != IOREPL_OK) return rc;
    if (index >= list->refused.size()) {
      return Fail(IOREPL_ERANGE, "index is past the last refusal");
    }
    const Session::Refused& r = list->refused[index];
    iorepl_refusal c{};
    c.mapping = r.mapping.c_str();
    c.direction = r.direction.c_str();
    c.source_key = ToCKey(r.source_key);
    c.folder = r.folder ? 1 : 0;
    // ReasonName's views name static strings, NUL-terminated.
    c.reason = ReasonName(r.reason).data();
    c.why = r.why.c_str();
    c.change_key = ToCKey(r.change_key);
    c.skipped = r.skipped ? 1 : 0;
    if (int rc = WriteStruct(c, kRefusalV1Size, "out", out); rc != IOREPL_OK) {
      return rc;
    }
    return Succeed();
  });
}

void iorepl_refused_list_free(iorepl_refused_list* list) {
  if (list != nullptr && IsHandle(list)) delete list;
}

int iorepl_session_skip_refused(iorepl_session* session,
                                const iorepl_key* key) {
  return Guard([&] {
    if (int rc = CheckHandle(session, "session"); rc != IOREPL_OK) return rc;
    SourceKey k;
    if (int rc = CheckKey(key, "key", &k); rc != IOREPL_OK) return rc;
    return FromStatus(session->session->SkipRefused(k));
  });
}

int iorepl_session_list_conflicts(iorepl_conflict_list** out,
                                  iorepl_session* session) {
  return Guard([&] {
    if (int rc = CheckOut(out, "out"); rc != IOREPL_OK) return rc;
    *out = nullptr;
    if (int rc = CheckHandle(session, "session"); rc != IOREPL_OK) return rc;
    absl::StatusOr<std::vector<Session::Conflict>> listed =
        session->session->ListConflicts();
    if (!listed.ok()) return FromStatus(listed.status());
    auto list = std::make_unique<iorepl_conflict_list>();
    for (Session::Conflict& c : *listed) {
      iorepl_conflict_list::Entry e;
      e.store = std::move(c.store);
      e.mapping = std::move(c.mapping);
      e.conflict_item =
          std::make_unique<iorepl_item>(std::move(c.conflict_item));
      if (c.item.has_value()) {
        e.item = std::make_unique<iorepl_item>(*std::move(c.item));
      }
      list->entries.push_back(std::move(e));
    }
    *out = list.release();
    return Succeed();
  });
}

size_t iorepl_conflict_list_size(const iorepl_conflict_list* list) {
  return GuardValue<size_t>(0, [&]() -> size_t {
    if (CheckHandle(list, "list") != IOREPL_OK) return 0;
    Succeed();
    return list->entries.size();
  });
}

int iorepl_conflict_list_at(const char** store, const char** mapping,
                            const iorepl_item** conflict_item,
                            const iorepl_item** item,
                            const iorepl_conflict_list* list, size_t index) {
  return Guard([&] {
    if (int rc = CheckHandle(list, "list"); rc != IOREPL_OK) return rc;
    if (index >= list->entries.size()) {
      return Fail(IOREPL_ERANGE, "index is past the last conflict");
    }
    const iorepl_conflict_list::Entry& e = list->entries[index];
    if (store != nullptr) *store = e.store.c_str();
    if (mapping != nullptr) *mapping = e.mapping.c_str();
    if (conflict_item != nullptr) *conflict_item = e.conflict_item.get();
    if (item != nullptr) *item = e.item.get();
    return Succeed();
  });
}

void iorepl_conflict_list_free(iorepl_conflict_list* list) {
  if (list != nullptr && IsHandle(list)) delete list;
}

int iorepl_session_resolve_conflict(iorepl_session* session,
                                    const iorepl_key* conflict_item, int how) {
  return Guard([&] {
    if (int rc = CheckHandle(session, "session"); rc != IOREPL_OK) return rc;
    SourceKey key;
    if (int rc = CheckKey(conflict_item, "conflict_item", &key);
        rc != IOREPL_OK) {
      return rc;
    }
    Session::ConflictResolution resolution;
    switch (how) {
      case IOREPL_KEEP_MINE:
        resolution = Session::ConflictResolution::kKeepMine;
        break;
      case IOREPL_KEEP_THEIRS:
        resolution = Session::ConflictResolution::kKeepTheirs;
        break;
      case IOREPL_KEEP_BOTH_ITEMS:
        resolution = Session::ConflictResolution::kKeepBoth;
        break;
      default:
        return Fail(IOREPL_EINVAL,
                    "how is not IOREPL_KEEP_MINE, IOREPL_KEEP_THEIRS or "
                    "IOREPL_KEEP_BOTH_ITEMS");
    }
    return FromStatus(session->session->ResolveConflict(key, resolution));
  });
}
