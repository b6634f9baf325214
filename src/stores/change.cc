// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "ioreplication/store.h"

namespace ioreplication {

ChangeNumber Change::cn() const {
  if (const auto* f = std::get_if<Folder>(&object)) return f->change_key;
  if (const auto* i = std::get_if<Item>(&object)) return i->change_key;
  return std::get<Tombstone>(object).deletion_cn;
}

const SourceKey& Change::source_key() const {
  if (const auto* f = std::get_if<Folder>(&object)) return f->source_key;
  if (const auto* i = std::get_if<Item>(&object)) return i->source_key;
  return std::get<Tombstone>(object).source_key;
}

}  // namespace ioreplication
