// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// OpenStore: the one entry point that maps a URI to a store implementation,
// and ValidateStoreUri, which applies the same rules without opening.

#include "absl/strings/str_cat.h"
#include "ioreplication/store.h"
#include "stores/memory_backend.h"
#include "stores/sqlite_backend.h"
#include "stores/store_uri.h"

namespace ioreplication {
namespace {

struct ParsedUri {
  std::string_view scheme;
  std::string_view rest;
};

absl::StatusOr<ParsedUri> ParseUri(std::string_view uri) {
  // Looked for before anything else, and the message shows the URI only
  // redacted, so that no message repeats the secret.
  if (stores_internal::StoreUriHoldsSecret(uri)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "store URI \"", RedactStoreUri(uri),
        "\" holds a password (user:password@ or password=); give the secret "
        "as a credential (an environment variable or a file) instead"));
  }
  const size_t colon = uri.find(':');
  if (colon == std::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("store URI \"", RedactStoreUri(uri),
                     "\" has no scheme (expected e.g. sqlite:PATH)"));
  }
  ParsedUri parsed{uri.substr(0, colon), uri.substr(colon + 1)};
  // "memory:" and "memory:NAME": the name only labels the (new, empty)
  // store, e.g. to tell two apart in a session's sync state names.
  if (parsed.scheme == "memory") return parsed;
  // "host:NAME": a store the host supplies to Session::WithStores; the URI
  // only names it (and its sync states). It cannot be opened here.
  if (parsed.scheme == "host") {
    if (parsed.rest.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("store URI \"", RedactStoreUri(uri),
                       "\": host: needs a name, e.g. host:fabrikam"));
    }
    return parsed;
  }
  if (parsed.scheme == "sqlite") {
    if (parsed.rest.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("store URI \"", RedactStoreUri(uri),
                       "\": sqlite: needs a file path, e.g. sqlite:org.db"));
    }
    return parsed;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "store URI \"", RedactStoreUri(uri), "\": unknown scheme \"",
      std::string(parsed.scheme), "\" (known: memory, sqlite, host)"));
}

}  // namespace

absl::Status ValidateStoreUri(std::string_view uri) {
  return ParseUri(uri).status();
}

bool StoreTakesCredential(std::string_view /*uri*/) {
  // None of the built-in stores authenticates; PostgreSQL will.
  return false;
}

absl::StatusOr<std::unique_ptr<Store>> OpenStore(std::string_view uri,
                                                 const StoreOptions& options) {
  absl::StatusOr<ParsedUri> parsed = ParseUri(uri);
  if (!parsed.ok()) return parsed.status();
  if (!options.credential.empty() && !StoreTakesCredential(uri)) {
    return absl::InvalidArgumentError(
        absl::StrCat("store URI \"", RedactStoreUri(uri),
                     "\": ", std::string(parsed->scheme),
                     " stores take no credential, but one was given"));
  }
  if (parsed->scheme == "memory") {
    return std::unique_ptr<Store>(stores_internal::NewMemoryStore(options));
  }
  if (parsed->scheme == "host") {
    return absl::FailedPreconditionError(absl::StrCat(
        "store URI \"", RedactStoreUri(uri),
        "\" names a store the host supplies; pass that store to the session "
        "(Session::WithStores, or iorepl_session_new in C) instead of "
        "opening it by URI"));
  }
  absl::StatusOr<std::unique_ptr<stores_internal::StoreKernel>> store =
      stores_internal::OpenSqliteStore(std::string(parsed->rest), options);
  if (!store.ok()) return store.status();
  return std::unique_ptr<Store>(std::move(*store));
}

}  // namespace ioreplication
