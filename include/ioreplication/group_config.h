// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Replica groups in a configuration file: the `group { ... }` blocks of
// proto/ioreplication/v1/config.proto (message ReplicaGroup), as one member
// runs them. Secrets never stand in the file: shared keys and the signing
// key come from environment variables or files (CredentialSource) and are
// read only by ResolveGroupConfig.
//
// Example block (docs/replication-messages.md has the whole story):
//
//   group {
//     name: "contoso-fabrikam"
//     folder: "/Shared"
//     store: "sqlite:contoso.db"
//     self: "contoso"
//     signing_key { file: "contoso.key" }
//     transport { spool_directory: "/var/spool/iorepl/contoso" }
//     member { name: "contoso" id: "{...}" address: "/var/spool/iorepl/contoso"
//              public_key: "q5Yc...=" }
//     member { name: "fabrikam" id: "{...}" address: "/var/spool/iorepl/fabrikam"
//              public_key: "hW0N...=" }
//   }

#ifndef IOREPLICATION_GROUP_CONFIG_H_
#define IOREPLICATION_GROUP_CONFIG_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "ioreplication/export.h"
#include "ioreplication/replica_group.h"
#include "ioreplication/session_config.h"

namespace ioreplication {

// How a member's messages travel (one of the two).
struct GroupTransportConfig {
  // A spool directory of this member's (SpoolTransport): peers' addresses
  // are their spool directories.
  std::string spool_directory;
  // Or mail: sent through this sendmail-compatible command (empty: the
  // library's default), received from a Maildir the MTA delivers to, or from
  // a spool directory that `iorepl receive --spool` fills.
  bool mail = false;
  std::vector<std::string> sendmail;
  std::string maildir;
  std::string receive_spool;
};

// One `group` block.
struct GroupFileConfig {
  // The group, every member's key left empty (see the sources below);
  // public keys are filled in (decoded from base64).
  ReplicaGroupConfig group;
  // This member's store URI.
  std::string store;
  // Where each member's shared key comes from, in group.members' order
  // (empty for a member with a public key).
  std::vector<CredentialSource> member_keys;
  // Where self's Ed25519 private key (base64 of 32 bytes) comes from.
  CredentialSource signing_key;
  GroupTransportConfig transport;
  // Between ticks under a service (`iorepl run`).
  absl::Duration tick = absl::Minutes(1);
  LoggingConfig logging;
};

// The group blocks of a configuration file's text, each checked as far as
// it can be without its secrets (ValidateGroupConfig, a store URI, a
// transport, a positive tick, GUIDs, base64 public keys of 32 bytes, a key
// source for each member without a public key and a signing key source
// when self has one), and their names unique. InvalidArgumentError with
// every problem on its own line ("group 'NAME': ..."), or the syntax error
// with line and column.
IOREPL_EXPORT absl::StatusOr<std::vector<GroupFileConfig>> ParseGroupConfigs(
    std::string_view text);

// The group with its secrets read (ResolveCredential; the signing key
// decoded from base64) and validated. NotFoundError naming the variable or
// file that is missing; InvalidArgumentError for a secret that does not fit
// (never showing the secret).
IOREPL_EXPORT absl::StatusOr<ReplicaGroupConfig> ResolveGroupConfig(
    const GroupFileConfig& config);

// The transport `config` names: a spool directory (SpoolTransport), or mail
// sent through sendmail (MailTransport) and received from its Maildir or
// from the spool directory `iorepl receive` fills. `log` hears of every
// mail or file dropped. The errors of NewSpoolTransport / NewMailTransport.
IOREPL_EXPORT absl::StatusOr<std::unique_ptr<Transport>> OpenGroupTransport(
    const GroupFileConfig& config,
    std::function<void(std::string_view)> log = nullptr);

}  // namespace ioreplication

#endif  // IOREPLICATION_GROUP_CONFIG_H_
