// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Conflict policies: what happens when two organizations changed the same
// item without seeing each other's change.
//
// A conflict is found by PCL comparison (DESIGN.md invariant 2): neither
// version's PCL includes the other's. The resolution is deterministic, so
// every replica that meets the same conflict reaches the same result and the
// replicas converge (invariant 3):
//
//  - The *winner* is chosen by the policy. The built-in rule ("the later
//    writer") compares last-modification times, then change keys (GUID bytes,
//    then counter); the greater wins.
//  - The resolved item keeps the winner's content, change key and time, and
//    takes the merge of both PCLs, so it supersedes both versions everywhere.
//    It is stored with a fresh local change number and replicates onward.
//  - Under keep_both, the losing version is kept as a *conflict item* beside
//    the winner, marked in conflict (PidTagInConflict) and linked to it
//    (PidTagConflictEntryId holds the winner's source key), and a *conflict
//    notice* (message class IPM.Conflict.Message) is posted in the folder for
//    its owners. Both get source keys derived from the losing version's
//    change key, so two replicas that resolve the same conflict create the
//    same two objects, not four.
//
// A deletion that meets a concurrent edit is a conflict too. keep_both keeps
// the edit (nothing is lost) and posts a notice; last_writer_wins compares the
// deletion time with the edit's time; publisher_wins keeps the publisher's.
// Two deletions of the same object never conflict. Folder conflicts always
// use the later-writer rule (as MS-OXCFXICS requires for hierarchy sync).
//
// A folder may override the session's policy with PidTagResolveMethod
// (0x3FE70003): 1 (last writer wins) or 2 (no conflict notification, which
// MS-OXCFXICS also resolves by last writer wins).
//
// Thread safety: values; a ConflictCallback is called from the thread
// running the session.

#ifndef IOREPLICATION_CONFLICT_H_
#define IOREPLICATION_CONFLICT_H_

#include <functional>
#include <string_view>

#include "absl/status/statusor.h"
#include "ioreplication/export.h"
#include "ioreplication/item.h"
#include "ioreplication/prop_tags.h"
#include "ioreplication/property.h"
#include "ioreplication/tombstone.h"

namespace ioreplication {

enum class ConflictPolicy : uint8_t {
  kKeepBoth,        // the default: winner stays, loser kept, owners told
  kLastWriterWins,  // the later version wins; the other is dropped
  kPublisherWins,   // the session publisher's version wins
  kCallback,        // the session's ConflictCallback decides
};

// "keep_both", "last_writer_wins", "publisher_wins", "callback".
IOREPL_EXPORT std::string_view ConflictPolicyName(ConflictPolicy policy);

// Properties the resolution sets.
inline constexpr PropTag kPropResolveMethod(0x3FE7, PropType::kInt32);
inline constexpr PropTag kPropInConflict(0x666C, PropType::kBoolean);
inline constexpr PropTag kPropConflictEntryId(0x3FF0, PropType::kBinary);
// (kPropSubject, which notices are titled by, is in prop_tags.h.)
// PidTagResolveMethod values.
inline constexpr int32_t kResolveDefault = 0;
inline constexpr int32_t kResolveLastWriterWins = 1;
inline constexpr int32_t kResolveNoConflictNotification = 2;

// One side of a conflict: an item version, or a deletion (item == nullptr).
struct ConflictSide {
  const Item* item = nullptr;
  const Tombstone* tombstone = nullptr;
  // True for the version held by the session's publisher store.
  bool from_publisher = false;
};

struct ConflictContext {
  ConflictSide local;     // what the destination holds
  ConflictSide incoming;  // what arrived from the source
};

struct ConflictChoice {
  // True: the incoming side wins; false: the local side wins.
  bool incoming_wins = false;
  // Keep the losing item version as a conflict item and post a notice.
  bool keep_loser = false;
};

// The host's policy. It must be deterministic (a function of the two sides
// only, not of which one is local), or replicas will not converge. An error
// counts as a Message Error and the change is retried on the next run.
using ConflictCallback =
    std::function<absl::StatusOr<ConflictChoice>(const ConflictContext&)>;

}  // namespace ioreplication

#endif  // IOREPLICATION_CONFLICT_H_
