#!/usr/bin/env bash
# The exercise commands behind the Makefile's exercise targets. Run from anywhere in the repository.
#
#   exercises.sh check N       builds check-N (exercise N's checks + the student's answer in Exercises/,
#                              nothing else) and runs it: one line per check, a verdict
#   exercises.sh solution N    the same checks against the reference answer in Solutions/ (solution-N)
#   exercises.sh hint N [all|reset]
#                              the next hint of exercise N (all: every hint; reset: start again)
#   exercises.sh list          every exercise, its question, and where the student stands
#   exercises.sh solutions     every exercise's checks against Solutions/ (CI)
#   exercises.sh build         compiles Exercises/ (answers, runners, checks), checks that each stub gets
#                              a verdict rather than a crash, and that the two trees differ only inside
#                              answer regions (CI)
#   exercises.sh isolation N   exercise N's verdict with every other exercise's answer broken (CI runs it
#                              for one exercise; see Tests/isolation-check.sh)
#   exercises.sh timings N|all runs the reference answer's checks and keeps the time each takes in
#                              Tests/ExerciseChecks/N/Timings.tsv, from which the checks' time limits come
#   exercises.sh run N         builds and runs the program that shows exercise N's answer at work
#   exercises.sh watch N       checks exercise N, then again each time one of its files is saved
#
# The learner's answers are compiled only here: the manifest adds the targets of Exercises/ when
# WORKBOOK_EXERCISES is set, so a half-written answer never stops `swift build` or a chapter. Each
# exercise builds on its own (`swift build --product check-N` compiles only exercise N's modules), so a
# half-written exercise never changes another one's verdict either.
set -uo pipefail
cd "$(dirname "$0")/.."

# `make test` builds in a folder of its own, with the integrated driver (the Makefile says why); the
# learner's commands build in .build.
SCRATCH=${WORKBOOK_SCRATCH:-.build}
build_flags=()
[ "$SCRATCH" = .build ] || build_flags=(--scratch-path "$SCRATCH" --use-integrated-swift-driver)
BIN=$SCRATCH/debug
STATUS_DIR=$SCRATCH/exercise-status
WORKBOOK_LAYOUT=$(Tests/layout-fingerprint.sh)
export WORKBOOK_LAYOUT
export WORKBOOK_EXERCISES=1

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
# It may run over several comment lines, up to an empty comment line.
question_of() {
    cat Exercises/"$1"/Sources/*.swift | awk '
        /^\/\/ (Question|Further research) / { on = 1 }
        on && !/^\/\/ ./ { exit }
        on { sub(/^\/\/ /, ""); printf "%s%s", (n++ ? " " : ""), $0 }
        END { print "" }'
}

# Prints the compiler's errors (with their source excerpts) from build log $1 that are in files
# under one of the folders given after it.
errors_in() {
    local log=$1; shift
    local pattern
    pattern=$(printf '%s|' "$@"); pattern=${pattern%|}
    awk -v pat="($pattern)[^:]*\\.swift:[0-9]+:[0-9]+: error:" '
        /\.swift:[0-9]+:[0-9]+: (error|warning|note):/ { keep = ($0 ~ pat) }
        /^\[[0-9]+\/[0-9]+\]/ || /^(Building|Build|error: |warning: )/ { keep = 0 }
        keep && !seen[$0]++ { print "  " $0 }' "$log" | head -60
}

# Builds and runs the checks of exercise $2 against tree $1 (exercises|solutions); prints a verdict.
run_checks() {
    local tree=$1 folder n product log rc
    folder=$(folder_of "${2:-}") || return 2
    n=${folder%%-*}
    echo "${bold}Exercise $n${normal}: $(question_of "$folder")"
    local answers=Exercises
    product=check-$n
    if [ "$tree" = solutions ]; then answers=Solutions; product=solution-$n; fi
    echo "Checking the answer in $answers/$folder/Sources …"
    log=$(mktemp)
    # The reference answers build without the learner's (a half-written answer cannot stop them).
    # (SKIP_BUILD: the caller built every product already, as `solutions` does in one go.)
    if [ -z "${SKIP_BUILD:-}" ] \
        && ! WORKBOOK_EXERCISES=$([ "$tree" = solutions ] && echo 0 || echo 1) swift build "${build_flags[@]}" --product "$product" >"$log" 2>&1; then
        record "$tree" "$n" failing
        if grep -qE "($answers/$folder|Tests/ExerciseChecks/$n)/[^:]*\.swift:[0-9]+:[0-9]+: error:" "$log"; then
            errors_in "$log" "$answers/$folder/"
            if grep -qE "Tests/ExerciseChecks/$n/(Student|Reference)/[^:]*\.swift:[0-9]+:[0-9]+: error:" "$log"; then
                echo "  The checks call your answer by the names and types the stub declares (did you rename or"
                echo "  change a declaration outside the answer regions?); the compiler says:"
                errors_in "$log" "Tests/ExerciseChecks/$n/Student/" "Tests/ExerciseChecks/$n/Reference/"
            fi
            if grep -qE "Tests/ExerciseChecks/$n/Checks/[^:]*\.swift:[0-9]+:[0-9]+: error:" "$log"; then
                echo "  The checks themselves do not compile (Tests/ExerciseChecks/$n/Checks):"
                errors_in "$log" "Tests/ExerciseChecks/$n/Checks/"
            fi
            echo
            echo "${bold}✘ Exercise $n does not compile yet${normal}: fix the errors above (in $answers/$folder)."
        else
            tail -40 "$log"
            echo
            echo "${bold}✘ Exercise $n could not be built${normal}, for a reason outside your answer (above)."
        fi
        rm -f "$log"; return 1
    fi
    # The checks' program gives the verdict itself: it runs the checks in a process it can stop, one
    # line per check, and says which check a crash or an endless loop stopped.
    "$BIN/$product"
    rc=$?
    if [ "$rc" -eq 0 ]; then record "$tree" "$n" solved; else record "$tree" "$n" failing; fi
    rm -f "$log"
    [ "$rc" -eq 0 ]
}

# Remembers the last verdict of the student's answer (solutions leave no trace).
record() { [ "$1" = exercises ] && mkdir -p "$STATUS_DIR" && echo "$3" >"$STATUS_DIR/$2"; true; }

# Shows the next hint of exercise $1 (or all of them, or forgets which were shown).
hint() {
    local folder n file count shown mode=${2:-}
    folder=$(folder_of "${1:-}") || return 2
    n=${folder%%-*}
    file=Tests/ExerciseChecks/$n/Hints.md
    if [ ! -f "$file" ]; then echo "Exercise $n has no hints yet."; return 0; fi
    count=$(grep -c '^## ' "$file")
    mkdir -p "$STATUS_DIR"
    shown=$(cat "$STATUS_DIR/$n.hints" 2>/dev/null || echo 0)
    case "$mode" in
        reset) rm -f "$STATUS_DIR/$n.hints"; echo "Exercise $n: hints start again from the first."; return 0 ;;
        all) shown=$count ;;
        *) shown=$((shown < count ? shown + 1 : count)) ;;
    esac
    echo "$shown" >"$STATUS_DIR/$n.hints"
    # Sections are "## Hint title" followed by text; print sections 1…shown, the last one in full view.
    awk -v upto="$shown" -v n="$n" -v total="$count" '
        /^## / { k++; if (k > upto) exit; printf "%s%s\n", (k > 1 ? "\n" : ""), "Hint " k " of " total " — " substr($0, 4); next }
        k >= 1 { print }' "$file" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
    echo
    if [ -n "${WORKBOOK_WATCHING:-}" ]; then
        [ "$shown" -lt "$count" ] && echo "(h⏎ again for the next hint.)" || echo "(That was the last hint.)"
    elif [ "$shown" -lt "$count" ]; then
        echo "(\`make hint N=$n\` again for the next one; ALL=1 shows every hint, RESET=1 starts again.)"
    else
        echo "(That was the last hint. \`make solution N=$n\` checks the reference answer; RESET=1 starts the hints again.)"
    fi
}

# Every exercise with its status.
list() {
    echo "${bold}Exercises${normal} (write your answers in Exercises/, check one with \`make exercise N=…\`, \`make hint N=…\` when stuck):"
    for f in $(folders); do
        local n=${f%%-*} stubs last state q
        stubs=$(cat Exercises/"$f"/Sources/*.swift | grep -cE '^\s*todo\(' || true)
        last=$(cat "$STATUS_DIR/$n" 2>/dev/null || echo "")
        if [ "$last" = solved ]; then state="solved"
        elif [ "$stubs" -gt 0 ]; then state="$stubs todo left"
        elif [ "$last" = failing ]; then state="answered, checks failing"
        else state="answered, not checked yet"; fi
        q=$(question_of "$f"); [ ${#q} -gt 60 ] && q="${q:0:59}…"
        printf "  %-4s %-26s %-28s %s\n" "$n" "$state" "Exercises/$f" "$q"
    done
}

# Every exercise's checks against Solutions/ (CI).
solutions() {
    local failed=() f outputs
    outputs=$(mktemp -d)
    # Without the learner's answers (a half-written one must not stop the references), unless the
    # caller built everything already (PREBUILT, from `make test`): SwiftPM plans the package again
    # whenever the environment differs, which costs seconds even when there is nothing to build.
    if [ -z "${PREBUILT:-}" ]; then
        WORKBOOK_EXERCISES=0 swift build "${build_flags[@]}" >/dev/null 2>&1 \
            || WORKBOOK_EXERCISES=0 swift build "${build_flags[@]}" || return 1
    fi
    for f in $(folders); do
        SKIP_BUILD=1 run_checks solutions "${f%%-*}" | tee "$outputs/${f%%-*}"
        [ "${PIPESTATUS[0]}" -eq 0 ] || failed+=("${f%%-*}")
        echo
    done
    if [ ${#failed[@]} -gt 0 ]; then echo "✘ The reference answers fail: ${failed[*]}"; return 1; fi
    echo "✔ Every reference answer passes its checks."
    # Every check's time limit comes from a measured time: a check added or renamed since the last
    # `make timings` would fall back to a minute.
    local stale=()
    for f in $(folders); do
        n=${f%%-*}
        measured=$(grep -v '^#' "Tests/ExerciseChecks/$n/Timings.tsv" 2>/dev/null | cut -f2- | sort)
        ran=$(sed -n 's/^  ✔ //p' "$outputs/$n" | sort)
        [ "$measured" = "$ran" ] || stale+=("$n")
    done
    rm -rf "$outputs"
    if [ ${#stale[@]} -gt 0 ]; then
        echo "✘ Timings.tsv does not list exactly the checks of: ${stale[*]} (\`make timings N=…\` measures them again)"
        return 1
    fi
}

# Whether every answer region of exercise folder $1 in Exercises/ is still just a todo(…).
untouched() {
    cat Exercises/"$1"/Sources/*.swift | awk '
        /\/\/ MARK: - End of answer/ { inside = 0; next }
        inside && NF && first { if ($1 !~ /^todo\(/) changed = 1; first = 0 }
        /\/\/ MARK: - Answer$/ { inside = 1; first = 1 }
        END { exit changed }'
}

# Exercises/ compiles, every stub gets a verdict (not a crash), the trees differ only in answers (CI).
build_exercises() {
    if [ -z "${PREBUILT:-}" ]; then
        echo "Building Exercises/ (answers, runners, checks) …"
        swift build "${build_flags[@]}" || return 1
    fi
    local f n rc out bad=()
    for f in $(folders); do
        n=${f%%-*}
        out=$("$BIN/check-$n" 2>&1)
        rc=$?
        if [ "$rc" -gt 1 ]; then
            bad+=("exercise $n's stub stopped its checks early: $(grep -E '^  (⏱|✘)' <<<"$out" | tail -1)")
        elif untouched "$f" && grep -q "^  ✔ " <<<"$out"; then
            # A check that passes before anything is written tests the scaffold, not the answer.
            bad+=("exercise $n's stub passes: $(grep "^  ✔ " <<<"$out" | head -3 | tr '\n' ';')")
        fi
    done
    if [ ${#bad[@]} -gt 0 ]; then printf "✘ %s\n" "${bad[@]}"; return 1; fi
    echo "✔ Every exercise's checks give a verdict on Exercises/ as it stands, and no check passes on an untouched stub."
    # (`make test` ran AnswerRegionTests with the rest of the suite already.)
    [ -n "${ANSWER_REGIONS_TESTED:-}" ] || swift test "${build_flags[@]}" --skip-build --filter AnswerRegionTests
}

# Runs the reference answer's checks of exercise $1 (or of every exercise: all) and keeps the time each
# check takes in Tests/ExerciseChecks/N/Timings.tsv: the checks' time limits are derived from them.
timings() {
    local which=${1:-} f n
    if [ "$which" = all ]; then which=$(folders | cut -d- -f1); else which=$(folder_of "$which" | cut -d- -f1) || return 2; fi
    for n in $which; do
        WORKBOOK_EXERCISES=0 swift build "${build_flags[@]}" --product "solution-$n" >/dev/null || return 1
        WORKBOOK_RECORD_TIMINGS=Tests/ExerciseChecks/$n/Timings.tsv "$BIN/solution-$n" >/dev/null \
            || { echo "✘ the reference answer to $n fails its checks: no timings written"; return 1; }
        echo "Tests/ExerciseChecks/$n/Timings.tsv:"
        grep -v '^#' "Tests/ExerciseChecks/$n/Timings.tsv" | sed 's/^/  /'
    done
}

# Builds and runs exercise $1's program (`Tests/ExerciseChecks/N/Run`), which shows the answer at work.
run_exercise() {
    local folder n
    folder=$(folder_of "${1:-}") || return 2
    n=${folder%%-*}
    swift run "${build_flags[@]}" "exercise-$n" "${@:2}"
}

# The modification times of exercise $1's files (the answer and the program that runs it), one line.
fingerprint() { find "Exercises/$1" -type f -name '*.swift' -printf '%T@ %p\n' 2>/dev/null | sort | cksum; }

# Checks exercise $1 once, then again whenever one of its files is saved: the screen shows the last
# verdict and how long it took. `h` then Enter shows the next hint, `q` then Enter (or Ctrl-C) quits.
watch() {
    local folder n last now out key started took child=""
    folder=$(folder_of "${1:-}") || return 2
    n=${folder%%-*}
    out=$(mktemp)
    # Whatever ends the watch ends the check running in the background with it.
    stop_check() { [ -n "$child" ] && kill -- -"$child" 2>/dev/null; wait 2>/dev/null; rm -f "$out"; }
    trap 'stop_check; echo; exit 0' INT TERM HUP
    set -m  # each check in a process group of its own, so that one kill ends its build or its checks
    last=""
    while true; do
        now=$(fingerprint "$folder")
        if [ "$now" != "$last" ]; then
            last=$now
            [ -n "$child" ] && kill -- -"$child" 2>/dev/null && wait "$child" 2>/dev/null
            printf '\033[2J\033[H%s\n' "${bold}Exercise $n${normal}: checking Exercises/$folder …"
            started=$(date +%s.%N)
            WORKBOOK_WATCHING=1 run_checks exercises "$n" >"$out" 2>&1 &
            child=$!
        fi
        if [ -n "$child" ] && ! kill -0 "$child" 2>/dev/null; then
            wait "$child" 2>/dev/null
            child=""
            took=$(echo "$(date +%s.%N) - $started" | bc)
            printf '\033[2J\033[H'
            cat "$out"
            printf '\n%s\n' "(checked in $(printf '%.1f' "$took") s at $(date +%H:%M:%S))"
            echo "Watching Exercises/$folder: save a file to check again · h⏎ hint · q⏎ quit"
        fi
        if read -r -t 0.5 key; then
            case "$key" in
                q | Q) stop_check; return 0 ;;
                h | H) echo; WORKBOOK_WATCHING=1 hint "$n"; echo; echo "Watching Exercises/$folder: save a file to check again · h⏎ hint · q⏎ quit" ;;
            esac
        elif [ $? -le 128 ]; then
            # End of input (not a time-out): nothing more can be typed, so there is nothing to watch for.
            stop_check; return 0
        fi
    done
}

case "${1:-}" in
    check) run_checks exercises "${2:-}" ;;
    solution) run_checks solutions "${2:-}" ;;
    hint) hint "${2:-}" "${3:-}" ;;
    list) list ;;
    solutions) solutions ;;
    build) build_exercises ;;
    isolation) Tests/isolation-check.sh "${2:-16}" ;;
    timings) timings "${2:-}" ;;
    run) run_exercise "${@:2}" ;;
    watch) watch "${2:-}" ;;
    *)
        echo "usage: $0 check N | solution N | hint N [all|reset] | list | solutions | build | isolation N" \
            "| timings N|all | run N | watch N" >&2
        exit 2 ;;
esac
