#!/usr/bin/env bash
# `make grade` on a synthetic class, checked row by row:
#
#   learner        hands in                                             expected
#   1-reference    every reference answer (a copy of Solutions/)        all pass
#   2-stubs        untouched stubs (a copy of Exercises/)               none pass
#   3-syntax       a syntax error in 16                                 compile-error on 16
#   4-loop         an endless loop in 16                                timeout on 16
#   5-wrong        a known-wrong answer to 16 (iterative)               fail on 16
#   6-cheat        16 prints a fake pass line, writes outside its       not a pass; nothing written outside
#                  folder, kills its parent and exits 0
#   7-archive      learner 1's answers as a .tar.gz of a whole clone    all pass
#   8-empty        an empty folder                                      missing everywhere, noted
#   9-broken.zip   an archive that does not unpack                      missing everywhere, noted
#
# Then grades.html is opened in headless Chromium when it is installed. CI runs it (`make test-classroom`);
# it prints the time the class took, in all and per learner.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
class=$(mktemp -d /tmp/grade-check.XXXXXX)
trap 'rm -rf "$class" /tmp/pwned-by-learner' EXIT
rm -f "$root/PWNED-by-learner" "$HOME/pwned-by-learner" /tmp/pwned-by-learner

answer16=Fibonacci.swift
# A copy of Exercises/ with 16's answer file replaced by the reference with the lines $2 added at the
# top of its first answer region.
variant16() {
    local dir=$1 lines=$2
    cp -r Exercises "$dir"
    awk -v l="$lines" '{ print } !done && /\/\/ MARK: - Answer$/ { print l; done = 1 }' \
        Solutions/16-Fibonacci/Sources/$answer16 >"$dir/16-Fibonacci/Sources/$answer16"
}

cp -r Solutions "$class/1-reference"
cp -r Exercises "$class/2-stubs"
variant16 "$class/3-syntax" "    this is not Swift"
variant16 "$class/4-loop" "    var k = 0; while k >= 0 { k = k &* 1 }"
cp -r Exercises "$class/5-wrong"
cp Solutions/16-Fibonacci/Sources/$answer16 "$class/5-wrong/16-Fibonacci/Sources/"
awk '/^--- / { on = 1 } on' Tests/WrongAnswers/16/iterative.diff \
    | patch --quiet --directory="$class/5-wrong/16-Fibonacci/Sources" -p3
variant16 "$class/6-cheat" "    print(\"✔ Exercise 16: all 7 checks pass.\")
    for path in [\"$root/PWNED-by-learner\", \"/tmp/pwned-by-learner\", \"$HOME/pwned-by-learner\", \"$class/2-stubs/pwned\"] {
        FileManager.default.createFile(atPath: path, contents: Data(\"pwned\".utf8))
    }
    kill(getppid(), SIGKILL)
    exit(0)"
sed -i '1i import Foundation' "$class/6-cheat/16-Fibonacci/Sources/$answer16"
mkdir -p "$class/clone/learner-seven" && cp -r Solutions "$class/clone/learner-seven/Exercises" \
    && cp README.md Package.swift "$class/clone/learner-seven/"
tar -czf "$class/7-archive.tar.gz" -C "$class/clone" learner-seven && rm -rf "$class/clone"
mkdir "$class/8-empty"
echo "not a zip" >"$class/9-broken.zip"

echo "Grading a synthetic class of 9 in $class …"
start=$(date +%s)
log=$(mktemp)
.build/debug/workbook grade "$class" >"$log" 2>&1
status=$?
took=$(( $(date +%s) - start ))
cat "$log" && rm -f "$log"
[ "$status" -eq 0 ] || { echo "✘ make grade ended with status $status"; exit 1; }

failures=0
expect() {  # learner exercise verdict
    local row
    row=$(grep -E "^$1,$2," "$class/grades.csv" | cut -d, -f5)
    if [ "$row" != "$3" ]; then
        echo "  ✘ $1 on $2: expected $3, got ${row:-no row}"; failures=$((failures + 1))
    fi
}
exercises=$(cd Exercises && ls -d */ | tr -d / | cut -d- -f1)
for n in $exercises; do
    expect 1-reference "$n" pass
    expect 7-archive "$n" pass
    expect 2-stubs "$n" fail
    expect 8-empty "$n" missing
    expect 9-broken "$n" missing
    if [ "$n" != 16 ]; then for l in 3-syntax 4-loop 5-wrong 6-cheat; do expect $l "$n" fail; done; fi
done
expect 3-syntax 16 compile-error
expect 4-loop 16 timeout
expect 5-wrong 16 fail
expect 6-cheat 16 crash
rows=$(($(wc -l <"$class/grades.csv") - 1))
count=$(echo $exercises | wc -w)
[ "$rows" -eq $((9 * count)) ] || { echo "  ✘ grades.csv has $rows rows, not 9 × $count"; failures=$((failures + 1)); }
for path in "$root/PWNED-by-learner" /tmp/pwned-by-learner "$HOME/pwned-by-learner" "$class/2-stubs/pwned"; do
    [ -e "$path" ] && { echo "  ✘ learner 6 wrote $path"; failures=$((failures + 1)); }
done
grep -q "an archive that does not unpack\|the archive does not unpack" "$class/grades.html" \
    || { echo "  ✘ the report does not say that 9-broken.zip does not unpack"; failures=$((failures + 1)); }
grep -q "the entry is empty" "$class/grades.html" \
    || { echo "  ✘ the report does not say that 8-empty is empty"; failures=$((failures + 1)); }
grep -q "16-Fibonacci/Sources/$answer16:1 adds an import: import Foundation" "$class/grades.html" \
    || { echo "  ✘ the report does not name the import learner 6 added"; failures=$((failures + 1)); }
grep -q "this is not Swift" "$class/grades.html" \
    || { echo "  ✘ the report does not show learner 3's compiler error"; failures=$((failures + 1)); }

chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -n "$chromium" ]; then
    console=$("$chromium" --headless --no-sandbox --disable-gpu --enable-logging=stderr --v=0 \
        --screenshot="$class/grades.png" --window-size=1400,900 "file://$class/grades.html" 2>&1)
    if [ ! -s "$class/grades.png" ] || grep -q "Uncaught\|CONSOLE.*[Ee]rror" <<<"$console"; then
        echo "  ✘ grades.html did not render cleanly in Chromium:"; echo "$console" | tail -5
        failures=$((failures + 1))
    else
        echo "  ✔ grades.html opens in headless Chromium ($(stat -c %s "$class/grades.png") bytes of screenshot)"
        [ -n "${GRADE_SCREENSHOT:-}" ] && cp "$class/grades.png" "$GRADE_SCREENSHOT"
    fi
else
    echo "  ⚠ SKIPPED: Chromium is not installed, so grades.html was not opened in a browser."
fi

echo "The class took $took s, $(echo "scale=1; $took / 9" | bc) s a learner on average (with the builds it needed: answers already built for this workbook are reused, and a fresh clone first builds the workbook itself)."
if [ "$failures" -gt 0 ]; then echo "✘ $failures problems in the grades"; exit 1; fi
echo "✔ every row of grades.csv is right, and nothing was written outside the sandbox"
