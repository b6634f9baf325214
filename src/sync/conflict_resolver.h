// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Deterministic resolution of item conflicts (include/ioreplication/conflict.h
// has the rules). Pure functions: no store access.

#ifndef IOREPLICATION_SRC_SYNC_CONFLICT_RESOLVER_H_
#define IOREPLICATION_SRC_SYNC_CONFLICT_RESOLVER_H_

#include <optional>
#include <variant>

#include "absl/status/statusor.h"
#include "ioreplication/conflict.h"
#include "ioreplication/folder.h"
#include "ioreplication/ids.h"

namespace ioreplication::sync_internal {

struct Resolution {
  bool incoming_wins = false;
  // What the source key holds afterwards: the winner with both PCLs merged.
  std::variant<Item, Tombstone> result;
  // keep_both: the losing item version, kept beside the winner.
  std::optional<Item> conflict_item;
  // keep_both: the notice for the folder's owners.
  std::optional<Item> notice;
};

// The policy in force for items of `folder`: its PidTagResolveMethod when it
// asks for last writer wins, else `session_policy`.
ConflictPolicy EffectivePolicy(const Folder& folder,
                               ConflictPolicy session_policy);

// True when version a was written later than b: last-modification time,
// then change key.
bool LaterWriter(FileTime a_time, const ChangeNumber& a_cn, FileTime b_time,
                 const ChangeNumber& b_cn);

// Resolves a conflict between the local and the incoming side (each an item
// or a tombstone, at least one an item, both already placed at the
// destination). The result depends on the two versions only, not on which
// side is local. InvalidArgumentError when the PCLs cannot be merged
// (malformed incoming data); the callback's own error otherwise.
absl::StatusOr<Resolution> ResolveItemConflict(
    const ConflictContext& context, ConflictPolicy policy,
    const ConflictCallback& callback);

// The version an edit becomes when it survives a deletion (of an item or a
// folder): a change number of its own, so that its PCL names what no
// deletion can have seen without seeing it. Without one, the survivor's PCL
// is just the union of the two, and a deletion merged elsewhere with a
// third (the same union, reached without ever meeting the survivor) would
// compare equal or newer and shadow it at some replicas only. Derived from
// the edit's change number alone, so every replica where that edit survives
// any deletion names the survivor alike.
ChangeNumber SurvivorChangeKey(const ChangeNumber& edit);

// The source keys keep_both derives from a losing version's change number.
SourceKey ConflictItemKey(const ChangeNumber& loser);
SourceKey ConflictNoticeKey(const ChangeNumber& loser);
// The notice posted with the conflict item `conflict_item`.
SourceKey NoticeKeyOfConflictItem(const SourceKey& conflict_item);

// Later-writer resolution of a folder conflict: the winner's content with
// both PCLs merged.
absl::StatusOr<Folder> ResolveFolderConflict(const Folder& local,
                                             const Folder& incoming);

// Tree conflicts: two moves made at different replicas that together form a
// cycle, or two folders of one name made under the same parent at different
// replicas. The losing folder gets a new version that depends on its losing
// version alone, so every replica that meets the conflict writes the same
// one: the change number is derived from the loser's change key (a GUID no
// replica has), the PCL is the loser's raised with it, the time is the
// loser's plus one tick.
//
// `loser` placed under `parent` (the mapped root: a place every replica has).
Folder RelocatedFolder(const Folder& loser, const SourceKey& parent);
// `loser` renamed "<name> (<first 8 hex digits of its source key's GUID>-<
// counter>)", shortened to stay within kMaxFolderNameLength.
Folder RenamedFolder(const Folder& loser);

}  // namespace ioreplication::sync_internal

#endif  // IOREPLICATION_SRC_SYNC_CONFLICT_RESOLVER_H_
