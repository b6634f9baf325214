// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "session/verify.h"

#include <deque>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "ioreplication/folder_path.h"

namespace ioreplication::session_internal {
namespace {

using Kind = Session::Difference::Kind;

// A folder pair to compare: the same source key on both sides (the mapped
// roots excepted), and its path below the mapped folder.
struct Pair {
  SourceKey pub;
  SourceKey sub;
  std::string path;
};

class TreeComparer {
 public:
  TreeComparer(Store& pub, Store& sub, const std::string& mapping,
               size_t subscriber, Session::VerifyReport& report,
               Resend& resend)
      : pub_(pub),
        sub_(sub),
        mapping_(mapping),
        subscriber_(subscriber),
        report_(report),
        resend_(resend) {}

  absl::Status Run(const SourceKey& pub_root, const SourceKey& sub_root) {
    std::deque<Pair> queue = {{pub_root, sub_root, ""}};
    while (!queue.empty()) {
      const Pair at = std::move(queue.front());
      queue.pop_front();
      ++report_.folders;
      if (absl::Status s = CompareItems(at); !s.ok()) return s;
      if (absl::Status s = CompareChildren(at, queue); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

 private:
  void Add(const std::string& path, bool folder, const SourceKey& key,
           Kind kind, std::string detail) {
    report_.differences.push_back(
        {mapping_, subscriber_, path, folder, key, kind, std::move(detail)});
    // Both sides send what they hold of the object again: a version, or
    // the tombstone of a deletion the other side never got. The PCLs
    // decide as on any pass; a side that holds neither sends nothing.
    resend_.from_publisher.push_back(key);
    resend_.from_subscriber.push_back(key);
  }

  // An object one side lacks in this folder: elsewhere there, or absent.
  absl::StatusOr<Kind> Absence(bool folder, bool missing_at_sub,
                               const SourceKey& key) {
    Store& other = missing_at_sub ? sub_ : pub_;
    const absl::Status found =
        folder ? other.GetFolder(key).status() : other.GetItem(key).status();
    if (found.ok()) return Kind::kDifferentPlace;
    if (!absl::IsNotFound(found)) return found;
    return missing_at_sub ? Kind::kMissingAtSubscriber
                          : Kind::kMissingAtPublisher;
  }

  absl::Status CompareItems(const Pair& at) {
    // Digests first: stores that keep them answer without reading items.
    absl::StatusOr<FolderDigest> mine_digest = pub_.GetFolderDigest(at.pub);
    if (!mine_digest.ok()) return mine_digest.status();
    absl::StatusOr<FolderDigest> theirs_digest = sub_.GetFolderDigest(at.sub);
    if (!theirs_digest.ok()) return theirs_digest.status();
    report_.items += mine_digest->items + theirs_digest->items;
    if (*mine_digest == *theirs_digest) return absl::OkStatus();
    ++report_.differing_folders;
    absl::StatusOr<std::vector<ItemVersion>> mine = pub_.ListItemVersions(at.pub);
    if (!mine.ok()) return mine.status();
    absl::StatusOr<std::vector<ItemVersion>> theirs =
        sub_.ListItemVersions(at.sub);
    if (!theirs.ok()) return theirs.status();
    // Both lists are sorted by source key: one merge finds every difference.
    size_t i = 0, j = 0;
    while (i < mine->size() || j < theirs->size()) {
      const bool take_mine =
          j == theirs->size() ||
          (i < mine->size() && (*mine)[i].source_key < (*theirs)[j].source_key);
      const bool take_theirs =
          i == mine->size() ||
          (j < theirs->size() &&
           (*theirs)[j].source_key < (*mine)[i].source_key);
      if (take_mine || take_theirs) {
        const ItemVersion& v = take_mine ? (*mine)[i++] : (*theirs)[j++];
        absl::StatusOr<Kind> kind = Absence(false, take_mine, v.source_key);
        if (!kind.ok()) return kind.status();
        // An item in another folder on the other side is reported once, in
        // the publisher's folder.
        if (*kind == Kind::kDifferentPlace && take_theirs) continue;
        Add(at.path, false, v.source_key, *kind,
            absl::StrCat(take_mine ? "publisher " : "subscriber ",
                         v.change_key.ToString()));
        continue;
      }
      const ItemVersion& a = (*mine)[i++];
      const ItemVersion& b = (*theirs)[j++];
      if (a.change_key != b.change_key) {
        Add(at.path, false, a.source_key, Kind::kDifferentVersion,
            absl::StrCat("publisher ", a.change_key.ToString(), ", subscriber ",
                         b.change_key.ToString()));
      }
    }
    return absl::OkStatus();
  }

  absl::Status CompareChildren(const Pair& at, std::deque<Pair>& queue) {
    absl::StatusOr<std::vector<Folder>> mine = pub_.ListChildFolders(at.pub);
    if (!mine.ok()) return mine.status();
    absl::StatusOr<std::vector<Folder>> theirs = sub_.ListChildFolders(at.sub);
    if (!theirs.ok()) return theirs.status();
    absl::flat_hash_map<SourceKey, const Folder*> by_key;
    for (const Folder& f : *theirs) by_key.emplace(f.source_key, &f);
    for (const Folder& f : *mine) {
      const std::string path =
          ChildFolderPath(at.path.empty() ? "/" : at.path, f.display_name);
      auto it = by_key.find(f.source_key);
      if (it == by_key.end()) {
        absl::StatusOr<Kind> kind = Absence(true, true, f.source_key);
        if (!kind.ok()) return kind.status();
        Add(path, true, f.source_key, *kind,
            absl::StrCat("publisher ", f.change_key.ToString()));
        continue;
      }
      const Folder& other = *it->second;
      if (other.change_key != f.change_key ||
          other.display_name != f.display_name) {
        Add(path, true, f.source_key, Kind::kDifferentVersion,
            absl::StrCat("publisher ", f.change_key.ToString(), " \"",
                         f.display_name, "\", subscriber ",
                         other.change_key.ToString(), " \"",
                         other.display_name, "\""));
      }
      by_key.erase(it);
      queue.push_back({f.source_key, f.source_key, path});
    }
    for (const Folder& f : *theirs) {
      if (!by_key.contains(f.source_key)) continue;
      absl::StatusOr<Kind> kind = Absence(true, false, f.source_key);
      if (!kind.ok()) return kind.status();
      if (*kind == Kind::kDifferentPlace) continue;  // reported at the publisher's
      Add(ChildFolderPath(at.path.empty() ? "/" : at.path, f.display_name),
          true, f.source_key, *kind,
          absl::StrCat("subscriber ", f.change_key.ToString()));
    }
    return absl::OkStatus();
  }

  Store& pub_;
  Store& sub_;
  const std::string& mapping_;
  size_t subscriber_;
  Session::VerifyReport& report_;
  Resend& resend_;
};

}  // namespace

absl::Status CompareTrees(Store& pub, const SourceKey& pub_root, Store& sub,
                          const SourceKey& sub_root, const std::string& mapping,
                          size_t subscriber, Session::VerifyReport& report,
                          Resend& resend) {
  return TreeComparer(pub, sub, mapping, subscriber, report, resend)
      .Run(pub_root, sub_root);
}

}  // namespace ioreplication::session_internal
