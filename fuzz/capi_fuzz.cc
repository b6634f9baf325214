// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// The C ABI's decoders of outside input, called the way a host calls them:
// IDSET and PCL blobs, IDSET and key text, session configuration text, and
// host store records. The first input byte picks the decoder. Each must
// refuse bad input with an error code, a message and no output, and what it
// accepts must survive a round trip.

#include <google/protobuf/stubs/logging.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "iorepl/iorepl.h"

namespace {

void Require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "capi_fuzz: %s\n", what);
    std::abort();
  }
}

// After a refused call: a negative code, a message, no output.
template <typename T>
void Refused(int rc, T* out) {
  Require(rc < 0, "a refused call returned a non-negative code");
  Require(iorepl_error_message()[0] != '\0', "a refusal without a message");
  Require(out == nullptr, "a refused call produced output");
}

void IdSetBlob(const uint8_t* data, size_t size) {
  iorepl_idset* set = nullptr;
  const int rc = iorepl_idset_decode(&set, data, size);
  if (rc != IOREPL_OK) return Refused(rc, set);
  uint8_t* wire = nullptr;
  size_t len = 0;
  uint64_t before = 0, after = 0;
  Require(iorepl_idset_encode(&wire, &len, set) == IOREPL_OK, "encode");
  iorepl_idset* back = nullptr;
  Require(iorepl_idset_decode(&back, wire, len) == IOREPL_OK, "re-decode");
  Require(iorepl_idset_count(&before, set) == IOREPL_OK &&
              iorepl_idset_count(&after, back) == IOREPL_OK && before == after,
          "an IDSET changed in a round trip");
  iorepl_free(wire);
  iorepl_idset_free(back);
  iorepl_idset_free(set);
}

void IdSetText(const std::string& text) {
  iorepl_idset* set = nullptr;
  const int rc = iorepl_idset_parse(&set, text.c_str());
  if (rc != IOREPL_OK) return Refused(rc, set);
  char* printed = nullptr;
  Require(iorepl_idset_to_string(&printed, set) == IOREPL_OK, "to_string");
  iorepl_idset* back = nullptr;
  Require(iorepl_idset_parse(&back, printed) == IOREPL_OK,
          "printed IDSET text does not parse");
  iorepl_free(printed);
  iorepl_idset_free(back);
  iorepl_idset_free(set);
}

void Pcls(const uint8_t* data, size_t size) {
  const size_t half = size / 2;
  int order = -1;
  const int rc =
      iorepl_pcl_compare(&order, data, half, data + half, size - half);
  if (rc != IOREPL_OK) {
    Require(iorepl_error_message()[0] != '\0', "a refusal without a message");
    return;
  }
  Require(order >= IOREPL_PCL_EQUAL && order <= IOREPL_PCL_CONFLICT, "order");
  uint8_t* merged = nullptr;
  size_t len = 0;
  if (iorepl_pcl_merge(&merged, &len, data, half, data + half, size - half) ==
      IOREPL_OK) {
    int newer = -1;
    Require(iorepl_pcl_compare(&newer, merged, len, data, half) == IOREPL_OK &&
                (newer == IOREPL_PCL_NEWER || newer == IOREPL_PCL_EQUAL),
            "a merge does not include its input");
    iorepl_free(merged);
  }
}

void Config(const uint8_t* data, size_t size) {
  iorepl_config* config = nullptr;
  const int rc =
      iorepl_config_parse(&config, reinterpret_cast<const char*>(data), size);
  if (rc != IOREPL_OK) return Refused(rc, config);
  Require(iorepl_config_validate(config) == IOREPL_OK,
          "a parsed configuration does not validate");
  iorepl_config_free(config);
}

void Record(const uint8_t* data, size_t size) {
  iorepl_record record;
  std::memset(&record, 0, sizeof(record));
  record.struct_size = sizeof(record);
  record.kind = size > 0 && data[0] % 2 ? IOREPL_KIND_ITEM : IOREPL_KIND_FOLDER;
  record.local_cn = 1;
  record.data = data;
  record.data_len = size;
  iorepl_item* item = nullptr;
  iorepl_folder* folder = nullptr;
  if (record.kind == IOREPL_KIND_ITEM) {
    const int rc = iorepl_record_item(&item, &record);
    if (rc != IOREPL_OK) return Refused(rc, item);
    Require(iorepl_item_message_class(item) != nullptr, "message class");
    iorepl_item_free(item);
  } else {
    const int rc = iorepl_record_folder(&folder, &record);
    if (rc != IOREPL_OK) return Refused(rc, folder);
    Require(iorepl_folder_name(folder) != nullptr, "folder name");
    iorepl_folder_free(folder);
  }
}

void Key(const std::string& text) {
  iorepl_key key;
  if (iorepl_key_from_string(&key, text.c_str()) != IOREPL_OK) {
    Require(iorepl_error_message()[0] != '\0', "a refusal without a message");
    return;
  }
  char printed[IOREPL_KEY_STRING_SIZE];
  Require(iorepl_key_to_string(printed, &key) == IOREPL_OK, "key to_string");
  iorepl_key back;
  Require(iorepl_key_from_string(&back, printed) == IOREPL_OK &&
              std::memcmp(back.bytes, key.bytes, sizeof(key.bytes)) == 0,
          "a key changed in a round trip");
}

}  // namespace

// Protobuf logs each invalid UTF-8 string it parses; the refusal is ours to
// report.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t which = data[0] % 6;
  ++data;
  --size;
  const std::string text(reinterpret_cast<const char*>(data), size);
  switch (which) {
    case 0:
      IdSetBlob(data, size);
      break;
    case 1:
      IdSetText(text);
      break;
    case 2:
      Pcls(data, size);
      break;
    case 3:
      Config(data, size);
      break;
    case 4:
      Record(data, size);
      break;
    case 5:
      Key(text);
      break;
  }
  return 0;
}
