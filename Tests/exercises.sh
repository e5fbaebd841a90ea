#!/usr/bin/env bash
# The exercise commands behind `make exercise`, `make solution`, `make exercises`, `make test-solutions`
# and `make check-exercises`. Run from the repository root.
#
#   exercises.sh check N      the tests of exercise N against Exercises/ (the student's answers)
#   exercises.sh solution N   the same tests against Solutions/
#   exercises.sh list         every exercise, its question, and where the student stands
#   exercises.sh solutions    every exercise's tests against Solutions/ (CI)
#   exercises.sh build        compiles Exercises/ with its runners and tests, and checks that the two
#                             trees differ only inside answer regions (CI)
#
# Exercises/ backs the package by default; WORKBOOK_ANSWERS=solutions makes Solutions/ back it, which
# changes the package graph, so solutions build in a scratch folder of their own (.build-solutions)
# and switching back and forth rebuilds nothing.
set -uo pipefail
cd "$(dirname "$0")/.."

EXERCISES_SCRATCH=.build
SOLUTIONS_SCRATCH=.build-solutions
STATUS_DIR=$EXERCISES_SCRATCH/exercise-status

bold=$(tput bold 2>/dev/null || true); normal=$(tput sgr0 2>/dev/null || true)
[ -t 1 ] || { bold=""; normal=""; }

# The exercise folders, e.g. "16-Fibonacci", in the order of the chapter.
folders() { (cd Exercises && ls -d */ | tr -d / | sort -V); }

# The folder of exercise $1 ("16" → "16-Fibonacci"), or a message listing the valid numbers.
folder_of() {
    local n=${1:-}
    if [ -z "$n" ]; then
        echo "Which exercise? Say N=…, one of: $(folders | cut -d- -f1 | tr '\n' ' ')" >&2; return 1
    fi
    n=${n^^}  # r1 → R1
    local f
    f=$(folders | grep -E "^$n-" | head -1)
    if [ -z "$f" ]; then
        echo "There is no exercise $1. The exercises are: $(folders | cut -d- -f1 | tr '\n' ' ')" >&2; return 1
    fi
    echo "$f"
}

# The question line of an exercise's source ("// Question 16. …" or "// Further research 1. …").
question_of() {
    grep -h -m1 -E "^// (Question|Further research) " Exercises/"$1"/Sources/*.swift | sed -E 's#^// ##'
}

# Runs the tests of exercise $2 ("16") against tree $1 (exercises|solutions); prints a verdict.
run_tests() {
    local tree=$1 n=$2 folder log rc
    folder=$(folder_of "$n") || return 2
    n=${folder%%-*}
    log=$(mktemp)
    echo "${bold}Exercise $n${normal}: $(question_of "$folder")"
    if [ "$tree" = solutions ]; then
        echo "Testing the reference answer in Solutions/$folder …"
        WORKBOOK_ANSWERS=solutions swift test --scratch-path "$SOLUTIONS_SCRATCH" --filter "Exercise${n}Tests" 2>&1 | tee "$log"
    else
        echo "Testing your answer in Exercises/$folder …"
        WORKBOOK_CHECK_EXERCISES=1 swift test --scratch-path "$EXERCISES_SCRATCH" --filter "Exercise${n}Tests" 2>&1 | tee "$log"
    fi
    rc=${PIPESTATUS[0]}
    echo
    if [ "$rc" -eq 0 ] && grep -q "Test run with .* passed" "$log"; then
        echo "${bold}✔ Exercise $n passes every test.${normal}"
        [ "$tree" = exercises ] && mkdir -p "$STATUS_DIR" && echo solved > "$STATUS_DIR/$n"
        rm -f "$log"; return 0
    fi
    [ "$tree" = exercises ] && mkdir -p "$STATUS_DIR" && echo failing > "$STATUS_DIR/$n"
    if grep -q "is not answered yet" "$log"; then
        echo "${bold}✘ Exercise $n is not finished: some of it is still a TODO.${normal}"
        # Each unanswered stub once, with its hint.
        grep -A1 "is not answered yet" "$log" | grep -E "is not answered yet|^  TODO:" \
            | sed -E 's/.*Caught error: //' | awk '!seen[$0]++' | sed 's/^/  /'
    elif grep -qE '\.swift:[0-9]+:[0-9]+: error:' "$log"; then
        echo "${bold}✘ Exercise $n does not compile yet${normal}: see the compiler's errors above."
        grep -E '\.swift:[0-9]+:[0-9]+: error:' "$log" | awk '!seen[$0]++' | head -5 | sed 's/^/  /'
    elif ! grep -q "Test run with" "$log"; then
        echo "${bold}✘ Exercise $n stopped the test run${normal}: the engine refused an operation (usually tensors"
        echo "  of shapes that do not fit together) and ended the process. Its message:"
        grep -E '^error: ' "$log" | tail -3 | sed 's/^/  /'
        echo "  Hint: print the shapes in your answer, or run \`swift run exercise-$n\`."
    else
        echo "${bold}✘ Exercise $n runs but some tests fail${normal} (the ✘ lines above say which and why)."
        echo "  Hint: the doc comments in Exercises/$folder/Sources say exactly what each function must do;"
        echo "  \`swift run exercise-$n\` shows your answer at work."
    fi
    rm -f "$log"
    return 1
}

case "${1:-}" in
    check) run_tests exercises "${2:-}" ;;
    solution) run_tests solutions "${2:-}" ;;
    list)
        echo "${bold}Exercises${normal} (write your answers in Exercises/, check one with \`make exercise N=…\`):"
        for f in $(folders); do
            n=${f%%-*}
            stubs=$(cat Exercises/"$f"/Sources/*.swift | grep -cE '^\s*todo\(' || true)
            last=$(cat "$STATUS_DIR/$n" 2>/dev/null || echo "")
            if [ "$stubs" -gt 0 ]; then state="$stubs TODO left"
            elif [ "$last" = solved ]; then state="solved"
            elif [ "$last" = failing ]; then state="answered, tests failing"
            else state="answered, not checked yet"; fi
            q=$(question_of "$f"); [ ${#q} -gt 64 ] && q="${q:0:63}…"
            printf "  %-4s %-26s %-28s %s\n" "$n" "$state" "Exercises/$f" "$q"
        done
        ;;
    solutions)
        echo "Testing every exercise against Solutions/ …"
        WORKBOOK_ANSWERS=solutions swift test --scratch-path "$SOLUTIONS_SCRATCH" --filter ExerciseTests ;;
    build)
        echo "Building Exercises/ (runners and tests) and checking that it differs from Solutions/ only in answers …"
        swift build --scratch-path "$EXERCISES_SCRATCH" --build-tests \
            && swift test --scratch-path "$EXERCISES_SCRATCH" --skip-build --filter AnswerRegionTests ;;
    *)
        echo "usage: $0 check N | solution N | list | solutions | build" >&2; exit 2 ;;
esac
