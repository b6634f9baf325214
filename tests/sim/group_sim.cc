// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "sim/group_sim.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <unistd.h>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "ioreplication/folder_path.h"
#include "ioreplication/replica.h"
#include "ioreplication/replica_group.h"
#include "ioreplication/store.h"
#include "ioreplication/v1/repl.pb.h"
#include "sync/forwarding_store.h"

namespace ioreplication::sim {
namespace {

constexpr std::string_view kFolder = "/Shared";

absl::Time Epoch() { return absl::FromUnixSeconds(1790000000); }

// A store whose writes fail while `failing` is set (a full disk).
class FaultyStore : public testing_util::ForwardingStore {
 public:
  explicit FaultyStore(Store* inner) : ForwardingStore(inner) {}
  bool failing = false;

 protected:
  absl::Status BeforeWrite() override {
    if (failing) return absl::ResourceExhaustedError("simulated: disk full");
    return absl::OkStatus();
  }
};

struct InFlight {
  std::string bytes;
  int to = 0;
  int64_t deliver_at = 0;
  uint64_t order = 0;  // random tie-break: reordering
};

class Network;

class SimTransport : public Transport {
 public:
  SimTransport(Network* net, int self) : net_(net), self_(self) {}
  absl::Status Send(std::string_view message,
                    std::span<const std::string> to) override;
  absl::StatusOr<std::vector<std::string>> Receive(size_t max) override;

 private:
  Network* net_;
  int self_;
};

class Network {
 public:
  explicit Network(std::mt19937_64& rng) : rng_(rng) {}

  double loss = 0;
  double duplication = 0;
  int max_delay = 0;
  bool faults = true;
  bool break_backfill = false;
  int64_t now = 0;
  // Member pairs that cannot reach each other (a partition).
  std::set<std::pair<int, int>> cut;
  std::map<std::string, int> address_of;
  uint64_t sent = 0, lost = 0, duplicated = 0;
  std::vector<InFlight> in_flight;

  bool Cut(int a, int b) const {
    return cut.contains({std::min(a, b), std::max(a, b)});
  }

  void Post(int from, std::string_view bytes, int to) {
    ++sent;
    if (break_backfill && IsBackfillRequest(bytes)) {
      ++lost;
      return;
    }
    if (faults && (Cut(from, to) || Chance(loss))) {
      ++lost;
      return;
    }
    int copies = 1;
    if (faults && Chance(duplication)) {
      ++copies;
      ++duplicated;
    }
    for (int c = 0; c < copies; ++c) {
      const int delay =
          faults && max_delay > 0 ? static_cast<int>(rng_() % (max_delay + 1)) : 0;
      in_flight.push_back(InFlight{std::string(bytes), to, now + delay, rng_()});
    }
  }

  std::vector<std::string> Take(int member, size_t max) {
    std::vector<InFlight> due;
    std::vector<InFlight> rest;
    for (InFlight& m : in_flight) {
      (m.to == member && m.deliver_at <= now ? due : rest).push_back(std::move(m));
    }
    // Reordered: delivered in random order, not sending order.
    std::sort(due.begin(), due.end(),
              [](const InFlight& a, const InFlight& b) { return a.order < b.order; });
    std::vector<std::string> out;
    for (InFlight& m : due) {
      if (out.size() < max) {
        out.push_back(std::move(m.bytes));
      } else {
        rest.push_back(std::move(m));
      }
    }
    in_flight = std::move(rest);
    return out;
  }

  // The body of a frame, read without checking it (the network only looks).
  static bool IsBackfillRequest(std::string_view bytes) {
    constexpr size_t kHeader = 8 + 1 + 16 + 4, kTag = 32;
    if (bytes.size() < kHeader + kTag) return false;
    v1::ReplMessage m;
    const std::string_view body = bytes.substr(kHeader, bytes.size() - kHeader - kTag);
    return m.ParseFromArray(body.data(), static_cast<int>(body.size())) &&
           m.kind() == v1::REPL_BACKFILL_REQUEST;
  }

  bool Chance(double p) {
    return std::uniform_real_distribution<double>(0, 1)(rng_) < p;
  }

 private:
  std::mt19937_64& rng_;
};

absl::Status SimTransport::Send(std::string_view message,
                                std::span<const std::string> to) {
  for (const std::string& a : to) {
    auto it = net_->address_of.find(a);
    if (it == net_->address_of.end()) return absl::NotFoundError(a);
    net_->Post(self_, message, it->second);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> SimTransport::Receive(size_t max) {
  return net_->Take(self_, max);
}

// An acknowledged local change: the object it changed and its change key.
struct Edit {
  SourceKey key;
  ChangeNumber change_key;
  int member = 0;
  std::string what;
};

struct Member {
  // The store as it would be on disk (memory, or a SQLite file for the
  // member that is restored from a backup) and the faults in front of it.
  std::unique_ptr<Store> memory;
  std::unique_ptr<FaultyStore> store;
  std::unique_ptr<SimTransport> transport;
  std::unique_ptr<Replica> replica;
  std::unique_ptr<GroupMember> group;
  bool down = false;
  // In every member's configuration (a joiner is not yet, a leaver no more).
  bool in_group = true;
  // Leaving: makes no more edits, goes once LeaveReadiness says so.
  bool draining = false;
  std::string path;  // the SQLite file, if any
  uint64_t conflicts = 0;
};

class Sim {
 public:
  explicit Sim(const SimOptions& options)
      : options_(options), rng_(options.seed), net_(rng_) {}
  ~Sim() {
    if (!dir_.empty()) {
      members_.clear();
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    }
  }

  SimResult Run();

 private:
  std::string Repro() const {
    return absl::StrCat("reproduce with IOREPL_SEED=", options_.seed,
                        options_.break_backfill ? " (backfill broken)" : "");
  }
  int Rand(int n) { return static_cast<int>(rng_() % static_cast<uint64_t>(n)); }
  FileTime NowFt() const {
    return FileTime::FromAbslTime(Epoch() + absl::Seconds(net_.now));
  }
  void Say(const std::string& line) const {
    if (options_.verbose) std::fprintf(stderr, "t=%lld %s\n",
                                       static_cast<long long>(net_.now), line.c_str());
  }
  absl::Status Start(int i);
  absl::Status OpenGroup(int i);
  absl::Status Crash(int i);
  // The group as every member's configuration has it now.
  ReplicaGroupConfig GroupConfig() const;
  // Every member running reads the configuration again (an operator edited
  // it everywhere and sent SIGHUP).
  absl::Status Reload();
  absl::Status Join(int i);
  absl::Status Leave(int i);
  absl::Status Backup(int i);
  absl::Status Restore(int i, SimResult& result);
  bool HoldsEdit(int member, const Edit& e);
  const std::string& Name(int i) const { return all_[i].name; }
  void LocalEdit(int i);
  void Record(int i, const SourceKey& key, const ChangeNumber& ck,
              const std::string& what);
  bool Quiet();
  std::string CheckConverged();
  std::string CheckNoLoss(SimResult& result);

  SimOptions options_;
  std::mt19937_64 rng_;
  Network net_;
  ReplicaGroupConfig config_;
  std::vector<GroupMemberConfig> all_;
  std::vector<Member> members_;
  std::string dir_;  // SQLite files and their backups
  size_t edits_at_backup_ = 0;
  std::vector<Edit> edits_;
  absl::flat_hash_set<ChangeNumber> issued_;
  std::string reuse_;
};

absl::Status Sim::Start(int i) {
  Member& m = members_[i];
  Say(absl::StrCat("start ", i, " in transaction ", m.store->InTransaction()));
  ReplicaOptions ro;
  ro.counter_block = 1 + static_cast<uint64_t>(Rand(8));
  ro.time_source = [this] { return Epoch() + absl::Seconds(net_.now); };
  absl::StatusOr<std::unique_ptr<Replica>> r = Replica::Open(m.store.get(), ro);
  if (!r.ok()) return r.status();
  m.replica = *std::move(r);
  if (absl::Status s = OpenGroup(i); !s.ok()) return s;
  m.down = false;
  return absl::OkStatus();
}

ReplicaGroupConfig Sim::GroupConfig() const {
  ReplicaGroupConfig c = config_;
  c.members.clear();
  for (size_t i = 0; i < members_.size(); ++i) {
    if (members_[i].in_group) c.members.push_back(all_[i]);
  }
  return c;
}

absl::Status Sim::OpenGroup(int i) {
  Member& m = members_[i];
  m.group.reset();
  ReplicaGroupConfig c = GroupConfig();
  c.self = Name(i);
  GroupMemberOptions go;
  go.now = [this] { return NowFt(); };
  go.batch_size = 1 + static_cast<size_t>(Rand(20));
  if (options_.verbose) {
    go.log = [this, i](std::string_view line) {
      Say(absl::StrCat(Name(i), ": ", std::string(line)));
    };
    go.detail = go.log;
  }
  absl::StatusOr<std::unique_ptr<GroupMember>> g =
      GroupMember::Open(m.store.get(), m.transport.get(), c, go);
  if (!g.ok()) return g.status();
  m.group = *std::move(g);
  return absl::OkStatus();
}

absl::Status Sim::Reload() {
  for (size_t i = 0; i < members_.size(); ++i) {
    Member& m = members_[i];
    if (!m.in_group || m.down) continue;
    if (absl::Status s = OpenGroup(static_cast<int>(i)); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status Sim::Join(int i) {
  Say(absl::StrCat(Name(i), " joins"));
  members_[i].in_group = true;
  // It starts (with its empty store) when the tick loop brings it up.
  return Reload();
}

absl::Status Sim::Leave(int i) {
  Say(absl::StrCat(Name(i), " leaves"));
  Member& m = members_[i];
  m.group.reset();
  m.replica.reset();
  m.in_group = false;
  m.draining = false;
  return Reload();
}

// A copy of the member's SQLite file between two transactions (what a
// backup of a store at rest is). WAL mode: the log goes with the file.
absl::Status Sim::Backup(int i) {
  const Member& m = members_[i];
  Say(absl::StrCat(Name(i), " backed up"));
  std::error_code ec;
  for (const char* suffix : {"", "-wal"}) {
    const std::string from = m.path + suffix;
    const std::string to = from + ".bak";
    std::filesystem::remove(to, ec);
    if (std::filesystem::exists(from)) {
      std::filesystem::copy_file(from, to, ec);
      if (ec) return absl::InternalError(absl::StrCat("backup: ", ec.message()));
    }
  }
  edits_at_backup_ = edits_.size();
  return absl::OkStatus();
}

bool Sim::HoldsEdit(int member, const Edit& e) {
  Store& s = *members_[member].store;
  auto pcl_includes = [&e](const Pcl& pcl) {
    const Xid* x = pcl.Find(e.change_key.replica());
    return x != nullptr && x->local_id() >= e.change_key.counter().value();
  };
  if (absl::StatusOr<Item> it = s.GetItem(e.key); it.ok()) return pcl_includes(it->pcl);
  if (absl::StatusOr<Folder> f = s.GetFolder(e.key); f.ok()) return pcl_includes(f->pcl);
  if (absl::StatusOr<Tombstone> t = s.GetTombstone(e.key); t.ok()) {
    return pcl_includes(t->pcl);
  }
  return false;
}

// The member's store replaced by its backup; the operator marks it
// restored (a new replica GUID and epoch) before it runs again.
absl::Status Sim::Restore(int i, SimResult& result) {
  Member& m = members_[i];
  Say(absl::StrCat(Name(i), " restored from its backup"));
  if (!m.down) (void)Crash(i);
  m.store.reset();
  m.memory.reset();
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(m.path + suffix, ec);
  }
  for (const char* suffix : {"", "-wal"}) {
    const std::string from = m.path + suffix + ".bak";
    if (!std::filesystem::exists(from)) continue;
    std::filesystem::copy_file(from, m.path + suffix, ec);
    if (ec) return absl::InternalError(absl::StrCat("restore: ", ec.message()));
  }
  absl::StatusOr<std::unique_ptr<Store>> opened = OpenStore("sqlite:" + m.path);
  if (!opened.ok()) return opened.status();
  m.memory = *std::move(opened);
  m.store = std::make_unique<FaultyStore>(m.memory.get());
  if (!options_.undeclared_restore) {
    absl::StatusOr<std::unique_ptr<Replica>> r = Replica::Open(m.store.get());
    if (!r.ok()) return r.status();
    if (absl::Status s = (*r)->MarkRestored(); !s.ok()) return s;
  }
  // What it made since the backup and nobody else held is gone with it.
  std::vector<Edit> kept(edits_.begin(), edits_.begin() + edits_at_backup_);
  for (size_t k = edits_at_backup_; k < edits_.size(); ++k) {
    const Edit& e = edits_[k];
    bool held = e.member != i;
    for (size_t o = 0; !held && o < members_.size(); ++o) {
      if (static_cast<int>(o) != i && members_[o].in_group &&
          HoldsEdit(static_cast<int>(o), e)) {
        held = true;
      }
    }
    if (held) {
      kept.push_back(e);
    } else {
      ++result.forgotten;
    }
  }
  edits_ = std::move(kept);
  edits_at_backup_ = edits_.size();
  ++result.restores;
  return absl::OkStatus();
}

absl::Status Sim::Crash(int i) {
  Member& m = members_[i];
  if (m.store->InTransaction()) (void)m.store->Rollback();
  m.group.reset();
  m.replica.reset();
  m.down = true;
  Say(absl::StrCat(Name(i), " crashed"));
  return absl::OkStatus();
}

void Sim::Record(int i, const SourceKey& key, const ChangeNumber& ck,
                 const std::string& what) {
  if (!issued_.insert(ck).second && reuse_.empty()) {
    reuse_ = absl::StrCat("change number ", ck.ToString(), " handed out twice (",
                          what, " at ", Name(i), ")");
  }
  edits_.push_back(Edit{key, ck, i, what});
  Say(absl::StrCat(Name(i), " ", what, " ", key.ToString(),
                   " -> ", ck.ToString()));
}

// Every folder under the group folder (with it) and every item.
struct Tree {
  std::vector<Folder> folders;  // [0] is the group folder
  std::vector<Item> items;
};

absl::StatusOr<Tree> ReadTree(Store& store) {
  Tree t;
  absl::StatusOr<std::optional<Folder>> root =
      FindFolderByPath(store, std::string(kFolder));
  if (!root.ok()) return root.status();
  if (!root->has_value()) return t;
  t.folders.push_back(**root);
  for (size_t i = 0; i < t.folders.size(); ++i) {
    absl::StatusOr<std::vector<Folder>> c =
        store.ListChildFolders(t.folders[i].source_key);
    if (!c.ok()) return c.status();
    for (Folder& f : *c) t.folders.push_back(std::move(f));
    absl::StatusOr<std::vector<SourceKey>> items =
        store.ListItems(t.folders[i].source_key);
    if (!items.ok()) return items.status();
    for (const SourceKey& k : *items) {
      absl::StatusOr<Item> item = store.GetItem(k);
      if (!item.ok()) return item.status();
      t.items.push_back(*std::move(item));
    }
  }
  return t;
}

void Sim::LocalEdit(int i) {
  Member& m = members_[i];
  if (m.down || m.draining) return;
  absl::StatusOr<Tree> tree = ReadTree(*m.store);
  if (!tree.ok() || tree->folders.empty()) return;
  Replica& r = *m.replica;
  const Folder& any = tree->folders[Rand(static_cast<int>(tree->folders.size()))];
  const int op = Rand(100);
  auto content = [&](const char* what) {
    ItemContent c;
    c.body = absl::StrCat(what, " by ", Name(i), " at ", net_.now,
                          " #", rng_() % 1000000);
    return c;
  };
  if (op < 35 || tree->items.empty()) {
    if (!options_.folder_edits) {
      absl::StatusOr<Item> item = r.CreateItem(tree->folders[0].source_key, content("created"));
      if (item.ok()) Record(i, item->source_key, item->change_key, "create item");
      return;
    }
    absl::StatusOr<Item> item = r.CreateItem(any.source_key, content("created"));
    if (item.ok()) Record(i, item->source_key, item->change_key, "create item");
  } else if (op < 60) {
    const Item& it = tree->items[Rand(static_cast<int>(tree->items.size()))];
    absl::StatusOr<Item> item = r.ModifyItem(it.source_key, content("modified"));
    if (item.ok()) Record(i, item->source_key, item->change_key, "modify item");
  } else if (op < 70) {
    const Item& it = tree->items[Rand(static_cast<int>(tree->items.size()))];
    absl::StatusOr<Item> item = r.MoveItem(it.source_key, any.source_key);
    if (item.ok()) Record(i, item->source_key, item->change_key, "move item");
  } else if (op < 80) {
    const Item& it = tree->items[Rand(static_cast<int>(tree->items.size()))];
    if (r.DeleteItem(it.source_key).ok()) {
      absl::StatusOr<Tombstone> t = m.store->GetTombstone(it.source_key);
      if (t.ok()) Record(i, it.source_key, t->deletion_cn, "delete item");
    }
  } else if (!options_.folder_edits) {
    return;
  } else if (op < 90 || tree->folders.size() < 2) {
    absl::StatusOr<Folder> f = r.CreateFolder(
        any.source_key, absl::StrCat("F", rng_() % 50));
    if (f.ok()) Record(i, f->source_key, f->change_key, "create folder");
  } else {
    const Folder& f = tree->folders[1 + Rand(static_cast<int>(tree->folders.size()) - 1)];
    const int kind = Rand(3);
    if (kind == 0) {
      absl::StatusOr<Folder> g =
          r.RenameFolder(f.source_key, absl::StrCat("F", rng_() % 50));
      if (g.ok()) Record(i, g->source_key, g->change_key, "rename folder");
    } else if (kind == 1) {
      absl::StatusOr<Folder> g = r.MoveFolder(f.source_key, any.source_key);
      if (g.ok()) Record(i, g->source_key, g->change_key, "move folder");
    } else {
      // Record the subtree's deletions.
      std::vector<SourceKey> doomed{f.source_key};
      for (size_t k = 0; k < doomed.size(); ++k) {
        absl::StatusOr<std::vector<Folder>> c = m.store->ListChildFolders(doomed[k]);
        if (c.ok()) for (const Folder& x : *c) doomed.push_back(x.source_key);
      }
      std::vector<SourceKey> items;
      for (const SourceKey& d : doomed) {
        absl::StatusOr<std::vector<SourceKey>> it = m.store->ListItems(d);
        if (it.ok()) items.insert(items.end(), it->begin(), it->end());
      }
      if (r.DeleteFolder(f.source_key).ok()) {
        doomed.insert(doomed.end(), items.begin(), items.end());
        for (const SourceKey& k : doomed) {
          absl::StatusOr<Tombstone> t = m.store->GetTombstone(k);
          if (t.ok() && k == f.source_key) {
            Record(i, k, t->deletion_cn, "delete folder");
          } else if (t.ok()) {
            // The subtree's tombstones share nothing to check beyond the
            // folder's own; they are issued numbers all the same.
            if (!issued_.insert(t->deletion_cn).second && reuse_.empty()) {
              reuse_ = absl::StrCat("change number ", t->deletion_cn.ToString(),
                                    " handed out twice");
            }
          }
        }
      }
    }
  }
}

bool Sim::Quiet() {
  // (Messages may be in flight: status goes out every interval for good.)
  // Quiet: every member has seen the same changes (the oracle's view, not
  // what members last heard from each other) and waits for nothing.
  std::optional<IdSet> first;
  for (Member& m : members_) {
    if (!m.in_group) continue;
    if (m.draining) return false;
    absl::StatusOr<GroupStatus> st = m.group->Status();
    if (!st.ok()) return false;
    for (const GroupFolderStatus& f : st->folders) {
      if (!f.backfill.empty() || f.parked > 0) return false;
      if (!first.has_value()) {
        first = f.cnset;
      } else if (!(f.cnset == *first)) {
        return false;
      }
    }
  }
  return true;
}

std::string Held(Store& ms, const SourceKey& k) {
  if (absl::StatusOr<Item> it = ms.GetItem(k); it.ok()) {
    return absl::StrCat("item at ", it->change_key.ToString(), " in ",
                        it->folder.ToString(), " pcl ", it->pcl.ToString());
  }
  if (absl::StatusOr<Folder> fo = ms.GetFolder(k); fo.ok()) {
    return absl::StrCat("folder \"", fo->display_name, "\" at ", fo->change_key.ToString(), " under ",
                        fo->parent->ToString(), " pcl ", fo->pcl.ToString());
  }
  if (absl::StatusOr<Tombstone> tb = ms.GetTombstone(k); tb.ok()) {
    return absl::StrCat("tombstone ", tb->deletion_cn.ToString(),
                        tb->scope_exit ? " (exit)" : "", " pcl ", tb->pcl.ToString());
  }
  return "nothing";
}

std::string Describe(const Folder& f, const SourceKey& root) {
  return absl::StrCat("folder ", f.source_key.ToString(), " \"", f.display_name,
                      "\" under ",
                      f.parent == root ? std::string("ROOT") : f.parent->ToString(),
                      " at ", f.change_key.ToString());
}

std::string Describe(const Item& i, const SourceKey& root) {
  return absl::StrCat("item ", i.source_key.ToString(), " in ",
                      i.folder == root ? std::string("ROOT") : i.folder.ToString(),
                      " at ", i.change_key.ToString(), " body ", i.body);
}

std::string Sim::CheckConverged() {
  std::optional<std::set<std::string>> first;
  int first_member = -1;
  for (size_t i = 0; i < members_.size(); ++i) {
    if (!members_[i].in_group) continue;
    absl::StatusOr<Tree> t = ReadTree(*members_[i].store);
    if (!t.ok()) return std::string(t.status().message());
    std::set<std::string> lines;
    const SourceKey root = t->folders[0].source_key;
    for (size_t k = 1; k < t->folders.size(); ++k) {
      lines.insert(Describe(t->folders[k], root));
    }
    for (const Item& item : t->items) lines.insert(Describe(item, root));
    if (!first.has_value()) {
      first = std::move(lines);
      first_member = static_cast<int>(i);
      continue;
    }
    if (lines != *first) {
      std::vector<std::string> only_here, only_first;
      std::set_difference(lines.begin(), lines.end(), first->begin(), first->end(),
                          std::back_inserter(only_here));
      std::set_difference(first->begin(), first->end(), lines.begin(), lines.end(),
                          std::back_inserter(only_first));
      std::string why = absl::StrCat(Name(static_cast<int>(i)), " differs from ",
                                     Name(first_member), ":");
      for (size_t k = 0; k < std::min<size_t>(only_here.size(), 5); ++k) {
        absl::StrAppend(&why, "\n  only at ", Name(static_cast<int>(i)), ": ", only_here[k]);
      }
      for (size_t k = 0; k < std::min<size_t>(only_first.size(), 5); ++k) {
        absl::StrAppend(&why, "\n  only at ", Name(first_member), ": ", only_first[k]);
      }
      // Where every member has the first differing object and its parent.
      const std::string& line = !only_here.empty() ? only_here[0] : only_first[0];
      const size_t a = line.find(' ') + 1;
      absl::StatusOr<SourceKey> key = SourceKey::Parse(line.substr(a, line.find(' ', a) - a));
      if (key.ok()) {
        for (size_t o = 0; o < members_.size(); ++o) {
          if (!members_[o].in_group) continue;
          Store& ms = *members_[o].store;
          absl::StrAppend(&why, "\n    ", Name(static_cast<int>(o)), ": ", Held(ms, *key));
          std::optional<SourceKey> parent;
          if (absl::StatusOr<Item> it = ms.GetItem(*key); it.ok()) parent = it->folder;
          if (absl::StatusOr<Folder> fo = ms.GetFolder(*key); fo.ok()) parent = fo->parent;
          if (parent.has_value()) {
            absl::StrAppend(&why, "; parent ", Held(ms, *parent));
          }
        }
      }
      return why;
    }
  }
  return "";
}

bool PclIncludes(const Pcl& pcl, const ChangeNumber& ck) {
  const Xid* x = pcl.Find(ck.replica());
  return x != nullptr && x->local_id() >= ck.counter().value();
}

std::string Sim::CheckNoLoss(SimResult& result) {
  bool counted = false;
  for (size_t i = 0; i < members_.size(); ++i) {
    if (!members_[i].in_group) continue;
    Store& s = *members_[i].store;
    for (const Edit& e : edits_) {
      std::optional<Pcl> pcl;
      if (absl::StatusOr<Item> it = s.GetItem(e.key); it.ok()) {
        pcl = it->pcl;
      } else if (absl::StatusOr<Folder> f = s.GetFolder(e.key); f.ok()) {
        pcl = f->pcl;
      } else if (absl::StatusOr<Tombstone> t = s.GetTombstone(e.key); t.ok()) {
        pcl = t->pcl;
      }
      bool stable = pcl.has_value() && PclIncludes(*pcl, e.change_key);
      const bool deleted_here = !pcl.has_value() || s.GetTombstone(e.key).ok();
      if (!stable && deleted_here) {
        // Deleted here (or never held: a deletion of a key a member never
        // held is not sent to it) is as good as the deletion that includes
        // the edit: deletions made at two members merge, each keeping its
        // own PCL where the other's deletion arrived after its own.
        // (A member that left counts: its deletion of an object only it
        // held went to the others as its folder's.)
        for (Member& other : members_) {
          absl::StatusOr<Tombstone> t = other.store->GetTombstone(e.key);
          if (t.ok() && PclIncludes(t->pcl, e.change_key)) stable = true;
        }
      }
      if (!counted) (stable ? result.stable : result.lost_changes) += 1;
      if (!stable) {
        return absl::StrCat("lost change: ", e.what, " of ", e.key.ToString(),
                            " at ", Name(e.member), " (",
                            e.change_key.ToString(), ") is not in what ",
                            Name(static_cast<int>(i)), " holds",
                            pcl.has_value() ? absl::StrCat(" (PCL ", pcl->ToString(), ")")
                                            : std::string(" (nothing)"));
      }
    }
    counted = true;
  }
  return "";
}

SimResult Sim::Run() {
  SimResult result;
  const int n = 3 + Rand(5);  // 3..7 members
  result.members = n;
  net_.loss = Rand(31) / 100.0;
  net_.duplication = Rand(51) / 100.0;
  net_.max_delay = Rand(13);
  net_.break_backfill = options_.break_backfill;
  net_.faults = options_.network_faults;
  config_.name = "sim";
  config_.folders = {std::string(kFolder)};
  config_.status_interval = absl::Seconds(5 + Rand(11));
  config_.backfill_delay = absl::Seconds(2 + Rand(7));
  config_.backfill_retry_max = absl::Seconds(20);
  config_.backfill_give_up = absl::Hours(1);
  config_.max_message_bytes = 4096 + static_cast<size_t>(Rand(8)) * 4096;
  config_.policy = Rand(2) == 0 ? ConflictPolicy::kKeepBoth
                                : ConflictPolicy::kLastWriterWins;
  for (int i = 0; i < n; ++i) {
    GroupMemberConfig mc;
    mc.name = absl::StrCat("m", i);
    std::array<uint8_t, 16> b{};
    b[0] = static_cast<uint8_t>(i + 1);
    b[15] = 0x5A;
    mc.id = Guid::FromBytes(b);
    mc.address = absl::StrCat("m", i, "@sim");
    mc.key = absl::StrCat("key-of-member-", i, "-0123456789");
    net_.address_of[mc.address] = i;
    all_.push_back(mc);
  }
  // Membership events, from a generator of their own.
  std::mt19937_64 plan(options_.seed * 0x9E3779B97F4A7C15ULL + 7);
  auto pick = [&plan](int k) { return static_cast<int>(plan() % static_cast<uint64_t>(k)); };
  int joiner = -1, restored = -1, leaver = -1;
  int join_at = -1, backup_at = -1, restore_at = -1, leave_at = -1;
  if (options_.membership) {
    if (pick(2) == 0) {
      joiner = n - 1;
      join_at = 1 + pick(options_.chaos_ticks);
    }
    if (pick(2) == 0 || options_.always_restore || options_.undeclared_restore) {
      restored = pick(n - 1);
      backup_at = 3 + pick(12);
      restore_at = backup_at + 5 + pick(15);
    }
    if (n >= 4 && pick(2) == 0) {
      leaver = pick(n - 1);
      if (leaver == restored) leaver = (leaver + 1) % (n - 1);
      leave_at = 5 + pick(30);
    }
  }
  members_.resize(n);
  if (restored >= 0) {
    const char* shm = "/dev/shm";
    std::error_code ec;
    const std::filesystem::path base =
        std::filesystem::is_directory(shm, ec) ? std::filesystem::path(shm)
                                               : std::filesystem::temp_directory_path();
    dir_ = (base / absl::StrCat("iorepl-sim-", ::getpid(), "-", options_.seed)).string();
    std::filesystem::remove_all(dir_, ec);
    std::filesystem::create_directories(dir_, ec);
    members_[restored].path = absl::StrCat(dir_, "/", Name(restored), ".db");
  }
  for (int i = 0; i < n; ++i) {
    Member& m = members_[i];
    if (m.path.empty()) {
      m.memory = *OpenStore("memory:");
    } else {
      absl::StatusOr<std::unique_ptr<Store>> opened = OpenStore("sqlite:" + m.path);
      if (!opened.ok()) {
        result.failure = absl::StrCat("cannot open ", m.path, ": ", opened.status().message());
        return result;
      }
      m.memory = *std::move(opened);
    }
    // Replica GUIDs from the seed, so that a run is the same every time.
    {
      std::array<uint8_t, 16> g{};
      for (auto& byte : g) byte = static_cast<uint8_t>(rng_());
      if (!m.memory->Begin().ok() ||
          !m.memory->SetIdentity({Guid::FromBytes(g), 0}).ok() ||
          !m.memory->Commit().ok()) {
        result.failure = "cannot set the identity";
        return result;
      }
    }
    m.store = std::make_unique<FaultyStore>(m.memory.get());
    m.transport = std::make_unique<SimTransport>(&net_, i);
    if (i == joiner) {
      m.in_group = false;
      m.down = true;
    }
  }
  for (int i = 0; i < n; ++i) {
    if (i == joiner) continue;
    if (absl::Status s = Start(i); !s.ok()) {
      result.failure = absl::StrCat("start: ", s.message(), "; ", Repro());
      return result;
    }
  }
  auto fail = [&](const std::string& why) {
    result.failure = absl::StrCat("seed ", options_.seed, ": ", why, "; ", Repro());
    return result;
  };
  auto tick_all = [&](bool chaos) -> std::string {
    std::vector<int> order(n);
    for (int i = 0; i < n; ++i) order[i] = i;
    std::shuffle(order.begin(), order.end(), rng_);
    for (int i : order) {
      Member& m = members_[i];
      if (!m.in_group) continue;
      if (m.down) {
        if (!chaos || net_.Chance(0.3)) {
          if (absl::Status s = Start(i); !s.ok()) return std::string(s.message());
        } else {
          continue;
        }
      }
      m.store->failing = chaos && options_.store_faults && net_.Chance(0.03);
      if (m.store->failing) ++result.store_faults;
      if (chaos) {
        const int edits = Rand(3);
        for (int e = 0; e < edits; ++e) LocalEdit(i);
      }
      absl::Status s = m.group->Tick();
      m.store->failing = false;
      if (!s.ok() && !chaos) {
        return absl::StrCat(Name(i), " tick: ", s.message());
      }
      if (!s.ok() && m.store->InTransaction()) (void)m.store->Rollback();
      if (m.draining) {
        absl::StatusOr<GroupLeaveReadiness> r = m.group->LeaveReadiness();
        if (r.ok() && r->ready) {
          if (absl::Status l = Leave(i); !l.ok()) return std::string(l.message());
          ++result.leaves;
          continue;
        }
      }
      if (chaos && options_.crashes && net_.Chance(0.01)) {
        (void)Crash(i);
        ++result.crashes;
      }
    }
    return "";
  };
  for (int t = 0; t < options_.chaos_ticks; ++t) {
    ++net_.now;
    // Partitions come and go.
    if (net_.Chance(0.05)) {
      const int a = Rand(n), b = Rand(n);
      if (a != b) net_.cut.insert({std::min(a, b), std::max(a, b)});
    }
    if (net_.Chance(0.1)) net_.cut.clear();
    absl::Status event = absl::OkStatus();
    if (t == join_at) {
      event = Join(joiner);
      ++result.joins;
    }
    if (event.ok() && t == backup_at) event = Backup(restored);
    if (event.ok() && t == restore_at) event = Restore(restored, result);
    if (t == leave_at && members_[leaver].in_group) {
      Say(absl::StrCat(Name(leaver), " starts leaving"));
      members_[leaver].draining = true;
    }
    if (!event.ok()) return fail(std::string(event.message()));
    if (std::string e = tick_all(true); !e.empty()) return fail(e);
  }
  result.edits = edits_.size();
  // Heal: no faults, no edits.
  net_.faults = false;
  net_.cut.clear();
  int quiet = 0;
  int t = 0;
  for (; t < options_.heal_budget; ++t) {
    ++net_.now;
    if (std::string e = tick_all(false); !e.empty()) return fail(e);
    if (Quiet()) {
      if (++quiet >= 3) break;
    } else {
      quiet = 0;
    }
  }
  result.heal_ticks = t;
  result.messages = net_.sent;
  result.lost_messages = net_.lost;
  result.duplicated = net_.duplicated;
  for (Member& m : members_) {
    if (m.group != nullptr) result.conflicts += m.group->stats().applied.conflicts;
  }
  if (!reuse_.empty()) return fail(reuse_);
  if (t >= options_.heal_budget) {
    std::string why = absl::StrCat("no convergence within ", options_.heal_budget,
                                   " heal ticks");
    for (size_t i = 0; i < members_.size(); ++i) {
      if (!members_[i].in_group) continue;
      if (members_[i].draining) {
        absl::StatusOr<GroupLeaveReadiness> r = members_[i].group->LeaveReadiness();
        if (r.ok()) {
          absl::StrAppend(&why, "\n  ", Name(static_cast<int>(i)),
                          " cannot leave: originated ", r->originated, ", unsent ",
                          r->unsent, ", only here ", r->only_here);
          for (const GroupLeaveReadiness::Waiting& w : r->waiting) {
            absl::StrAppend(&why, "; ", w.peer, " lacks ", w.missing,
                            w.never_heard ? " (never heard)" : "");
          }
        }
      }
      absl::StatusOr<GroupStatus> st = members_[i].group->Status();
      if (!st.ok()) continue;
      for (const GroupFolderStatus& f : st->folders) {
        absl::StrAppend(&why, "\n  ", Name(static_cast<int>(i)), ": seen ", f.seen,
                        ", parked ", f.parked, ", backfill entries ",
                        f.backfill.size(), ", refused ", f.refused);
        for (const GroupParkedStatus& p : f.parked_versions) {
          for (size_t o = 0; o < members_.size(); ++o) {
            absl::StrAppend(&why, "\n      ", Name(static_cast<int>(o)), " holds ",
                            p.source_key.ToString(), " as ",
                            Held(*members_[o].store, p.source_key), "; its parent as ",
                            Held(*members_[o].store, p.parent));
          }
          Store& ms = *members_[i].store;
          absl::StatusOr<Folder> parent = ms.GetFolder(p.parent);
          absl::StatusOr<Tombstone> tomb = ms.GetTombstone(p.parent);
          absl::StrAppend(&why, "\n    parked ", p.change_key.ToString(), " of ",
                          p.source_key.ToString(), " waits for ", p.parent.ToString(),
                          parent.ok() ? absl::StrCat(" (held, at ", parent->change_key.ToString(),
                                                     ", under ", parent->parent->ToString(), ")")
                                      : "",
                          tomb.ok() ? absl::StrCat(" (tombstone ", tomb->deletion_cn.ToString(),
                                                   tomb->scope_exit ? " exit" : "",
                                                   tomb->scope_root.has_value() ? " kept" : "", ")")
                                    : "");
        }
        for (const GroupPeerStatus& p : f.peers) {
          if (p.missing_here > 0) {
            absl::StrAppend(&why, "; lacks ", p.missing_here, " that ", p.name,
                            " has");
          }
        }
      }
    }
    return fail(why);
  }
  if (std::string e = CheckConverged(); !e.empty()) return fail(e);
  if (std::string e = CheckNoLoss(result); !e.empty()) return fail(e);
  result.ok = true;
  return result;
}

}  // namespace

SimResult RunGroupSim(const SimOptions& options) {
  Sim sim(options);
  return sim.Run();
}

}  // namespace ioreplication::sim
