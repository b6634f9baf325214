// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Replica groups: any number of writable replicas of some folders, kept
// alike by replication messages over a transport that may lose, duplicate,
// delay and reorder them (mail, a spool directory; the public folder
// replication agent's model). docs/replication-messages.md has the protocol.
//
// Each member runs a GroupMember over its own store only. A tick:
//   1. receives what arrived and applies it: versions by PCL (conflicts by
//      the group's policy, as in sessions), whole messages in store
//      transactions of about batch_size versions, idempotently (a duplicate
//      or an old message changes nothing); a version whose parent folder has
//      not arrived is parked and applied when the parent comes;
//   2. sends the member's own changes (those not written by applying a
//      message) to every peer, in messages of at most max_message_bytes;
//   3. answers backfill and status requests;
//   4. compares what peers reported seeing (their CNSETs, carried by every
//      message) with its own, and after backfill_delay asks a peer that has
//      the missing change keys for them, retrying with backoff on another
//      peer, raising an alarm after backfill_give_up;
//   5. broadcasts its status every status_interval.
// Timers read the injected clock only; the member never sleeps.
//
// Trust: a message is applied only when its frame names a configured member
// and its tag checks with that member's key (HMAC-SHA256 with a key the
// group shares, or an Ed25519 signature checked with the member's public
// key, as its GroupMemberConfig says; a member configured with a public key
// is never accepted by a shared key); anything else (unknown sender, bad
// tag, malformed, too large, another group, not addressed to this member)
// is dropped, counted and logged. A backfill answer may mark change keys as
// seen without carrying them (versions that were replaced since) only for
// keys this member asked that peer for.
//
// Thread safety: one thread at a time, like the Store it uses.

#ifndef IOREPLICATION_REPLICA_GROUP_H_
#define IOREPLICATION_REPLICA_GROUP_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "ioreplication/clock.h"
#include "ioreplication/conflict.h"
#include "ioreplication/export.h"
#include "ioreplication/guid.h"
#include "ioreplication/idset.h"
#include "ioreplication/statistics.h"
#include "ioreplication/store.h"

namespace ioreplication {

namespace repl_internal {
class GroupMemberImpl;
}  // namespace repl_internal

// Carries messages between members. The host implements it over what it
// has (mail, files, a queue); the library has a spool directory
// (SpoolTransport, repl/spool_transport.h) and an in-memory one for tests.
class IOREPL_EXPORT Transport {
 public:
  virtual ~Transport() = default;

  // Hands `message` over for every address in `to` (at least one). OK means
  // accepted; it may still be lost. An error means nothing was accepted for
  // some address: the member sends the changes again on a later tick.
  virtual absl::Status Send(std::string_view message,
                            std::span<const std::string> to) = 0;

  // Up to `max` messages that arrived for this member and were not handed
  // out before. A message is handed out once: one the member cannot apply
  // (a crash before its transaction commits) is recovered by backfill.
  virtual absl::StatusOr<std::vector<std::string>> Receive(size_t max) = 0;
};

struct GroupMemberConfig {
  // For logs and status; unique in the group.
  std::string name;
  // The id its messages carry; unique, not null.
  Guid id;
  // Where the transport delivers its messages (a mail address, a spool
  // directory).
  std::string address;
  // How its messages are authenticated: exactly one of the two.
  //
  // `key`: the HMAC-SHA256 key its messages are tagged with (at least 16
  // bytes). Every member holds every member's key, so a member could tag as
  // another: the group is one circle of trust. Never logged.
  std::string key;
  // `public_key`: its Ed25519 public key (32 raw bytes, NewGroupSigningKeys);
  // it signs with the private half, which only it holds
  // (ReplicaGroupConfig::signing_key). Members holding only public keys
  // cannot make messages in its name.
  std::string public_key;
};

// An Ed25519 key pair for a member, 32 raw bytes each (RFC 8032).
struct GroupSigningKeys {
  std::string private_key;
  std::string public_key;
};
// A fresh key pair (OpenSSL's generator). The private key goes into that
// member's own config only (ReplicaGroupConfig::signing_key), the public key
// into every member's GroupMemberConfig for it.
IOREPL_EXPORT absl::StatusOr<GroupSigningKeys> NewGroupSigningKeys();
// The public key of `private_key`; InvalidArgumentError unless it is 32
// bytes.
IOREPL_EXPORT absl::StatusOr<std::string> GroupPublicKeyOf(
    std::string_view private_key);

struct ReplicaGroupConfig {
  std::string name;
  // Folder paths (ioreplication/folder_path.h) replicated with their
  // subtrees; each member keeps them at the same paths in its own store
  // (created at the first tick when missing). The folders themselves are
  // anchors: their own properties do not replicate, their contents do.
  std::vector<std::string> folders;
  std::vector<GroupMemberConfig> members;
  // The name of the member this process runs.
  std::string self;
  // Its Ed25519 private key (32 raw bytes) when its GroupMemberConfig has a
  // public_key (which must be this key's); empty when it uses a shared key.
  // Never logged.
  std::string signing_key;

  // A message's frame is at most this many bytes; larger batches are split.
  // A version that cannot fit a message alone is refused at its origin
  // (counted and logged).
  size_t max_message_bytes = 300 * 1024;
  // Messages read per tick.
  size_t max_receive = 1000;
  absl::Duration status_interval = absl::Minutes(5);
  // How long a missing change key may be in flight before it is asked for.
  absl::Duration backfill_delay = absl::Minutes(2);
  // Retries double their wait from backfill_delay up to this.
  absl::Duration backfill_retry_max = absl::Hours(1);
  // A change key missing this long raises an alarm (status, log).
  absl::Duration backfill_give_up = absl::Hours(24);

  ConflictPolicy policy = ConflictPolicy::kKeepBoth;
  bool replicate_permissions = false;
  size_t max_item_size = 64 << 20;
};

// InvalidArgumentError naming the first problem: no name or folders, a
// malformed or repeated folder path, fewer than two members, a repeated
// name, id or address, a null id, a member with both or neither of key and
// public_key, a short key, a public key that is not 32 bytes or that
// OpenSSL refuses, `self` not a member, a signing_key missing, malformed or
// not matching self's public key (or given where self uses a shared key), a
// message bound below 4 KiB, a non-positive interval.
IOREPL_EXPORT absl::Status ValidateGroupConfig(const ReplicaGroupConfig& config);

// What ticks did (counts only grow; Tick adds to it).
struct GroupTickStats {
  uint64_t messages_sent = 0;
  uint64_t bytes_sent = 0;
  uint64_t messages_received = 0;
  uint64_t bytes_received = 0;
  // Dropped without applying anything: unknown sender, bad tag, malformed,
  // too large, wrong group, not addressed here.
  uint64_t messages_dropped = 0;
  uint64_t backfill_requests_sent = 0;
  uint64_t backfill_answers_sent = 0;
  uint64_t status_sent = 0;
  // Versions parked for a missing parent, and parked ones applied later.
  uint64_t parked = 0;
  uint64_t unparked = 0;
  // Versions this member refused to send (too large for a message).
  uint64_t unsendable = 0;
  // What applying versions did, as a session pass counts it.
  SessionStatistics applied;
};

struct GroupPeerStatus {
  std::string name;
  Guid id;
  // Its store's replica GUID and epoch when last heard (zero: never heard).
  Guid replica;
  uint32_t epoch = 0;
  FileTime last_heard;
  // Change keys it reported seeing, and those of them this member lacks.
  uint64_t seen = 0;
  uint64_t missing_here = 0;
};

struct GroupBackfillStatus {
  Guid origin;
  uint64_t change_keys = 0;
  FileTime first_seen;
  FileTime next_try;
  uint32_t tries = 0;
  std::string source;  // member last asked
  bool alarmed = false;
};

// A version waiting for its parent folder.
struct GroupParkedStatus {
  SourceKey source_key;
  ChangeNumber change_key;
  // The folder it waits for.
  SourceKey parent;
  FileTime since;
};

struct GroupFolderStatus {
  std::string path;
  uint64_t seen = 0;  // change keys in this member's CNSET
  IdSet cnset;        // the CNSET itself
  std::vector<GroupPeerStatus> peers;
  std::vector<GroupBackfillStatus> backfill;
  uint64_t parked = 0;
  std::vector<GroupParkedStatus> parked_versions;
  uint64_t refused = 0;
};

struct GroupStatus {
  std::string group;
  std::string self;
  StoreIdentity identity;
  std::vector<GroupFolderStatus> folders;
  // Backfill entries past backfill_give_up, over all folders.
  uint64_t alarms = 0;
};

// Whether a member may leave the group without taking a change with it
// (GroupMember::LeaveReadiness).
struct GroupLeaveReadiness {
  // Every change this member made is sent, every peer's latest report holds
  // all of them, and no change of another origin is held here alone: the
  // member may be taken out of every member's configuration.
  bool ready = false;
  // Change keys of this member's own origin in its CNSETs (under its store's
  // current replica GUID and those it had before a restore).
  uint64_t originated = 0;
  // Local changes not yet handed to the transport (sent on the next tick).
  bool unsent = false;
  // Change keys of other origins that this member holds and no peer has
  // reported (their origin may have lost them, to a restore from backup):
  // leaving would take the last copy with it.
  uint64_t only_here = 0;
  struct Waiting {
    std::string peer;
    // Of `originated`, how many its latest report lacks (all of them when it
    // was never heard).
    uint64_t missing = 0;
    bool never_heard = false;
  };
  // The peers that have not confirmed yet.
  std::vector<Waiting> waiting;
};

struct GroupMemberOptions {
  // The clock every timer reads (tests drive their own); absl::Now() when
  // empty.
  std::function<FileTime()> now;
  // Log lines: drops, refusals, parked versions, alarms.
  std::function<void(std::string_view)> log;
  // When set, one line for every version applied or ignored, and for every
  // message sent and received (the detail level).
  std::function<void(std::string_view)> detail;
  // Store reads and writes per batch of own changes, and about how many
  // received versions share one transaction (whole messages: a message is
  // never split between two).
  size_t batch_size = 1000;
};

class IOREPL_EXPORT GroupMember {
 public:
  // A member over `store` (its own; it must outlive the member and be used
  // by nothing else while a call runs) sending and receiving through
  // `transport` (which must outlive it). ValidateGroupConfig's errors.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<GroupMember>> Open(
      Store* store, Transport* transport, ReplicaGroupConfig config,
      GroupMemberOptions options = {});

  GroupMember(const GroupMember&) = delete;
  GroupMember& operator=(const GroupMember&) = delete;
  ~GroupMember();

  // One round (see the file comment). A message that cannot be applied is
  // counted and dropped, not an error; an error return means the store or
  // the transport failed: what committed before it stays, and the next
  // tick goes on from there.
  absl::Status Tick();

  // Asks every peer for its status on the next tick (operator's "request
  // status"; the first tick of a member does it on its own).
  void RequestStatus();

  // Sends again, on the next tick, every version of the group's folders
  // modified within `window` of now (the original's "Send Contents"). The
  // list is written to the store at once, so it survives a restart.
  absl::Status Resend(absl::Duration window);

  // What this member knows of each folder, peer and missing range.
  absl::StatusOr<GroupStatus> Status();

  // Whether this member may leave (see GroupLeaveReadiness): a member leaves
  // only after its peers confirm they hold every change it originated,
  // since it may be the only one holding some. Reads what peers last
  // reported; RequestStatus() and a few ticks bring fresh reports. Taking a
  // member out of the configurations before it is ready loses the changes
  // its peers lack. Read-only.
  absl::StatusOr<GroupLeaveReadiness> LeaveReadiness();

  const GroupTickStats& stats() const;

 private:
  explicit GroupMember(std::unique_ptr<repl_internal::GroupMemberImpl> impl);
  std::unique_ptr<repl_internal::GroupMemberImpl> impl_;
};

}  // namespace ioreplication

#endif  // IOREPLICATION_REPLICA_GROUP_H_
