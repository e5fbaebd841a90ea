#!/usr/bin/env python3
"""An exercise's file in the editor, as VS Code's Swift extension, Neovim or Emacs see it: through
sourcekit-lsp, spoken to over its protocol (JSON-RPC on stdin and stdout, each message headed by its
Content-Length).

The server starts with the environment the repository's editor settings give it, read from
`.vscode/settings.json` (`swift.swiftEnvironmentVariables`), as the Swift extension does. Then, in
exercise 16's answer:
- hover on `Module` shows the workbook's documentation of the class;
- a type error typed into the answer comes back as an error diagnostic at its line, with the
  compiler's message;
- typing the stub back clears it.
The edits live in the editor's buffer (`didChange`), never on disk. CI runs it (`make test-classroom`).
"""
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ANSWER = "Exercises/16-Fibonacci/Sources/Fibonacci.swift"
SETTINGS = ".vscode/settings.json"
STUB_LINE = 'todo("fibonacci(count:) is not written yet.")'
TYPE_ERROR = 'let first: Int = "zero"'


def editor_environment():
    """This process's environment plus what the repository's VS Code settings give the Swift extension."""
    with open(os.path.join(ROOT, SETTINGS)) as f:
        # VS Code's settings may carry // comments; this file has none, but a learner may add some.
        text = re.sub(r"^\s*//.*$", "", f.read(), flags=re.M)
    added = json.loads(text).get("swift.swiftEnvironmentVariables", {})
    return dict(os.environ, **added), added


class Server:
    """sourcekit-lsp as a child process, with the messages it sent so far."""

    def __init__(self, env):
        self.process = subprocess.Popen(
            [shutil.which("sourcekit-lsp") or "sourcekit-lsp"], cwd=ROOT, env=env,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            start_new_session=True)
        self.buffer = b""
        self.next_id = 1
        self.notifications = []

    def send(self, message):
        body = json.dumps(dict(message, jsonrpc="2.0")).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def notify(self, method, params):
        self.send({"method": method, "params": params})

    def receive(self, seconds):
        """The next message within `seconds`, or None."""
        end = time.time() + seconds
        while True:
            header_end = self.buffer.find(b"\r\n\r\n")
            if header_end >= 0:
                length = int(re.search(rb"Content-Length: *(\d+)", self.buffer[:header_end]).group(1))
                start = header_end + 4
                if len(self.buffer) >= start + length:
                    message = json.loads(self.buffer[start:start + length])
                    self.buffer = self.buffer[start + length:]
                    return message
            left = end - time.time()
            if left <= 0:
                return None
            ready, _, _ = select.select([self.process.stdout], [], [], left)
            if ready:
                chunk = os.read(self.process.stdout.fileno(), 65536)
                if not chunk:
                    raise RuntimeError("sourcekit-lsp ended")
                self.buffer += chunk

    def handle(self, message):
        """Answers the server's own requests (progress tokens, configuration) and keeps notifications."""
        if "method" in message and "id" in message:
            self.send({"id": message["id"], "result": None})
        elif "method" in message:
            self.notifications.append(message)

    def request(self, method, params, seconds=120):
        ident = self.next_id
        self.next_id += 1
        self.send({"id": ident, "method": method, "params": params})
        end = time.time() + seconds
        while time.time() < end:
            message = self.receive(end - time.time())
            if message is None:
                break
            if message.get("id") == ident and "method" not in message:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result")
            self.handle(message)
        raise RuntimeError(f"{method}: no answer in {seconds} s")

    def diagnostics(self, uri, version, seconds):
        """The diagnostics published for `uri` at `version` (or later), or None after `seconds`."""
        end = time.time() + seconds
        while time.time() < end:
            for note in self.notifications:
                params = note["params"]
                if (note["method"] == "textDocument/publishDiagnostics" and params["uri"] == uri
                        and params.get("version", version) >= version):
                    self.notifications.remove(note)
                    return params["diagnostics"]
            message = self.receive(min(1, end - time.time()))
            if message is not None:
                self.handle(message)
        return None

    def stop(self):
        try:
            self.request("shutdown", None, seconds=20)
            self.notify("exit", None)
            self.process.wait(timeout=20)
        except Exception:
            pass
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        # Its background indexing builds outlive it otherwise, and would slow whatever runs next.
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def main():
    os.chdir(ROOT)
    failures = []

    def check(condition, message):
        print(("  ✔ " if condition else "  ✘ ") + message)
        if not condition:
            failures.append(message)

    env, added = editor_environment()
    check(added.get("WORKBOOK_EXERCISES") not in (None, "", "0"),
          f"{SETTINGS} gives the language server the exercises' targets ({added})")
    path = os.path.join(ROOT, ANSWER)
    uri = "file://" + path
    with open(path) as f:
        original = f.read()
    lines = original.split("\n")
    module_line = next(i for i, line in enumerate(lines) if "of module: Module" in line)
    module_column = lines[module_line].index("Module)")
    stub_line = next(i for i, line in enumerate(lines) if STUB_LINE in line)

    print(f"sourcekit-lsp on {ANSWER}, with {', '.join(f'{k}={v}' for k, v in added.items())}:")
    server = Server(env)
    started = time.time()
    try:
        server.request("initialize", {
            "processId": os.getpid(), "rootUri": "file://" + ROOT,
            "capabilities": {"textDocument": {
                "hover": {"contentFormat": ["markdown", "plaintext"]},
                "publishDiagnostics": {"versionSupport": True}}},
            "workspaceFolders": [{"uri": "file://" + ROOT, "name": "workbook"}]})
        server.notify("initialized", {})
        server.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "swift", "version": 1, "text": original}})

        # Until the server has loaded the package and prepared the target, hover has nothing to say.
        hover_text, took = "", None
        while time.time() - started < 900:
            result = server.request("textDocument/hover", {
                "textDocument": {"uri": uri}, "position": {"line": module_line, "character": module_column + 1}})
            contents = (result or {}).get("contents")
            hover_text = contents.get("value", "") if isinstance(contents, dict) else json.dumps(contents or "")
            if "parameters, sub-modules" in hover_text:
                took = time.time() - started
                break
            time.sleep(2)
        check(took is not None, "hover on `Module` shows the workbook's documentation of the class "
              + (f"({took:.1f} s after the file was opened)" if took is not None else f"(last: {hover_text!r})"))

        edited = lines[:]
        edited[stub_line] = lines[stub_line].replace(STUB_LINE, TYPE_ERROR + "; return [first]")
        edit_started = time.time()
        server.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": "\n".join(edited)}]})
        found = None
        while time.time() - edit_started < 120 and found is None:
            diagnostics = server.diagnostics(uri, 2, 120 - (time.time() - edit_started))
            if diagnostics is None:
                break
            found = next((d for d in diagnostics if d.get("severity") == 1
                          and d["range"]["start"]["line"] == stub_line and "String" in d["message"]), None)
        check(found is not None, "a type error typed into the answer comes back as an error diagnostic "
              + (f"at line {stub_line + 1}, {time.time() - edit_started:.1f} s after the edit: {found['message']!r}"
                 if found else "(none seen)"))

        fix_started = time.time()
        server.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": original}]})
        errors = None
        while time.time() - fix_started < 120:
            diagnostics = server.diagnostics(uri, 3, 120 - (time.time() - fix_started))
            if diagnostics is None:
                break
            errors = [d["message"] for d in diagnostics if d.get("severity") == 1]
            if not errors:
                break
        check(errors == [], "the stub typed back has no errors "
              + (f"({time.time() - fix_started:.1f} s after the edit)" if errors == [] else f"({errors})"))
    finally:
        server.stop()
    if failures:
        sys.exit(1)


if __name__ == "__main__":
    main()
