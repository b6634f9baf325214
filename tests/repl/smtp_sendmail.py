#!/usr/bin/python3
# Copyright 2026 The ioreplication Authors. SPDX-License-Identifier: Apache-2.0
"""A sendmail-compatible submission program for tests: reads a mail on
standard input and submits it over SMTP to 127.0.0.1:PORT for the
recipients on its command line (after "--"). Understands what the mail
transport passes: -oi (a lone "." is not the end), -f SENDER.
Exits 0 once the server took the mail, 75 (EX_TEMPFAIL) when it did not.

  smtp_sendmail.py --port PORT [-oi] [-f SENDER] -- RECIPIENT...
"""
import email.parser
import email.utils
import smtplib
import sys


def main(argv):
    port = None
    sender = None
    recipients = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--":
            recipients = argv[i + 1:]
            break
        if a == "--port":
            port = int(argv[i + 1]); i += 2; continue
        if a == "-f":
            sender = argv[i + 1]; i += 2; continue
        if a == "-oi" or a == "-i":
            i += 1; continue
        if a.startswith("-"):
            print(f"smtp_sendmail: unknown option {a}", file=sys.stderr)
            return 64
        recipients = argv[i:]
        break
    if port is None or not recipients:
        print("smtp_sendmail: need --port and recipients", file=sys.stderr)
        return 64
    # Lines end in LF on standard input, as for every sendmail; SMTP wants
    # CRLF (smtplib leaves bytes as they are).
    data = sys.stdin.buffer.read().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    if sender is None:
        headers = email.parser.BytesHeaderParser().parsebytes(data)
        sender = email.utils.parseaddr(headers.get("From", ""))[1]
    try:
        with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
            smtp.sendmail(sender, recipients, data)
    except (OSError, smtplib.SMTPException) as e:
        print(f"smtp_sendmail: {e}", file=sys.stderr)
        return 75
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
