#!/usr/bin/env python3
"""A minimal SMTP server for the mail tests: accepts every message on loopback and saves each
as <dir>/<n>.eml (dot-stuffing undone), with the envelope in <n>.env. Prints the bound port.

usage: smtp_sink.py DIR [PORT]
"""
import os
import socketserver
import sys
import threading

OUT = sys.argv[1]
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 0
lock = threading.Lock()
count = [0]


class Handler(socketserver.StreamRequestHandler):
    def reply(self, text):
        self.wfile.write((text + "\r\n").encode())
        self.wfile.flush()

    def handle(self):
        self.reply("220 sink ESMTP")
        envelope = []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.decode("ascii", "replace").rstrip("\r\n")
            verb = command.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.wfile.write(b"250-sink\r\n250-8BITMIME\r\n250 AUTH PLAIN\r\n")
                self.wfile.flush()
            elif verb == "AUTH":
                envelope.append(command)
                self.reply("235 ok")
            elif verb in ("MAIL", "RCPT"):
                envelope.append(command)
                self.reply("250 ok")
            elif verb == "DATA":
                self.reply("354 go on")
                data = []
                while True:
                    raw = self.rfile.readline()
                    if not raw or raw in (b".\r\n", b".\n"):
                        break
                    data.append(raw[1:] if raw.startswith(b"..") else raw)
                with lock:
                    count[0] += 1
                    n = count[0]
                with open(os.path.join(OUT, "%d.env" % n), "w") as f:
                    f.write("\n".join(envelope) + "\n")
                with open(os.path.join(OUT, "%d.eml.part" % n), "wb") as f:
                    f.write(b"".join(data))
                os.rename(os.path.join(OUT, "%d.eml.part" % n), os.path.join(OUT, "%d.eml" % n))
                envelope = []
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            elif verb in ("RSET", "NOOP"):
                self.reply("250 ok")
            else:
                self.reply("502 not implemented")


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


os.makedirs(OUT, exist_ok=True)
server = Server(("127.0.0.1", PORT), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
