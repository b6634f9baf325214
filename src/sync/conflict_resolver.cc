// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "sync/conflict_resolver.h"

#include <array>
#include <cstring>

#include "openssl/sha.h"

#include "absl/strings/str_cat.h"

namespace ioreplication::sync_internal {
namespace {

// Derived keys: SHA-256 of a label, the tag and the GUID, cut to a GUID
// whose version nibble is 5, so a derived GUID never equals a random
// (version 4) replica GUID, and the tags keep the kinds apart. Deriving
// again (a successor's successor) gives a new GUID each time: the bit flips
// used before gave back the original on the second derivation, a version
// whose change key every CNSET already held, so no member ever fetched it.
Guid Derive(const Guid& guid, uint8_t tag) {
  static constexpr char kLabel[] = "ioreplication derived key";
  uint8_t input[sizeof(kLabel) + 1 + Guid::kSize];
  std::memcpy(input, kLabel, sizeof(kLabel));
  input[sizeof(kLabel)] = tag;
  std::memcpy(input + sizeof(kLabel) + 1, guid.bytes().data(), Guid::kSize);
  uint8_t digest[SHA256_DIGEST_LENGTH];
  SHA256(input, sizeof(input), digest);
  std::array<uint8_t, Guid::kSize> bytes;
  std::memcpy(bytes.data(), digest, Guid::kSize);
  bytes[7] = static_cast<uint8_t>((bytes[7] & 0x0F) | 0x50);  // version 5
  return Guid::FromBytes(bytes);
}

constexpr uint8_t kConflictItemTag = 0xC1;
constexpr uint8_t kNoticeTag = 0xC2;
constexpr uint8_t kRelocatedTag = 0xC3;
constexpr uint8_t kRenamedTag = 0xC4;
constexpr uint8_t kSurvivorTag = 0xC5;

// The loser's new version for a tree conflict (see RelocatedFolder).
Folder SuccessorOf(const Folder& loser, uint8_t tag) {
  Folder next = loser;
  next.change_key = ChangeNumber(Derive(loser.change_key.replica(), tag),
                                 loser.change_key.counter());
  (void)next.pcl.Raise(next.change_key);
  next.last_modified = FileTime::FromTicks(loser.last_modified.ticks() + 1);
  return next;
}

FileTime TimeOf(const ConflictSide& side) {
  return side.item ? side.item->last_modified : side.tombstone->deleted_at;
}

const ChangeNumber& CnOf(const ConflictSide& side) {
  return side.item ? side.item->change_key : side.tombstone->deletion_cn;
}

const Pcl& PclOf(const ConflictSide& side) {
  return side.item ? side.item->pcl : side.tombstone->pcl;
}

std::string SubjectOf(const Item& item) {
  const PropValue* v = item.properties.Get(kPropSubject);
  if (v != nullptr) {
    if (const auto* s = std::get_if<std::string>(v)) return *s;
  }
  return "(no subject)";
}

// The notice depends on the losing version alone (and the item's source key,
// which is the same on every side), so every replica that sees this version
// lose, against whichever winner, posts the same notice.
Item MakeNotice(const ConflictSide& loser, const SourceKey& linked) {
  const ChangeNumber& loser_cn = CnOf(loser);
  Item n;
  n.source_key = ConflictNoticeKey(loser_cn);
  n.folder = loser.item ? loser.item->folder : loser.tombstone->parent;
  n.change_key = ChangeNumber(n.source_key.replica(), n.source_key.counter());
  (void)n.pcl.Raise(n.change_key);
  n.last_modified = TimeOf(loser);
  n.message_class = "IPM.Conflict.Message";
  const std::string when = absl::StrCat("(change ", loser_cn.ToString(),
                                        ", time ", TimeOf(loser).ticks(), ")");
  if (loser.item != nullptr) {
    (void)n.properties.Set(kPropSubject,
                           absl::StrCat("Conflict: ", SubjectOf(*loser.item)));
    n.body = absl::StrCat(
        "Two organizations changed the item \"", SubjectOf(*loser.item),
        "\" without seeing each other's change. The version ", when,
        " lost and is kept as a conflict item in this folder.");
  } else {
    (void)n.properties.Set(kPropSubject,
                           "Conflict: a deleted item was edited elsewhere");
    n.body = absl::StrCat("An item deleted here ", when,
                          " was edited at another organization at the same "
                          "time. The edit was kept.");
  }
  (void)n.properties.Set(kPropConflictEntryId, Bytes{linked.Encode()});
  return n;
}

}  // namespace

ChangeNumber SurvivorChangeKey(const ChangeNumber& edit) {
  return ChangeNumber(Derive(edit.replica(), kSurvivorTag), edit.counter());
}

SourceKey ConflictItemKey(const ChangeNumber& loser) {
  return SourceKey(Derive(loser.replica(), kConflictItemTag), loser.counter());
}

SourceKey ConflictNoticeKey(const ChangeNumber& loser) {
  // From the conflict item's key (whether or not there is one), so that a
  // conflict item leads to its notice (NoticeKeyOfConflictItem).
  return NoticeKeyOfConflictItem(ConflictItemKey(loser));
}

SourceKey NoticeKeyOfConflictItem(const SourceKey& conflict_item) {
  return SourceKey(Derive(conflict_item.replica(), kNoticeTag),
                   conflict_item.counter());
}

ConflictPolicy EffectivePolicy(const Folder& folder,
                               ConflictPolicy session_policy) {
  const PropValue* method = folder.properties.Get(kPropResolveMethod);
  if (method != nullptr) {
    if (const auto* v = std::get_if<int32_t>(method)) {
      if (*v == kResolveLastWriterWins ||
          *v == kResolveNoConflictNotification) {
        return ConflictPolicy::kLastWriterWins;
      }
    }
  }
  return session_policy;
}

bool LaterWriter(FileTime a_time, const ChangeNumber& a_cn, FileTime b_time,
                 const ChangeNumber& b_cn) {
  if (a_time != b_time) return a_time > b_time;
  return a_cn > b_cn;
}

absl::StatusOr<Resolution> ResolveItemConflict(
    const ConflictContext& context, ConflictPolicy policy,
    const ConflictCallback& callback) {
  const ConflictSide& local = context.local;
  const ConflictSide& incoming = context.incoming;
  const bool incoming_later =
      LaterWriter(TimeOf(incoming), CnOf(incoming), TimeOf(local), CnOf(local));
  Resolution r;
  bool keep_loser = false;
  switch (policy) {
    case ConflictPolicy::kKeepBoth:
      // An edit always survives a deletion; between two edits the later
      // writer stays the item.
      if (local.item == nullptr || incoming.item == nullptr) {
        r.incoming_wins = incoming.item != nullptr;
      } else {
        r.incoming_wins = incoming_later;
      }
      keep_loser = true;
      break;
    case ConflictPolicy::kLastWriterWins:
      r.incoming_wins = incoming_later;
      break;
    case ConflictPolicy::kPublisherWins:
      r.incoming_wins = incoming.from_publisher == local.from_publisher
                            ? incoming_later
                            : incoming.from_publisher;
      break;
    case ConflictPolicy::kCallback: {
      if (!callback) {
        return absl::FailedPreconditionError(
            "conflict policy is callback but no callback is set");
      }
      absl::StatusOr<ConflictChoice> choice = callback(context);
      if (!choice.ok()) {
        return absl::Status(
            choice.status().code(),
            absl::StrCat("conflict callback: ", choice.status().message()));
      }
      r.incoming_wins = choice->incoming_wins;
      keep_loser = choice->keep_loser;
      break;
    }
  }
  const ConflictSide& winner = r.incoming_wins ? incoming : local;
  const ConflictSide& loser = r.incoming_wins ? local : incoming;
  Pcl merged = PclOf(winner);
  if (absl::Status s = merged.MergeFrom(PclOf(loser)); !s.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("conflicting PCLs cannot be merged: ", s.message()));
  }
  // Each side is already placed at the destination (the incoming side's
  // folder mapped): the winner stays where it is.
  SourceKey linked;
  if (winner.item != nullptr) {
    Item item = *winner.item;
    item.pcl = merged;
    if (loser.tombstone != nullptr) {
      item.change_key = SurvivorChangeKey(item.change_key);
      // Later than the edit it succeeds, so that where the two meet as a
      // conflict the survivor is the later writer everywhere.
      item.last_modified = FileTime::FromTicks(item.last_modified.ticks() + 1);
      if (absl::Status s = item.pcl.Raise(item.change_key); !s.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("conflicting PCLs cannot be merged: ", s.message()));
      }
    }
    linked = item.source_key;
    r.result = std::move(item);
  } else {
    Tombstone t = *winner.tombstone;
    t.pcl = merged;
    // The deletion took in the version it won against, so it was last in
    // that version's folder: a source sends a deletion whose folder is in
    // its tree, and that version's folder is where other replicas hold it.
    if (loser.item != nullptr) t.parent = loser.item->folder;
    r.result = std::move(t);
  }
  if (keep_loser) {
    if (loser.item != nullptr && winner.item != nullptr) {
      // Beside where the losing version was, whatever it lost to.
      Item kept = *loser.item;
      kept.source_key = ConflictItemKey(loser.item->change_key);
      // A new object with a version of its own, the same at every replica
      // that keeps this loser: its change number is derived from its source
      // key (a GUID no replica has), so that replicas that never met the
      // conflict themselves can tell they lack it (a replica group's CNSET).
      kept.change_key =
          ChangeNumber(kept.source_key.replica(), kept.source_key.counter());
      kept.pcl = Pcl();
      (void)kept.pcl.Raise(kept.change_key);
      (void)kept.properties.Set(kPropInConflict, true);
      (void)kept.properties.Set(kPropConflictEntryId,
                                Bytes{winner.item->source_key.Encode()});
      linked = kept.source_key;
      r.conflict_item = std::move(kept);
    }
    r.notice = MakeNotice(loser, linked);
  }
  return r;
}

Folder RelocatedFolder(const Folder& loser, const SourceKey& parent) {
  Folder next = SuccessorOf(loser, kRelocatedTag);
  next.parent = parent;
  return next;
}

Folder RenamedFolder(const Folder& loser) {
  Folder next = SuccessorOf(loser, kRenamedTag);
  const std::string suffix =
      absl::StrCat(" (", loser.source_key.replica().ToString().substr(1, 8),
                   "-", loser.source_key.counter().value(), ")");
  // Whole code points of the name, as many as fit beside the suffix.
  const size_t room = kMaxFolderNameLength - suffix.size();
  size_t end = 0;
  for (size_t points = 0; end < next.display_name.size(); ++points) {
    if (points == room) break;
    ++end;
    while (end < next.display_name.size() &&
           (static_cast<unsigned char>(next.display_name[end]) & 0xC0) ==
               0x80) {
      ++end;
    }
  }
  next.display_name = next.display_name.substr(0, end) + suffix;
  return next;
}

absl::StatusOr<Folder> ResolveFolderConflict(const Folder& local,
                                             const Folder& incoming) {
  const bool incoming_wins =
      LaterWriter(incoming.last_modified, incoming.change_key,
                  local.last_modified, local.change_key);
  Folder result = incoming_wins ? incoming : local;
  if (absl::Status s =
          result.pcl.MergeFrom(incoming_wins ? local.pcl : incoming.pcl);
      !s.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("conflicting PCLs cannot be merged: ", s.message()));
  }
  return result;
}

}  // namespace ioreplication::sync_internal
