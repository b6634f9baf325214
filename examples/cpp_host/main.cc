// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// A C++ host: a service built with the same Abseil as the library links the
// C++ API (ioreplication::core) and drives it directly.
//
//   cpp_host_example DIR
//
// Opens two SQLite stores in DIR, lets Contoso's users write posts, runs a
// bidirectional session with a log hook, answers from Fabrikam's side, runs
// it again, and prints each pass's statistics line. Exits non-zero if a call
// fails or the posts do not arrive.

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "ioreplication/prop_tags.h"
#include "ioreplication/replica.h"
#include "ioreplication/session.h"
#include "ioreplication/store.h"

namespace {

using ioreplication::Folder;
using ioreplication::ItemContent;
using ioreplication::Replica;
using ioreplication::Session;
using ioreplication::SessionConfig;
using ioreplication::SessionStatistics;
using ioreplication::Store;

// Unwraps a StatusOr or exits with its message.
template <typename T>
T OrDie(absl::StatusOr<T> value, const char* what) {
  if (!value.ok()) {
    std::fprintf(stderr, "cpp_host_example: %s: %s\n", what,
                 value.status().ToString().c_str());
    std::exit(1);
  }
  return *std::move(value);
}

ItemContent Post(const std::string& subject, const std::string& body) {
  ItemContent content;
  content.message_class = "IPM.Post";
  content.body = body;
  if (!content.properties.Set(ioreplication::kPropSubject, subject).ok()) {
    std::exit(1);
  }
  return content;
}

// The folder `name` directly under the root of `store`.
Folder TopFolder(Store& store, const std::string& name) {
  const std::vector<Folder> roots =
      OrDie(store.ListChildFolders(std::nullopt), "list roots");
  if (roots.size() != 1) std::exit(1);
  for (Folder& f : OrDie(store.ListChildFolders(roots[0].source_key), "list")) {
    if (f.display_name == name) return std::move(f);
  }
  std::fprintf(stderr, "cpp_host_example: no folder /%s\n", name.c_str());
  std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: cpp_host_example DIR\n");
    return 2;
  }
  const std::string dir = argv[1];
  const std::string contoso_uri = absl::StrCat("sqlite:", dir, "/contoso.db");
  const std::string fabrikam_uri = absl::StrCat("sqlite:", dir, "/fabrikam.db");
  for (const char* name : {"/contoso.db", "/fabrikam.db"}) {
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::remove(absl::StrCat(dir, name, suffix).c_str());
    }
  }

  std::unique_ptr<Store> contoso =
      OrDie(ioreplication::OpenStore(contoso_uri), "open contoso");
  std::unique_ptr<Store> fabrikam =
      OrDie(ioreplication::OpenStore(fabrikam_uri), "open fabrikam");
  {
    // Local changes go through a Replica, which does the bookkeeping.
    std::unique_ptr<Replica> replica =
        OrDie(Replica::Open(contoso.get()), "replica");
    const Folder root = OrDie(replica->CreateRootFolder("Contoso"), "root");
    const Folder joint =
        OrDie(replica->CreateFolder(root.source_key, "Joint"), "folder");
    for (int i = 1; i <= 3; ++i) {
      OrDie(replica->CreateItem(joint.source_key,
                                Post(absl::StrCat("Plan ", i), "Draft.")),
            "post");
    }
    std::unique_ptr<Replica> other =
        OrDie(Replica::Open(fabrikam.get()), "replica");
    OrDie(other->CreateRootFolder("Fabrikam"), "root");
  }

  SessionConfig config;
  config.name = "Joint project";
  config.publisher = contoso_uri;
  config.subscribers = {fabrikam_uri};
  config.mappings = {
      {"/Joint", "/Joint", ioreplication::MappingDirection::kBidirectional}};
  std::unique_ptr<Session> session = OrDie(
      Session::WithStores(config, contoso.get(), {fabrikam.get()}), "session");
  ioreplication::SessionHooks hooks;
  hooks.log = [](ioreplication::LogLevel, std::string_view line) {
    std::fprintf(stderr, "log: %.*s\n", static_cast<int>(line.size()),
                 line.data());
  };
  session->set_hooks(std::move(hooks));

  const SessionStatistics first = OrDie(session->Run(), "first pass");
  std::printf("%s\n", session->StatisticsLine(first).c_str());

  // Fabrikam answers in the shared folder; the next pass brings it back.
  {
    std::unique_ptr<Replica> replica =
        OrDie(Replica::Open(fabrikam.get()), "replica");
    const Folder joint = TopFolder(*fabrikam, "Joint");
    OrDie(replica->CreateItem(joint.source_key, Post("Re: Plan 1", "Agreed.")),
          "answer");
  }
  const SessionStatistics second = OrDie(session->Run(), "second pass");
  std::printf("%s\n", session->StatisticsLine(second).c_str());

  const Folder joint = TopFolder(*contoso, "Joint");
  const std::vector<ioreplication::SourceKey> items =
      OrDie(contoso->ListItems(joint.source_key), "list");
  if (first.message_changes != 3 || second.message_changes != 1 ||
      items.size() != 4) {
    std::fprintf(stderr,
                 "cpp_host_example: expected 3 then 1 changes and 4 "
                 "posts at Contoso, got %llu, %llu and %zu\n",
                 static_cast<unsigned long long>(first.message_changes),
                 static_cast<unsigned long long>(second.message_changes),
                 items.size());
    return 1;
  }
  std::printf("Contoso's /Joint has %zu posts, Fabrikam's answer included\n",
              items.size());
  return 0;
}
