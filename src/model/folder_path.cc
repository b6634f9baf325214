// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "ioreplication/folder_path.h"

#include "absl/strings/str_cat.h"
#include "core/text.h"

namespace ioreplication {
namespace {

// The character the escape at text[i] stands for, if one starts there.
std::optional<char> EscapeAt(std::string_view text, size_t i) {
  if (i + 2 >= text.size()) return std::nullopt;
  if (text[i] != '%' || text[i + 1] != '2') return std::nullopt;
  switch (text[i + 2]) {
    case 'F':
    case 'f':
      return '/';
    case '5':
      return '%';
    default:
      return std::nullopt;
  }
}

std::string Unescape(std::string_view part) {
  std::string name;
  name.reserve(part.size());
  for (size_t i = 0; i < part.size(); ++i) {
    if (std::optional<char> c = EscapeAt(part, i)) {
      name.push_back(*c);
      i += 2;
    } else {
      name.push_back(part[i]);
    }
  }
  return name;
}

bool IsReservedName(std::string_view name) {
  return name == "." || name == "..";
}

}  // namespace

std::string EscapeFolderName(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (size_t i = 0; i < name.size(); ++i) {
    if (name[i] == '/') {
      out += "%2F";
    } else if (EscapeAt(name, i)) {
      out += "%25";
    } else {
      out.push_back(name[i]);
    }
  }
  return out;
}

std::string ChildFolderPath(std::string_view parent, std::string_view name) {
  std::string path(parent);
  if (path.empty() || path.back() != '/') path.push_back('/');
  path += EscapeFolderName(name);
  return path;
}

std::string JoinFolderPath(absl::Span<const std::string> names) {
  if (names.empty()) return "/";
  std::string path;
  for (const std::string& name : names) {
    path.push_back('/');
    path += EscapeFolderName(name);
  }
  return path;
}

absl::StatusOr<std::vector<std::string>> SplitFolderPath(
    std::string_view path) {
  const absl::string_view p = core_internal::Sv(path);
  if (path.empty() || path.front() != '/') {
    return absl::InvalidArgumentError(absl::StrCat(
        "folder path \"", p, "\" must start with '/' (\"/\" is the root)"));
  }
  std::vector<std::string> names;
  if (path == "/") return names;
  size_t begin = 1;
  while (true) {
    const size_t end = std::min(path.find('/', begin), path.size());
    const std::string_view part = path.substr(begin, end - begin);
    if (part.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("folder path \"", p, "\" has an empty component"));
    }
    if (IsReservedName(part)) {
      return absl::InvalidArgumentError(
          absl::StrCat("folder path \"", p, "\" has a \"",
                       core_internal::Sv(part), "\" component"));
    }
    std::string name = Unescape(part);
    if (absl::Status s = ValidateFolderName(name); !s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("folder path \"", p, "\": ", s.message()));
    }
    names.push_back(std::move(name));
    if (end == path.size()) break;
    begin = end + 1;
  }
  return names;
}

}  // namespace ioreplication
