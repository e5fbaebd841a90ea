#!/usr/bin/env bash
# An answer that never returns gets its verdict in seconds, naming the check that ran out of time, and
# leaves nothing running: exercise 16 with a loop that never ends, and R3 with a callback that hangs in
# the middle of a fit. Each is the reference answer with the hang added, so that every check before the
# hanging one passes. CI runs it (`make test-classroom`).
#
# It edits Exercises/ in place and puts every file back when it ends (Tests/exercise-tree.sh).
set -uo pipefail
cd "$(dirname "$0")/.."
source Tests/exercise-tree.sh

# Puts the reference answer of $1 (a folder) into Exercises/ with the line $3 added after the first
# line that contains $2.
hang() {
    local folder=$1 after=$2 line=$3 file
    fresh_exercises
    cp -r Solutions/"$folder"/Sources/. Exercises/"$folder"/Sources/
    file=$(grep -l -F -- "$after" Exercises/"$folder"/Sources/*.swift | head -1)
    [ -n "$file" ] || { echo "✘ no line with '$after' in Solutions/$folder: this check needs updating"; exit 2; }
    awk -v after="$after" -v line="$line" '{ print } !done && index($0, after) { print line; done = 1 }' \
        "$file" >"$file.tmp" && mv "$file.tmp" "$file"
}

# Checks exercise $1 and expects its run of checks to stop at a check named like $2 within $3 seconds of
# running (the build before it not counted), with no process of its checks left a second later. With
# $3 = limit: within the time limit the verdict names, plus 15 s for the checks that pass before it.
expect_timeout() {
    local n=$1 check=$2 within=$3 out rc start took
    WORKBOOK_EXERCISES=1 swift build --product "check-$n" >/dev/null 2>&1 \
        || { echo "✘ exercise $n with a hang added does not build"; return 1; }
    start=$(date +%s.%N)
    out=$(.build/debug/workbook check "$n" 2>&1)
    rc=$?
    took=$(echo "$(date +%s.%N) - $start" | bc)
    if [ "$within" = limit ]; then
        within=$(grep -oE "no answer within [0-9]+ s" <<<"$out" | grep -oE "[0-9]+" | head -1)
        within=$(( ${within:-0} + 15 ))
    fi
    sleep 1
    local left
    left=$(pgrep -f "check-$n" || true)
    if [ "$rc" -ne 1 ] || ! grep -q "^  ⏱ $check.*no answer within" <<<"$out" \
        || ! grep -q "checks stopped early, a check ran out of time" <<<"$out"; then
        echo "✘ exercise $n, an answer that hangs in \"$check\": expected the check to run out of time; got (exit $rc):"
        sed 's/^/      /' <<<"$out" | tail -20
        return 1
    fi
    if [ -n "$left" ]; then
        echo "✘ exercise $n: processes of its checks still run a second after the verdict: $left"
        kill -9 $left 2>/dev/null
        return 1
    fi
    if [ "$(echo "$took > $within" | bc)" = 1 ]; then
        echo "✘ exercise $n: the verdict on a hanging answer took $(printf '%.1f' "$took") s (at most $within s)"
        return 1
    fi
    printf "  ✔ exercise %s, an answer that hangs: verdict in %.1f s (limit %s s), naming the check; nothing left running\n" \
        "$n" "$took" "$within"
    grep -E "^  (⏱|·)" <<<"$out" | head -3 | sed 's/^/      /'
}

status=0
echo "Time limits:"
hang 16-Fibonacci "public func fibonacci(" "    var spins = 0; while spins >= 0 { spins = spins &* 1 }"
expect_timeout 16 "fibonacci is recursive" 60 || status=1
hang R3-Mixup "public override func beforeBatch() throws {" "        while lambda > -1 { lambda = Swift.min(lambda, 2) }"
expect_timeout R3 "" limit || status=1
exit $status
