// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
//
// The inspection verbs: look inside wire blobs and produce them from text.
// Output is exact, one item per line, so that scripts can rely on it.

#ifndef IOREPLICATION_TOOLS_IOREPL_INSPECT_COMMANDS_H_
#define IOREPLICATION_TOOLS_IOREPL_INSPECT_COMMANDS_H_

#include <ostream>
#include <string>

#include "absl/status/status.h"

namespace ioreplication::iorepl {

// "{GUID}:<LocalId in decimal>" for an XID given in hex.
absl::Status InspectXid(const std::string& hex, std::ostream& out);

// One "{GUID}:<LocalId in decimal>" line per PCL entry, in stored order.
absl::Status InspectPcl(const std::string& hex, std::ostream& out);

// One "<replica>: <ranges>" line per replica of a serialized IDSET; the
// replica is "{GUID}", or the decimal REPLID when `replid` is set.
absl::Status InspectIdSet(const std::string& hex, bool replid,
                          std::ostream& out);

// One word: equal, newer, older or conflict (A relative to B).
absl::Status ComparePcls(const std::string& hex_a, const std::string& hex_b,
                         std::ostream& out);

// Lower-case hex of the canonical IDSET encoding of its text form.
absl::Status EncodeIdSet(const std::string& text, bool replid,
                         std::ostream& out);

}  // namespace ioreplication::iorepl

#endif  // IOREPLICATION_TOOLS_IOREPL_INSPECT_COMMANDS_H_
