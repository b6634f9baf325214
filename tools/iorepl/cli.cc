// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "cli.h"

#include <cstdlib>
#include <functional>
#include <iostream>
#include <set>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/str_join.h"
#include "command_line.h"
#include "demo.h"
#include "freebusy_commands.h"
#include "inspect_commands.h"
#include "ioreplication/recipient.h"
#include "ioreplication/session.h"
#include "ioreplication/version.h"
#include "repl_commands.h"
#include "service.h"
#include "session_commands.h"

namespace ioreplication::iorepl {
namespace {

constexpr char kUsage[] =
    R"(usage: iorepl <command> [arguments] [options]

Configuration (docs/config.md):
  iorepl config new [FILE]          write a commented starter configuration
        [--force]                   (to standard output without FILE)
  iorepl validate FILE              check a configuration; every problem on
                                    its own line

Replication:
  iorepl run FILE                   run the sessions as a service, each on its
                                    schedule, until SIGTERM or SIGINT (which
                                    finish the current batch); SIGHUP rereads
                                    FILE
        --once                      one pass of each session, then exit
        --session NAME              only this session (repeatable)
        --json                      statistics as JSON lines
  iorepl status FILE                each session's last pass, the changes
        [--session NAME] [--json]   waiting, and the objects refused (sent
                                    again and counted every pass)
  iorepl verify FILE                compare each mapping's replicas by folder
        [--session NAME] [--json]   digests and list every difference (exit 1
        [--repair]                  if any); --repair: the next pass sends
                                    the differing objects again
  iorepl conflicts FILE             the conflict items keep_both left, each
        [--session NAME] [--json]   with the item it lost to
  iorepl resolve FILE KEY           an owner's choice about conflict item KEY:
        --keep mine|theirs|both     keep the item, take the conflict item's
        [--session NAME]            content, or keep both (replicates)
  iorepl skip FILE KEY              take the refused version of source key
        [--session NAME]            KEY ({GUID}:N) as seen next pass
  iorepl export FILE --out PATH     write the session's changes not exported
        [--session NAME] [--full]   before to an exchange file (--full: all;
        [--force]                   --force: replace PATH if it exists)
  iorepl import FILE PATH           apply an exchange file at the session's
        [--session NAME] [--json]   subscribers (a second time changes nothing)
  iorepl list STORE_URI [PATH]      a folder's subfolders and items (default /)
  iorepl demo DIR                   build two sample organizations in DIR,
                                    replicate, edit both, replicate again

Replica groups (docs/replication-messages.md):
  iorepl receive --spool DIR        read one replication mail on standard input
        [--max-bytes N]             (as an MTA delivers to a program) and put its
                                    message into the member's spool directory;
                                    anything else is dropped with a line on
                                    stderr; exit 75 when the spool cannot be
                                    written (the MTA tries again)
  iorepl repl keygen PREFIX         a member's Ed25519 key pair: the private key
        [--force]                   to PREFIX.key (mode 0600), the public_key
                                    line for every member's file on stdout
  iorepl repl tick FILE             one round of each replica group of FILE:
        [--group NAME]...           receive, apply, send, backfill, status
  iorepl repl status FILE           per group, folder and peer: what is seen,
        [--group NAME]... [--json]  missing, parked and waiting, with ages
  iorepl repl leave FILE            whether this member may leave: asks every
        [--group NAME]...           peer for status, ticks, and says who has
                                    not confirmed its changes (exit 1 then)

Free/busy (docs/freebusy.md):
  iorepl recipients import CSV      add the contacts of a CSV file (columns
        --store URI [--replace]     smtp_address, display_name) to the store's
        [--folder PATH]             recipient list; --replace drops the others
  iorepl recipients list            the recipient list, one "ADDRESS<TAB>NAME"
        --store URI [--folder PATH] per line
        [--json]
  iorepl freebusy status            users whose free/busy is stale or whose
        --store URI [--json]        range ends soon (exit 1 if any)
        [--older-than 24h] [--ends-within 7d] [--folder ROOT]
  iorepl freebusy export            print a user's free/busy as an iCalendar
        --user ADDRESS --store URI  VFREEBUSY
        [--folder ROOT]
  iorepl freebusy import ICS        write a VFREEBUSY as its user's free/busy
        --store URI                 message in the site folder PATH or that
        (--folder PATH | --legacy-dn DN)  of the legacy DN

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

Exit status:
  0  success
  1  a session pass had errors (failed objects or folders, retried on the
     next pass, or a store that failed)
  2  bad usage, a bad configuration or bad input
  3  an exchange file was refused (damaged, foreign, out of order, wrong key);
     nothing was changed
  4  run --once was interrupted by SIGINT or SIGTERM (the next run continues)
  75 receive could not write the spool directory (the MTA delivers again)
)";

// A verb: its words, how many positional arguments follow them (min..max),
// and what it does.
struct Verb {
  std::vector<std::string> words;
  size_t min_args;
  size_t max_args;
  std::function<int(const CommandLine&, const std::vector<std::string>& args,
                    std::ostream& out, std::ostream& err)>
      run;
};

// An inspection verb: its output is buffered so that a failure prints
// nothing on stdout.
Verb Inspect(
    std::vector<std::string> words, size_t arity,
    std::function<absl::Status(const CommandLine&,
                               const std::vector<std::string>&, std::ostream&)>
        body) {
  return {std::move(words), arity, arity,
          [body](const CommandLine& c, const std::vector<std::string>& a,
                 std::ostream& out, std::ostream& err) {
            std::ostringstream result;
            absl::Status status = body(c, a, result);
            if (!status.ok()) {
              err << "iorepl: " << status.message() << "\n";
              return kExitUsage;
            }
            out << result.str();
            return kExitOk;
          }};
}

int NeedsStore(const char* verb, std::ostream& err) {
  err << "iorepl: " << verb << " needs --store URI (see 'iorepl --help')\n";
  return kExitUsage;
}

const std::vector<Verb>& Verbs() {
  static const auto* verbs = new std::vector<Verb>{
      Inspect({"inspect", "xid"}, 1,
              [](const CommandLine&, const auto& a, std::ostream& out) {
                return InspectXid(a[0], out);
              }),
      Inspect({"inspect", "pcl"}, 1,
              [](const CommandLine&, const auto& a, std::ostream& out) {
                return InspectPcl(a[0], out);
              }),
      Inspect({"inspect", "idset"}, 1,
              [](const CommandLine& c, const auto& a, std::ostream& out) {
                return InspectIdSet(a[0], c.Has("replid"), out);
              }),
      Inspect({"pcl-compare"}, 2,
              [](const CommandLine&, const auto& a, std::ostream& out) {
                return ComparePcls(a[0], a[1], out);
              }),
      Inspect({"encode", "idset"}, 1,
              [](const CommandLine& c, const auto& a, std::ostream& out) {
                return EncodeIdSet(a[0], c.Has("replid"), out);
              }),
      {{"config", "new"},
       0,
       1,
       [](const CommandLine& c, const auto& a, std::ostream& out,
          std::ostream& err) {
         return ConfigNewCommand(a.empty() ? "" : a[0], c.Has("force"), out,
                                 err);
       }},
      {{"validate"},
       1,
       1,
       [](const CommandLine&, const auto& a, std::ostream& out,
          std::ostream& err) { return ValidateCommand(a[0], out, err); }},
      {{"status"},
       1,
       1,
       [](const CommandLine& c, const auto& a, std::ostream& out,
          std::ostream& err) {
         return StatusCommand(a[0], c.All("session"), c.Has("json"), out, err);
       }},
      {{"verify"},
       1,
       1,
       [](const CommandLine& c, const auto& a, std::ostream& out,
          std::ostream& err) {
         return VerifyCommand(a[0], c.All("session"), c.Has("repair"),
                              c.Has("json"), out, err);
       }},
      {{"conflicts"},
       1,
       1,
       [](const CommandLine& c, const auto& a, std::ostream& out,
          std::ostream& err) {
         return ConflictsCommand(a[0], c.All("session"), c.Has("json"), out,
                                 err);
       }},
      {{"receive"},
       0,
       0,
       [](const CommandLine& c, const auto&, std::ostream&, std::ostream& err) {
         if (!c.Has("spool")) {
           err << "iorepl: receive needs --spool DIR (see 'iorepl --help')\n";
           return kExitUsage;
         }
         size_t max_bytes = 300 * 1024;
         if (c.Has("max-bytes")) {
           const std::string v = c.Value("max-bytes");
           char* end = nullptr;
           const unsigned long long n = std::strtoull(v.c_str(), &end, 10);
           if (v.empty() || *end != '\0' || n < 4096 || n > (64ull << 20)) {
             err << "iorepl: --max-bytes wants a number of bytes from 4096 to 67108864\n";
             return kExitUsage;
           }
           max_bytes = static_cast<size_t>(n);
         }
         return ReceiveCommand(std::cin, c.Value("spool"), max_bytes, err);
       }},
      {{"repl", "keygen"},
       1,
       1,
       [](const CommandLine& c, const auto& a, std::ostream& out,
          std::ostream& err) { return KeygenCommand(a[0], c.Has("force"), out, err); }},
      {{"repl", "tick"},
       1,
       1,
       [](const CommandLine& c, const auto& a, std::ostream& out,
          std::ostream& err) {
         return GroupTickCommand(a[0], c.All("group"), out, err);
       }},
      {{"repl", "leave"},
       1,
       1,
       [](const CommandLine& c, const auto& a, std::ostream& out,
          std::ostream& err) {
         return GroupLeaveCommand(a[0], c.All("group"), out, err);
       }},
      {{"repl", "status"},
       1,
       1,
       [](const CommandLine& c, const auto& a, std::ostream& out,
          std::ostream& err) {
         return GroupStatusCommand(a[0], c.All("group"), c.Has("json"), out, err);
       }},
      {{"resolve"},
       2,
       2,
       [](const CommandLine& c, const auto& a, std::ostream& out,
          std::ostream& err) {
         if (!c.Has("keep")) {
           err << "iorepl: resolve needs --keep mine|theirs|both\n";
           return kExitUsage;
         }
         return ResolveCommand(a[0], c.All("session"), a[1], c.Value("keep"),
                               out, err);
       }},
      {{"skip"},
       2,
       2,
       [](const CommandLine& c, const auto& a, std::ostream& out,
          std::ostream& err) {
         return SkipCommand(a[0], c.All("session"), a[1], out, err);
       }},
      {{"export"},
       1,
       1,
       [](const CommandLine& c, const auto& a, std::ostream& out,
          std::ostream& err) {
         if (!c.Has("out")) {
           err << "iorepl: export needs --out PATH (see 'iorepl --help')\n";
           return kExitUsage;
         }
         if (c.All("session").size() > 1) {
           err << "iorepl: export takes one --session\n";
           return kExitUsage;
         }
         return ExportCommand(a[0], c.Value("session"), c.Value("out"),
                              c.Has("full"), c.Has("force"), out, err);
       }},
      {{"import"},
       2,
       2,
       [](const CommandLine& c, const auto& a, std::ostream& out,
          std::ostream& err) {
         if (c.All("session").size() > 1) {
           err << "iorepl: import takes one --session\n";
           return kExitUsage;
         }
         return ImportCommand(a[0], c.Value("session"), a[1], c.Has("json"),
                              out, err);
       }},
      {{"list"},
       1,
       2,
       [](const CommandLine&, const auto& a, std::ostream& out,
          std::ostream& err) {
         return ListCommand(a[0], a.size() > 1 ? a[1] : "/", out, err);
       }},
      {{"recipients", "import"},
       1,
       1,
       [](const CommandLine& c, const auto& a, std::ostream& out,
          std::ostream& err) {
         if (!c.Has("store")) return NeedsStore("recipients import", err);
         return RecipientsImportCommand(
             a[0], c.Value("store"),
             c.Value("folder", std::string(kDefaultRecipientsPath)),
             c.Has("replace"), out, err);
       }},
      {{"recipients", "list"},
       0,
       0,
       [](const CommandLine& c, const auto&, std::ostream& out,
          std::ostream& err) {
         if (!c.Has("store")) return NeedsStore("recipients list", err);
         return RecipientsListCommand(
             c.Value("store"),
             c.Value("folder", std::string(kDefaultRecipientsPath)),
             c.Has("json"), out, err);
       }},
      {{"freebusy", "status"},
       0,
       0,
       [](const CommandLine& c, const auto&, std::ostream& out,
          std::ostream& err) {
         if (!c.Has("store")) return NeedsStore("freebusy status", err);
         FreeBusyStatusOptions options;
         options.uri = c.Value("store");
         options.root = c.Value("folder", std::string(kFreeBusyRootPath));
         options.json = c.Has("json");
         for (const auto& [name, slot] :
              {std::pair{"older-than", &options.older_than},
               std::pair{"ends-within", &options.ends_within}}) {
           if (!c.Has(name)) continue;
           absl::StatusOr<absl::Duration> d = ParseDays(c.Value(name));
           if (!d.ok()) {
             err << "iorepl: --" << name << ": " << d.status().message()
                 << "\n";
             return kExitUsage;
           }
           *slot = *d;
         }
         return FreeBusyStatusCommand(options, out, err);
       }},
      {{"freebusy", "export"},
       0,
       0,
       [](const CommandLine& c, const auto&, std::ostream& out,
          std::ostream& err) {
         if (!c.Has("store")) return NeedsStore("freebusy export", err);
         if (!c.Has("user")) {
           err << "iorepl: freebusy export needs --user ADDRESS\n";
           return kExitUsage;
         }
         return FreeBusyExportCommand(
             c.Value("store"),
             c.Value("folder", std::string(kFreeBusyRootPath)), c.Value("user"),
             out, err);
       }},
      {{"freebusy", "import"},
       1,
       1,
       [](const CommandLine& c, const auto& a, std::ostream& out,
          std::ostream& err) {
         if (!c.Has("store")) return NeedsStore("freebusy import", err);
         if (c.Has("folder") == c.Has("legacy-dn")) {
           err << "iorepl: freebusy import needs one of --folder PATH (the "
                  "site folder) and --legacy-dn DN\n";
           return kExitUsage;
         }
         return FreeBusyImportCommand(a[0], c.Value("store"), c.Value("folder"),
                                      c.Value("legacy-dn"), out, err);
       }},
      {{"demo"},
       1,
       1,
       [](const CommandLine&, const auto& a, std::ostream& out,
          std::ostream& err) { return DemoCommand(a[0], out, err); }},
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

std::string Plural(size_t n) { return n == 1 ? "" : "s"; }

}  // namespace

int RunCli(const std::vector<std::string>& args, std::ostream& out,
           std::ostream& err, bool terminal) {
  absl::StatusOr<CommandLine> line = ParseCommandLine(
      args,
      {"help", "version", "replid", "once", "json", "full", "force", "replace",
       "repair"},
      {"session", "out", "store", "folder", "user", "older-than", "ends-within",
       "legacy-dn", "keep", "spool", "max-bytes", "group"});
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
  // `run` is not in the table: it needs the terminal flag.
  if (line->positional[0] == "run") {
    if (line->positional.size() != 2) {
      err << "iorepl: 'run' takes 1 argument, got "
          << line->positional.size() - 1 << " (see 'iorepl --help')\n";
      return kExitUsage;
    }
    RunOptions options;
    options.config_path = line->positional[1];
    options.sessions = line->All("session");
    options.once = line->Has("once");
    options.json = line->Has("json");
    options.terminal = terminal;
    return RunSessions(options, out, err);
  }
  for (const Verb& verb : Verbs()) {
    if (!Matches(verb, *line)) continue;
    const std::vector<std::string> given(
        line->positional.begin() + verb.words.size(), line->positional.end());
    if (given.size() < verb.min_args || given.size() > verb.max_args) {
      err << "iorepl: '" << absl::StrJoin(verb.words, " ") << "' takes ";
      if (verb.min_args == verb.max_args) {
        err << verb.min_args << " argument" << Plural(verb.min_args);
      } else {
        err << verb.min_args << " to " << verb.max_args << " arguments";
      }
      err << ", got " << given.size() << " (see 'iorepl --help')\n";
      return kExitUsage;
    }
    return verb.run(*line, given, out, err);
  }
  err << "iorepl: unknown command '" << line->positional[0]
      << (line->positional.size() > 1 ? " " + line->positional[1] : "")
      << "' (see 'iorepl --help')\n";
  return kExitUsage;
}

}  // namespace ioreplication::iorepl
