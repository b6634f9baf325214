// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Model objects <-> the protobuf records persistent stores keep
// (proto/ioreplication/v1/store_records.proto). Decoding treats the bytes as
// untrusted: a record that does not parse or holds invalid identifiers is a
// DataLossError naming the object, never a crash.

#ifndef IOREPLICATION_SRC_STORES_RECORD_CODEC_H_
#define IOREPLICATION_SRC_STORES_RECORD_CODEC_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "ioreplication/folder.h"
#include "ioreplication/item.h"
#include "ioreplication/tombstone.h"

namespace ioreplication::stores_internal {

std::string EncodeFolder(const Folder& folder);
std::string EncodeItem(const Item& item);
std::string EncodeTombstone(const Tombstone& tombstone);

absl::StatusOr<Folder> DecodeFolder(std::string_view bytes);
absl::StatusOr<Item> DecodeItem(std::string_view bytes);
absl::StatusOr<Tombstone> DecodeTombstone(std::string_view bytes);

}  // namespace ioreplication::stores_internal

#endif  // IOREPLICATION_SRC_STORES_RECORD_CODEC_H_
