#!/usr/bin/env bash
# Each exercise stands alone: with every OTHER exercise's answer regions replaced by a syntax error,
# `make exercise N=<N>` must still give exercise N's own verdict — a failure with the stub, a pass
# with the reference answer copied in.
#
#   Tests/isolation-check.sh 16      one exercise (CI: `make check-exercises` runs it for 16)
#   Tests/isolation-check.sh all     every exercise whose checks are in Tests/ExerciseChecks
#
# It edits Exercises/ in place and puts every file back when it ends, however it ends (the files are
# copied aside first). Prints the time each verdict took.
set -uo pipefail
cd "$(dirname "$0")/.."

source Tests/exercise-tree.sh

# Replaces the inside of every answer region in the Swift files under $1 with a line that is not Swift.
break_answers() {
    local file
    while IFS= read -r file; do
        awk '/\/\/ MARK: - End of answer/ { inside = 0 }
             inside { if (!done) print "    this is not Swift: broken on purpose by isolation-check.sh"; done = 1; next }
             { print }
             /\/\/ MARK: - Answer$/ { inside = 1; done = 0 }' "$file" >"$file.tmp" && mv "$file.tmp" "$file"
    done < <(grep -rl "// MARK: - Answer" "$1" --include=*.swift)
}

# Runs `make exercise` for exercise $1 and checks that the verdict is $2 (pass|fail) and its own.
verdict() {
    local n=$1 want=$2 out rc start elapsed
    start=$(date +%s.%N)
    out=$(.build/debug/workbook check "$n" 2>&1)
    rc=$?
    elapsed=$(echo "$(date +%s.%N) - $start" | bc)
    if [ "$want" = pass ] && [ "$rc" -eq 0 ] && grep -q "✔ Exercise $n: all" <<<"$out"; then
        printf "  ✔ exercise %s, reference answer, every other exercise broken: passes (%.1f s)\n" "$n" "$elapsed"
        return 0
    fi
    if [ "$want" = fail ] && [ "$rc" -eq 1 ] && grep -q "✘ Exercise $n: " <<<"$out" \
        && ! grep -q "does not compile" <<<"$out"; then
        printf "  ✔ exercise %s, stub, every other exercise broken: fails with its own verdict (%.1f s)\n" "$n" "$elapsed"
        return 0
    fi
    echo "  ✘ exercise $n: expected its own verdict ($want) with every other exercise broken; got (exit $rc):"
    sed 's/^/      /' <<<"$out" | tail -30
    return 1
}

numbers=${1:-16}
if [ "$numbers" = all ]; then
    numbers=$(for d in Tests/ExerciseChecks/*/Checks; do d=${d%/Checks}; echo "${d##*/}"; done)
fi
status=0
for n in $numbers; do
    folder=$(cd Exercises && ls -d "$n"-*/ 2>/dev/null | head -1 | tr -d /)
    [ -n "$folder" ] || { echo "✘ there is no exercise $n"; exit 2; }
    echo "Isolation of exercise $n ($folder):"
    fresh_exercises
    for other in Exercises/*/; do
        [ "$other" = "Exercises/$folder/" ] && continue
        break_answers "$other"
        grep -rq "broken on purpose" "$other" || { echo "✘ could not break $other (no answer region?)"; exit 2; }
    done
    verdict "$n" fail || status=1
    cp -r Solutions/"$folder"/Sources/. Exercises/"$folder"/Sources/
    verdict "$n" pass || status=1
done
exit $status
