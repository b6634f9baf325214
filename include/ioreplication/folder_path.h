// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// Folder paths: how configurations, tools and bindings name a folder by its
// place in a store's tree.
//
// "/" is the root; "/Sales/EMEA" is folder "EMEA" under "Sales" under the
// root. Names compare ignoring case, as public folder names do.
//
// Folder names may contain '/' (MS-OXOPFFB names each free/busy site folder
// "EX:/o=Org/ou=Site"). Inside a path such a '/' is written "%2F", so
//   /NON_IPM_SUBTREE/SCHEDULE+ FREE BUSY/EX:%2Fo=Contoso%2Fou=Site
// names the site folder "EX:/o=Contoso/ou=Site". "%2F" (or "%2f") always
// stands for '/' and "%25" for '%'; any other '%' stands for itself, so a
// name such as "100% done" is written as it is. Only a name that itself
// contains "%2F" or "%25" needs its '%' written as "%25".
//
// Finding the folder a path names in a store is FindFolderByPath, in
// ioreplication/store.h (paths are model; walking a store is the store
// layer's).
//
// Thread safety: pure functions.

#ifndef IOREPLICATION_FOLDER_PATH_H_
#define IOREPLICATION_FOLDER_PATH_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "ioreplication/export.h"
#include "ioreplication/folder.h"

namespace ioreplication {

// The folder names along `path`, unescaped ("/" gives none).
// InvalidArgumentError naming the path for one that does not start with
// '/', has an empty component ("//", a trailing '/'), a "." or ".."
// component, or a name ValidateFolderName refuses.
IOREPL_EXPORT absl::StatusOr<std::vector<std::string>> SplitFolderPath(
    std::string_view path);

// `name` as one component of a path: '/' becomes "%2F", and a '%' that
// would otherwise read as an escape becomes "%25". SplitFolderPath turns
// it back into `name`.
IOREPL_EXPORT std::string EscapeFolderName(std::string_view name);

// The path of the folder reached by `names` from the root ("/" for none).
IOREPL_EXPORT std::string JoinFolderPath(absl::Span<const std::string> names);

// `parent` (a path) extended by one folder `name`.
IOREPL_EXPORT std::string ChildFolderPath(std::string_view parent,
                                          std::string_view name);

}  // namespace ioreplication

#endif  // IOREPLICATION_FOLDER_PATH_H_
