/* Copyright 2026 The ioreplication Authors.
 * SPDX-License-Identifier: Apache-2.0 */
/*
 * A C host: a mail server that keeps its public folders in its own SQLite
 * database (sqlite_host_store.c) and shares one folder with a partner.
 *
 *   c_host_example DIR
 *
 * Makes two host stores in DIR (contoso-host.db, fabrikam-host.db), writes a
 * few posts at Contoso, replicates /Projects to Fabrikam's
 * /Contoso/Projects, edits one post, replicates again, and prints the
 * statistics lines. Exits non-zero if anything fails or Fabrikam does not end
 * up with the posts. Uses the C ABI only: link with -lioreplication.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iorepl/iorepl.h"
#include "sqlite_host_store.h"

static const uint32_t kSubject = 0x0037001F; /* PidTagSubject */

/* Prints the failed call and its message, and exits. */
static void check(int rc, const char* what) {
  if (rc != IOREPL_OK) {
    fprintf(stderr, "c_host_example: %s: %s: %s\n", what, iorepl_rc_str(rc),
            iorepl_error_message());
    exit(1);
  }
}

static iorepl_store* open_host(const char* dir, const char* name) {
  char path[1024], error[512];
  iorepl_store* store = NULL;
  snprintf(path, sizeof(path), "%s/%s", dir, name);
  remove(path);
  if (sqlite_host_store_open(&store, path, error, sizeof(error)) != IOREPL_OK) {
    fprintf(stderr, "c_host_example: %s\n", error);
    exit(1);
  }
  return store;
}

static iorepl_key write_post(iorepl_store* store, const iorepl_key* folder,
                             const char* subject, const char* body) {
  iorepl_content* content = NULL;
  iorepl_item* item = NULL;
  iorepl_key key;
  check(iorepl_content_new(&content, "IPM.Post"), "content_new");
  check(iorepl_props_set_string(iorepl_content_props(content), kSubject,
                                subject, strlen(subject)),
        "set subject");
  check(iorepl_content_set_body(content, body, strlen(body)), "set body");
  check(iorepl_item_create(&item, store, folder, content), "item_create");
  check(iorepl_item_key(&key, item), "item_key");
  iorepl_item_free(item);
  iorepl_content_free(content);
  return key;
}

static void run_and_print(iorepl_session* session) {
  iorepl_statistics stats = IOREPL_STATISTICS_INIT;
  char* line = NULL;
  check(iorepl_session_run(&stats, session), "session_run");
  check(iorepl_statistics_line(&line, session, &stats), "statistics_line");
  puts(line);
  iorepl_free(line);
}

int main(int argc, char** argv) {
  iorepl_store *contoso, *fabrikam;
  iorepl_folder *root = NULL, *projects = NULL, *copy = NULL;
  iorepl_key root_key, projects_key, first, copy_key;
  iorepl_config* config = NULL;
  iorepl_session* session = NULL;
  iorepl_key_list* items = NULL;
  iorepl_content* edit = NULL;
  iorepl_item* item = NULL;
  const char *subject = NULL, *body = NULL;
  size_t subject_len = 0, body_len = 0;
  int i;

  if (argc != 2) {
    fprintf(stderr, "usage: c_host_example DIR\n");
    return 2;
  }
  if (iorepl_version_number() / 10000 != IOREPL_VERSION_MAJOR) {
    fprintf(stderr, "c_host_example: built for %s, running on %s\n",
            IOREPL_VERSION_STRING, iorepl_version_string());
    return 1;
  }
  contoso = open_host(argv[1], "contoso-host.db");
  fabrikam = open_host(argv[1], "fabrikam-host.db");

  /* Contoso's users write posts (local changes, through the library). */
  check(iorepl_folder_create_root(&root, contoso, "Contoso"), "create_root");
  check(iorepl_folder_key(&root_key, root), "folder_key");
  check(iorepl_folder_create(&projects, contoso, &root_key, "Projects"),
        "create_folder");
  check(iorepl_folder_key(&projects_key, projects), "folder_key");
  first = write_post(contoso, &projects_key, "Kickoff", "Monday at ten.");
  for (i = 1; i <= 4; ++i) {
    char subject_text[32];
    snprintf(subject_text, sizeof(subject_text), "Status %d", i);
    write_post(contoso, &projects_key, subject_text, "On track.");
  }
  check(iorepl_folder_create_root(NULL, fabrikam, "Fabrikam"), "create_root");

  /* The session uses the host's stores: host: URIs name them (and their
   * sync states) in the configuration. */
  check(iorepl_config_new(&config, "Projects to Fabrikam"), "config_new");
  check(iorepl_config_set_publisher(config, "host:contoso"), "publisher");
  check(iorepl_config_add_subscriber(config, "host:fabrikam"), "subscriber");
  check(iorepl_config_add_mapping(config, "/Projects", "/Contoso/Projects",
                                  IOREPL_ONE_WAY),
        "mapping");
  check(iorepl_session_new(&session, config, contoso, &fabrikam, 1),
        "session_new");
  run_and_print(session);

  /* An edit travels on the next pass. */
  check(iorepl_store_get_item(&item, contoso, &first), "get_item");
  check(iorepl_content_from_item(&edit, item), "content_from_item");
  iorepl_item_free(item);
  check(iorepl_content_set_body(edit, "Moved to Tuesday.", 17), "set body");
  check(iorepl_item_modify(NULL, contoso, &first, edit), "item_modify");
  iorepl_content_free(edit);
  run_and_print(session);

  /* Fabrikam has the five posts, the edit included. */
  check(iorepl_store_find_folder(&copy, fabrikam, "/Contoso/Projects"),
        "find_folder");
  check(iorepl_folder_key(&copy_key, copy), "folder_key");
  check(iorepl_store_list_items(&items, fabrikam, &copy_key), "list_items");
  if (iorepl_key_list_count(items) != 5) {
    fprintf(stderr, "c_host_example: Fabrikam has %zu posts, not 5\n",
            iorepl_key_list_count(items));
    return 1;
  }
  check(iorepl_store_get_item(&item, fabrikam, &first), "get_item");
  check(iorepl_props_get_string(&subject, &subject_len, iorepl_item_props(item),
                                kSubject),
        "subject");
  check(iorepl_item_body(&body, &body_len, item), "body");
  if (strcmp(body, "Moved to Tuesday.") != 0) {
    fprintf(stderr, "c_host_example: the edit did not arrive\n");
    return 1;
  }
  printf("Fabrikam has %zu posts; '%s' now reads: %s\n",
         iorepl_key_list_count(items), subject, body);

  iorepl_item_free(item);
  iorepl_key_list_free(items);
  iorepl_folder_free(copy);
  iorepl_folder_free(projects);
  iorepl_folder_free(root);
  iorepl_session_free(session);
  iorepl_config_free(config);
  iorepl_store_free(fabrikam);
  iorepl_store_free(contoso);
  return 0;
}
