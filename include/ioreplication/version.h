/* Copyright 2026 The ioreplication Authors.
 * SPDX-License-Identifier: Apache-2.0 */
/*
 * Compile-time version of the ioreplication headers.
 *
 * This header is plain C so that the C ABI and the C++ API share one source of
 * truth; CMake reads the project version from it. The release version is
 * independent of the shared library's SONAME, which changes only on an ABI
 * break.
 */
#ifndef IOREPLICATION_VERSION_H_
#define IOREPLICATION_VERSION_H_

#define IOREPL_VERSION_MAJOR 0
#define IOREPL_VERSION_MINOR 1
#define IOREPL_VERSION_PATCH 0

/* MAJOR * 10000 + MINOR * 100 + PATCH, for `#if` comparisons. */
#define IOREPL_VERSION_NUMBER                                  \
  (IOREPL_VERSION_MAJOR * 10000 + IOREPL_VERSION_MINOR * 100 + \
   IOREPL_VERSION_PATCH)

#define IOREPL_VERSION_STRING "0.1.0"

#endif /* IOREPLICATION_VERSION_H_ */
