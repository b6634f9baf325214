/* Copyright 2026 The ioreplication Authors.
 * SPDX-License-Identifier: Apache-2.0 */
/*
 * The C ABI, used from C99 the way a host uses it: every header, every
 * handle, the unhappy paths, and a host store written in C
 * (memory_host_store.c) taking part in sessions. Built with -std=c99
 * -pedantic -Werror and linked against libioreplication.so only.
 *
 * Prints each failed check with the library's message; exits 1 if any.
 */
#define _POSIX_C_SOURCE 200809L /* nanosleep */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "iorepl/iorepl.h"
#include "memory_host_store.h"

static int failures = 0;

#define CHECK(cond)                                                   \
  do {                                                                \
    if (!(cond)) {                                                    \
      fprintf(stderr, "%s:%d: CHECK(%s) failed (last message: %s)\n", \
              __FILE__, __LINE__, #cond, iorepl_error_message());     \
      ++failures;                                                     \
    }                                                                 \
  } while (0)

#define CHECK_RC(expr, want)                                                 \
  do {                                                                       \
    int rc_ = (expr);                                                        \
    if (rc_ != (want)) {                                                     \
      fprintf(stderr, "%s:%d: %s returned %d (%s), want %s: %s\n", __FILE__, \
              __LINE__, #expr, rc_, iorepl_rc_str(rc_), #want,               \
              iorepl_error_message());                                       \
      ++failures;                                                            \
    }                                                                        \
  } while (0)

#define OK(expr) CHECK_RC(expr, IOREPL_OK)

/* True when the thread's message contains `part`. */
static int message_has(const char* part) {
  return strstr(iorepl_error_message(), part) != NULL;
}

static const uint32_t kSubject = 0x0037001F;    /* PidTagSubject */
static const uint32_t kImportance = 0x00170003; /* PidTagImportance */

static char temp_dir[256];

static void temp_path(char* out, size_t size, const char* name) {
  snprintf(out, size, "%s/%s", temp_dir, name);
  remove(out);
}

/* ---- Versions and errors ---- */

static void test_versions_and_errors(void) {
  int codes[] = {
      IOREPL_OK,        IOREPL_EINVAL,   IOREPL_ENOTFOUND,    IOREPL_EEXISTS,
      IOREPL_ESTATE,    IOREPL_EIO,      IOREPL_ENOMEM,       IOREPL_ECANCELLED,
      IOREPL_ECALLBACK, IOREPL_EVERSION, IOREPL_ECORRUPT,     IOREPL_ETOOBIG,
      IOREPL_ERANGE,    IOREPL_EPERM,    IOREPL_EUNSUPPORTED, IOREPL_EINTERNAL};
  size_t i, j;
  CHECK(iorepl_version_number() == IOREPL_VERSION_NUMBER);
  CHECK(strcmp(iorepl_version_string(), IOREPL_VERSION_STRING) == 0);
  CHECK(iorepl_abi_version() == 1);
  for (i = 0; i < sizeof(codes) / sizeof(codes[0]); ++i) {
    CHECK(codes[i] == -(int)i); /* stable numbering */
    for (j = 0; j < i; ++j) {
      CHECK(strcmp(iorepl_rc_str(codes[i]), iorepl_rc_str(codes[j])) != 0);
    }
  }
  CHECK(strcmp(iorepl_rc_str(-999), "unknown result code") == 0);

  /* A failed call explains itself; a good one clears the message. */
  CHECK_RC(iorepl_store_open(NULL, "memory:", NULL), IOREPL_EINVAL);
  CHECK(message_has("out: must not be NULL"));
  CHECK(iorepl_version_number() > 0);
  {
    iorepl_guid g;
    OK(iorepl_guid_from_string(&g, "{00112233-4455-6677-8899-AABBCCDDEEFF}"));
    CHECK(strcmp(iorepl_error_message(), "") == 0);
  }
  iorepl_free(NULL); /* no-op */
}

/* ---- Keys and GUIDs ---- */

static void test_keys(void) {
  iorepl_guid g, g2;
  iorepl_key k, k2;
  uint64_t counter = 0;
  char text[IOREPL_KEY_STRING_SIZE];
  char gtext[IOREPL_GUID_STRING_SIZE];
  OK(iorepl_guid_from_string(&g, "00112233-4455-6677-8899-aabbccddeeff"));
  OK(iorepl_guid_to_string(gtext, &g));
  CHECK(strcmp(gtext, "{00112233-4455-6677-8899-AABBCCDDEEFF}") == 0);
  OK(iorepl_key_make(&k, &g, 42));
  OK(iorepl_key_to_string(text, &k));
  CHECK(strcmp(text, "{00112233-4455-6677-8899-AABBCCDDEEFF}:42") == 0);
  OK(iorepl_key_from_string(&k2, text));
  CHECK(memcmp(k.bytes, k2.bytes, sizeof(k.bytes)) == 0);
  OK(iorepl_key_parts(&g2, &counter, &k));
  CHECK(counter == 42 && memcmp(g.bytes, g2.bytes, 16) == 0);

  CHECK_RC(iorepl_key_make(&k, &g, 0), IOREPL_ERANGE);
  CHECK_RC(iorepl_key_make(&k, &g, (uint64_t)1 << 48), IOREPL_ERANGE);
  CHECK_RC(iorepl_key_from_string(&k, "{0011}:1"), IOREPL_EINVAL);
  OK(iorepl_key_from_string(&k2, "00112233-4455-6677-8899-AABBCCDDEEFF:42"));
  CHECK(memcmp(k.bytes, k2.bytes, sizeof(k.bytes)) == 0); /* no braces */
  CHECK_RC(
      iorepl_key_from_string(&k, "{00112233-4455-6677-8899-AABBCCDDEEFF}:4x"),
      IOREPL_EINVAL);
  CHECK_RC(iorepl_guid_from_string(&g, "\xff\xfe"), IOREPL_EINVAL);
  CHECK(message_has("UTF-8"));
}

/* ---- Stores and local changes ---- */

static void check_props_round_trip(const iorepl_props* p) {
  const char* s = NULL;
  const uint8_t* b = NULL;
  size_t len = 0, n = 0;
  int32_t i32 = 0;
  int64_t i64 = 0;
  int flag = 0;
  uint64_t t = 0;
  uint32_t tag = 0;
  OK(iorepl_props_get_string(&s, &len, p, kSubject));
  CHECK(len == 5 && strcmp(s, "Hello") == 0);
  OK(iorepl_props_get_int32(&i32, p, kImportance));
  CHECK(i32 == 2);
  OK(iorepl_props_get_int64(&i64, p, 0x66000014));
  CHECK(i64 == -7);
  OK(iorepl_props_get_bool(&flag, p, 0x6601000B));
  CHECK(flag == 1);
  OK(iorepl_props_get_time(&t, p, 0x66020040));
  CHECK(t == 131000000000000000ull);
  OK(iorepl_props_get_binary(&b, &len, p, 0x66030102));
  CHECK(len == 3 && b[0] == 1 && b[2] == 3);
  OK(iorepl_props_mv_count(&n, p, 0x6604101F));
  CHECK(n == 2);
  OK(iorepl_props_mv_string(&s, &len, p, 0x6604101F, 1));
  CHECK(strcmp(s, "two") == 0);
  OK(iorepl_props_mv_int32(&i32, p, 0x66051003, 0));
  CHECK(i32 == 5);
  OK(iorepl_props_mv_int64(&i64, p, 0x66061014, 0));
  CHECK(i64 == 6);
  OK(iorepl_props_mv_time(&t, p, 0x66071040, 0));
  CHECK(t == 7);
  OK(iorepl_props_mv_binary(&b, &len, p, 0x66081102, 0));
  CHECK(len == 1 && b[0] == 8);
  CHECK(iorepl_props_count(p) == 11);
  OK(iorepl_props_tag_at(&tag, p, 0));
  CHECK(tag == kImportance); /* ascending tag order */
  CHECK(iorepl_props_has(p, kSubject) == 1);
  CHECK(iorepl_props_has(p, 0x0E1D001F) == 0);
  /* Unhappy paths. */
  CHECK_RC(iorepl_props_get_int32(&i32, p, kSubject), IOREPL_EINVAL);
  CHECK_RC(iorepl_props_get_string(&s, &len, p, 0x0E1D001F), IOREPL_ENOTFOUND);
  CHECK_RC(iorepl_props_mv_string(&s, &len, p, 0x6604101F, 2), IOREPL_EINVAL);
  CHECK_RC(iorepl_props_mv_count(&n, p, kSubject), IOREPL_EINVAL);
  CHECK_RC(iorepl_props_tag_at(&tag, p, 11), IOREPL_EINVAL);
  CHECK_RC(iorepl_props_get_int32(&i32, p, 0x00170099), IOREPL_EINVAL);
}

static void fill_content(iorepl_content* c) {
  iorepl_props* p = iorepl_content_props(c);
  const char* strings[] = {"one", "two"};
  const size_t lens[] = {3, 3};
  const int32_t i32s[] = {5};
  const int64_t i64s[] = {6};
  const uint64_t times[] = {7};
  const uint8_t bin[] = {1, 2, 3};
  const uint8_t eight[] = {8};
  const uint8_t* bins[] = {eight};
  const size_t bin_lens[] = {1};
  CHECK(p != NULL);
  OK(iorepl_props_set_string(p, kSubject, "Hello", 5));
  OK(iorepl_props_set_int32(p, kImportance, 2));
  OK(iorepl_props_set_int64(p, 0x66000014, -7));
  OK(iorepl_props_set_bool(p, 0x6601000B, 1));
  OK(iorepl_props_set_time(p, 0x66020040, 131000000000000000ull));
  OK(iorepl_props_set_binary(p, 0x66030102, bin, 3));
  OK(iorepl_props_set_mv_string(p, 0x6604101F, strings, lens, 2));
  OK(iorepl_props_set_mv_int32(p, 0x66051003, i32s, 1));
  OK(iorepl_props_set_mv_int64(p, 0x66061014, i64s, 1));
  OK(iorepl_props_set_mv_time(p, 0x66071040, times, 1));
  OK(iorepl_props_set_mv_binary(p, 0x66081102, bins, bin_lens, 1));
  OK(iorepl_content_set_body(c, "Body text", 9));
  OK(iorepl_content_add_attachment(c, "a.txt", "text/plain",
                                   (const uint8_t*)"abc", 3));
  /* Rejected, nothing changed. */
  CHECK_RC(iorepl_props_set_string(p, kSubject, "\xc3\x28", 2), IOREPL_EINVAL);
  CHECK_RC(iorepl_props_set_int32(p, kSubject, 1), IOREPL_EINVAL);
  CHECK_RC(iorepl_props_set_int32(p, 0x00000003, 1), IOREPL_EINVAL); /* id 0 */
  CHECK_RC(iorepl_props_set_binary(p, 0x66030102, NULL, 4), IOREPL_EINVAL);
  CHECK_RC(iorepl_content_set_body(c, "x", (size_t)-1), IOREPL_EINVAL);
  CHECK(message_has("out of range"));
  CHECK_RC(iorepl_content_set_message_class(c, "has space"), IOREPL_EINVAL);
  CHECK_RC(iorepl_content_add_attachment(c, "bad\001name", "", NULL, 0),
           IOREPL_EINVAL);
  CHECK_RC(iorepl_props_remove(p, 0x0E1D001F), IOREPL_ENOTFOUND);
}

static void test_store_and_local_changes(iorepl_store* store) {
  iorepl_folder *root = NULL, *sales = NULL, *emea = NULL, *f = NULL;
  iorepl_key root_key, sales_key, emea_key, item_key, k;
  iorepl_content* content = NULL;
  iorepl_item *item = NULL, *copy = NULL;
  iorepl_key_list* list = NULL;
  iorepl_props* values = NULL;
  iorepl_store_counts counts;
  const char* member = NULL;
  const char *body = NULL, *name = NULL, *mime = NULL;
  const uint8_t* data = NULL;
  size_t len = 0;
  uint32_t rights = 0;
  int32_t method = 0;
  uint64_t when = 0;

  OK(iorepl_folder_create_root(&root, store, "Public"));
  OK(iorepl_folder_key(&root_key, root));
  CHECK_RC(iorepl_folder_parent(&k, root), IOREPL_ENOTFOUND);
  CHECK_RC(iorepl_folder_create_root(NULL, store, "Again"), IOREPL_EEXISTS);
  OK(iorepl_folder_create(&sales, store, &root_key, "Sales"));
  OK(iorepl_folder_key(&sales_key, sales));
  OK(iorepl_folder_parent(&k, sales));
  CHECK(memcmp(k.bytes, root_key.bytes, 22) == 0);
  CHECK(strcmp(iorepl_folder_name(sales), "Sales") == 0);
  OK(iorepl_folder_create(&emea, store, &root_key, "EMEA"));
  OK(iorepl_folder_key(&emea_key, emea));
  CHECK_RC(iorepl_folder_create(NULL, store, &root_key, "sales"),
           IOREPL_EEXISTS);
  CHECK_RC(iorepl_folder_create(NULL, store, &root_key, "a\tb"), IOREPL_EINVAL);
  CHECK_RC(iorepl_folder_create(NULL, store, &root_key, "\xe2\x82"),
           IOREPL_EINVAL);
  CHECK_RC(iorepl_folder_create(NULL, store, NULL, "x"), IOREPL_EINVAL);
  OK(iorepl_folder_move(&f, store, &emea_key, &sales_key));
  iorepl_folder_free(f);
  CHECK_RC(iorepl_folder_move(NULL, store, &sales_key, &emea_key),
           IOREPL_EINVAL); /* into its own subtree */
  OK(iorepl_folder_rename(&f, store, &emea_key, "Europe"));
  CHECK(strcmp(iorepl_folder_name(f), "Europe") == 0);
  iorepl_folder_free(f);

  /* ACLs and folder properties. */
  OK(iorepl_folder_set_acl(&f, store, &sales_key, "alice@contoso.com", 0x1));
  CHECK(iorepl_folder_acl_count(f) == 1);
  OK(iorepl_folder_acl_at(&member, &rights, f, 0));
  CHECK(strcmp(member, "alice@contoso.com") == 0 && rights == 0x1);
  CHECK_RC(iorepl_folder_acl_at(&member, &rights, f, 1), IOREPL_EINVAL);
  iorepl_folder_free(f);
  CHECK_RC(iorepl_folder_set_acl(NULL, store, &sales_key, "bob", 0x80000000u),
           IOREPL_EINVAL);
  OK(iorepl_folder_remove_acl(&f, store, &sales_key, "alice@contoso.com"));
  CHECK(iorepl_folder_acl_count(f) == 0);
  iorepl_folder_free(f);
  CHECK_RC(iorepl_folder_remove_acl(NULL, store, &sales_key, "nobody"),
           IOREPL_ENOTFOUND);
  OK(iorepl_props_new(&values));
  OK(iorepl_props_set_int32(values, 0x3FE70003, 1)); /* PidTagResolveMethod */
  OK(iorepl_folder_set_property(&f, store, &sales_key, values, 0x3FE70003));
  OK(iorepl_props_get_int32(&method, iorepl_folder_props(f), 0x3FE70003));
  CHECK(method == 1);
  iorepl_folder_free(f);
  OK(iorepl_props_remove(values, 0x3FE70003));
  OK(iorepl_folder_set_property(&f, store, &sales_key, values, 0x3FE70003));
  CHECK(iorepl_props_has(iorepl_folder_props(f), 0x3FE70003) == 0);
  CHECK_RC(iorepl_props_set_int32((iorepl_props*)iorepl_folder_props(f),
                                  kImportance, 1),
           IOREPL_EINVAL); /* a snapshot is read-only */
  iorepl_folder_free(f);
  iorepl_props_free(values);

  /* Items. */
  OK(iorepl_content_new(&content, "IPM.Post"));
  fill_content(content);
  OK(iorepl_item_create(&item, store, &sales_key, content));
  OK(iorepl_item_key(&item_key, item));
  OK(iorepl_item_folder(&k, item));
  CHECK(memcmp(k.bytes, sales_key.bytes, 22) == 0);
  CHECK(strcmp(iorepl_item_message_class(item), "IPM.Post") == 0);
  OK(iorepl_item_body(&body, &len, item));
  CHECK(len == 9 && strcmp(body, "Body text") == 0);
  OK(iorepl_item_last_modified(&when, item));
  CHECK(when > 0);
  OK(iorepl_item_pcl(&data, &len, item));
  CHECK(len == 23); /* one SizedXid: a size byte, the GUID, a GLOBCNT */
  CHECK(iorepl_item_attachment_count(item) == 1);
  OK(iorepl_item_attachment_at(&name, &mime, &data, &len, item, 0));
  CHECK(strcmp(name, "a.txt") == 0 && strcmp(mime, "text/plain") == 0 &&
        len == 3 && memcmp(data, "abc", 3) == 0);
  check_props_round_trip(iorepl_item_props(item));
  OK(iorepl_store_get_item(&copy, store, &item_key));
  check_props_round_trip(iorepl_item_props(copy));
  iorepl_item_free(copy);
  iorepl_content_free(content);

  /* Edit through a copy of the content. */
  OK(iorepl_content_from_item(&content, item));
  OK(iorepl_props_set_string(iorepl_content_props(content), kSubject, "Bye",
                             3));
  iorepl_item_free(item);
  OK(iorepl_item_modify(&item, store, &item_key, content));
  {
    const char* subject = NULL;
    OK(iorepl_props_get_string(&subject, &len, iorepl_item_props(item),
                               kSubject));
    CHECK(strcmp(subject, "Bye") == 0);
  }
  iorepl_content_free(content);
  iorepl_item_free(item);
  OK(iorepl_item_move(&item, store, &item_key, &emea_key));
  iorepl_item_free(item);
  OK(iorepl_store_list_items(&list, store, &emea_key));
  CHECK(iorepl_key_list_count(list) == 1);
  OK(iorepl_key_list_at(&k, list, 0));
  CHECK(memcmp(k.bytes, item_key.bytes, 22) == 0);
  CHECK_RC(iorepl_key_list_at(&k, list, 1), IOREPL_EINVAL);
  iorepl_key_list_free(list);
  OK(iorepl_store_list_folders(&list, store, NULL));
  CHECK(iorepl_key_list_count(list) == 1); /* the root */
  iorepl_key_list_free(list);
  OK(iorepl_store_list_folders(&list, store, &root_key));
  CHECK(iorepl_key_list_count(list) == 1); /* Sales (Europe moved under) */
  iorepl_key_list_free(list);

  OK(iorepl_store_find_folder(&f, store, "/sales/EUROPE"));
  OK(iorepl_folder_key(&k, f));
  CHECK(memcmp(k.bytes, emea_key.bytes, 22) == 0);
  iorepl_folder_free(f);
  CHECK_RC(iorepl_store_find_folder(&f, store, "/Nowhere"), IOREPL_ENOTFOUND);
  CHECK(f == NULL);
  CHECK_RC(iorepl_store_find_folder(&f, store, "relative"), IOREPL_EINVAL);

  memset(&counts, 0, sizeof(counts));
  counts.struct_size = sizeof(counts);
  OK(iorepl_store_count(&counts, store));
  CHECK(counts.folders == 3 && counts.items == 1 && counts.tombstones == 0);
  OK(iorepl_item_delete(store, &item_key));
  CHECK_RC(iorepl_item_delete(store, &item_key), IOREPL_ENOTFOUND);
  CHECK_RC(iorepl_store_get_item(&item, store, &item_key), IOREPL_ENOTFOUND);
  CHECK_RC(iorepl_folder_delete(store, &root_key), IOREPL_ESTATE);
  OK(iorepl_folder_delete(store, &sales_key)); /* with Europe */
  OK(iorepl_store_count(&counts, store));
  CHECK(counts.folders == 1 && counts.items == 0 && counts.tombstones == 3);

  /* Wrong handle types and NULLs. */
  CHECK_RC(iorepl_folder_create(NULL, (iorepl_store*)root, &root_key, "x"),
           IOREPL_EINVAL);
  CHECK(message_has("not a live handle"));
  CHECK(iorepl_folder_name((const iorepl_folder*)store) == NULL);
  CHECK(iorepl_key_list_count(NULL) == 0);
  CHECK_RC(iorepl_store_count(NULL, store), IOREPL_EINVAL);
  counts.struct_size = 3;
  CHECK_RC(iorepl_store_count(&counts, store), IOREPL_EINVAL);
  iorepl_folder_free(root);
  iorepl_folder_free(sales);
  iorepl_folder_free(emea);
  iorepl_folder_free(NULL);
  iorepl_item_free(NULL);
  iorepl_content_free(NULL);
  iorepl_props_free(NULL);
  iorepl_key_list_free(NULL);
}

static void test_stores(void) {
  iorepl_store* store = NULL;
  iorepl_store_options options;
  iorepl_guid replica;
  uint32_t epoch = 99;
  char path[512];
  struct {
    iorepl_store_options base;
    uint64_t future_field;
  } newer;

  OK(iorepl_store_open(&store, "memory:test", NULL));
  OK(iorepl_store_identity(&replica, &epoch, store));
  CHECK(epoch == 0);
  test_store_and_local_changes(store);
  OK(iorepl_store_mark_restored(store));
  OK(iorepl_store_identity(NULL, &epoch, store));
  CHECK(epoch == 1);
  iorepl_store_free(store);
  iorepl_store_free(NULL);

  temp_path(path, sizeof(path), "capi_store.db");
  {
    char uri[600];
    snprintf(uri, sizeof(uri), "sqlite:%s", path);
    OK(iorepl_store_options_init(&options, sizeof(options)));
    CHECK(options.max_item_size == 64u << 20);
    OK(iorepl_store_open(&store, uri, &options));
    test_store_and_local_changes(store);
    iorepl_store_free(store);

    options.credential = "secret";
    CHECK_RC(iorepl_store_open(&store, uri, &options), IOREPL_EINVAL);
    CHECK(!message_has("secret"));
    /* A struct from a newer header: fine while its new fields are zero. */
    memset(&newer, 0, sizeof(newer));
    OK(iorepl_store_options_init(&newer.base, sizeof(newer)));
    OK(iorepl_store_open(&store, uri, &newer.base));
    iorepl_store_free(store);
    newer.future_field = 1;
    CHECK_RC(iorepl_store_open(&store, uri, &newer.base), IOREPL_EVERSION);
    CHECK(store == NULL);
  }
  CHECK_RC(iorepl_store_open(&store, "ftp:x", NULL), IOREPL_EINVAL);
  CHECK(message_has("unknown scheme"));
  CHECK_RC(iorepl_store_open(&store, "host:fabrikam", NULL), IOREPL_ESTATE);
  CHECK(message_has("iorepl_session_new"));
  CHECK_RC(iorepl_store_open(&store, "sqlite:/nonexistent-dir/x.db", NULL),
           IOREPL_ENOTFOUND);
  CHECK(message_has("the directory /nonexistent-dir does not exist"));
  CHECK_RC(iorepl_store_open(&store, "sqlite:/proc/iorepl-test.db", NULL),
           IOREPL_EPERM);
  CHECK_RC(iorepl_store_open(&store, NULL, NULL), IOREPL_EINVAL);
  CHECK_RC(iorepl_store_open(&store, "memory:\xff", NULL), IOREPL_EINVAL);
  remove(path);
}

/* ---- Sessions ---- */

typedef struct log_capture {
  int lines;
  int max_level_seen;
  char last[512];
} log_capture;

static void capture_log(void* user, int level, const char* subsystem,
                        const char* message, size_t len) {
  log_capture* c = (log_capture*)user;
  c->lines++;
  if (level > c->max_level_seen) c->max_level_seen = level;
  snprintf(c->last, sizeof(c->last), "%s", message);
  if (strcmp(subsystem, "session") != 0 || strlen(message) != len) {
    ++failures;
  }
}

static int stop_after_first(void* user, const iorepl_progress* p) {
  int* calls = (int*)user;
  ++*calls;
  if (p->struct_size < sizeof(iorepl_progress) || p->mapping == NULL ||
      strstr(p->mapping, "->") == NULL || p->done == 0) {
    ++failures;
  }
  return 1; /* stop */
}

static iorepl_key make_folder_path(iorepl_store* store, const char* name) {
  iorepl_folder *root = NULL, *f = NULL;
  iorepl_key root_key, key;
  memset(&key, 0, sizeof(key));
  if (iorepl_store_find_folder(&root, store, "/") != IOREPL_OK) {
    OK(iorepl_folder_create_root(&root, store, "Public"));
  }
  OK(iorepl_folder_key(&root_key, root));
  OK(iorepl_folder_create(&f, store, &root_key, name));
  OK(iorepl_folder_key(&key, f));
  iorepl_folder_free(root);
  iorepl_folder_free(f);
  return key;
}

static void add_posts(iorepl_store* store, const iorepl_key* folder, int n,
                      const char* subject) {
  iorepl_content* c = NULL;
  int i;
  OK(iorepl_content_new(&c, "IPM.Post"));
  OK(iorepl_props_set_string(iorepl_content_props(c), kSubject, subject,
                             strlen(subject)));
  for (i = 0; i < n; ++i) OK(iorepl_item_create(NULL, store, folder, c));
  iorepl_content_free(c);
}

/* The longer subject wins: a function of the two versions only. A negative
 * `*user` makes the callback fail once. */
static int longer_subject_wins(void* user, const iorepl_conflict* c,
                               int* incoming_wins, int* keep_loser) {
  int* calls = (int*)user;
  const char *a = NULL, *b = NULL;
  size_t la = 0, lb = 0;
  if (*calls < 0) {
    *calls = 0;
    return 7;
  }
  ++*calls;
  if (c->local == NULL || c->incoming == NULL) return 1;
  CHECK(c->struct_size == sizeof(*c));
  CHECK(c->incoming_from_publisher == 1 && c->local_from_publisher == 0);
  OK(iorepl_props_get_string(&a, &la, iorepl_item_props(c->local), kSubject));
  OK(iorepl_props_get_string(&b, &lb, iorepl_item_props(c->incoming),
                             kSubject));
  *incoming_wins = lb > la;
  *keep_loser = 0;
  return 0;
}

static void test_conflict_callback(void) {
  char pub_path[512], sub_path[512], text[2048];
  iorepl_store *pub = NULL, *sub = NULL;
  iorepl_config* config = NULL;
  iorepl_session* session = NULL;
  iorepl_statistics stats = IOREPL_STATISTICS_INIT;
  iorepl_session_options options;
  iorepl_key folder, item_key;
  iorepl_item* item = NULL;
  iorepl_content* edit = NULL;
  const char* subject = NULL;
  size_t len = 0;
  int calls = 0;

  temp_path(pub_path, sizeof(pub_path), "capi_cb_pub.db");
  temp_path(sub_path, sizeof(sub_path), "capi_cb_sub.db");
  snprintf(text, sizeof(text),
           "name: \"Callback\" publisher: \"sqlite:%s\" subscriber: "
           "\"sqlite:%s\" mapping { publisher_path: \"/Sales\" "
           "subscriber_path: \"/Sales\" } options { conflict_policy: CALLBACK }",
           pub_path, sub_path);
  OK(iorepl_config_parse(&config, text, strlen(text)));
  /* The policy reads back as it is. */
  OK(iorepl_session_options_init(&options, sizeof(options)));
  OK(iorepl_config_get_options(&options, config));
  CHECK(options.conflict_policy == IOREPL_CALLBACK);
  {
    char uri[600];
    snprintf(uri, sizeof(uri), "sqlite:%s", pub_path);
    OK(iorepl_store_open(&pub, uri, NULL));
    folder = make_folder_path(pub, "Sales");
    add_posts(pub, &folder, 1, "plan");
    snprintf(uri, sizeof(uri), "sqlite:%s", sub_path);
    OK(iorepl_store_open(&sub, uri, NULL));
  }
  OK(iorepl_session_new(&session, config, pub, &sub, 1));
  /* CALLBACK without a callback: refused before anything is written. */
  CHECK_RC(iorepl_session_run(&stats, session), IOREPL_ESTATE);
  CHECK(message_has("no conflict callback"));
  OK(iorepl_session_set_conflict_callback(session, longer_subject_wins,
                                          &calls));
  OK(iorepl_session_run(&stats, session));
  CHECK(stats.message_changes == 1 && calls == 0);

  {
    iorepl_key_list* list = NULL;
    OK(iorepl_store_list_items(&list, pub, &folder));
    OK(iorepl_key_list_at(&item_key, list, 0));
    iorepl_key_list_free(list);
  }
  OK(iorepl_store_get_item(&item, pub, &item_key));
  OK(iorepl_content_from_item(&edit, item));
  iorepl_item_free(item);
  OK(iorepl_props_set_string(iorepl_content_props(edit), kSubject, "pub", 3));
  OK(iorepl_item_modify(NULL, pub, &item_key, edit));
  OK(iorepl_props_set_string(iorepl_content_props(edit), kSubject,
                             "subscriber's", 12));
  OK(iorepl_item_modify(NULL, sub, &item_key, edit));
  iorepl_content_free(edit);

  /* A failing callback: a Message Error, retried next pass. */
  calls = -1;
  OK(iorepl_session_run(&stats, session));
  CHECK(stats.message_errors == 1 && stats.conflicts == 0);
  OK(iorepl_session_run(&stats, session));
  CHECK(stats.conflicts == 1 && stats.message_errors == 0 && calls == 1);
  OK(iorepl_store_get_item(&item, sub, &item_key));
  OK(iorepl_props_get_string(&subject, &len, iorepl_item_props(item),
                             kSubject));
  CHECK(len == 12 && memcmp(subject, "subscriber's", 12) == 0);
  iorepl_item_free(item);

  OK(iorepl_session_set_conflict_callback(session, NULL, NULL));
  CHECK_RC(iorepl_session_run(&stats, session), IOREPL_ESTATE);

  /* Verify. The subscriber kept its own version above (one way: it never
   * goes back), a difference; then an item deleted at the subscriber. */
  {
    iorepl_verify_report* report = NULL;
    iorepl_difference d;
    uint64_t folders = 0, items = 0, differing = 0;
    iorepl_key lost;
    char key_text[IOREPL_KEY_STRING_SIZE], lost_text[IOREPL_KEY_STRING_SIZE];
    size_t i;
    int found = 0;
    OK(iorepl_session_verify(&report, session, 0));
    OK(iorepl_verify_report_counts(&folders, &items, &differing, report));
    CHECK(folders == 1 && items == 2 && differing == 1);
    CHECK(iorepl_verify_report_size(report) == 1);
    memset(&d, 0, sizeof(d));
    CHECK_RC(iorepl_verify_report_at(&d, report, 0), IOREPL_EINVAL);
    /* A caller built against a later, larger struct: the known fields. */
    d.struct_size = sizeof(d) + 16;
    OK(iorepl_verify_report_at(&d, report, 0));
    CHECK(d.struct_size == sizeof(d) + 16 && d.detail != NULL);
    d.struct_size = sizeof(d);
    CHECK_RC(iorepl_verify_report_at(&d, report, 1), IOREPL_ERANGE);
    OK(iorepl_verify_report_at(&d, report, 0));
    CHECK(d.kind == IOREPL_DIFFERENT_VERSION && d.folder == 0);
    CHECK(strcmp(d.mapping, "/Sales -> /Sales") == 0 && d.subscriber == 0);
    CHECK(strcmp(d.path, "") == 0);
    CHECK(strstr(d.detail, "publisher {") == d.detail);
    iorepl_verify_report_free(report);

    add_posts(pub, &folder, 1, "lost");
    OK(iorepl_session_set_conflict_callback(session, longer_subject_wins,
                                            &calls));
    OK(iorepl_session_run(&stats, session));
    {
      iorepl_key_list* list = NULL;
      OK(iorepl_store_list_items(&list, pub, &folder));
      CHECK(iorepl_key_list_count(list) == 2);
      OK(iorepl_key_list_at(&lost, list, 0));
      if (memcmp(&lost, &item_key, sizeof(lost)) == 0) {
        OK(iorepl_key_list_at(&lost, list, 1));
      }
      iorepl_key_list_free(list);
    }
    OK(iorepl_item_delete(sub, &lost));
    OK(iorepl_session_verify(&report, session, 0));
    CHECK(iorepl_verify_report_size(report) == 2);
    OK(iorepl_key_to_string(lost_text, &lost));
    for (i = 0; i < iorepl_verify_report_size(report); ++i) {
      OK(iorepl_verify_report_at(&d, report, i));
      OK(iorepl_key_to_string(key_text, &d.source_key));
      if (strcmp(key_text, lost_text) == 0) {
        CHECK(d.kind == IOREPL_MISSING_AT_SUBSCRIBER);
        found = 1;
      }
    }
    CHECK(found);
    iorepl_verify_report_free(report);
    CHECK_RC(iorepl_session_verify(NULL, session, 0), IOREPL_EINVAL);
  }
  iorepl_session_free(session);
  iorepl_config_free(config);
  iorepl_store_free(pub);
  iorepl_store_free(sub);
}

static void test_refused(void) {
  char pub_path[512], sub_path[512], text[2048], uri[600];
  iorepl_store* pub = NULL;
  iorepl_config* config = NULL;
  iorepl_session* session = NULL;
  iorepl_statistics stats = IOREPL_STATISTICS_INIT;
  iorepl_refused_list* list = NULL;
  iorepl_refusal r;
  iorepl_key folder;
  iorepl_content* big = NULL;
  char body[3000];

  temp_path(pub_path, sizeof(pub_path), "capi_refused_pub.db");
  temp_path(sub_path, sizeof(sub_path), "capi_refused_sub.db");
  snprintf(uri, sizeof(uri), "sqlite:%s", pub_path);
  OK(iorepl_store_open(&pub, uri, NULL));
  folder = make_folder_path(pub, "Sales");
  memset(body, 'x', sizeof(body));
  OK(iorepl_content_new(&big, "IPM.Post"));
  OK(iorepl_content_set_body(big, body, sizeof(body)));
  OK(iorepl_item_create(NULL, pub, &folder, big));
  iorepl_content_free(big);
  iorepl_store_free(pub);
  snprintf(text, sizeof(text),
           "name: \"Refused\" publisher: \"sqlite:%s\" subscriber: "
           "\"sqlite:%s\" mapping { publisher_path: \"/Sales\" "
           "subscriber_path: \"/Sales\" } options { max_item_size: 1000 }",
           pub_path, sub_path);
  OK(iorepl_config_parse(&config, text, strlen(text)));
  OK(iorepl_session_open(&session, config));
  OK(iorepl_session_run(&stats, session));
  CHECK(stats.message_ignores == 1);
  OK(iorepl_session_run(&stats, session));
  CHECK(stats.message_ignores == 1); /* every pass */
  OK(iorepl_session_list_refused(&list, session));
  CHECK(iorepl_refused_list_size(list) == 1);
  memset(&r, 0, sizeof(r));
  CHECK_RC(iorepl_refused_list_at(&r, list, 0), IOREPL_EINVAL);
  r.struct_size = sizeof(r);
  CHECK_RC(iorepl_refused_list_at(&r, list, 1), IOREPL_ERANGE);
  OK(iorepl_refused_list_at(&r, list, 0));
  CHECK(strcmp(r.reason, "too_large") == 0 && r.folder == 0 && !r.skipped);
  CHECK(strcmp(r.direction, "publisher -> subscriber 1") == 0);
  CHECK(strstr(r.why, "above the session's maximum of 1000") != NULL);
  CHECK_RC(iorepl_session_skip_refused(session, &folder), IOREPL_ENOTFOUND);
  OK(iorepl_session_skip_refused(session, &r.source_key));
  iorepl_refused_list_free(list);
  OK(iorepl_session_list_refused(&list, session));
  OK(iorepl_refused_list_at(&r, list, 0));
  CHECK(r.skipped == 1);
  iorepl_refused_list_free(list);
  OK(iorepl_session_run(&stats, session));
  CHECK(stats.message_ignores == 0);
  OK(iorepl_session_list_refused(&list, session));
  CHECK(iorepl_refused_list_size(list) == 0);
  iorepl_refused_list_free(list);
  iorepl_session_free(session);
  iorepl_config_free(config);
}

static void test_sessions(void) {
  char pub_path[512], sub_path[512], sub2_path[512];
  char pub_uri[600], sub_uri[600], sub2_uri[600];
  iorepl_store* pub = NULL;
  iorepl_config *config = NULL, *parsed = NULL;
  iorepl_session* session = NULL;
  iorepl_statistics stats = IOREPL_STATISTICS_INIT;
  iorepl_session_options options;
  iorepl_key folder;
  log_capture logs;
  int progress_calls = 0;
  char* line = NULL;
  char text[2048];

  memset(&logs, 0, sizeof(logs));
  temp_path(pub_path, sizeof(pub_path), "capi_pub.db");
  temp_path(sub_path, sizeof(sub_path), "capi_sub.db");
  temp_path(sub2_path, sizeof(sub2_path), "capi_sub2.db");
  snprintf(sub2_uri, sizeof(sub2_uri), "sqlite:%s", sub2_path);
  snprintf(pub_uri, sizeof(pub_uri), "sqlite:%s", pub_path);
  snprintf(sub_uri, sizeof(sub_uri), "sqlite:%s", sub_path);
  OK(iorepl_store_open(&pub, pub_uri, NULL));
  folder = make_folder_path(pub, "Sales");
  add_posts(pub, &folder, 30, "Quarterly numbers");
  iorepl_store_free(pub);

  /* Built field by field. */
  OK(iorepl_config_new(&config, "Sales share"));
  CHECK(strcmp(iorepl_config_name(config), "Sales share") == 0);
  CHECK_RC(iorepl_config_validate(config), IOREPL_EINVAL);
  CHECK(message_has("publisher"));
  OK(iorepl_config_set_publisher(config, pub_uri));
  OK(iorepl_config_add_subscriber(config, sub_uri));
  OK(iorepl_config_add_mapping(config, "/Sales", "/Contoso/Sales",
                               IOREPL_ONE_WAY));
  CHECK_RC(iorepl_config_add_mapping(config, "/A", "/B", 7), IOREPL_EINVAL);
  CHECK_RC(iorepl_config_add_mapping(config, "A", "/B", IOREPL_ONE_WAY),
           IOREPL_EINVAL);
  CHECK_RC(iorepl_config_set_publisher(config, "nothing"), IOREPL_EINVAL);
  CHECK_RC(iorepl_config_add_subscriber(config, "pg://u:pw@host/db"),
           IOREPL_EINVAL);
  CHECK(!message_has("pw@"));
  OK(iorepl_config_validate(config));
  OK(iorepl_session_options_init(&options, sizeof(options)));
  OK(iorepl_config_get_options(&options, config));
  CHECK(options.batch_size == 1000 && options.replicate_deletions == 1);
  options.batch_size = 10;
  options.log_level = IOREPL_LOG_DEBUG;
  OK(iorepl_config_set_options(config, &options));
  options.conflict_policy = 9;
  CHECK_RC(iorepl_config_set_options(config, &options), IOREPL_EINVAL);
  options.conflict_policy = IOREPL_KEEP_BOTH;
  options.batch_size = 0;
  CHECK_RC(iorepl_config_set_options(config, &options), IOREPL_EINVAL);
  OK(iorepl_config_get_options(&options, config));
  CHECK(options.batch_size == 10); /* the rejected calls changed nothing */
  CHECK(options.verify_interval_seconds == 0);
  options.verify_interval_seconds = 3600;
  OK(iorepl_config_set_options(config, &options));
  options.verify_interval_seconds = 1ull << 32;
  CHECK_RC(iorepl_config_set_options(config, &options), IOREPL_EINVAL);
  CHECK(message_has("verify_interval_seconds"));
  {
    /* A caller built before verify_interval_seconds existed: its struct
     * ends at log_level, and the session's interval stays as it is. */
    iorepl_session_options v1;
    OK(iorepl_session_options_init(&v1, sizeof(v1)));
    OK(iorepl_config_get_options(&v1, config));
    CHECK(v1.verify_interval_seconds == 3600);
    v1.struct_size = offsetof(iorepl_session_options, log_level) +
                     sizeof(v1.log_level);
    v1.verify_interval_seconds = 0; /* beyond its struct_size: not read */
    OK(iorepl_config_set_options(config, &v1));
    OK(iorepl_config_get_options(&options, config));
    CHECK(options.verify_interval_seconds == 3600);
  }
  options.verify_interval_seconds = 0;
  OK(iorepl_config_set_options(config, &options));

  OK(iorepl_session_open(&session, config));
  OK(iorepl_session_set_log(session, capture_log, &logs, IOREPL_LOG_DEBUG));
  OK(iorepl_session_set_progress(session, stop_after_first, &progress_calls));
  CHECK_RC(iorepl_session_run(&stats, session), IOREPL_ECANCELLED);
  CHECK(progress_calls == 1);
  CHECK(stats.message_changes == 10); /* one batch, then stopped */
  OK(iorepl_session_set_progress(session, NULL, NULL));
  OK(iorepl_session_run(&stats, session));
  CHECK(stats.message_changes == 20 && stats.folder_changes == 0);
  OK(iorepl_statistics_line(&line, session, &stats));
  CHECK(strcmp(line,
               "Statistics for Public Folder replication session 'Sales "
               "share' [20 Message Changes, 0 Message Deletions, 0 Message "
               "Ignores, 0 Message Errors, 0 Folder Changes, 0 Folder "
               "Deletions, 0 Folder Ignores, 0 Folder Errors].") == 0);
  iorepl_free(line);
  OK(iorepl_session_run(&stats, session));
  CHECK(stats.message_changes == 0 && stats.message_ignores == 0);
  CHECK(strcmp(iorepl_reason_name(IOREPL_REASON_OLDER_VERSION),
               "older_version") == 0);
  CHECK(iorepl_reason_name(-1) == NULL && iorepl_reason_name(99) == NULL);
  stats.struct_size = 8;
  CHECK_RC(iorepl_session_run(&stats, session), IOREPL_EINVAL);
  CHECK_RC(iorepl_session_set_log(session, capture_log, &logs, 0),
           IOREPL_EINVAL);
  iorepl_session_free(session);
  iorepl_session_free(NULL);

  /* The process-wide log, and a session parsed from text. Its second
   * mapping names a publisher folder that does not exist: a Folder Error,
   * logged at the summary (INFO) level. */
  snprintf(text, sizeof(text),
           "name: \"Parsed\"\npublisher: \"%s\"\nsubscriber: \"%s\"\n"
           "mapping { publisher_path: \"/Sales\" subscriber_path: "
           "\"/Copy\" }\n"
           "mapping { publisher_path: \"/Missing\" subscriber_path: "
           "\"/Elsewhere\" }\n",
           pub_uri, sub2_uri);
  OK(iorepl_config_parse(&parsed, text, strlen(text)));
  CHECK(strcmp(iorepl_config_name(parsed), "Parsed") == 0);
  {
    /* What the configuration holds reads back. */
    const char* pub_path = NULL;
    const char* sub_path = NULL;
    int direction = -1;
    CHECK(strcmp(iorepl_config_publisher(parsed), pub_uri) == 0);
    CHECK(iorepl_config_subscriber_count(parsed) == 1);
    CHECK(strcmp(iorepl_config_subscriber(parsed, 0), sub2_uri) == 0);
    CHECK(iorepl_config_subscriber(parsed, 1) == NULL);
    CHECK(message_has("past the last subscriber"));
    CHECK(iorepl_config_mapping_count(parsed) == 2);
    OK(iorepl_config_mapping(&pub_path, &sub_path, &direction, parsed, 1));
    CHECK(strcmp(pub_path, "/Missing") == 0);
    CHECK(strcmp(sub_path, "/Elsewhere") == 0);
    CHECK(direction == IOREPL_ONE_WAY);
    OK(iorepl_config_mapping(NULL, NULL, NULL, parsed, 0));
    CHECK_RC(iorepl_config_mapping(&pub_path, NULL, NULL, parsed, 2),
             IOREPL_ERANGE);
    CHECK(iorepl_config_type(parsed) == IOREPL_PUBLIC_FOLDER);
    CHECK(iorepl_config_type(NULL) == -1);
    CHECK(iorepl_config_publisher(NULL) == NULL);
    CHECK(iorepl_config_subscriber_count(NULL) == 0);
  }
  OK(iorepl_session_open(&session, parsed));
  stats.struct_size = sizeof(stats);
  /* Below the level asked for: not even formatted, so nothing arrives. */
  OK(iorepl_set_log(capture_log, &logs, IOREPL_LOG_ERROR));
  OK(iorepl_session_run(&stats, session));
  CHECK(stats.message_changes == 30 && stats.folder_errors == 1);
  CHECK(logs.lines == 0);
  OK(iorepl_set_log(capture_log, &logs, IOREPL_LOG_INFO));
  OK(iorepl_session_run(&stats, session));
  CHECK(stats.folder_errors == 1);
  CHECK(logs.lines == 1 && logs.max_level_seen == IOREPL_LOG_INFO);
  CHECK(strstr(logs.last, "the publisher has no folder /Missing") != NULL);
  /* A session's own callback takes precedence over the process-wide one. */
  {
    log_capture own;
    memset(&own, 0, sizeof(own));
    OK(iorepl_session_set_log(session, capture_log, &own, IOREPL_LOG_DEBUG));
    OK(iorepl_session_run(&stats, session));
    CHECK(own.lines == 1 && logs.lines == 1);
    OK(iorepl_session_set_log(session, NULL, NULL, 0));
    OK(iorepl_session_run(&stats, session));
    CHECK(own.lines == 1 && logs.lines == 2);
  }
  OK(iorepl_set_log(NULL, NULL, 0));
  CHECK_RC(iorepl_set_log(capture_log, NULL, 17), IOREPL_EINVAL);
  iorepl_session_free(session);
  iorepl_config_free(parsed);
  CHECK_RC(iorepl_config_parse(&parsed, "name: ", 6), IOREPL_EINVAL);
  CHECK(message_has("line"));
  CHECK_RC(iorepl_config_parse(&parsed, "name: \"x\"", 9), IOREPL_EINVAL);
  CHECK(parsed == NULL);
  iorepl_config_free(config);
  iorepl_config_free(NULL);
  remove(pub_path);
  remove(sub_path);
  remove(sub2_path);
}

/* ---- Host stores ---- */

/* Wraps a host's put to decode the items written, as a host showing them
 * to its users would. */
static iorepl_host_store inner;
static int items_seen = 0;

static int decoding_put(void* user, const iorepl_record* record) {
  if (record->kind == IOREPL_KIND_ITEM) {
    iorepl_item* item = NULL;
    const char* subject = NULL;
    size_t len = 0;
    if (iorepl_record_item(&item, record) != IOREPL_OK ||
        iorepl_props_get_string(&subject, &len, iorepl_item_props(item),
                                kSubject) != IOREPL_OK) {
      iorepl_item_free(item);
      iorepl_set_callback_error("could not decode the item");
      return IOREPL_ECORRUPT;
    }
    if (strcmp(subject, "Hosted") == 0) ++items_seen;
    iorepl_item_free(item);
  }
  if (record->kind == IOREPL_KIND_FOLDER) {
    iorepl_folder* folder = NULL;
    if (iorepl_record_folder(&folder, record) != IOREPL_OK) return -1;
    iorepl_folder_free(folder);
    if (iorepl_record_item(NULL, record) != IOREPL_EINVAL) return -1;
  }
  return inner.put(user, record);
}

static void test_host_stores(void) {
  int pub_destroyed = 0, sub_destroyed = 0, bad_destroyed = 0;
  memory_host* pub_host = memory_host_new();
  memory_host* sub_host = memory_host_new();
  iorepl_host_store pub_vt = memory_host_vtable(pub_host, &pub_destroyed);
  iorepl_host_store sub_vt = memory_host_vtable(sub_host, &sub_destroyed);
  iorepl_host_store bad_vt;
  iorepl_store *pub = NULL, *sub = NULL, *bad = NULL;
  iorepl_config* config = NULL;
  iorepl_session* session = NULL;
  iorepl_statistics stats = IOREPL_STATISTICS_INIT;
  iorepl_store_counts counts;
  iorepl_store* subs[1];
  iorepl_session_options options;
  iorepl_key pub_folder, sub_folder_key, item_key;
  iorepl_folder* sub_folder = NULL;
  iorepl_key_list* list = NULL;
  iorepl_content* edit = NULL;
  iorepl_item* item = NULL;
  const uint8_t *pcl_a = NULL, *pcl_b = NULL;
  size_t pcl_a_len = 0, pcl_b_len = 0;
  uint8_t* merged = NULL;
  size_t merged_len = 0;
  int order = -1;

  inner = sub_vt;
  sub_vt.put = decoding_put;
  OK(iorepl_store_new_host(&pub, &pub_vt, NULL));
  OK(iorepl_store_new_host(&sub, &sub_vt, NULL));
  memset(&sub_vt, 0xAB, sizeof(sub_vt)); /* the library copied it */
  pub_folder = make_folder_path(pub, "Projects");
  add_posts(pub, &pub_folder, 25, "Hosted");

  OK(iorepl_config_new(&config, "Hosted share"));
  OK(iorepl_config_set_publisher(config, "memory:host-pub"));
  OK(iorepl_config_add_subscriber(config, "memory:host-sub"));
  OK(iorepl_config_add_mapping(config, "/Projects", "/Projects",
                               IOREPL_BIDIRECTIONAL));
  /* Batches of five: a pass reads its next batch ahead on a thread of its
   * own, except from a host store (its callbacks stay on this thread). */
  OK(iorepl_session_options_init(&options, sizeof(options)));
  OK(iorepl_config_get_options(&options, config));
  options.batch_size = 5;
  OK(iorepl_config_set_options(config, &options));
  subs[0] = sub;
  CHECK_RC(iorepl_session_new(&session, config, pub, subs, 2), IOREPL_EINVAL);
  subs[0] = pub;
  CHECK_RC(iorepl_session_new(&session, config, pub, subs, 1), IOREPL_EINVAL);
  subs[0] = sub;
  OK(iorepl_session_new(&session, config, pub, subs, 1));
  OK(iorepl_session_run(&stats, session));
  CHECK(stats.message_changes == 25 && stats.folder_changes == 0);
  CHECK(items_seen == 25);
  CHECK(memory_host_foreign_calls(pub_host) == 0);
  CHECK(memory_host_foreign_calls(sub_host) == 0);

  /* A failing callback: IOREPL_ECALLBACK with its message, nothing half
   * done, and the next pass completes the work. */
  OK(iorepl_store_find_folder(&sub_folder, sub, "/Projects"));
  OK(iorepl_folder_key(&sub_folder_key, sub_folder));
  iorepl_folder_free(sub_folder);
  add_posts(sub, &sub_folder_key, 3, "From the subscriber");
  memory_host_fail_next(pub_host, "put");
  CHECK_RC(iorepl_session_run(&stats, session), IOREPL_ECALLBACK);
  CHECK(message_has("put returned -5"));
  CHECK(message_has("injected failure"));
  OK(iorepl_session_run(&stats, session));
  CHECK(stats.message_changes == 3);
  CHECK(memory_host_size(pub_host) == 2 + 25 + 3);

  /* A conflict: both sides edit the same item before the next pass. */
  OK(iorepl_store_list_items(&list, pub, &pub_folder));
  OK(iorepl_key_list_at(&item_key, list, 0));
  iorepl_key_list_free(list);
  OK(iorepl_store_get_item(&item, pub, &item_key));
  OK(iorepl_content_from_item(&edit, item));
  iorepl_item_free(item);
  OK(iorepl_props_set_string(iorepl_content_props(edit), kSubject, "Pub", 3));
  OK(iorepl_item_modify(NULL, pub, &item_key, edit));
  OK(iorepl_props_set_string(iorepl_content_props(edit), kSubject, "Sub", 3));
  OK(iorepl_item_modify(NULL, sub, &item_key, edit));
  iorepl_content_free(edit);
  /* The session holds its stores: the caller may let go of them now. */
  iorepl_store_free(pub);
  CHECK(pub_destroyed == 0);
  OK(iorepl_session_run(&stats, session));
  CHECK(stats.conflicts >= 1);
  memset(&counts, 0, sizeof(counts));
  counts.struct_size = sizeof(counts);
  OK(iorepl_store_count(&counts, sub));
  /* 25 + 3 posts, the kept losing version and the conflict notice. */
  CHECK(counts.items == 25 + 3 + 2);
  /* The conflict item, listed with the item it lost to, and resolved. */
  {
    iorepl_conflict_list* conflicts = NULL;
    const iorepl_item *loser = NULL, *winner = NULL;
    const char *store_uri = NULL, *mapping = NULL;
    iorepl_key loser_key;
    OK(iorepl_session_list_conflicts(&conflicts, session));
    CHECK(iorepl_conflict_list_size(conflicts) >= 1);
    OK(iorepl_conflict_list_at(&store_uri, &mapping, &loser, &winner,
                               conflicts, 0));
    CHECK(store_uri != NULL && mapping != NULL && loser != NULL &&
          winner != NULL);
    CHECK_RC(iorepl_conflict_list_at(NULL, NULL, NULL, NULL, conflicts, 99),
             IOREPL_ERANGE);
    OK(iorepl_item_key(&loser_key, loser));
    CHECK_RC(iorepl_session_resolve_conflict(session, &loser_key, 9),
             IOREPL_EINVAL);
    OK(iorepl_session_resolve_conflict(session, &loser_key,
                                       IOREPL_KEEP_THEIRS));
    iorepl_conflict_list_free(conflicts);
    OK(iorepl_session_run(&stats, session));
    OK(iorepl_session_list_conflicts(&conflicts, session));
    CHECK(iorepl_conflict_list_size(conflicts) == 0);
    iorepl_conflict_list_free(conflicts);
  }
  iorepl_session_free(session);
  CHECK(pub_destroyed == 1); /* the last user of the publisher went away */
  iorepl_config_free(config);
  iorepl_store_free(sub);
  CHECK(sub_destroyed == 1);

  /* PCL codec on real PCLs: an edit is newer than the original. */
  {
    iorepl_store* store = NULL;
    iorepl_key f, k;
    iorepl_item *v1 = NULL, *v2 = NULL;
    iorepl_content* c = NULL;
    OK(iorepl_store_open(&store, "memory:", NULL));
    f = make_folder_path(store, "F");
    OK(iorepl_content_new(&c, "IPM.Note"));
    OK(iorepl_item_create(&v1, store, &f, c));
    OK(iorepl_item_key(&k, v1));
    OK(iorepl_item_modify(&v2, store, &k, c));
    OK(iorepl_item_pcl(&pcl_a, &pcl_a_len, v2));
    OK(iorepl_item_pcl(&pcl_b, &pcl_b_len, v1));
    OK(iorepl_pcl_compare(&order, pcl_a, pcl_a_len, pcl_b, pcl_b_len));
    CHECK(order == IOREPL_PCL_NEWER);
    OK(iorepl_pcl_compare(&order, pcl_b, pcl_b_len, pcl_a, pcl_a_len));
    CHECK(order == IOREPL_PCL_OLDER);
    OK(iorepl_pcl_compare(&order, pcl_a, pcl_a_len, pcl_a, pcl_a_len));
    CHECK(order == IOREPL_PCL_EQUAL);
    OK(iorepl_pcl_compare(&order, NULL, 0, pcl_a, pcl_a_len));
    CHECK(order == IOREPL_PCL_OLDER);
    OK(iorepl_pcl_merge(&merged, &merged_len, pcl_a, pcl_a_len, pcl_b,
                        pcl_b_len));
    CHECK(merged_len == pcl_a_len && memcmp(merged, pcl_a, pcl_a_len) == 0);
    iorepl_free(merged);
    CHECK_RC(iorepl_pcl_compare(&order, pcl_a, pcl_a_len - 1, pcl_b, pcl_b_len),
             IOREPL_ECORRUPT);
    CHECK(message_has("a: "));
    iorepl_item_free(v1);
    iorepl_item_free(v2);
    iorepl_content_free(c);
    iorepl_store_free(store);
  }

  /* Bad vtables: refused, destroy still called exactly once. */
  memset(&counts, 0, sizeof(counts));
  bad_vt = memory_host_vtable(memory_host_new(), &bad_destroyed);
  bad_vt.scan = NULL;
  CHECK_RC(iorepl_store_new_host(&bad, &bad_vt, NULL), IOREPL_EINVAL);
  CHECK(message_has("scan"));
  CHECK(bad == NULL && bad_destroyed == 1);
  bad_vt = memory_host_vtable(memory_host_new(), &bad_destroyed);
  memory_host_fail_next((memory_host*)bad_vt.user, "get_value");
  CHECK_RC(iorepl_store_new_host(&bad, &bad_vt, NULL), IOREPL_ECALLBACK);
  CHECK(bad_destroyed == 2);
  /* A failed first commit: rolled back before destroy. */
  bad_vt = memory_host_vtable(memory_host_new(), &bad_destroyed);
  memory_host_fail_next((memory_host*)bad_vt.user, "commit");
  CHECK_RC(iorepl_store_new_host(&bad, &bad_vt, NULL), IOREPL_ECALLBACK);
  CHECK(message_has("commit returned"));
  CHECK(bad_destroyed == 3);
  bad_vt = memory_host_vtable(memory_host_new(), &bad_destroyed);
  bad_vt.struct_size = 4;
  CHECK_RC(iorepl_store_new_host(&bad, &bad_vt, NULL), IOREPL_EINVAL);
  CHECK(bad_destroyed == 3); /* too short to trust its destroy slot */
  bad_vt.struct_size = sizeof(bad_vt);
  bad_vt.destroy(bad_vt.user);
  CHECK_RC(iorepl_store_new_host(&bad, NULL, NULL), IOREPL_EINVAL);
  CHECK_RC(iorepl_rows_add(NULL, NULL), IOREPL_EINVAL);
  CHECK_RC(iorepl_blob_set(NULL, NULL, 0), IOREPL_EINVAL);
  CHECK_RC(iorepl_record_item(&item, NULL), IOREPL_EINVAL);
}

/* ---- IDSETs ---- */

/* A host store that says any thread will do is read ahead on a thread of
 * the library's own when it is a source; its destination never is. */
static void test_host_store_any_thread(void) {
  memory_host* pub_host = memory_host_new();
  memory_host* sub_host = memory_host_new();
  iorepl_host_store pub_vt = memory_host_vtable(pub_host, NULL);
  iorepl_host_store sub_vt = memory_host_vtable(sub_host, NULL);
  iorepl_store *pub = NULL, *sub = NULL;
  iorepl_config* config = NULL;
  iorepl_session* session = NULL;
  iorepl_session_options options;
  iorepl_statistics stats = IOREPL_STATISTICS_INIT;
  iorepl_key folder;

  pub_vt.any_thread = 1;
  sub_vt.any_thread = 1;
  OK(iorepl_store_new_host(&pub, &pub_vt, NULL));
  OK(iorepl_store_new_host(&sub, &sub_vt, NULL));
  folder = make_folder_path(pub, "Projects");
  add_posts(pub, &folder, 25, "Threaded");
  OK(iorepl_config_new(&config, "Threaded share"));
  OK(iorepl_config_set_publisher(config, "memory:pub"));
  OK(iorepl_config_add_subscriber(config, "memory:sub"));
  OK(iorepl_config_add_mapping(config, "/Projects", "/Projects",
                               IOREPL_ONE_WAY));
  OK(iorepl_session_options_init(&options, sizeof(options)));
  OK(iorepl_config_get_options(&options, config));
  options.batch_size = 5;
  OK(iorepl_config_set_options(config, &options));
  OK(iorepl_session_new(&session, config, pub, &sub, 1));
  OK(iorepl_session_run(&stats, session));
  CHECK(stats.message_changes == 25);
  CHECK(memory_host_foreign_calls(pub_host) > 0);
  CHECK(memory_host_foreign_calls(sub_host) == 0);
  OK(iorepl_session_run(&stats, session));
  CHECK(stats.message_changes == 0);
  iorepl_session_free(session);
  iorepl_config_free(config);
  iorepl_store_free(pub);
  iorepl_store_free(sub);
}

static void test_idsets(void) {
  iorepl_idset *set = NULL, *back = NULL, *parsed = NULL;
  iorepl_guid g;
  uint8_t* wire = NULL;
  size_t wire_len = 0;
  char* text = NULL;
  uint64_t count = 0;
  int has = 0;
  const uint8_t garbage[] = {0x00, 0x11, 0x22};

  OK(iorepl_guid_from_string(&g, "{00112233-4455-6677-8899-AABBCCDDEEFF}"));
  OK(iorepl_idset_new(&set));
  OK(iorepl_idset_insert(set, &g, 1, 5));
  OK(iorepl_idset_insert(set, &g, 9, 9));
  CHECK_RC(iorepl_idset_insert(set, &g, 5, 1), IOREPL_ERANGE);
  CHECK_RC(iorepl_idset_insert(set, &g, 0, 1), IOREPL_ERANGE);
  OK(iorepl_idset_count(&count, set));
  CHECK(count == 6);
  OK(iorepl_idset_contains(&has, set, &g, 9));
  CHECK(has == 1);
  OK(iorepl_idset_contains(&has, set, &g, 6));
  CHECK(has == 0);
  OK(iorepl_idset_encode(&wire, &wire_len, set));
  OK(iorepl_idset_decode(&back, wire, wire_len));
  OK(iorepl_idset_to_string(&text, back));
  CHECK(strcmp(text, "{00112233-4455-6677-8899-AABBCCDDEEFF}: 1-5,9") == 0);
  OK(iorepl_idset_parse(&parsed, text));
  OK(iorepl_idset_union(parsed, set));
  OK(iorepl_idset_count(&count, parsed));
  CHECK(count == 6);
  iorepl_idset_free(back);
  CHECK_RC(iorepl_idset_decode(&back, wire, wire_len - 1), IOREPL_ECORRUPT);
  CHECK_RC(iorepl_idset_decode(&back, garbage, sizeof(garbage)),
           IOREPL_ECORRUPT);
  CHECK(back == NULL);
  CHECK_RC(iorepl_idset_parse(&back, "not an idset"), IOREPL_EINVAL);
  CHECK_RC(iorepl_idset_decode(&back, NULL, 5), IOREPL_EINVAL);
  iorepl_free(wire);
  iorepl_free(text);
  iorepl_idset_free(set);
  iorepl_idset_free(parsed);
  iorepl_idset_free(NULL);
}

/* ---- Struct growth ---- */

/* The bytes of `type` up to and including `field`: the size of a struct
 * whose last field, in the header a caller was built with, is `field`. */
#define SIZE_THROUGH(type, field) \
  (offsetof(type, field) + sizeof(((type*)0)->field))

/* Every size ever published is accepted: each struct cut to its first
 * published version (ioreplication 0.1) works, and the library writes no
 * byte past what the caller's struct_size covers. One byte less is refused,
 * naming the first published size. */
static void test_first_published_sizes(void) {
  iorepl_store* store = NULL;
  iorepl_config* config = NULL;
  iorepl_session* session = NULL;
  const size_t counts_v1 = SIZE_THROUGH(iorepl_store_counts, tombstones);
  const size_t store_options_v1 = SIZE_THROUGH(iorepl_store_options, credential);
  const size_t options_v1 = SIZE_THROUGH(iorepl_session_options, log_level);
  const size_t stats_v1 =
      SIZE_THROUGH(iorepl_statistics, folder_error_reasons);
  char sub_uri[600], pub_uri[600], pub_path[512], sub_path[512];

  {
    /* Output: store counts. */
    unsigned char raw[sizeof(iorepl_store_counts) + 8];
    iorepl_store_counts* counts = (iorepl_store_counts*)(void*)raw;
    OK(iorepl_store_open(&store, "memory:sizes", NULL));
    memset(raw, 0xAB, sizeof(raw));
    counts->struct_size = counts_v1;
    OK(iorepl_store_count(counts, store));
    CHECK(counts->folders == 0 && raw[counts_v1] == 0xAB);
    counts->struct_size = counts_v1 - 1;
    CHECK_RC(iorepl_store_count(counts, store), IOREPL_EINVAL);
    CHECK(message_has("is below 32, the size of this struct's first "
                      "published version"));
    iorepl_store_free(store);
  }
  {
    /* Input: store options, through init and open. */
    iorepl_store_options o;
    OK(iorepl_store_options_init(&o, store_options_v1));
    OK(iorepl_store_open(&store, "memory:sizes", &o));
    iorepl_store_free(store);
    o.struct_size = store_options_v1 - 1;
    CHECK_RC(iorepl_store_open(&store, "memory:sizes", &o), IOREPL_EINVAL);
    CHECK_RC(iorepl_store_options_init(&o, store_options_v1 - 1),
             IOREPL_EINVAL);
  }

  temp_path(pub_path, sizeof(pub_path), "capi_sizes_pub.db");
  temp_path(sub_path, sizeof(sub_path), "capi_sizes_sub.db");
  remove(pub_path);
  remove(sub_path);
  snprintf(pub_uri, sizeof(pub_uri), "sqlite:%s", pub_path);
  snprintf(sub_uri, sizeof(sub_uri), "sqlite:%s", sub_path);
  OK(iorepl_store_open(&store, pub_uri, NULL));
  {
    iorepl_key folder = make_folder_path(store, "Sales");
    add_posts(store, &folder, 3, "sized");
  }
  iorepl_store_free(store);
  OK(iorepl_config_new(&config, "Sizes"));
  OK(iorepl_config_set_publisher(config, pub_uri));
  OK(iorepl_config_add_subscriber(config, sub_uri));
  OK(iorepl_config_add_mapping(config, "/Sales", "/Sales", IOREPL_ONE_WAY));
  {
    /* Session options at their first published size: set and get, and
     * verify_interval_seconds (appended later) is neither read nor
     * written. The size the probe tried, 32, is no published one. */
    unsigned char raw[sizeof(iorepl_session_options) + 8];
    iorepl_session_options* o = (iorepl_session_options*)(void*)raw;
    CHECK(options_v1 == 64 && options_v1 < sizeof(iorepl_session_options));
    memset(raw, 0xAB, sizeof(raw));
    OK(iorepl_session_options_init(o, options_v1));
    CHECK(o->batch_size == 1000 && raw[options_v1] == 0xAB);
    o->batch_size = 2;
    OK(iorepl_config_set_options(config, o));
    memset(raw, 0xAB, sizeof(raw));
    o->struct_size = options_v1;
    OK(iorepl_config_get_options(o, config));
    CHECK(o->batch_size == 2 && raw[options_v1] == 0xAB);
    o->struct_size = 32;
    CHECK_RC(iorepl_config_set_options(config, o), IOREPL_EINVAL);
    CHECK(message_has("struct_size 32 is below 64"));
    CHECK_RC(iorepl_config_get_options(o, config), IOREPL_EINVAL);
    CHECK_RC(iorepl_session_options_init(o, 32), IOREPL_EINVAL);
  }
  {
    /* Output: statistics. */
    unsigned char raw[sizeof(iorepl_statistics) + 8];
    iorepl_statistics* stats = (iorepl_statistics*)(void*)raw;
    OK(iorepl_session_open(&session, config));
    memset(raw, 0xAB, sizeof(raw));
    stats->struct_size = stats_v1 - 1;
    CHECK_RC(iorepl_session_run(stats, session), IOREPL_EINVAL);
    stats->struct_size = stats_v1;
    OK(iorepl_session_run(stats, session));
    CHECK(stats->message_changes == 3 && raw[stats_v1] == 0xAB);
    iorepl_session_free(session);
  }
  iorepl_config_free(config);
  remove(pub_path);
  remove(sub_path);
}

/* ---- The service ---- */

typedef struct pass_log {
  int passes;
  uint64_t message_changes;
  int last_result;
  char last_session[64];
} pass_log;

/* Called on the service's threads; the test reads the log only after
 * run_once or stop returned (they join those threads). */
static void record_pass(void* user, const iorepl_pass_report* r) {
  pass_log* log = (pass_log*)user;
  ++log->passes;
  log->message_changes += r->stats.message_changes;
  log->last_result = r->result;
  snprintf(log->last_session, sizeof(log->last_session), "%s", r->session);
}

/* Items in the folder at `path` of the store at `uri` (0 when missing). */
static size_t items_at(const char* uri, const char* path) {
  iorepl_store* store = NULL;
  iorepl_folder* folder = NULL;
  iorepl_key_list* list = NULL;
  iorepl_key key;
  size_t n = 0;
  if (iorepl_store_open(&store, uri, NULL) != IOREPL_OK) return 0;
  if (iorepl_store_find_folder(&folder, store, path) == IOREPL_OK &&
      iorepl_folder_key(&key, folder) == IOREPL_OK &&
      iorepl_store_list_items(&list, store, &key) == IOREPL_OK) {
    n = iorepl_key_list_count(list);
  }
  iorepl_key_list_free(list);
  iorepl_folder_free(folder);
  iorepl_store_free(store);
  return n;
}

static void test_service(void) {
  char pub_path[512], sub_path[512], status_path[512], locks_path[512];
  char pub_uri[600], sub_uri[600], text[2048];
  iorepl_config* configs[2] = {NULL, NULL};
  iorepl_service* service = NULL;
  iorepl_service_status* status = NULL;
  iorepl_session_status entry;
  iorepl_service_options options;
  iorepl_store* pub = NULL;
  iorepl_key folder;
  pass_log log;
  int waited;
  memset(&log, 0, sizeof(log));

  temp_path(pub_path, sizeof(pub_path), "capi_svc_pub.db");
  temp_path(sub_path, sizeof(sub_path), "capi_svc_sub.db");
  temp_path(status_path, sizeof(status_path), "capi_svc.status");
  temp_path(locks_path, sizeof(locks_path), "capi_svc.locks");
  snprintf(pub_uri, sizeof(pub_uri), "sqlite:%s", pub_path);
  snprintf(sub_uri, sizeof(sub_uri), "sqlite:%s", sub_path);
  OK(iorepl_store_open(&pub, pub_uri, NULL));
  folder = make_folder_path(pub, "Sales");
  add_posts(pub, &folder, 3, "plan");
  snprintf(text, sizeof(text),
           "name: \"Sales\" publisher: \"%s\" subscriber: \"%s\" "
           "mapping { publisher_path: \"/Sales\" subscriber_path: \"/In\" } "
           "schedule { interval_seconds: 1 }",
           pub_uri, sub_uri);
  OK(iorepl_config_parse(&configs[0], text, strlen(text)));
  OK(iorepl_config_parse(&configs[1], text, strlen(text)));

  /* The fields only the service reads: a schedule and max_tasks. */
  {
    iorepl_schedule schedule = IOREPL_SCHEDULE_INIT;
    iorepl_schedule back = IOREPL_SCHEDULE_INIT;
    OK(iorepl_config_get_schedule(&back, configs[1]));
    CHECK(back.interval_seconds == 1 && back.days == NULL);
    schedule.interval_seconds = 60;
    schedule.days = "mon,Tue,caturday";
    schedule.window_start = "22:00";
    schedule.window_end = "22:00";
    CHECK_RC(iorepl_config_set_schedule(configs[1], &schedule), IOREPL_EINVAL);
    CHECK(message_has("caturday") && message_has("22:00"));
    OK(iorepl_config_get_schedule(&back, configs[1]));
    CHECK(back.interval_seconds == 1); /* unchanged */
    schedule.days = "mon,tue";
    schedule.window_end = "06:00"; /* wraps past midnight */
    OK(iorepl_config_set_schedule(configs[1], &schedule));
    OK(iorepl_config_get_schedule(&back, configs[1]));
    CHECK(back.interval_seconds == 60 && strcmp(back.days, "mon,tue") == 0);
    CHECK(strcmp(back.window_start, "22:00") == 0 &&
          strcmp(back.window_end, "06:00") == 0);
    CHECK(iorepl_config_max_tasks(configs[1]) == 1);
    CHECK_RC(iorepl_config_set_max_tasks(configs[1], 0), IOREPL_EINVAL);
    OK(iorepl_config_set_max_tasks(configs[1], 2));
    CHECK(iorepl_config_max_tasks(configs[1]) == 2);
    /* Two tasks for one subscriber is a problem the service names. */
    CHECK_RC(iorepl_config_validate(configs[1]), IOREPL_EINVAL);
    CHECK(message_has("max_tasks"));
    OK(iorepl_config_set_max_tasks(configs[1], 1));
  }

  /* Refused: no configs where some are promised, two of one name, and an
   * option out of range. */
  OK(iorepl_service_options_init(&options, sizeof(options)));
  CHECK(options.tick_ms == 100 && options.utc == 0);
  CHECK_RC(iorepl_service_new(&service, NULL, 1, NULL), IOREPL_EINVAL);
  CHECK(service == NULL);
  CHECK_RC(iorepl_service_new(&service, (const iorepl_config* const*)configs,
                              2, NULL),
           IOREPL_EINVAL);
  CHECK(message_has("a second session of this name"));
  options.tick_ms = 0;
  CHECK_RC(iorepl_service_new(&service, (const iorepl_config* const*)configs,
                              1, &options),
           IOREPL_EINVAL);
  CHECK(message_has("tick_ms"));

  options.tick_ms = 20;
  options.status_file = status_path;
  options.lock_directory = locks_path;
  OK(iorepl_service_new(&service, (const iorepl_config* const*)configs, 1,
                        &options));
  OK(iorepl_service_set_pass_callback(service, record_pass, &log));
  CHECK_RC(iorepl_service_run_once(service, "Nobody"), IOREPL_ENOTFOUND);
  OK(iorepl_service_run_once(service, "Sales"));
  CHECK(log.passes == 1 && log.message_changes == 3);
  CHECK(log.last_result == IOREPL_PASS_OK);
  CHECK(strcmp(log.last_session, "Sales") == 0);
  CHECK(items_at(sub_uri, "/In") == 3);

  OK(iorepl_service_status_get(&status, service));
  CHECK(iorepl_service_status_size(status) == 1);
  entry.struct_size = sizeof(entry);
  OK(iorepl_service_status_at(&entry, status, 0));
  CHECK(strcmp(entry.session, "Sales") == 0);
  CHECK(entry.running == 0 && entry.has_last_pass == 1);
  CHECK(entry.last_pass.stats.message_changes == 3);
  CHECK(strstr(entry.last_pass.statistics_line, "[3 Message Changes") != NULL);
  CHECK(entry.next_run_unix_ms > 0 && entry.next_run_unix_ms < INT64_MAX);
  CHECK_RC(iorepl_service_status_at(&entry, status, 1), IOREPL_ERANGE);
  iorepl_service_status_free(status);

  /* On its schedule: a new post arrives without a call. */
  OK(iorepl_service_start(service));
  CHECK_RC(iorepl_service_start(service), IOREPL_ESTATE);
  add_posts(pub, &folder, 1, "late");
  for (waited = 0; waited < 400 && items_at(sub_uri, "/In") != 4; ++waited) {
    const struct timespec step = {0, 50 * 1000 * 1000};
    nanosleep(&step, NULL);
  }
  CHECK(items_at(sub_uri, "/In") == 4);
  OK(iorepl_service_stop(service));
  OK(iorepl_service_stop(service)); /* idempotent */
  CHECK(log.passes >= 2 && log.message_changes == 4);
  CHECK_RC(iorepl_service_start(service), IOREPL_ESTATE);
  /* Reload refuses a bad set and keeps the old one. */
  CHECK_RC(iorepl_service_reload(service,
                                 (const iorepl_config* const*)configs, 2),
           IOREPL_EINVAL);
  iorepl_service_free(service);
  iorepl_service_free(NULL);
  iorepl_config_free(configs[0]);
  iorepl_config_free(configs[1]);
  iorepl_store_free(pub);
}

int main(void) {
  const char* tmp = getenv("TMPDIR");
  snprintf(temp_dir, sizeof(temp_dir), "%s", tmp != NULL ? tmp : "/tmp");
  test_versions_and_errors();
  test_keys();
  test_stores();
  test_sessions();
  test_host_stores();
  test_host_store_any_thread();
  test_conflict_callback();
  test_refused();
  test_idsets();
  test_first_published_sizes();
  test_service();
  if (failures != 0) {
    fprintf(stderr, "capi_test: %d checks failed\n", failures);
    return 1;
  }
  printf("capi_test: all checks passed\n");
  return 0;
}
