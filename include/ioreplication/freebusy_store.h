// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Free/busy messages in a store, where MS-OXOPFFB puts them: under the
// "SCHEDULE+ FREE BUSY" folder (kFreeBusyRootPath), one subfolder per site
// named "EX:" plus the legacy DN's part before its first "/cn="
// ("EX:/o=Contoso/ou=First Site"), one message per user in it.
//
// Example (publishing):
//   absl::StatusOr<std::unique_ptr<FreeBusyFolder>> site =
//   FreeBusyFolder::Open(
//       store.get(), FreeBusySiteFolderPath("EX:/o=Contoso/ou=First Site"));
//   absl::Status written = (*site)->Batch([&]() -> absl::Status {
//     for (const PublishedFreeBusy& p : published) {
//       if (absl::StatusOr<Item> put = (*site)->Put(p.message); !put.ok()) {
//         return put.status();
//       }
//     }
//     return absl::OkStatus();
//   });
//
// Thread safety: FreeBusyFolder uses its store exclusively while it lives
// (one thread at a time); the free functions use the store as its contract
// says.

#ifndef IOREPLICATION_FREEBUSY_STORE_H_
#define IOREPLICATION_FREEBUSY_STORE_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "ioreplication/export.h"
#include "ioreplication/freebusy.h"
#include "ioreplication/replica.h"
#include "ioreplication/session.h"
#include "ioreplication/store.h"

namespace ioreplication {

// "EX:/o=Contoso/ou=First Site" for the DN
// "/o=Contoso/ou=First Site/cn=Recipients/cn=jdoe". InvalidArgumentError for
// a DN that does not start with '/' or has no "/cn=" after its first part.
IOREPL_EXPORT absl::StatusOr<std::string> FreeBusySiteFolderName(
    std::string_view legacy_dn);

// The path of site folder `site_name` under `root` (its '/'s escaped):
// "/NON_IPM_SUBTREE/SCHEDULE+ FREE BUSY/EX:%2Fo=Contoso%2Fou=First Site".
IOREPL_EXPORT std::string FreeBusySiteFolderPath(
    std::string_view site_name, std::string_view root = kFreeBusyRootPath);

// One site folder's messages, indexed by user, for writing.
class IOREPL_EXPORT FreeBusyFolder {
 public:
  // The folder at `path` of `store` (created with its missing ancestors when
  // absent). Reads each message in it once, to know whose it is. `store`
  // must outlive the result.
  static absl::StatusOr<std::unique_ptr<FreeBusyFolder>> Open(
      Store* store, std::string_view path);

  // Writes `message` as its user's message: replaces the content of the
  // message with the same SMTP address (ignoring case), else creates one.
  // InvalidArgumentError, and nothing written, for a message without a
  // valid SMTP address or one WriteFreeBusyProperties refuses.
  absl::StatusOr<Item> Put(const FreeBusyMessage& message);

  // Deletes the message of `smtp_address` (a tombstone replicates the
  // deletion). NotFoundError when the folder has none.
  absl::Status Remove(std::string_view smtp_address);

  // Runs `body`, in which Put and Remove join one transaction of the store
  // (Replica::Batch): writing a site's messages costs one commit instead of
  // one per user. Put's InvalidArgumentError for a bad message fails that
  // message alone. When `body` returns an error or a write fails part way,
  // everything `body` wrote is rolled back (and this object forgets it).
  absl::Status Batch(const std::function<absl::Status()>& body);

  const Folder& folder() const { return folder_; }
  // Users with a message here.
  size_t size() const { return by_address_.size(); }

 private:
  FreeBusyFolder(Store* store, std::unique_ptr<Replica> replica, Folder folder)
      : store_(store),
        replica_(std::move(replica)),
        folder_(std::move(folder)) {}

  Store* store_;
  std::unique_ptr<Replica> replica_;
  Folder folder_;
  absl::flat_hash_map<std::string, SourceKey> by_address_;  // SmtpAddressKey
};

// A message found in a free/busy tree.
struct StoredFreeBusy {
  std::string folder_path;  // the site folder's path
  SourceKey key;
  // PidTagSmtpAddress as stored (empty when absent), known even when the
  // message does not decode.
  std::string smtp_address;
  // The decoded message, or why it could not be read (DataLossError).
  absl::StatusOr<FreeBusyMessage> message;
};

// Every item of class kFreeBusyMessageClass in the tree at `root_path`
// (subfolders included), in folder then store order. NotFoundError naming
// the path when the store has no such folder.
IOREPL_EXPORT absl::StatusOr<std::vector<StoredFreeBusy>> ListFreeBusyMessages(
    Store& store, std::string_view root_path = kFreeBusyRootPath);

// The message whose PidTagSmtpAddress is `smtp_address` (ignoring case) in
// the tree at `root_path`; only that message is decoded, and its `message`
// holds the DataLossError when it does not decode. NotFoundError when there
// is none; the first one when several sites hold one.
IOREPL_EXPORT absl::StatusOr<StoredFreeBusy> FindFreeBusyMessage(
    Store& store, std::string_view smtp_address,
    std::string_view root_path = kFreeBusyRootPath);

}  // namespace ioreplication

#endif  // IOREPLICATION_FREEBUSY_STORE_H_
