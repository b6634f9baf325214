// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// IOREPL_EXPORT marks the declarations that the shared library exports.
//
// The library is compiled with -fvisibility=hidden, so anything without this
// mark stays private to libioreplication.so. Static builds are unaffected.

#ifndef IOREPLICATION_EXPORT_H_
#define IOREPLICATION_EXPORT_H_

#if defined(__GNUC__) || defined(__clang__)
#define IOREPL_EXPORT __attribute__((visibility("default")))
#else
#define IOREPL_EXPORT
#endif

#endif  // IOREPLICATION_EXPORT_H_
