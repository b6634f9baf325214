// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Replica group blocks of a configuration file -> GroupFileConfig, and their
// secrets read.

#include "ioreplication/group_config.h"

#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "ioreplication/mail_transport.h"
#include "ioreplication/spool_transport.h"
#include "ioreplication/store.h"
#include "ioreplication/v1/config.pb.h"
#include "session/config_text.h"

namespace ioreplication {
namespace {

using session_internal::CredentialFromProto;

// Sends by mail, receives what `iorepl receive` put into a spool directory.
class MailAndSpoolTransport : public Transport {
 public:
  MailAndSpoolTransport(std::unique_ptr<Transport> mail,
                        std::unique_ptr<Transport> spool)
      : mail_(std::move(mail)), spool_(std::move(spool)) {}
  absl::Status Send(std::string_view message,
                    std::span<const std::string> to) override {
    return mail_->Send(message, to);
  }
  absl::StatusOr<std::vector<std::string>> Receive(size_t max) override {
    return spool_->Receive(max);
  }

 private:
  std::unique_ptr<Transport> mail_;
  std::unique_ptr<Transport> spool_;
};

// Stands in for a shared key while the file is checked without its secrets.
constexpr char kPlaceholderKey[] = "placeholder-key-of-16+";

absl::StatusOr<std::string> DecodeKey(std::string_view base64,
                                      std::string_view what) {
  std::string raw;
  if (!absl::Base64Unescape(absl::string_view(base64.data(), base64.size()),
                            &raw) ||
      raw.size() != 32) {
    return absl::InvalidArgumentError(
        absl::StrCat(absl::string_view(what.data(), what.size()),
                     " is not base64 of 32 bytes"));
  }
  return raw;
}

// Everything but the secrets; problems appended to `problems`.
GroupFileConfig FromProto(const v1::ReplicaGroup& p,
                          std::vector<std::string>& problems) {
  GroupFileConfig c;
  const std::string who = absl::StrCat("group '", p.name(), "': ");
  auto problem = [&](std::string what) { problems.push_back(who + what); };
  ReplicaGroupConfig& g = c.group;
  g.name = p.name();
  g.folders.assign(p.folder().begin(), p.folder().end());
  g.self = p.self();
  for (const v1::GroupMember& m : p.member()) {
    GroupMemberConfig member;
    member.name = m.name();
    member.address = m.address();
    if (absl::StatusOr<Guid> id = Guid::Parse(m.id()); id.ok()) {
      member.id = *id;
    } else {
      problem(absl::StrCat("member '", m.name(), "': id \"", m.id(),
                           "\" is not a GUID"));
    }
    const CredentialSource key = CredentialFromProto(m.key());
    if (!m.public_key().empty()) {
      absl::StatusOr<std::string> pub = DecodeKey(
          m.public_key(), absl::StrCat("member '", m.name(), "': public_key"));
      if (pub.ok()) {
        member.public_key = *std::move(pub);
      } else {
        problem(std::string(pub.status().message()));
      }
      if (!key.empty()) {
        problem(absl::StrCat("member '", m.name(),
                             "' has both a key and a public_key"));
      }
    } else if (key.empty()) {
      problem(absl::StrCat("member '", m.name(),
                           "' has neither a key nor a public_key"));
    }
    c.member_keys.push_back(key);
    g.members.push_back(std::move(member));
  }
  c.signing_key = CredentialFromProto(p.signing_key());
  c.store = p.store();
  if (c.store.empty()) {
    problem("no store");
  } else if (absl::Status s = ValidateStoreUri(c.store); !s.ok()) {
    problem(absl::StrCat("store: ", s.message()));
  }
  const v1::GroupTransport& t = p.transport();
  switch (t.kind_case()) {
    case v1::GroupTransport::kSpoolDirectory:
      c.transport.spool_directory = t.spool_directory();
      if (c.transport.spool_directory.empty()) problem("an empty spool_directory");
      break;
    case v1::GroupTransport::kMail:
      c.transport.mail = true;
      c.transport.sendmail.assign(t.mail().sendmail().begin(),
                                  t.mail().sendmail().end());
      c.transport.maildir = t.mail().maildir();
      c.transport.receive_spool = t.mail().receive_spool();
      if (c.transport.maildir.empty() && c.transport.receive_spool.empty()) {
        problem("mail transport: neither a maildir nor a receive_spool");
      }
      break;
    default:
      problem("no transport (spool_directory or mail)");
  }
  if (p.has_tick_seconds()) {
    if (p.tick_seconds() == 0) problem("tick_seconds is 0");
    c.tick = absl::Seconds(p.tick_seconds());
  }
  if (p.has_max_message_bytes()) g.max_message_bytes = p.max_message_bytes();
  if (p.has_status_interval_seconds()) {
    g.status_interval = absl::Seconds(p.status_interval_seconds());
  }
  if (p.has_backfill_delay_seconds()) {
    g.backfill_delay = absl::Seconds(p.backfill_delay_seconds());
  }
  if (p.has_backfill_give_up_seconds()) {
    g.backfill_give_up = absl::Seconds(p.backfill_give_up_seconds());
  }
  g.policy = session_internal::PolicyFromProto(p.conflict_policy());
  g.replicate_permissions = p.replicate_permissions();
  c.logging = session_internal::LoggingFromProto(p.logging());
  return c;
}

// ValidateGroupConfig on a copy whose secrets are stand-ins.
absl::Status ValidateWithoutSecrets(const GroupFileConfig& c) {
  ReplicaGroupConfig g = c.group;
  for (size_t i = 0; i < g.members.size(); ++i) {
    GroupMemberConfig& m = g.members[i];
    if (m.public_key.empty() && !c.member_keys[i].empty()) m.key = kPlaceholderKey;
    if (m.name == g.self && !m.public_key.empty()) {
      if (c.signing_key.empty()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "self '", m.name, "' has a public_key but no signing_key"));
      }
      // The signing key is checked against it once read.
      m.public_key.clear();
      m.key = kPlaceholderKey;
    }
  }
  return ValidateGroupConfig(g);
}

}  // namespace

absl::StatusOr<std::vector<GroupFileConfig>> ParseGroupConfigs(
    std::string_view text) {
  v1::Config proto;
  if (absl::Status s = session_internal::ParseConfigText(text, &proto); !s.ok()) {
    return s;
  }
  std::vector<GroupFileConfig> groups;
  std::vector<std::string> problems;
  absl::flat_hash_set<std::string> names;
  for (const v1::ReplicaGroup& p : proto.group()) {
    const size_t before = problems.size();
    GroupFileConfig c = FromProto(p, problems);
    if (problems.size() == before) {
      if (absl::Status s = ValidateWithoutSecrets(c); !s.ok()) {
        problems.push_back(absl::StrCat("group '", p.name(), "': ", s.message()));
      }
    }
    if (!p.name().empty() && !names.insert(p.name()).second) {
      problems.push_back(absl::StrCat("group '", p.name(), "' is defined twice"));
    }
    groups.push_back(std::move(c));
  }
  if (!problems.empty()) {
    return absl::InvalidArgumentError(absl::StrJoin(problems, "\n"));
  }
  return groups;
}

absl::StatusOr<ReplicaGroupConfig> ResolveGroupConfig(
    const GroupFileConfig& config) {
  ReplicaGroupConfig g = config.group;
  const std::string who = absl::StrCat("group '", g.name, "': ");
  for (size_t i = 0; i < g.members.size() && i < config.member_keys.size(); ++i) {
    GroupMemberConfig& m = g.members[i];
    if (!m.public_key.empty()) continue;
    absl::StatusOr<std::string> key = ResolveCredential(config.member_keys[i]);
    if (!key.ok()) {
      return absl::Status(key.status().code(),
                          absl::StrCat(who, "the key of member '", m.name,
                                       "': ", key.status().message()));
    }
    m.key = *std::move(key);
  }
  if (!config.signing_key.empty()) {
    absl::StatusOr<std::string> text = ResolveCredential(config.signing_key);
    if (!text.ok()) {
      return absl::Status(text.status().code(),
                          absl::StrCat(who, "signing_key: ", text.status().message()));
    }
    absl::StatusOr<std::string> raw = DecodeKey(*text, "the signing key");
    if (!raw.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(who, raw.status().message()));
    }
    g.signing_key = *std::move(raw);
  }
  if (absl::Status s = ValidateGroupConfig(g); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(who, s.message()));
  }
  return g;
}

absl::StatusOr<std::unique_ptr<Transport>> OpenGroupTransport(
    const GroupFileConfig& config, std::function<void(std::string_view)> log) {
  const size_t max = config.group.max_message_bytes;
  if (!config.transport.mail) {
    return NewSpoolTransport(config.transport.spool_directory, max);
  }
  MailTransportOptions mail;
  for (const GroupMemberConfig& m : config.group.members) {
    if (m.name == config.group.self) mail.own_address = m.address;
  }
  if (!config.transport.sendmail.empty()) mail.sendmail = config.transport.sendmail;
  mail.maildir = config.transport.maildir;
  mail.max_message_bytes = max;
  mail.log = log;
  absl::StatusOr<std::unique_ptr<Transport>> sender = NewMailTransport(mail);
  if (!sender.ok() || config.transport.receive_spool.empty()) return sender;
  absl::StatusOr<std::unique_ptr<Transport>> spool =
      NewSpoolTransport(config.transport.receive_spool, max);
  if (!spool.ok()) return spool.status();
  return std::unique_ptr<Transport>(
      new MailAndSpoolTransport(*std::move(sender), *std::move(spool)));
}

}  // namespace ioreplication
