// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Export and import of exchange files (include/ioreplication/exchange.h):
// the two halves of a sync direction with a file between them.

#include <memory>
#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/byte_reader.h"
#include "exchange/exchange_file.h"
#include "ioreplication/exchange.h"
#include "stores/record_codec.h"
#include "session/import_options.h"
#include "sync/direction.h"
#include "sync/exporter.h"
#include "sync/folder_tree.h"
#include "sync/importer.h"
#include "sync/sync_state.h"

namespace ioreplication {
namespace {

using exchange_internal::ExchangeReader;
using exchange_internal::ExchangeRecord;
using sync_internal::SyncState;
using sync_internal::Transact;
using sync_internal::UpTo;

std::string EdgeName(const SessionConfig& config, const FolderMapping& m) {
  return absl::StrCat(config.name, "|", m.publisher_path, "|",
                      m.subscriber_path);
}

}  // namespace

absl::StatusOr<ExchangeExportResult> ExportExchangeFile(
    const SessionConfig& config, Store& publisher, const std::string& path,
    const ExchangeOptions& options) {
  if (absl::Status s = ValidateSessionConfig(config); !s.ok()) return s;
  for (size_t i = 0; i < config.mappings.size(); ++i) {
    if (config.mappings[i].direction == MappingDirection::kBidirectional) {
      return absl::FailedPreconditionError(absl::StrCat(
          "session '", config.name, "': mapping ", i + 1,
          " is bidirectional; exchange files carry one way only (use a "
          "second session with the roles swapped for the way back)"));
    }
  }
  absl::StatusOr<StoreIdentity> identity = publisher.Identity();
  if (!identity.ok()) return identity.status();
  absl::StatusOr<GlobCnt> high = publisher.LocalCnHighWater();
  if (!high.ok()) return high.status();

  v1::ExchangeHeader header;
  header.set_format_version(1);
  header.set_session(config.name);
  header.set_source_replica(core_internal::AsString(identity->replica.bytes()));
  header.set_source_epoch(identity->epoch);
  header.set_created(FileTime::FromAbslTime(absl::Now()).ticks());
  std::vector<SyncState> states;
  std::vector<SourceKey> roots;
  for (const FolderMapping& m : config.mappings) {
    absl::StatusOr<std::optional<Folder>> root =
        FindFolderByPath(publisher, m.publisher_path);
    if (!root.ok()) return root.status();
    if (!root->has_value()) {
      return absl::FailedPreconditionError(
          absl::StrCat("session '", config.name,
                       "': the publisher has no "
                       "folder ",
                       m.publisher_path));
    }
    absl::StatusOr<SyncState> state = sync_internal::LoadSyncState(
        publisher, absl::StrCat("export/", EdgeName(config, m)));
    if (!state.ok()) return state.status();
    // A state of another identity, root or counter is not trusted: export
    // everything, as with `full`.
    if (options.full || (state->source && *state->source != *identity) ||
        *high < state->source_high ||
        state->source_root != (*root)->source_key) {
      *state = SyncState();
    }
    v1::ExchangeMapping* mapping = header.add_mapping();
    mapping->set_publisher_path(m.publisher_path);
    mapping->set_subscriber_path(m.subscriber_path);
    mapping->set_source_root((*root)->source_key.Encode());
    mapping->set_base_seen(state->seen.Encode());
    states.push_back(*std::move(state));
    roots.push_back((*root)->source_key);
  }

  absl::StatusOr<std::unique_ptr<exchange_internal::ExchangeWriter>> writer =
      exchange_internal::ExchangeWriter::Create(path, options.key, header,
                                                options.overwrite);
  if (!writer.ok()) return writer.status();
  v1::ExchangeTrailer trailer;
  ExchangeExportResult result;
  for (size_t i = 0; i < config.mappings.size(); ++i) {
    SyncState& state = states[i];
    sync_internal::ExportOptions export_options;
    export_options.batch_size = config.options.batch_size;
    export_options.batch_bytes = config.options.batch_bytes;
    sync_internal::Exporter exporter(&publisher, roots[i], state.seen,
                                     state.given, export_options);
    if (absl::Status s = exporter.Start(); !s.ok()) return s;
    IdSet removed;
    while (true) {
      absl::StatusOr<sync_internal::ExportBatch> batch = exporter.Next();
      if (!batch.ok()) return batch.status();
      if (batch->entries.empty() && batch->consumed.empty()) break;
      for (const sync_internal::Outgoing& out : batch->entries) {
        v1::ExchangeEntry entry;
        entry.set_mapping(static_cast<uint32_t>(i));
        const bool exit = out.kind == sync_internal::Outgoing::Kind::kScopeExit;
        entry.set_scope_exit(exit);
        exchange_internal::EncodeEntryObject(out.change, entry);
        if (absl::Status s = (*writer)->Add(entry); !s.ok()) return s;
        ++result.entries;
        const SourceKey& key = out.change.source_key();
        if (exit || std::holds_alternative<Tombstone>(out.change.object)) {
          removed.Insert(key.replica(), key.counter());
        } else {
          state.given.Insert(key.replica(), key.counter());
        }
      }
      state.seen.UnionWith(batch->consumed);
    }
    state.given.Subtract(removed);
    state.seen.UnionWith(UpTo(exporter.start_high_water()));
    state.source = *identity;
    state.source_high = exporter.start_high_water();
    state.source_root = roots[i];
    state.last_pass = FileTime::FromAbslTime(absl::Now());
    trailer.add_end_seen(state.seen.Encode());
  }
  absl::StatusOr<uint64_t> size = (*writer)->Commit(std::move(trailer));
  if (!size.ok()) return size.status();
  result.bytes = *size;
  // Only now that the file is in place: a failure before this point leaves
  // the state as it was, and the next export carries the same changes.
  absl::Status status = Transact(publisher, [&]() -> absl::Status {
    for (size_t i = 0; i < config.mappings.size(); ++i) {
      if (absl::Status s = publisher.PutSyncState(
              absl::StrCat("export/", EdgeName(config, config.mappings[i])),
              sync_internal::EncodeSyncState(states[i]));
          !s.ok()) {
        return s;
      }
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return result;
}

namespace {

// One mapping's part of an import at one subscriber, decided before any
// write.
struct MappingPlan {
  SyncState state;
  std::string state_name;
  GlobSet end;
  SourceKey source_root;
  bool apply = false;
};

struct SubscriberPlan {
  std::vector<MappingPlan> mappings;
  bool anything = false;
};

// An opened file whose header belongs to `config`: its reader and the
// publisher replica it comes from.
struct CheckedFile {
  std::unique_ptr<ExchangeReader> reader;
  StoreIdentity source;
};

absl::StatusOr<CheckedFile> OpenChecked(const SessionConfig& config,
                                        const std::string& path,
                                        const ExchangeOptions& options) {
  auto refuse = [&](absl::StatusCode code, absl::string_view why) {
    return absl::Status(code, absl::StrCat(path, ": ", why));
  };
  absl::StatusOr<std::unique_ptr<exchange_internal::ByteSource>> source =
      exchange_internal::OpenFileSource(path);
  if (!source.ok()) return source.status();
  absl::StatusOr<std::unique_ptr<ExchangeReader>> reader =
      ExchangeReader::Open(
          *std::move(source), options.key,
          exchange_internal::ExchangeFrameLimit(config.options.max_item_size));
  if (!reader.ok()) {
    return refuse(reader.status().code(), reader.status().message());
  }
  const v1::ExchangeHeader& header = (*reader)->header();
  if (header.session() != config.name) {
    return refuse(absl::StatusCode::kInvalidArgument,
                  absl::StrCat("the file belongs to session '",
                               header.session(), "', not '", config.name, "'"));
  }
  bool same_mappings =
      header.mapping_size() == static_cast<int>(config.mappings.size());
  for (int i = 0; same_mappings && i < header.mapping_size(); ++i) {
    same_mappings = header.mapping(i).publisher_path() ==
                        config.mappings[i].publisher_path &&
                    header.mapping(i).subscriber_path() ==
                        config.mappings[i].subscriber_path;
  }
  if (!same_mappings) {
    return refuse(absl::StatusCode::kInvalidArgument,
                  absl::StrCat("the file's folder mappings differ from "
                               "session '",
                               config.name, "''s configuration"));
  }
  absl::StatusOr<Guid> replica =
      Guid::Decode(core_internal::AsBytes(header.source_replica()));
  if (!replica.ok()) {
    return refuse(absl::StatusCode::kDataLoss, "the header's replica is bad");
  }
  return CheckedFile{*std::move(reader),
                     StoreIdentity{*replica, header.source_epoch()}};
}

absl::StatusOr<SubscriberPlan> PlanImport(const SessionConfig& config,
                                          const CheckedFile& file,
                                          Store& subscriber, size_t index,
                                          const std::string& path) {
  const v1::ExchangeHeader& header = file.reader->header();
  const StoreIdentity& source = file.source;
  auto refuse = [&](absl::StatusCode code, absl::string_view why) {
    return absl::Status(code, absl::StrCat(path, ": ", why));
  };
  SubscriberPlan plan;
  plan.mappings.resize(config.mappings.size());
  for (size_t i = 0; i < plan.mappings.size(); ++i) {
    const v1::ExchangeMapping& m = header.mapping(static_cast<int>(i));
    MappingPlan& mp = plan.mappings[i];
    mp.state_name = absl::StrCat("import/", EdgeName(config, config.mappings[i]),
                                 "|", config.subscribers[index]);
    absl::StatusOr<SyncState> state =
        sync_internal::LoadSyncState(subscriber, mp.state_name);
    if (!state.ok()) return state.status();
    mp.state = *std::move(state);
    absl::StatusOr<GlobSet> base =
        GlobSet::Decode(core_internal::AsBytes(m.base_seen()));
    absl::StatusOr<GlobSet> end = GlobSet::Decode(core_internal::AsBytes(
        file.reader->trailer().end_seen(static_cast<int>(i))));
    absl::StatusOr<SourceKey> root =
        SourceKey::Decode(core_internal::AsBytes(m.source_root()));
    if (!base.ok() || !end.ok() || !root.ok()) {
      return refuse(absl::StatusCode::kDataLoss,
                    absl::StrCat("mapping ", i + 1, "'s change sets are bad"));
    }
    mp.end = *std::move(end);
    mp.source_root = *root;
    const std::string where =
        absl::StrCat("mapping ", i + 1, " (", m.publisher_path(), " -> ",
                     m.subscriber_path(), ")");
    if (mp.state.source && *mp.state.source != source) {
      if (!base->empty()) {
        return refuse(
            absl::StatusCode::kInvalidArgument,
            absl::StrCat(where, ": the file comes from publisher replica ",
                         source.replica.ToString(), " epoch ", source.epoch,
                         ", but this subscriber imported from ",
                         mp.state.source->replica.ToString(), " epoch ",
                         mp.state.source->epoch,
                         " (if the publisher was restored or re-created, "
                         "have it export with --full)"));
      }
      mp.state.seen.clear();  // a full export from a new source
    }
    if (mp.state.seen.Includes(mp.end) && mp.state.source == source) {
      continue;  // applied before
    }
    if (!mp.state.seen.Includes(*base)) {
      return refuse(absl::StatusCode::kFailedPrecondition,
                    absl::StrCat(where,
                                 ": the file continues an export this "
                                 "subscriber has not imported; import the "
                                 "earlier file first, or have the publisher "
                                 "export with --full"));
    }
    mp.apply = true;
    plan.anything = true;
  }
  return plan;
}

// What a change weighs in a batch: an item's size (folders and deletions
// are small).
size_t BatchWeight(const Change& change) {
  const auto* item = std::get_if<Item>(&change.object);
  return item != nullptr ? item->ByteSize() : 0;
}

// Applies one mapping's entries. Batches of the session's size; the state's
// CNSET moves only at the end, so an import stopped midway is simply
// applied again.
absl::Status ApplyMapping(const SessionConfig& config, size_t i,
                          ExchangeReader& reader, const StoreIdentity& source,
                          Store& subscriber, MappingPlan& plan,
                          const SessionHooks& hooks, SessionStatistics& stats) {
  absl::StatusOr<Folder> dest_root = sync_internal::EnsureFolderPath(
      subscriber, config.mappings[i].subscriber_path);
  if (!dest_root.ok()) return dest_root.status();
  sync_internal::ImportOptions import = session_internal::ImportOptionsFor(
      config.options, /*from_publisher=*/true);
  import.source_root = plan.source_root;
  import.dest_root = dest_root->source_key;
  import.callback = hooks.conflict_callback;
  if (hooks.log && config.logging.level == LogLevel::kDetail) {
    import.log = [&hooks](std::string_view line) {
      hooks.log(LogLevel::kDetail, line);
    };
  }
  sync_internal::Importer importer(&subscriber, import);
  if (absl::Status s = importer.Start(); !s.ok()) return s;
  SyncState& state = plan.state;
  // No other import may have written the state since this one read it.
  auto check = [&]() -> absl::Status {
    return sync_internal::LoadSyncStateForPass(subscriber, plan.state_name,
                                               state.generation)
        .status();
  };
  auto record = [&](const sync_internal::BatchOutcome& outcome) {
    state.given.Subtract(outcome.given_removed);
    state.given.UnionWith(outcome.given_added);
    ++state.generation;
    return subscriber.PutSyncState(plan.state_name,
                                   sync_internal::EncodeSyncState(state));
  };
  reader.Rewind();
  uint64_t done = 0;
  bool more = true;
  while (more) {
    sync_internal::ExportBatch batch;
    size_t bytes = 0;
    while (batch.entries.size() < config.options.batch_size &&
           (batch.entries.empty() || bytes < config.options.batch_bytes)) {
      absl::StatusOr<std::optional<exchange_internal::ExchangeRecord>> next =
          reader.Next();
      if (!next.ok()) return next.status();
      if (!next->has_value()) {
        more = false;
        break;
      }
      if ((*next)->mapping != i) continue;
      bytes += BatchWeight((*next)->change);
      batch.entries.push_back({(*next)->scope_exit
                                   ? sync_internal::Outgoing::Kind::kScopeExit
                                   : sync_internal::Outgoing::Kind::kChange,
                               std::move((*next)->change)});
    }
    if (batch.entries.empty()) break;
    sync_internal::BatchOutcome outcome;
    absl::Status s = sync_internal::ApplyBatch(subscriber, importer, batch,
                                               outcome, check, record);
    if (!s.ok()) return s;
    stats.Merge(outcome.stats);
    done += batch.entries.size();
    if (hooks.progress) {
      const std::string label =
          absl::StrCat(config.mappings[i].publisher_path, " -> ",
                       config.mappings[i].subscriber_path);
      (void)hooks.progress(Progress{label, "file -> subscriber", done});
    }
  }
  return Transact(subscriber, [&]() -> absl::Status {
    if (absl::Status s = check(); !s.ok()) return s;
    ++state.generation;
    state.seen.UnionWith(plan.end);
    state.source = source;
    state.source_root = plan.source_root;
    state.dest_root = dest_root->source_key;
    state.last_pass = FileTime::FromAbslTime(absl::Now());
    return subscriber.PutSyncState(plan.state_name,
                                   sync_internal::EncodeSyncState(state));
  });
}

ExchangeImportResult ApplyPlan(const SessionConfig& config, CheckedFile& file,
                               Store& subscriber, size_t index,
                               SubscriberPlan& plan,
                               const SessionHooks& hooks) {
  ExchangeImportResult result;
  if (!plan.anything) {
    result.already_applied = true;
    return result;
  }
  const absl::Time start = absl::Now();
  for (size_t i = 0; i < plan.mappings.size(); ++i) {
    if (!plan.mappings[i].apply) continue;
    result.status =
        ApplyMapping(config, i, *file.reader, file.source, subscriber,
                     plan.mappings[i], hooks, result.stats);
    if (!result.status.ok()) {
      result.status = absl::Status(
          result.status.code(),
          absl::StrCat("subscriber ", index + 1, " (",
                       RedactStoreUri(config.subscribers[index]),
                       "), mapping ", i + 1, ": ", result.status.message()));
      break;
    }
  }
  result.stats.duration = absl::Now() - start;
  return result;
}

absl::Status CheckSubscriberIndex(const SessionConfig& config, size_t index) {
  if (index >= config.subscribers.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "session '", config.name, "' has no subscriber ", index + 1));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ExchangeImportResult> ImportExchangeFile(
    const SessionConfig& config, Store& subscriber, size_t subscriber_index,
    const std::string& path, const ExchangeOptions& options,
    const SessionHooks& hooks) {
  if (absl::Status s = ValidateSessionConfig(config); !s.ok()) return s;
  if (absl::Status s = CheckSubscriberIndex(config, subscriber_index);
      !s.ok()) {
    return s;
  }
  absl::StatusOr<CheckedFile> file = OpenChecked(config, path, options);
  if (!file.ok()) return file.status();
  absl::StatusOr<SubscriberPlan> plan =
      PlanImport(config, *file, subscriber, subscriber_index, path);
  if (!plan.ok()) return plan.status();
  return ApplyPlan(config, *file, subscriber, subscriber_index, *plan, hooks);
}

absl::StatusOr<std::vector<ExchangeImportResult>> ImportExchangeFile(
    const SessionConfig& config, const std::vector<Store*>& subscribers,
    const std::string& path, const ExchangeOptions& options,
    const SessionHooks& hooks) {
  if (absl::Status s = ValidateSessionConfig(config); !s.ok()) return s;
  if (subscribers.size() != config.subscribers.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "session '", config.name, "' has ", config.subscribers.size(),
        " subscribers, but ", subscribers.size(), " stores were given"));
  }
  absl::StatusOr<CheckedFile> file = OpenChecked(config, path, options);
  if (!file.ok()) return file.status();
  // Every subscriber is checked before any is written to.
  std::vector<SubscriberPlan> plans;
  for (size_t i = 0; i < subscribers.size(); ++i) {
    absl::StatusOr<SubscriberPlan> plan =
        PlanImport(config, *file, *subscribers[i], i, path);
    if (!plan.ok()) {
      return absl::Status(
          plan.status().code(),
          absl::StrCat("subscriber ", i + 1, " (",
                       RedactStoreUri(config.subscribers[i]),
                       "): ", plan.status().message()));
    }
    plans.push_back(*std::move(plan));
  }
  std::vector<ExchangeImportResult> results;
  for (size_t i = 0; i < subscribers.size(); ++i) {
    results.push_back(
        ApplyPlan(config, *file, *subscribers[i], i, plans[i], hooks));
  }
  return results;
}

}  // namespace ioreplication
