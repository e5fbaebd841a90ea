#!/usr/bin/env python3
"""`make watch N=16` in a real terminal (a pseudo-terminal 80 columns wide), as a learner uses it.

The untouched stub gets a failing verdict that fits the 80 columns, its todos said once; the reference
answer saved over it gets a passing one within 20 seconds of the save (the build of one changed file
included); `h` then Enter shows a hint; `q` then Enter quits; and no process of the checks is left
running. Exercise 16's answer is put back however the test ends. CI runs it (`make test-classroom`).
"""
import fcntl
import os
import pty
import re
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ANSWER = "Exercises/16-Fibonacci/Sources/Fibonacci.swift"
REFERENCE = "Solutions/16-Fibonacci/Sources/Fibonacci.swift"
ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class Watch:
    """`make watch N=16` (or another command) on a pseudo-terminal, with everything it printed so far."""

    def __init__(self, command=("make", "--no-print-directory", "watch", "N=16")):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.chdir(ROOT)
            os.environ["TERM"] = "xterm"
            os.execvp(command[0], list(command))
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 80, 0, 0))
        self.raw = ""

    def read(self, seconds):
        end = time.time() + seconds
        while time.time() < end:
            ready, _, _ = select.select([self.fd], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    return False
                if not chunk:
                    return False
                self.raw += chunk.decode("utf-8", "replace")
        return True

    def screen(self):
        """What is on the screen now: the text after the last clear."""
        return ESCAPES.sub("", self.raw.split("\x1b[2J")[-1])

    def wait_for(self, text, seconds):
        """Seconds until `text` is on the screen, or None after `seconds`."""
        start = time.time()
        while time.time() - start < seconds:
            if text in self.screen():
                return time.time() - start
            if not self.read(0.5) and text not in self.screen():
                return None
        return None

    def type(self, text):
        os.write(self.fd, text.encode())


def main():
    os.chdir(ROOT)
    saved = tempfile.mkdtemp()
    shutil.copy2(ANSWER, saved)
    watch = None
    failures = []

    def check(condition, message):
        print(("  ✔ " if condition else "  ✘ ") + message)
        if not condition:
            failures.append(message)

    try:
        watch = Watch()
        print("make watch N=16 on a terminal 80 columns wide:")
        took = watch.wait_for("of 7 checks fail", 600)
        check(took is not None, "the untouched stub gets a failing verdict")
        check("save a file to check again" in watch.screen(), "the screen says how to go on")
        screen = watch.screen()
        wide = [line for line in screen.splitlines() if len(line) > 80]
        check(not wide, "every line fits the 80 columns, wrapped between words"
              + (f" ({len(wide)} do not, as: {wide[0][:60]}…)" if wide else ""))
        check(screen.count("Fibonacci.swift:18") == 1 and screen.count("Watching ") == 1,
              "each todo of the unwritten answer, and the status line, said once")
        time.sleep(1.5)  # a save within the same second as the last check would look unchanged
        shutil.copyfile(REFERENCE, ANSWER)
        took = watch.wait_for("all 7 checks pass", 120)
        check(took is not None and took < 20, "the reference answer saved over it passes "
              + (f"{took:.1f} s after the save" if took is not None else "(never seen)"))
        check(watch.wait_for("checked in", 10) is not None and re.search(r"checked in [0-9.]+ s", watch.screen()),
              "the verdict says how long it took")
        watch.type("h\n")
        check(watch.wait_for("Hint 1 of", 10) is not None, "h then Enter shows a hint")
        watch.type("q\n")
        start = time.time()
        while time.time() - start < 10:
            done, status = os.waitpid(watch.pid, os.WNOHANG)
            if done:
                break
            watch.read(0.2)
        check(done != 0 and os.waitstatus_to_exitcode(status) == 0, "q then Enter quits")
        time.sleep(1)
        left = subprocess.run(["pgrep", "-f", "check-16|workbook watch|workbook check"], capture_output=True, text=True).stdout
        check(left.strip() == "", "nothing is left running" + (f" (still running: {left.split()})" if left.strip() else ""))
    finally:
        if watch is not None:
            try:
                os.killpg(watch.pid, signal.SIGKILL)
            except OSError:
                pass
        shutil.copyfile(os.path.join(saved, os.path.basename(ANSWER)), ANSWER)
        shutil.rmtree(saved)
    if failures:
        print("Last screen:\n" + watch.screen() if watch else "")
        sys.exit(1)


if __name__ == "__main__":
    main()
