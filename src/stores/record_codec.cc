// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "stores/record_codec.h"

#include "absl/strings/str_cat.h"
#include "core/byte_reader.h"
#include "ioreplication/v1/store_records.pb.h"

namespace ioreplication::stores_internal {
namespace {

using v1::PropertyRecord;

std::span<const uint8_t> Span(const std::string& s) {
  return core_internal::AsBytes(s);
}

void EncodeProperties(const PropertyBag& bag,
                      google::protobuf::RepeatedPtrField<PropertyRecord>* out) {
  for (const PropertyBag::Entry& e : bag.entries()) {
    PropertyRecord* r = out->Add();
    r->set_tag(e.tag.value());
    std::visit(
        [r](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, int32_t>) {
            r->set_int32_value(v);
          } else if constexpr (std::is_same_v<T, bool>) {
            r->set_bool_value(v);
          } else if constexpr (std::is_same_v<T, int64_t>) {
            r->set_int64_value(v);
          } else if constexpr (std::is_same_v<T, std::string>) {
            r->set_string_value(v);
          } else if constexpr (std::is_same_v<T, FileTime>) {
            r->set_time_value(v.ticks());
          } else if constexpr (std::is_same_v<T, Bytes>) {
            r->set_binary_value(v.data);
          } else if constexpr (std::is_same_v<T, std::vector<int32_t>>) {
            r->mutable_mv_int32()->mutable_values()->Add(v.begin(), v.end());
          } else if constexpr (std::is_same_v<T, std::vector<int64_t>>) {
            r->mutable_mv_int64()->mutable_values()->Add(v.begin(), v.end());
          } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
            for (const auto& s : v) r->mutable_mv_string()->add_values(s);
          } else if constexpr (std::is_same_v<T, std::vector<FileTime>>) {
            for (FileTime t : v) r->mutable_mv_time()->add_values(t.ticks());
          } else {
            for (const Bytes& b : v) r->mutable_mv_binary()->add_values(b.data);
          }
        },
        e.value);
  }
}

absl::Status DecodeProperties(
    const google::protobuf::RepeatedPtrField<PropertyRecord>& records,
    PropertyBag* bag) {
  for (const PropertyRecord& r : records) {
    absl::StatusOr<PropTag> tag = PropTag::FromValue(r.tag());
    if (!tag.ok()) return tag.status();
    PropValue value;
    switch (r.value_case()) {
      case PropertyRecord::kInt32Value:
        value = r.int32_value();
        break;
      case PropertyRecord::kBoolValue:
        value = r.bool_value();
        break;
      case PropertyRecord::kInt64Value:
        value = r.int64_value();
        break;
      case PropertyRecord::kStringValue:
        value = r.string_value();
        break;
      case PropertyRecord::kTimeValue:
        value = FileTime::FromTicks(r.time_value());
        break;
      case PropertyRecord::kBinaryValue:
        value = Bytes{r.binary_value()};
        break;
      case PropertyRecord::kMvInt32:
        value = std::vector<int32_t>(r.mv_int32().values().begin(),
                                     r.mv_int32().values().end());
        break;
      case PropertyRecord::kMvInt64:
        value = std::vector<int64_t>(r.mv_int64().values().begin(),
                                     r.mv_int64().values().end());
        break;
      case PropertyRecord::kMvString:
        value = std::vector<std::string>(r.mv_string().values().begin(),
                                         r.mv_string().values().end());
        break;
      case PropertyRecord::kMvTime: {
        std::vector<FileTime> times;
        for (uint64_t t : r.mv_time().values())
          times.push_back(FileTime::FromTicks(t));
        value = std::move(times);
        break;
      }
      case PropertyRecord::kMvBinary: {
        std::vector<Bytes> blobs;
        for (const std::string& b : r.mv_binary().values())
          blobs.push_back(Bytes{b});
        value = std::move(blobs);
        break;
      }
      case PropertyRecord::VALUE_NOT_SET:
        return absl::DataLossError(
            absl::StrCat("property ", tag->ToString(), " has no value"));
    }
    if (absl::Status s = bag->Set(*tag, std::move(value)); !s.ok()) return s;
  }
  return absl::OkStatus();
}

template <typename Id>
absl::Status DecodeId(const std::string& bytes, const char* field, Id* out) {
  absl::StatusOr<Id> id = Id::Decode(Span(bytes));
  if (!id.ok()) {
    return absl::DataLossError(
        absl::StrCat(field, ": ", id.status().message()));
  }
  *out = *id;
  return absl::OkStatus();
}

absl::Status DecodePcl(const std::string& bytes, Pcl* out) {
  absl::StatusOr<Pcl> pcl = Pcl::Decode(Span(bytes));
  if (!pcl.ok()) return pcl.status();
  *out = std::move(*pcl);
  return absl::OkStatus();
}

// Prefixes a decode error with what was being read.
absl::Status InRecord(const char* kind, const absl::Status& status) {
  if (status.ok()) return status;
  return absl::DataLossError(
      absl::StrCat("corrupt ", kind, " record: ", status.message()));
}

}  // namespace

std::string EncodeFolder(const Folder& folder) {
  v1::FolderRecord r;
  r.set_source_key(folder.source_key.Encode());
  if (folder.parent) r.set_parent(folder.parent->Encode());
  r.set_display_name(folder.display_name);
  r.set_change_key(folder.change_key.Encode());
  r.set_pcl(folder.pcl.Encode());
  r.set_last_modified(folder.last_modified.ticks());
  EncodeProperties(folder.properties, r.mutable_properties());
  for (const Acl::Entry& e : folder.acl.entries()) {
    v1::AclEntryRecord* a = r.add_acl();
    a->set_member(e.member);
    a->set_rights(e.rights);
  }
  return r.SerializeAsString();
}

std::string EncodeItem(const Item& item) {
  v1::ItemRecord r;
  r.set_source_key(item.source_key.Encode());
  r.set_folder(item.folder.Encode());
  r.set_change_key(item.change_key.Encode());
  r.set_pcl(item.pcl.Encode());
  r.set_last_modified(item.last_modified.ticks());
  r.set_message_class(item.message_class);
  EncodeProperties(item.properties, r.mutable_properties());
  r.set_body(item.body);
  for (const Attachment& a : item.attachments) {
    v1::AttachmentRecord* out = r.add_attachments();
    out->set_file_name(a.file_name);
    out->set_mime_type(a.mime_type);
    out->set_data(a.data);
  }
  return r.SerializeAsString();
}

std::string EncodeTombstone(const Tombstone& t) {
  v1::TombstoneRecord r;
  r.set_source_key(t.source_key.Encode());
  r.set_is_folder(t.kind == ObjectKind::kFolder);
  r.set_parent(t.parent.Encode());
  r.set_deletion_cn(t.deletion_cn.Encode());
  r.set_pcl(t.pcl.Encode());
  r.set_deleted_at(t.deleted_at.ticks());
  r.set_scope_exit(t.scope_exit);
  if (t.left_with.has_value()) r.set_left_with(t.left_with->Encode());
  if (t.scope_root.has_value()) r.set_scope_root(t.scope_root->Encode());
  return r.SerializeAsString();
}

absl::StatusOr<Folder> DecodeFolder(std::string_view bytes) {
  v1::FolderRecord r;
  if (!r.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::DataLossError("corrupt folder record: not a FolderRecord");
  }
  Folder f;
  absl::Status s = DecodeId(r.source_key(), "source_key", &f.source_key);
  if (s.ok() && !r.parent().empty()) {
    SourceKey parent;
    s = DecodeId(r.parent(), "parent", &parent);
    f.parent = parent;
  }
  f.display_name = r.display_name();
  if (s.ok()) s = DecodeId(r.change_key(), "change_key", &f.change_key);
  if (s.ok()) s = DecodePcl(r.pcl(), &f.pcl);
  f.last_modified = FileTime::FromTicks(r.last_modified());
  if (s.ok()) s = DecodeProperties(r.properties(), &f.properties);
  for (const v1::AclEntryRecord& a : r.acl()) {
    if (s.ok()) s = f.acl.Set(a.member(), a.rights());
  }
  if (s.ok()) s = ValidateFolderName(f.display_name);
  if (!s.ok()) return InRecord("folder", s);
  return f;
}

absl::StatusOr<Item> DecodeItem(std::string_view bytes) {
  v1::ItemRecord r;
  if (!r.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::DataLossError("corrupt item record: not an ItemRecord");
  }
  Item i;
  absl::Status s = DecodeId(r.source_key(), "source_key", &i.source_key);
  if (s.ok()) s = DecodeId(r.folder(), "folder", &i.folder);
  if (s.ok()) s = DecodeId(r.change_key(), "change_key", &i.change_key);
  if (s.ok()) s = DecodePcl(r.pcl(), &i.pcl);
  i.last_modified = FileTime::FromTicks(r.last_modified());
  i.message_class = r.message_class();
  if (s.ok()) s = DecodeProperties(r.properties(), &i.properties);
  i.body = r.body();
  for (const v1::AttachmentRecord& a : r.attachments()) {
    i.attachments.push_back({a.file_name(), a.mime_type(), a.data()});
  }
  if (s.ok()) s = ValidateItem(i);
  if (!s.ok()) return InRecord("item", s);
  return i;
}

absl::StatusOr<Tombstone> DecodeTombstone(std::string_view bytes) {
  v1::TombstoneRecord r;
  if (!r.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::DataLossError(
        "corrupt tombstone record: not a TombstoneRecord");
  }
  Tombstone t;
  t.kind = r.is_folder() ? ObjectKind::kFolder : ObjectKind::kItem;
  absl::Status s = DecodeId(r.source_key(), "source_key", &t.source_key);
  if (s.ok()) s = DecodeId(r.parent(), "parent", &t.parent);
  if (s.ok()) s = DecodeId(r.deletion_cn(), "deletion_cn", &t.deletion_cn);
  if (s.ok()) s = DecodePcl(r.pcl(), &t.pcl);
  t.deleted_at = FileTime::FromTicks(r.deleted_at());
  t.scope_exit = r.scope_exit();
  if (s.ok() && !r.left_with().empty()) {
    if (!t.scope_exit) {
      s = absl::DataLossError("left_with: set on a deletion");
    } else {
      SourceKey cause;
      s = DecodeId(r.left_with(), "left_with", &cause);
      t.left_with = cause;
    }
  }
  if (s.ok() && !r.scope_root().empty()) {
    SourceKey root;
    s = DecodeId(r.scope_root(), "scope_root", &root);
    t.scope_root = root;
  }
  if (!s.ok()) return InRecord("tombstone", s);
  return t;
}

}  // namespace ioreplication::stores_internal
