"""Ask the real yaml-language-server what an editor shows for a case file: hover over keys.

A measurement for the case schema's descriptions (validator/schemas/case_fields.yaml),
not a test: CI has no Node packages. Install the server once, then run::

    npm install --prefix /tmp/yls yaml-language-server@1.15.0
    python tools/schema_hover.py /tmp/yls/node_modules/.bin/yaml-language-server cases/2026-001.yaml outcome license

The file finds the schema through its ``# yaml-language-server: $schema=`` line.
"""
from __future__ import annotations

import json
import pathlib
import subprocess
import sys
from typing import Any


class Client:
    """A minimal Language Server Protocol client over the server's stdin and stdout."""

    def __init__(self, command: str) -> None:
        self.server = subprocess.Popen([command, "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                       stderr=subprocess.DEVNULL)
        self.last_id = 0

    def send(self, message: dict[str, Any]) -> None:
        assert self.server.stdin is not None
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        self.server.stdin.write(f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        self.server.stdin.flush()

    def read(self) -> dict[str, Any]:
        assert self.server.stdout is not None
        length = 0
        while line := self.server.stdout.readline().decode().strip():
            key, value = line.split(":", 1)
            if key.lower() == "content-length":
                length = int(value)
        return json.loads(self.server.stdout.read(length))

    def request(self, method: str, params: dict[str, Any]) -> Any:
        self.last_id += 1
        self.send({"id": self.last_id, "method": method, "params": params})
        while True:
            message = self.read()
            if message.get("id") == self.last_id and "method" not in message:
                return message.get("result")
            if "method" in message and "id" in message:  # the server asks for its settings
                settings = [{"validate": True, "hover": True, "completion": True}]
                self.send({"id": message["id"], "result": settings if message["method"] == "workspace/configuration"
                           else None})


def main(command: str, file: str, keys: list[str]) -> None:
    path = pathlib.Path(file).resolve()
    text = path.read_text("utf-8")
    client = Client(command)
    client.request("initialize", {"processId": None, "rootUri": path.parent.as_uri(),
                                  "capabilities": {"textDocument": {"hover": {"contentFormat": ["markdown"]}}}})
    client.send({"method": "initialized", "params": {}})
    uri = path.as_uri()
    client.send({"method": "textDocument/didOpen",
                 "params": {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}})
    lines = text.splitlines()
    for key in keys:
        number = next(index for index, line in enumerate(lines) if line.lstrip(" -").startswith(f"{key}:"))
        result = client.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                       "position": {"line": number, "character": lines[number].index(key) + 1}})
        contents = (result or {}).get("contents")
        print(f"--- {key} (line {number + 1})\n{contents['value'] if isinstance(contents, dict) else contents}\n")
    client.server.kill()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
