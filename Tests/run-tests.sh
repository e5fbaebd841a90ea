#!/usr/bin/env bash
# Runs the test bundle that `swift build --build-tests` made in $WORKBOOK_SCRATCH (default .build; `make
# test` builds it first, in .build-test) as two processes side by side, one a core: the chapter tests,
# which run the chapter programs one at a time in a sandbox folder of their own, and the rest, one test
# at a time (the memory tests measure their own process, so nothing else may run inside it). The
# library's results come as they happen, the chapters' once they are done; the run fails when either
# does.
set -uo pipefail
cd "$(dirname "$0")/.."
bundle=${WORKBOOK_SCRATCH:-.build}/debug/LearnerFromScratchPackageTests.xctest
[ -x "$bundle" ] || { echo "✘ no test bundle at $bundle: build it first (swift build --build-tests)"; exit 2; }
chapters_log=$(mktemp)
trap 'rm -f "$chapters_log"; kill "$chapters" 2>/dev/null' EXIT
"$bundle" --testing-library swift-testing --no-parallel --filter ChapterTests >"$chapters_log" 2>&1 &
chapters=$!
"$bundle" --testing-library swift-testing --no-parallel --skip ChapterTests
library=$?
wait "$chapters"
chapters_status=$?
echo
echo "── The chapter tests (run beside the library's):"
cat "$chapters_log"
[ "$library" -eq 0 ] && [ "$chapters_status" -eq 0 ]
