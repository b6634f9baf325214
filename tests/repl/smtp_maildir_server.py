#!/usr/bin/python3
# Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
"""A real SMTP server (aiosmtpd) on 127.0.0.1 for the mail transport test.

Every message is delivered, as an MTA's local delivery agent would, into
the Maildir ROOT/<local part of each recipient>/ (tmp/ then new/, by
Python's mailbox module). Listens on a free port and, once it accepts
connections, writes the port to PORT_FILE (written whole, then renamed, so
a reader never sees half of it). Stops on SIGTERM or SIGINT.
"""
import argparse
import mailbox
import os
import signal
import socket
import sys
import threading

from aiosmtpd.controller import Controller


class MaildirPerRecipient:
    def __init__(self, root):
        self.root = root

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@", 1)[0]
        if not local or "/" in local or local.startswith("."):
            return "550 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        for rcpt in envelope.rcpt_tos:
            box = mailbox.Maildir(os.path.join(self.root, rcpt.split("@", 1)[0]),
                                  create=True)
            box.add(envelope.original_content)
        return "250 Message accepted for delivery"


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--port-file", required=True)
    args = parser.parse_args()
    controller = None
    for _ in range(20):  # another process may take the free port first
        try:
            controller = Controller(MaildirPerRecipient(args.root),
                                    hostname="127.0.0.1", port=free_port())
            controller.start()  # returns once the server answers
            break
        except (OSError, RuntimeError):
            controller = None
    if controller is None:
        print("smtp_maildir_server: cannot listen on 127.0.0.1", file=sys.stderr)
        return 1
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(controller.port))
    os.rename(tmp, args.port_file)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    while not stop.wait(0.2):
        pass
    controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
