// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// RedactStoreUri, the one function every message that shows a store URI
// goes through, and CanonicalStoreUri, which tells two spellings of one
// store apart from two stores.

#include "stores/store_uri.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

#include "absl/strings/ascii.h"
#include "ioreplication/store.h"

namespace ioreplication {
namespace {

constexpr std::string_view kMask = "***";

// Query or connection-string keys whose values are secrets, compared
// without case. "pass" and "pwd" are the ODBC and MySQL spellings.
constexpr std::array<std::string_view, 9> kSecretKeys = {
    "password", "passwd", "pwd",         "pass",   "secret",
    "token",    "apikey", "sslpassword", "api_key"};

bool IsSecretKey(std::string_view key) {
  for (std::string_view secret : kSecretKeys) {
    if (key.size() == secret.size() &&
        std::equal(key.begin(), key.end(), secret.begin(), [](char a, char b) {
          return absl::ascii_tolower(static_cast<unsigned char>(a)) == b;
        })) {
      return true;
    }
  }
  return false;
}

// What ends a key=value pair's value: URI queries ("?a=1&b=2"), libpq
// connection strings ("host=db password=x"), ODBC ones ("Uid=u;Pwd=x").
bool EndsValue(char c) {
  return c == '&' || c == ';' || c == ' ' || c == '\t' || c == '#';
}

// What may come right before a key: the above, and the scheme's ':' or a
// path's '/' ("pg:password=x", "pg://db/pf?password=x").
bool StartsKey(char c) {
  return EndsValue(c) || c == '?' || c == ':' || c == '/';
}

// "user:secret@" after the scheme, with or without "//": everything between
// the user's ':' and the last '@' before the query. The user part has no
// '/', so a file path with ':' and '@' in it is not taken for one; the
// secret may hold anything ('/', ':', '@').
void MaskUserinfo(std::string& uri) {
  const size_t scheme_end = uri.find(':');
  if (scheme_end == std::string::npos) return;
  size_t authority = scheme_end + 1;
  if (uri.compare(authority, 2, "//") == 0) authority += 2;
  const size_t query = std::min(uri.find_first_of("?#", authority), uri.size());
  if (query == authority) return;
  const size_t at = uri.rfind('@', query - 1);
  if (at == std::string::npos || at < authority) return;
  const size_t colon = uri.find(':', authority);
  if (colon == std::string::npos || colon > at) return;
  if (uri.substr(authority, colon - authority).find('/') != std::string::npos) {
    return;
  }
  uri.replace(colon + 1, at - colon - 1, kMask);
}

void MaskSecretPairs(std::string& uri) {
  size_t key = 0;
  while (key < uri.size()) {
    size_t key_end = key;
    while (key_end < uri.size() && uri[key_end] != '=' &&
           !StartsKey(uri[key_end])) {
      ++key_end;
    }
    if (key_end == uri.size() || uri[key_end] != '=') {
      key = key_end + 1;
      continue;
    }
    size_t value_end = key_end + 1;
    while (value_end < uri.size() && !EndsValue(uri[value_end])) ++value_end;
    if (value_end > key_end + 1 &&
        IsSecretKey(std::string_view(uri).substr(key, key_end - key))) {
      uri.replace(key_end + 1, value_end - key_end - 1, kMask);
      value_end = key_end + 1 + kMask.size();
    }
    key = value_end + 1;
  }
}

}  // namespace

std::string RedactStoreUri(std::string_view uri) {
  std::string out(uri);
  MaskUserinfo(out);
  MaskSecretPairs(out);
  return out;
}

namespace stores_internal {

bool StoreUriHoldsSecret(std::string_view uri) {
  return RedactStoreUri(uri) != uri;
}

std::string CanonicalStoreUri(std::string_view uri) {
  constexpr std::string_view kSqlite = "sqlite:";
  if (!uri.starts_with(kSqlite) || uri.size() == kSqlite.size()) {
    return std::string(uri);
  }
  std::error_code error;
  const std::filesystem::path path(uri.substr(kSqlite.size()));
  const std::filesystem::path absolute = std::filesystem::absolute(path, error);
  if (error) return std::string(uri);
  const std::filesystem::path canonical =
      std::filesystem::weakly_canonical(absolute, error);
  if (error) return "sqlite:" + absolute.lexically_normal().string();
  return "sqlite:" + canonical.string();
}

}  // namespace stores_internal
}  // namespace ioreplication
