// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "cli.h"

#include <functional>
#include <set>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/str_join.h"
#include "command_line.h"
#include "inspect_commands.h"
#include "ioreplication/version.h"

namespace ioreplication::iorepl {
namespace {

constexpr char kUsage[] =
    R"(usage: iorepl <command> [arguments] [options]

Inspect wire blobs (HEX may start with 0x):
  iorepl inspect xid HEX            print {GUID}:<local id>
  iorepl inspect pcl HEX            print {GUID}:<counter>, one line per entry
  iorepl inspect idset HEX          print {GUID}: <ranges>, one line per replica
        [--replid]                  the IDSET is REPLID-based: <replid>: <ranges>
  iorepl pcl-compare HEX_A HEX_B    print equal, newer, older or conflict (A to B)
  iorepl encode idset TEXT          print the canonical hex of an IDSET given as
        [--replid]                  "{GUID}: 1-5,9,12-20" lines (or "; " between)

Options may stand before or after the arguments; "--" ends them.
  --help                            this text
  --version                         the library version

Exit status: 0 success, 1 a run had errors, 2 bad usage or bad input.
)";

// A verb: how many positional arguments it takes after its words, and what
// it does with them.
struct Verb {
  std::vector<std::string> words;
  size_t arity;
  std::function<absl::Status(const CommandLine&, size_t first,
                             std::ostream& out)>
      run;
};

const std::vector<Verb>& Verbs() {
  static const auto* verbs = new std::vector<Verb>{
      {{"inspect", "xid"},
       1,
       [](const CommandLine& c, size_t i, std::ostream& out) {
         return InspectXid(c.positional[i], out);
       }},
      {{"inspect", "pcl"},
       1,
       [](const CommandLine& c, size_t i, std::ostream& out) {
         return InspectPcl(c.positional[i], out);
       }},
      {{"inspect", "idset"},
       1,
       [](const CommandLine& c, size_t i, std::ostream& out) {
         return InspectIdSet(c.positional[i], c.Has("replid"), out);
       }},
      {{"pcl-compare"},
       2,
       [](const CommandLine& c, size_t i, std::ostream& out) {
         return ComparePcls(c.positional[i], c.positional[i + 1], out);
       }},
      {{"encode", "idset"},
       1,
       [](const CommandLine& c, size_t i, std::ostream& out) {
         return EncodeIdSet(c.positional[i], c.Has("replid"), out);
       }},
  };
  return *verbs;
}

bool Matches(const Verb& verb, const CommandLine& line) {
  if (line.positional.size() < verb.words.size()) return false;
  for (size_t i = 0; i < verb.words.size(); ++i) {
    if (line.positional[i] != verb.words[i]) return false;
  }
  return true;
}

}  // namespace

int RunCli(const std::vector<std::string>& args, std::ostream& out,
           std::ostream& err) {
  absl::StatusOr<CommandLine> line =
      ParseCommandLine(args, {"help", "version", "replid"});
  if (!line.ok()) {
    err << "iorepl: " << line.status().message() << " (see 'iorepl --help')\n";
    return kExitUsage;
  }
  if (line->Has("help") ||
      (!line->positional.empty() && line->positional[0] == "help")) {
    out << kUsage;
    return kExitOk;
  }
  if (line->Has("version")) {
    out << "iorepl " << IOREPL_VERSION_STRING << "\n";
    return kExitOk;
  }
  if (line->positional.empty()) {
    err << "iorepl: missing command (see 'iorepl --help')\n";
    return kExitUsage;
  }
  for (const Verb& verb : Verbs()) {
    if (!Matches(verb, *line)) continue;
    const size_t given = line->positional.size() - verb.words.size();
    if (given != verb.arity) {
      err << "iorepl: '" << absl::StrJoin(verb.words, " ") << "' takes "
          << verb.arity << " argument" << (verb.arity == 1 ? "" : "s")
          << ", got " << given << " (see 'iorepl --help')\n";
      return kExitUsage;
    }
    // Buffer the output so that a failure prints nothing on stdout.
    std::ostringstream result;
    absl::Status status = verb.run(*line, verb.words.size(), result);
    if (!status.ok()) {
      err << "iorepl: " << status.message() << "\n";
      return kExitUsage;
    }
    out << result.str();
    return kExitOk;
  }
  err << "iorepl: unknown command '" << line->positional[0]
      << (line->positional.size() > 1 ? " " + line->positional[1] : "")
      << "' (see 'iorepl --help')\n";
  return kExitUsage;
}

}  // namespace ioreplication::iorepl
