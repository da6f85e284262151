#!/usr/bin/env python3
"""A real SMTP server (aiosmtpd, from PyPI) on loopback for the mail tests: accepts every message
and saves each as <dir>/<n>.eml (as received, dot-stuffing undone by aiosmtpd), with the envelope
and the credentials the client authenticated with in <n>.env. Prints the bound port.

With CERT and KEY it offers STARTTLS with that certificate and refuses MAIL before it.

usage: smtp_sink.py DIR [PORT] [CERT KEY]
"""
import os
import socket
import ssl
import sys
import threading
import time
import warnings

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

OUT = sys.argv[1]
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 0
CERT = sys.argv[3:5] if len(sys.argv) > 4 else None
warnings.filterwarnings("ignore")  # aiosmtpd's deprecation notices are not the sink's output
lock = threading.Lock()
count = [0]


def authenticate(server, session, envelope, mechanism, auth_data):
    session.zx_login = "AUTH %s login=%s password=%s" % (
        mechanism, auth_data.login.decode(), auth_data.password.decode())
    return AuthResult(success=True)


class Saver:
    async def handle_DATA(self, server, session, envelope):
        with lock:
            count[0] += 1
            n = count[0]
        lines = [getattr(session, "zx_login", "")] if getattr(session, "zx_login", "") else []
        lines.append("MAIL FROM:<%s>" % envelope.mail_from)
        lines += ["RCPT TO:<%s>" % r for r in envelope.rcpt_tos]
        if CERT:
            lines.append("TLS %s" % ("yes" if session.ssl else "no"))
        with open(os.path.join(OUT, "%d.env" % n), "w") as f:
            f.write("\n".join(lines) + "\n")
        with open(os.path.join(OUT, "%d.eml.part" % n), "wb") as f:
            f.write(envelope.content)
        os.rename(os.path.join(OUT, "%d.eml.part" % n), os.path.join(OUT, "%d.eml" % n))
        return "250 queued"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


os.makedirs(OUT, exist_ok=True)
tls = None
if CERT:
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(CERT[0], CERT[1])
port = PORT or free_port()
for attempt in range(50):
    controller = Controller(
        Saver(), hostname="127.0.0.1", port=port, authenticator=authenticate, auth_require_tls=False,
        tls_context=tls, require_starttls=bool(CERT), decode_data=False, server_hostname="sink")
    try:
        controller.start()
        break
    except Exception:  # the port is still held by the sink this one replaces
        time.sleep(0.1)
else:
    sys.exit("smtp_sink: cannot listen on %d" % port)
print(port, flush=True)
threading.Event().wait()
