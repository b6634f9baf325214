// Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0

#include "repl_commands.h"

#include <memory>
#include <vector>

#include "cli.h"
#include "ioreplication/mail_transport.h"
#include "ioreplication/spool_transport.h"

namespace ioreplication::iorepl {

int ReceiveCommand(std::istream& in, const std::string& spool,
                   size_t max_message_bytes, std::ostream& err) {
  // Read at most one byte past the largest mail a frame can make, so an
  // endless input costs a bounded amount of memory.
  const size_t limit = MaxReplicationMailBytes(max_message_bytes);
  std::string mail;
  char buf[64 * 1024];
  while (mail.size() <= limit) {
    in.read(buf, sizeof(buf));
    if (in.gcount() <= 0) break;
    mail.append(buf, static_cast<size_t>(in.gcount()));
  }
  absl::StatusOr<std::string> frame = ExtractReplicationFrame(mail, max_message_bytes);
  if (!frame.ok()) {
    err << "iorepl: receive: dropped a mail: " << frame.status().message() << "\n";
    return kExitOk;
  }
  absl::StatusOr<std::unique_ptr<Transport>> transport =
      NewSpoolTransport(spool, max_message_bytes);
  absl::Status s = transport.ok() ? absl::OkStatus() : transport.status();
  if (s.ok()) {
    const std::vector<std::string> to = {spool};
    s = (*transport)->Send(*frame, to);
  }
  if (!s.ok()) {
    err << "iorepl: receive: " << s.message() << "\n";
    return kExitTempFail;
  }
  return kExitOk;
}

}  // namespace ioreplication::iorepl
