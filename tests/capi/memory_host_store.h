/* Copyright 2026 The ioreplication Authors.
 * SPDX-License-Identifier: Apache-2.0 */
/*
 * A host store written in plain C, kept in memory: the test double for
 * iorepl/host_store.h. Used by the C ABI test (capi_test.c) and, through the
 * vtable, by the store conformance suite.
 *
 * Deliberately simple: records live in an array searched linearly, and a
 * transaction snapshots the whole table at begin. It also counts destroy
 * calls and can be told to fail a callback, so tests can check both.
 */
#ifndef IOREPL_TESTS_CAPI_MEMORY_HOST_STORE_H_
#define IOREPL_TESTS_CAPI_MEMORY_HOST_STORE_H_

#include "iorepl/iorepl.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct memory_host memory_host;

/* A new, empty table. NULL when out of memory. */
memory_host* memory_host_new(void);

/* The vtable over `host`. Its destroy frees `host` and adds one to
 * *destroyed (when `destroyed` is not NULL), or 1000 when a transaction is
 * still open then. */
iorepl_host_store memory_host_vtable(memory_host* host, int* destroyed);

/* Makes the next call of the callback named `slot` ("put", "scan", ...)
 * fail with IOREPL_EIO and the message "injected failure"; NULL clears. */
void memory_host_fail_next(memory_host* host, const char* slot);

/* The number of records in the table (committed or not). */
size_t memory_host_size(const memory_host* host);

/* Callbacks that ran on a thread other than the one that made the table
 * (host_store.h promises the thread of the iorepl_ call: none). */
size_t memory_host_foreign_calls(const memory_host* host);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* IOREPL_TESTS_CAPI_MEMORY_HOST_STORE_H_ */
