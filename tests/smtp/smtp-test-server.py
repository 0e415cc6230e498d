#!/usr/bin/python3
"""A real SMTP server for tests, built on Debian's python3-aiosmtpd (run it with /usr/bin/python3).

It listens on 127.0.0.1 on a port the OS picks and prints "listening on 127.0.0.1:PORT" once it
accepts connections. Each message it accepts is written into MAILDIR as N.eml (the bytes as
received, dot-stuffing undone) and then N.json: what Python's own email package reads from it, as an
independent check of the sender's MIME, plus the envelope and the session (TLS, authenticated user).
Files appear by rename, so a reader never sees half a file; N.json is written last.

  smtp-test-server.py MAILDIR [--starttls CERT KEY | --implicit-tls CERT KEY]
                      [--auth USER:PASSWORD [--only-mechanism LOGIN|PLAIN]] [--answer-delay-ms N]

--auth makes authentication mandatory; aiosmtpd offers AUTH only over TLS (after STARTTLS).
--answer-delay-ms makes a slow server: each message is accepted (written, then answered 250) only
after that long; connections are served concurrently meanwhile. SIGTERM stops it.
"""
import argparse
import asyncio
import email
import email.policy
import email.utils
import itertools
import json
import os
import signal
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult


class MaildirWriter:
    """The aiosmtpd handler: writes every accepted message and its summary into a directory."""

    def __init__(self, directory, answer_delay_ms=0):
        self.directory = directory
        self.answer_delay_ms = answer_delay_ms
        self.numbers = itertools.count(1)

    async def handle_DATA(self, server, session, envelope):
        if self.answer_delay_ms:
            await asyncio.sleep(self.answer_delay_ms / 1000)
        number = next(self.numbers)
        raw = envelope.original_content or envelope.content
        self.write(f"{number}.eml", raw)
        summary = summarize(raw)
        summary["mail_from"] = envelope.mail_from
        summary["rcpt_tos"] = list(envelope.rcpt_tos)
        summary["authenticated_as"] = (session.auth_data.login.decode()
                                       if session.authenticated and session.auth_data else None)
        summary["tls"] = server.transport.get_extra_info("ssl_object") is not None
        self.write(f"{number}.json", json.dumps(summary, ensure_ascii=False, indent=1).encode())
        return f"250 2.0.0 OK queued as Q{number}"

    def write(self, name, data):
        temporary = os.path.join(self.directory, "." + name + ".tmp")
        with open(temporary, "wb") as f:
            f.write(data)
        os.rename(temporary, os.path.join(self.directory, name))


def summarize(raw):
    message = email.message_from_bytes(raw, policy=email.policy.default)
    defects = [repr(d) for d in message.defects]
    parts = []
    for part in message.walk():
        defects += [repr(d) for d in part.defects]
        if part.is_multipart():
            continue
        parts.append({
            "content_type": part.get_content_type(),
            "charset": part.get_content_charset(),
            "transfer_encoding": part.get("Content-Transfer-Encoding"),
            "content": part.get_content(),
        })
    date = email.utils.parsedate_to_datetime(message["Date"]) if message["Date"] else None
    return {
        "headers": [[name, str(value)] for name, value in message.items()],
        "date_unix": int(date.timestamp()) if date else None,
        "date_utc_offset_seconds": int(date.utcoffset().total_seconds()) if date and date.utcoffset() is not None else None,
        "content_type": message.get_content_type(),
        "parts": parts,
        "defects": defects,
    }


def tls_context(cert, key):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


def authenticator_for(user, password):
    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = auth_data.login == user.encode() and auth_data.password == password.encode()
        # handled=False: aiosmtpd then answers a failure itself (535); with its default it says nothing.
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)
    return authenticate


async def serve(arguments):
    loop = asyncio.get_running_loop()
    starttls = tls_context(*arguments.starttls) if arguments.starttls else None
    implicit = tls_context(*arguments.implicit_tls) if arguments.implicit_tls else None
    options = {"hostname": "localhost", "tls_context": starttls}
    if arguments.auth:
        user, _, password = arguments.auth.partition(":")
        options["authenticator"] = authenticator_for(user, password)
        options["auth_required"] = True
        if arguments.only_mechanism:
            options["auth_exclude_mechanism"] = [m for m in ("PLAIN", "LOGIN") if m != arguments.only_mechanism]
    handler = MaildirWriter(arguments.maildir, arguments.answer_delay_ms)
    server = await loop.create_server(lambda: SMTP(handler, **options), "127.0.0.1", 0, ssl=implicit)
    stopped = loop.create_future()
    loop.add_signal_handler(signal.SIGTERM, stopped.set_result, None)
    print(f"listening on 127.0.0.1:{server.sockets[0].getsockname()[1]}", flush=True)
    await stopped
    server.close()
    await server.wait_closed()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("maildir")
    tls = parser.add_mutually_exclusive_group()
    tls.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"))
    tls.add_argument("--implicit-tls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--auth", metavar="USER:PASSWORD")
    parser.add_argument("--only-mechanism", choices=["PLAIN", "LOGIN"])
    parser.add_argument("--answer-delay-ms", type=int, default=0)
    asyncio.run(serve(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
