#!/usr/bin/env python3
"""`make watch-chapter C=07` in a real terminal (a pseudo-terminal 80 columns wide), as a learner uses it
(with --quick, so that each run takes seconds).

After the first run, the page reloads itself (its script and the file beside it are there). An edit to
step 4's code runs the chapter again from step 4, steps 1–3 quietly, and rewrites the page; a syntax
error gets the compiler's message and a wait; a step that throws gets its step and error and a wait; the
fix runs again; `q` then Enter quits, leaves nothing running, and leaves the page static.
`Chapters/07-Scheduling/main.swift` is put back however the test ends. CI runs it (`make test-classroom`).
"""
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from importlib import import_module

watch_check = import_module("watch-check")

ROOT = watch_check.ROOT
CHAPTER = "Chapters/07-Scheduling/main.swift"
PAGE = "out/07-Scheduling.html"
SIDECAR = "out/07-Scheduling.live.js"
ANCHOR = "    try learn.fit(ctx.epochs)\n}"


class ChapterWatch(watch_check.Watch):
    """`make watch-chapter C=07 ARGS=--quick` on a pseudo-terminal."""

    def __init__(self):
        super().__init__(["make", "--no-print-directory", "watch-chapter", "C=07", "ARGS=--quick"])

    def since(self, mark):
        """What it printed after `mark` (a length of `raw`), without escapes."""
        return watch_check.ESCAPES.sub("", self.raw[mark:])

    def wait_since(self, mark, text, seconds):
        """Seconds until `text` is printed after `mark`, or None after `seconds`."""
        start = time.time()
        while time.time() - start < seconds:
            if text in self.since(mark):
                return time.time() - start
            if not self.read(0.5) and text not in self.since(mark):
                return None
        return None


def session_processes(session):
    """The processes still in the watch's session (its terminal), but for zombies: {pid: command}."""
    out = subprocess.run(["ps", "-eo", "sid=,pid=,stat=,args="], capture_output=True, text=True).stdout
    return {int(line.split()[1]): line.split(None, 3)[3] for line in out.splitlines()
            if line.split()[0] == str(session) and not line.split()[2].startswith("Z")}


def main():
    os.chdir(ROOT)
    with open(CHAPTER) as f:
        original = f.read()
    assert ANCHOR in original, f"{CHAPTER}: step 4 no longer ends with `try learn.fit(ctx.epochs)`"
    watch = None
    failures = []

    def check(condition, message):
        print(("  ✔ " if condition else "  ✘ ") + message)
        if not condition:
            failures.append(message)

    def save(line):
        # A save within the same second as the build might otherwise look unchanged to some file systems.
        time.sleep(1.1)
        with open(CHAPTER, "w") as f:
            f.write(original.replace(ANCHOR, ANCHOR[:-1] + line + "\n}", 1))
        return time.time(), len(watch.raw)

    try:
        watch = ChapterWatch()
        print("make watch-chapter C=07 ARGS=--quick on a terminal 80 columns wide:")
        took = watch.wait_for("to run again · q⏎ quit", 900)
        check(took is not None and "Done: 5 steps." in watch.screen(), "the first run goes through the 5 steps")
        with open(PAGE) as f:
            page = f.read()
        check('id="workbook-live"' in page and os.path.exists(SIDECAR),
              "its page reloads itself while the watch runs (script in the page, token beside it)")

        saved, mark = save('    ctx.print("edited while watching")')
        took = watch.wait_since(mark, "\nedited while watching", 300)
        screen = watch.since(mark)
        check(took is not None, "an edit to step 4 runs again: its output "
              + (f"{time.time() - saved:.1f} s after the save" if took is not None else "never came"))
        check("Step 4, “One cycle”, changed: running steps 4–5 (1–3 quietly)." in screen
              and re.search(r"Rebuilt in [0-9.]+ s", screen) is not None and "── 3/5" not in screen,
              "from step 4, steps 1–3 quietly, after a timed rebuild")
        watch.wait_since(mark, "to run again · q⏎ quit", 120)
        with open(PAGE) as f:
            page = f.read()
        check("edited while watching" in page and "Steps 1–3 ran without output" in page,
              "the page is rewritten with the new output")

        saved, mark = save('    ctx.print("edited while watching"')
        took = watch.wait_since(mark, "Fix it and save to run again", 300)
        screen = watch.since(mark)
        check(took is not None and "The build failed" in screen and "expected ')'" in screen
              and "main.swift:" in screen, "a syntax error shows the compiler's message, then waits")

        saved, mark = save('    throw NSError(domain: "a step that throws", code: 7)')
        took = watch.wait_since(mark, "Fix it and save to run again", 300)
        screen = watch.since(mark)
        check(took is not None and "a step that throws" in screen and "in step 4, “One cycle”" in screen,
              "a step that throws shows the step and its error, then waits")

        saved, mark = save('    ctx.print("fixed while watching")')
        took = watch.wait_since(mark, "\nfixed while watching", 300)
        check(took is not None, "the fix runs again "
              + (f"({time.time() - saved:.1f} s after the save)" if took is not None else "(never)"))
        watch.wait_since(mark, "to run again · q⏎ quit", 120)

        watch.type("q\n")
        start = time.time()
        done = 0
        while time.time() - start < 15:
            done, status = os.waitpid(watch.pid, os.WNOHANG)
            if done:
                break
            watch.read(0.2)
        check(done != 0 and os.waitstatus_to_exitcode(status) == 0, "q then Enter quits")
        time.sleep(0.5)
        left = session_processes(watch.pid)
        check(not left, "nothing is left running" + (f" (still running: {list(left.values())})" if left else ""))
        with open(PAGE) as f:
            page = f.read()
        check("workbook-live" not in page and not os.path.exists(SIDECAR) and "fixed while watching" in page,
              "the page is static again, with the last run")
    finally:
        if watch is not None:
            # The watch runs its builds and runs in process groups of their own, all in its session.
            for pid in [watch.pid] + list(session_processes(watch.pid)):
                try:
                    os.killpg(pid, signal.SIGKILL)
                except OSError:
                    pass
        with open(CHAPTER, "w") as f:
            f.write(original)
    if failures:
        print("Last screen:\n" + watch.screen() if watch else "")
        sys.exit(1)


if __name__ == "__main__":
    main()
