/* Copyright 2026 The ioreplication Authors.
 * SPDX-License-Identifier: Apache-2.0 */
/*
 * Sessions: replicate mapped folders from a publisher store to subscriber
 * stores (and back, for bidirectional mappings).
 *
 * A session is configured by an iorepl_config, parsed from the text format
 * of iorepl's configuration files (docs/config.md, one `session` block's
 * body) or built field by field. iorepl_session_open opens the stores its
 * URIs name; iorepl_session_new uses stores the caller opened (a host's own
 * included), the URIs then only naming the sync states.
 *
 * Each iorepl_session_run is one pass: what changed since the last pass
 * moves, conflicts are resolved by the session's policy, deletions apply,
 * and the statistics tell what happened. Progress is kept inside the
 * destination stores, in the same transactions as the data, so a pass
 * stopped anywhere (a crash, a cancel, an error) is completed by the next.
 *
 * Example:
 *   iorepl_config *config = NULL;
 *   iorepl_config_new(&config, "Sales share");
 *   iorepl_config_set_publisher(config, "sqlite:contoso.db");
 *   iorepl_config_add_subscriber(config, "sqlite:fabrikam.db");
 *   iorepl_config_add_mapping(config, "/Sales", "/Contoso/Sales",
 *                             IOREPL_ONE_WAY);
 *   iorepl_session *session = NULL;
 *   if (iorepl_session_open(&session, config) == IOREPL_OK) {
 *     iorepl_statistics stats = IOREPL_STATISTICS_INIT;
 *     int rc = iorepl_session_run(&stats, session);
 *     char *line = NULL;
 *     iorepl_statistics_line(&line, session, &stats);
 *     puts(line);
 *     iorepl_free(line);
 *   }
 *   iorepl_session_free(session);
 *   iorepl_config_free(config);
 *
 * Threads: a config or session is used by one thread at a time. Callbacks
 * arrive on the thread that called iorepl_session_run.
 */
#ifndef IOREPL_SESSION_H_
#define IOREPL_SESSION_H_

#include "iorepl/common.h"
#include "iorepl/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct iorepl_config iorepl_config;
typedef struct iorepl_session iorepl_session;

/* Mapping directions. */
enum {
  IOREPL_ONE_WAY = 0,      /* publisher -> subscriber */
  IOREPL_BIDIRECTIONAL = 1 /* both ways, without echo */
};

/* Conflict policies (docs/sync.md): what happens when two organizations
 * changed one item without seeing each other's change. */
enum {
  IOREPL_KEEP_BOTH = 0,        /* winner stays, loser kept, owners told */
  IOREPL_LAST_WRITER_WINS = 1, /* the later version wins */
  IOREPL_PUBLISHER_WINS = 2,   /* the publisher's version wins */
  IOREPL_CALLBACK = 3          /* iorepl_session_set_conflict_callback's
                                  function decides; a session without one
                                  refuses to run (IOREPL_ESTATE) */
};

/* Session types (the classic statistics line names them). */
enum { IOREPL_PUBLIC_FOLDER = 0, IOREPL_FREE_BUSY = 1 };

typedef struct iorepl_session_options {
  size_t struct_size;
  int replicate_deletions;   /* default 1 */
  int replicate_permissions; /* default 0 */
  int conflict_policy;       /* IOREPL_KEEP_BOTH */
  uint64_t batch_size;       /* changes per transaction, default 1000 */
  uint64_t batch_bytes;      /* item bytes per transaction, default 16 MiB */
  uint64_t max_item_size;    /* larger items are ignored, default 64 MiB */
  /* With require_matching_rights, a folder replicates only where
   * replication_account has the same rights on both sides. */
  const char* replication_account; /* NULL or UTF-8; copied */
  int require_matching_rights;     /* default 0 */
  /* IOREPL_LOG_INFO (reconciliations and errors) or IOREPL_LOG_DEBUG (also
   * every ignore with its reason). */
  int log_level;
  /* Appended (a struct_size that ends before it leaves the session's value
   * as it is). When positive, a pass that ends at least this many
   * seconds after the last verify (recorded in the stores) runs
   * iorepl_session_verify with repair after it: differences are counted
   * in the statistics and logged, and the next pass sends those objects
   * again. 0, the default: never. At most 4294967295. */
  uint64_t verify_interval_seconds;
} iorepl_session_options;

#define IOREPL_SESSION_OPTIONS_INIT                                          \
  {                                                                          \
    sizeof(iorepl_session_options), 1, 0, IOREPL_KEEP_BOTH, 1000, 16u << 20, \
        64u << 20, NULL, 0, IOREPL_LOG_INFO, 0                               \
  }

IOREPL_API int iorepl_session_options_init(iorepl_session_options* options,
                                           size_t struct_size);

/* ---- Configuration ---- */

/* Parses one session from the configuration text format (the body of a
 * `session { ... }` block: name, publisher, subscriber, mapping, options,
 * ...). IOREPL_EINVAL with line and column for syntax errors, and with every
 * problem found by iorepl_config_validate. */
IOREPL_API int iorepl_config_parse(iorepl_config** out, const char* text,
                                   size_t len);
/* An empty configuration named `name`, to fill with the setters. */
IOREPL_API int iorepl_config_new(iorepl_config** out, const char* name);
IOREPL_API void iorepl_config_free(iorepl_config* config);

IOREPL_API int iorepl_config_set_publisher(iorepl_config* config,
                                           const char* uri);
IOREPL_API int iorepl_config_add_subscriber(iorepl_config* config,
                                            const char* uri);
/* Paths are absolute from each store's root ("/" is the root). */
IOREPL_API int iorepl_config_add_mapping(iorepl_config* config,
                                         const char* publisher_path,
                                         const char* subscriber_path,
                                         int direction);
/* Copies the options (the fields `options->struct_size` covers). */
IOREPL_API int iorepl_config_set_options(iorepl_config* config,
                                         const iorepl_session_options* options);
/* Reads the options; a returned replication_account is borrowed from the
 * config. */
IOREPL_API int iorepl_config_get_options(iorepl_session_options* out,
                                         const iorepl_config* config);
/* The session name; NULL for a bad handle. */
IOREPL_API const char* iorepl_config_name(const iorepl_config* config);

/* The getters below return strings borrowed from the config: valid until the
 * config changes or is freed. They return NULL (or 0) for a bad handle or
 * an index out of range, with the reason in iorepl_error_message(). */

/* The publisher's store URI; "" until one is set. */
IOREPL_API const char* iorepl_config_publisher(const iorepl_config* config);
/* How many subscribers, and subscriber `index`'s store URI. */
IOREPL_API size_t iorepl_config_subscriber_count(const iorepl_config* config);
IOREPL_API const char* iorepl_config_subscriber(const iorepl_config* config,
                                                size_t index);
/* How many mappings, and mapping `index`: its two paths and its direction
 * (IOREPL_ONE_WAY or IOREPL_BIDIRECTIONAL). IOREPL_ERANGE for an index out
 * of range; the outputs may be NULL when not wanted. */
IOREPL_API size_t iorepl_config_mapping_count(const iorepl_config* config);
IOREPL_API int iorepl_config_mapping(const char** publisher_path,
                                     const char** subscriber_path,
                                     int* direction,
                                     const iorepl_config* config,
                                     size_t index);
/* IOREPL_PUBLIC_FOLDER or IOREPL_FREE_BUSY; -1 for a bad handle. */
IOREPL_API int iorepl_config_type(const iorepl_config* config);
/* OK when the configuration can run: a name, a publisher, subscribers,
 * known store URIs without passwords, mappings that do not overlap.
 * IOREPL_EINVAL lists every problem in the message, one per line. */
IOREPL_API int iorepl_config_validate(const iorepl_config* config);

/* ---- Sessions ---- */

/* Validates `config` (copied) and opens its stores by URI. */
IOREPL_API int iorepl_session_open(iorepl_session** out,
                                   const iorepl_config* config);
/* Uses stores the caller opened: `publisher` and the `count` subscribers
 * stand for the config's publisher and subscribers, in order (`count` must
 * match). The session holds references to the stores: they stay open until
 * the session is freed, even if the caller frees them first. */
IOREPL_API int iorepl_session_new(iorepl_session** out,
                                  const iorepl_config* config,
                                  iorepl_store* publisher,
                                  iorepl_store* const* subscribers,
                                  size_t count);
IOREPL_API void iorepl_session_free(iorepl_session* session);

/* Counts of a pass. Reasons index the *_reasons arrays (IOREPL_REASON_*,
 * named by iorepl_reason_name); counter names double as metric names
 * (message_changes: ioreplication_message_changes_total). */
#define IOREPL_REASON_SLOTS 32

enum {
  /* Ignores. */
  IOREPL_REASON_ALREADY_PRESENT = 0,
  IOREPL_REASON_OLDER_VERSION = 1,
  IOREPL_REASON_TOO_LARGE = 2,
  IOREPL_REASON_OUT_OF_SCOPE = 3,
  IOREPL_REASON_MAPPING_ROOT = 4,
  /* Errors (retried on the next pass). */
  IOREPL_REASON_PERMISSION_MISMATCH = 5,
  IOREPL_REASON_WRITE_FAILED = 6,
  IOREPL_REASON_INVALID_OBJECT = 7,
  IOREPL_REASON_NAME_CLASH = 8,
  IOREPL_REASON_PARENT_MISSING = 9,
  IOREPL_REASON_FOLDER_NOT_EMPTY = 10, /* never produced; the number stays */
  /* Ignores added later (sent again on the next pass). */
  IOREPL_REASON_NO_RECIPIENT = 11 /* free/busy: no contact has the address */
};

typedef struct iorepl_statistics {
  size_t struct_size;
  uint64_t message_changes;   /* items created or updated */
  uint64_t message_deletions; /* items deleted */
  uint64_t message_ignores;
  uint64_t message_errors;
  uint64_t folder_changes;
  uint64_t folder_deletions;
  uint64_t folder_ignores;
  uint64_t folder_errors;
  uint64_t conflicts;       /* conflicting versions resolved */
  uint64_t bytes;           /* bytes of item content written */
  uint64_t reconciliations; /* directions that compared everything */
  uint64_t duration_us;     /* wall time of the pass */
  uint64_t message_ignore_reasons[IOREPL_REASON_SLOTS];
  uint64_t message_error_reasons[IOREPL_REASON_SLOTS];
  uint64_t folder_ignore_reasons[IOREPL_REASON_SLOTS];
  uint64_t folder_error_reasons[IOREPL_REASON_SLOTS];
} iorepl_statistics;

#define IOREPL_STATISTICS_INIT                                               \
  {                                                                          \
    sizeof(iorepl_statistics), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, {0}, {0}, \
        {0}, {                                                               \
      0                                                                      \
    }                                                                        \
  }

/* "already_present", "older_version", ...; NULL for an unknown reason. */
IOREPL_API const char* iorepl_reason_name(int reason);

/* One pass over every mapping and subscriber. `stats` may be NULL; when
 * given (with its struct_size set), it receives the pass's counts: after a
 * complete pass, and after a cancelled or failed one what the pass committed
 * before it stopped (that stays committed). Per-object problems are
 * counted, not returned; an error means a store failed and the pass stopped
 * there: IOREPL_EIO, IOREPL_ECORRUPT, IOREPL_ECALLBACK (a host store's
 * callback failed), or IOREPL_ECANCELLED (the progress callback asked to
 * stop; `stats` is filled). */
IOREPL_API int iorepl_session_run(iorepl_statistics* stats,
                                  iorepl_session* session);

/* The classic line, exactly: "Statistics for Public Folder replication
 * session 'NAME' [N Message Changes, N Message Deletions, N Message Ignores,
 * N Message Errors, N Folder Changes, N Folder Deletions, N Folder Ignores,
 * N Folder Errors]." Free `*out` with iorepl_free. */
IOREPL_API int iorepl_statistics_line(char** out, const iorepl_session* session,
                                      const iorepl_statistics* stats);

/* Where a pass is; valid during the callback only. */
typedef struct iorepl_progress {
  size_t struct_size;
  const char* mapping;   /* "publisher_path -> subscriber_path" */
  const char* direction; /* "publisher -> subscriber 1" or back */
  uint64_t done;         /* changes handled in this direction so far */
} iorepl_progress;

/* Called after each batch (so at most once per batch_size changes). A
 * non-zero return stops the pass there; iorepl_session_run then returns
 * IOREPL_ECANCELLED and the next pass continues. */
typedef int (*iorepl_progress_fn)(void* user, const iorepl_progress* progress);

/* Sets (NULL `fn`: clears) the session's progress callback. */
IOREPL_API int iorepl_session_set_progress(iorepl_session* session,
                                           iorepl_progress_fn fn, void* user);
/* One item conflict, for the conflict callback; valid during the call
 * only. A side is NULL when that version is a deletion. */
typedef struct iorepl_conflict {
  size_t struct_size;
  const iorepl_item* local;    /* what the destination holds */
  const iorepl_item* incoming; /* what arrived from the source */
  int local_from_publisher;    /* 1 for the session publisher's version */
  int incoming_from_publisher;
} iorepl_conflict;

/* Decides a conflict under IOREPL_CALLBACK: sets `*incoming_wins` (1: the
 * incoming version wins) and `*keep_loser` (1: keep the losing version as a
 * conflict item and post a notice) and returns 0. It must be a function of
 * the two versions only, not of which one is local, or replicas will not
 * converge. A non-zero return makes the item a Message Error, retried on
 * the next pass. */
typedef int (*iorepl_conflict_fn)(void* user, const iorepl_conflict* conflict,
                                  int* incoming_wins, int* keep_loser);

/* Sets (NULL `fn`: clears) the session's conflict callback. */
IOREPL_API int iorepl_session_set_conflict_callback(iorepl_session* session,
                                                    iorepl_conflict_fn fn,
                                                    void* user);

/* ---- Anti-entropy and conflicts ---- */

/* Kinds of difference iorepl_session_verify reports. */
enum {
  IOREPL_MISSING_AT_SUBSCRIBER = 0,
  IOREPL_MISSING_AT_PUBLISHER = 1,
  IOREPL_DIFFERENT_VERSION = 2,
  IOREPL_DIFFERENT_PLACE = 3
};

typedef struct iorepl_verify_report iorepl_verify_report;

/* One difference; strings are borrowed from the report. */
typedef struct iorepl_difference {
  size_t struct_size;
  const char* mapping;  /* "publisher_path -> subscriber_path" */
  size_t subscriber;    /* index of the subscriber in the configuration */
  const char* path;     /* the folder, below the mapped folder ("" for it) */
  int folder;           /* 1: the object is a folder; 0: an item in `path` */
  iorepl_key source_key;
  int kind;             /* IOREPL_MISSING_AT_SUBSCRIBER ... */
  const char* detail;   /* the change keys seen */
} iorepl_difference;

/* Compares each mapping's replicas by per-folder digests (docs/sync.md,
 * "Anti-entropy"); with `repair` non-zero the next pass sends the differing
 * objects again. Free `*out` with iorepl_verify_report_free. */
IOREPL_API int iorepl_session_verify(iorepl_verify_report** out,
                                     iorepl_session* session, int repair);
/* Folders compared, item versions read, folders compared item by item. */
IOREPL_API int iorepl_verify_report_counts(uint64_t* folders, uint64_t* items,
                                           uint64_t* differing_folders,
                                           const iorepl_verify_report* report);
IOREPL_API size_t iorepl_verify_report_size(const iorepl_verify_report* report);
/* Difference `index`; `out->struct_size` must be set. */
IOREPL_API int iorepl_verify_report_at(iorepl_difference* out,
                                       const iorepl_verify_report* report,
                                       size_t index);
IOREPL_API void iorepl_verify_report_free(iorepl_verify_report* report);

/* What the last complete pass of each direction refused (an error, or an
 * item above max_item_size): sent again and counted on every pass until it
 * is taken, changed at its source, or skipped. */
typedef struct iorepl_refused_list iorepl_refused_list;

/* One refused object; strings are borrowed from the list. */
typedef struct iorepl_refusal {
  size_t struct_size;
  const char* mapping;   /* "publisher_path -> subscriber_path" */
  const char* direction; /* "publisher -> subscriber 1" or back */
  iorepl_key source_key;
  int folder;            /* 1: a folder; 0: an item */
  const char* reason;    /* "too_large", "write_failed", ... */
  const char* why;       /* the sentence the log has */
  iorepl_key change_key; /* the version refused */
  int skipped;           /* 1: iorepl_session_skip_refused was called */
} iorepl_refusal;

IOREPL_API int iorepl_session_list_refused(iorepl_refused_list** out,
                                           iorepl_session* session);
IOREPL_API size_t iorepl_refused_list_size(const iorepl_refused_list* list);
/* Entry `index`; `out->struct_size` must be set. */
IOREPL_API int iorepl_refused_list_at(iorepl_refusal* out,
                                      const iorepl_refused_list* list,
                                      size_t index);
IOREPL_API void iorepl_refused_list_free(iorepl_refused_list* list);
/* The next pass takes the refused version of `key` as seen, in every
 * direction that refused it. IOREPL_ENOTFOUND when none did. */
IOREPL_API int iorepl_session_skip_refused(iorepl_session* session,
                                           const iorepl_key* key);

/* The conflict items keep_both left, in every store of the session. */
typedef struct iorepl_conflict_list iorepl_conflict_list;
IOREPL_API int iorepl_session_list_conflicts(iorepl_conflict_list** out,
                                             iorepl_session* session);
IOREPL_API size_t iorepl_conflict_list_size(const iorepl_conflict_list* list);
/* Entry `index`: the store's URI and the mapping (borrowed), the conflict
 * item and the item it lost to (NULL when gone), both borrowed from the
 * list. */
IOREPL_API int iorepl_conflict_list_at(const char** store, const char** mapping,
                                       const iorepl_item** conflict_item,
                                       const iorepl_item** item,
                                       const iorepl_conflict_list* list,
                                       size_t index);
IOREPL_API void iorepl_conflict_list_free(iorepl_conflict_list* list);

/* An owner's choice about a conflict item, made as local changes that
 * replicate (Session::ResolveConflict). */
enum { IOREPL_KEEP_MINE = 0, IOREPL_KEEP_THEIRS = 1, IOREPL_KEEP_BOTH_ITEMS = 2 };
IOREPL_API int iorepl_session_resolve_conflict(iorepl_session* session,
                                               const iorepl_key* conflict_item,
                                               int how);

/* Sends this session's log lines to `fn` instead of the process-wide
 * callback (iorepl_set_log); NULL `fn` goes back to that one. */
IOREPL_API int iorepl_session_set_log(iorepl_session* session, iorepl_log_fn fn,
                                      void* user, int max_level);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* IOREPL_SESSION_H_ */
