/* Copyright 2026 The ioreplication Authors.
 * SPDX-License-Identifier: Apache-2.0 */
/*
 * ioreplication's C ABI: everything libioreplication.so.1 exports.
 *
 *   iorepl/common.h      result codes, errors, versions, keys, logging
 *   iorepl/store.h       stores by URI; reading folders and items
 *   iorepl/objects.h     folder and item snapshots, property bags, content
 *   iorepl/changes.h     local changes to folders, items and ACLs
 *   iorepl/session.h     sessions: configuration, passes, statistics
 *   iorepl/service.h     sessions on their schedules (the service)
 *   iorepl/codec.h       PCL and IDSET wire codecs
 *   iorepl/host_store.h  a host's own storage as a store
 *
 * docs/c-abi.md describes the conventions and the compatibility policy.
 */
#ifndef IOREPL_IOREPL_H_
#define IOREPL_IOREPL_H_

#include "iorepl/changes.h"
#include "iorepl/codec.h"
#include "iorepl/common.h"
#include "iorepl/host_store.h"
#include "iorepl/objects.h"
#include "iorepl/service.h"
#include "iorepl/session.h"
#include "iorepl/store.h"

#endif /* IOREPL_IOREPL_H_ */
