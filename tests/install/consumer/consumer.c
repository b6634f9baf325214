/* A C host built against an installed ioreplication (the C ABI). */
#include <stdio.h>

#include "iorepl/iorepl.h"

int main(void) {
  iorepl_store* store = NULL;
  iorepl_folder* root = NULL;
  if (iorepl_version_number() / 10000 != IOREPL_VERSION_MAJOR) return 1;
  if (iorepl_store_open(&store, "memory:", NULL) != IOREPL_OK ||
      iorepl_folder_create_root(&root, store, "Public") != IOREPL_OK) {
    fprintf(stderr, "consumer: %s\n", iorepl_error_message());
    return 1;
  }
  printf("consumer (C): ioreplication %s, root \"%s\"\n",
         iorepl_version_string(), iorepl_folder_name(root));
  iorepl_folder_free(root);
  iorepl_store_free(store);
  return 0;
}
