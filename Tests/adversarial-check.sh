#!/usr/bin/env bash
# `make grade` on a class of answers written to attack the grader (Tests/AdversarialClass/*.answer), each
# with the verdict it must get:
#
#   learner               does                                                     must get
#   1-forger-in-region    writes pass lines on the checks' channel from inside an   tampered on 34
#                         answer region, then exits (nothing else changed)
#   2-forger-import       the same through an added `import Glibc` and write(3, …)  tampered on 16, the import named
#   3-solutions-reader    answers only if it can read a copy of Solutions/ placed   fail on 16
#                         in /srv and /opt for the time of this test
#   4-memory-hog          allocates and touches 3 GB                                 limit on 16: memory
#   5-process-storm       starts 300 processes                                       limit on 16: processes
#   6-disk-filler         writes 400 MB into its folder                              limit on 16: writes
#   7-detached-daemon     leaves a process of its own session behind                 pass on 16, flagged, nothing left
#   8-output-flood        prints 100 MB                                              pass on 16, 1 MB of it kept
#
# Each answer file says its exercise, what it is laid over (the stub or the reference) and what it must
# get. Only exercises 16 and 34 are graded. Afterwards nothing of the class may be running, and the
# grader's memory and the files it wrote must stay small. CI runs it (`make test-classroom`).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
class=$(mktemp -d /tmp/adversarial-class.XXXXXX)
copies=(/srv/workbook-course-copy /opt/workbook-course-copy)
cleanup() { rm -rf "$class" "${copies[@]}"; }
trap cleanup EXIT

# A course's copy of the workbook outside it, as an instructor may keep one: the sandbox must not show it.
for copy in "${copies[@]}"; do
    mkdir -p "$copy" && cp -r Solutions Package.swift "$copy/" || { echo "✘ could not place a copy in $copy"; exit 1; }
done

# Lays answer file $1 out as an entry: a copy of Exercises/ with the exercise's answer file taken from
# its base, its `import` lines put at the top and its other code lines at the top of the first answer
# region.
lay_out() {
    local file=$1 name n folder base target
    name=$(basename "$file" .answer)
    n=$(sed -n 's|^// Exercise: ||p' "$file")
    base=$(sed -n 's|^// Base: ||p' "$file")
    folder=$(cd Exercises && ls -d "$n"-*/ | tr -d /)
    cp -r Exercises "$class/$name"
    [[ $base == Solutions/* ]] && cp Solutions/"$folder"/Sources/*.swift "$class/$name/$folder/Sources/"
    target=$(grep -l '// MARK: - Answer$' "$class/$name/$folder/Sources/"*.swift | head -1)
    grep -v '^//' "$file" | grep -v '^import ' >"$class/region.txt"
    awk -v region="$class/region.txt" '
        !done && /\/\/ MARK: - Answer$/ { print; while ((getline line < region) > 0) print "    " line; done = 1; next }
        { print }' "$target" >"$class/answer.swift"
    { grep '^import ' "$file"; cat "$class/answer.swift"; } >"$target"
    rm -f "$class/region.txt" "$class/answer.swift"
}
for file in Tests/AdversarialClass/*.answer; do lay_out "$file"; done

echo "Grading an adversarial class of $(ls Tests/AdversarialClass/*.answer | wc -l) in $class (exercises 16 and 34) …"
start=$(date +%s)
log=$(mktemp)
/usr/bin/time -f "%M" -o "$class.rss" .build/debug/workbook grade "$class" --only 16,34 >"$log" 2>&1
status=$?
took=$(( $(date +%s) - start ))
cat "$log" && rm -f "$log"
rss=$(tail -1 "$class.rss"); rm -f "$class.rss"
[ "$status" -eq 0 ] || { echo "✘ make grade ended with status $status"; exit 1; }

failures=0
fail() { echo "  ✘ $*"; failures=$((failures + 1)); }
# The run's output, whose last lines are the verdict the learner reads.
run_of() { ls -d "$root"/.build-grading/runs/*-"$1"/"$2" 2>/dev/null | head -1; }
for file in Tests/AdversarialClass/*.answer; do
    name=$(basename "$file" .answer)
    for expectation in $(sed -n 's|^// Expect: ||p' "$file"); do
        n=${expectation%%=*}; want=${expectation#*=}; kind=${want%%:*}; which=${want#*:}
        got=$(grep -E "^$name,$n," "$class/grades.csv" | cut -d, -f5)
        [ "$got" = "$kind" ] || { fail "$name on $n: expected $kind, got ${got:-no row}"; continue; }
        run=$(run_of "$name" "$n")
        if [ "$kind" != "$want" ]; then
            case $which in
                memory) words="of memory" ;; processes) words="processes or threads" ;; *) words="in its folder" ;;
            esac
            grep -q "$words" "$run/output.txt" 2>/dev/null || fail "$name on $n: the verdict does not name the $which limit"
        fi
        if [[ $n != 34 || $name == 1-* ]] && [ "$kind" != fail ]; then
            echo "  $name on $n → $got: $(grep -E '^  (⚠|✘|⏱)|^✘|^✔' "$run/output.txt" | tail -2 | tr '\n' ' ')"
        fi
    done
done
notes() { grep -A30 ">$1<" "$class/grades.html" | sed -n '/<ul class="notes">/,/<\/ul>/p' | head -40 || true; }
notes 2-forger-import | grep "adds an import: import Glibc" >/dev/null || fail "2-forger-import: the added import is not named"
notes 2-forger-import | grep "text before answer region 1 was changed" >/dev/null \
    && fail "2-forger-import: its import is reported as a change of the text before answer region 1"
notes 1-forger-in-region | grep "uses .*FileHandle" >/dev/null || fail "1-forger-in-region: its FileHandle line is not flagged"
notes 7-detached-daemon | grep "uses fork or detach a process" >/dev/null || fail "7-detached-daemon: its fork is not flagged"

# Nothing of the class left running: no check program of this workbook, and nothing of the checks' user
# (a killed sandbox's processes may take a moment to be reaped: three looks, a second apart).
for look in 1 2 3; do
    sleep 1
    left=$(ps -eo pid,args | grep -F "$root/.build-grading/checks/" | grep -v grep || true)
    [ "$(id -u)" = 0 ] && left+=$(ps -u 60419 -o pid=,args= 2>/dev/null || true)
    [ -z "$left" ] && break
done
[ -z "$left" ] || fail "left running: $left"

# Bounded: the grader's memory, the flood's output kept, the report.
flood=$(stat -c %s "$(run_of 8-output-flood 16)/output.txt")
[ "$flood" -lt $((3 << 20)) ] || fail "the output flood left $flood bytes of output"
html=$(stat -c %s "$class/grades.html")
[ "$html" -lt $((1 << 20)) ] || fail "grades.html is $html bytes"
[ "$rss" -lt $((1 << 20)) ] || fail "the grader used $rss KB of memory"
runs=$(du -sk "$root/.build-grading/runs" | cut -f1)
echo "  grader's peak memory $((rss / 1024)) MB; output kept of the flood $((flood / 1024)) KB; grades.html $((html / 1024)) KB; runs/ $((runs / 1024)) MB"

echo "The adversarial class took $took s."
if [ "$failures" -gt 0 ]; then echo "✘ $failures problems with the adversarial class"; exit 1; fi
echo "✔ every attack got its verdict, nothing of the class is left running, and the grader stayed small"
