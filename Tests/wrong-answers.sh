#!/usr/bin/env bash
# The known-wrong answers, kept as their mistakes: `Tests/WrongAnswers/<N>/<slug>.diff` is a unified
# diff against the reference answer in Solutions/, headed by two lines:
#
#   Mistake: what the answer gets wrong, in a sentence
#   Rejected because: a fragment of the message a failing check must give (it names the mistake)
#
#   wrong-answers.sh apply     lays each one out as a module under .build/wrong-answers/<N>/<slug>/ (the
#                              reference with the diff applied, and the exercise's AnswerChecks.swift so
#                              that the module can give its own checks), with a registry module that
#                              lists them; `make test` runs it before `swift test`, whose WrongAnswerTests
#                              then prove each one rejected for its reason. A diff that no longer applies
#                              to the reference fails here, by name.
#   wrong-answers.sh new N SLUG  starts a wrong answer: copies the reference aside for you to break, and
#                              `wrong-answers.sh save N SLUG` turns your edit into SLUG.diff.
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=.build/wrong-answers

# The folder of exercise $1 in Solutions/ ("16" → "16-Fibonacci").
solution_folder() { (cd Solutions && ls -d "$1"-*/ 2>/dev/null | head -1 | tr -d /); }

apply() {
    local failed=() file n slug folder dest module text modules=() entries=""
    local -A folders=()
    rm -rf "$OUT.new" && mkdir -p "$OUT.new"
    # A hundred-odd answers: names and headers are read with the shell's own expansions, leaving three
    # programs per answer (mkdir, cp, patch) rather than a dozen.
    for file in Tests/WrongAnswers/*/*.diff; do
        [ -e "$file" ] || continue
        n=${file#Tests/WrongAnswers/}; n=${n%%/*}
        slug=${file##*/}; slug=${slug%.diff}
        [ -n "${folders[$n]+set}" ] || folders[$n]=$(solution_folder "$n")
        folder=${folders[$n]}
        if [ -z "$folder" ]; then failed+=("$file: there is no Solutions/$n-…"); continue; fi
        IFS= read -r -d '' text <"$file"
        text=$'\n'$text
        # Each line, with something after its label on the same line.
        if [[ $text != *$'\n'"Mistake: "[!$'\n']* || $text != *$'\n'"Rejected because: "[!$'\n']* ]]; then
            failed+=("$file: it must start with a 'Mistake:' line and a 'Rejected because:' line"); continue
        fi
        dest=$OUT.new/$n/$slug
        mkdir -p "$dest"
        cp Solutions/"$folder"/Sources/*.swift Tests/ExerciseChecks/"$n"/AnswerChecks.swift "$dest/"
        # The diff part starts at its first "--- " line; its paths name the reference's files
        # (Solutions/<folder>/Sources/<file>): strip 3.
        if [[ $text != *$'\n--- '* ]] || ! patch --quiet --directory="$dest" -p3 --fuzz=0 --no-backup-if-mismatch \
            --reject-file=- <<<"--- ${text#*$'\n--- '}" >/dev/null 2>&1; then
            failed+=("$file no longer applies to Solutions/$folder: the reference changed under it; edit the diff")
            continue
        fi
        module=Wrong${n}_${slug//-/_}
        modules+=("$module")
        entries+="    (\"$n\", \"$slug\", { $module.answerChecks(source: .wrongAnswer(\"$n\", \"$slug\")) }),"$'\n'
    done
    if [ ${#failed[@]} -gt 0 ]; then
        printf "✘ %s\n" "${failed[@]}"
        rm -rf "$OUT.new"
        return 1
    fi
    mkdir -p "$OUT.new/Registry"
    {
        echo "// Written by Tests/wrong-answers.sh apply: every known-wrong answer, with the checks on it."
        echo "import ExerciseSupport"
        printf "import %s\n" "${modules[@]}"
        echo
        echo "/// Each applied wrong answer: its exercise, its name, and the exercise's checks on it."
        echo "public let appliedWrongAnswers: [(exercise: String, slug: String, checks: () -> [Check])] = ["
        printf "%s" "$entries"
        echo "]"
    } >"$OUT.new/Registry/Registry.swift"
    # Unchanged files keep their times (and their builds): only what differs is replaced.
    mkdir -p "$OUT"
    if command -v rsync >/dev/null; then
        rsync -a --checksum --delete "$OUT.new/" "$OUT/"
    else
        (cd "$OUT.new" && find . -type f) | while read -r f; do
            cmp -s "$OUT.new/$f" "$OUT/$f" || { mkdir -p "$(dirname "$OUT/$f")"; cp "$OUT.new/$f" "$OUT/$f"; }
        done
        (cd "$OUT" && find . -type f) | while read -r f; do [ -e "$OUT.new/$f" ] || rm -f "$OUT/$f"; done
        find "$OUT" -type d -empty -delete
    fi
    rm -rf "$OUT.new"
    echo "Applied ${#modules[@]} known-wrong answers under $OUT."
}

# Starts wrong answer $2 of exercise $1: a copy of the reference to break, in .build/wrong-answers-draft.
new_draft() {
    local n=${1:?exercise} slug=${2:?name} folder
    folder=$(solution_folder "$n") || true
    [ -n "$folder" ] || { echo "There is no Solutions/$n-…"; return 2; }
    rm -rf ".build/wrong-answers-draft/$n/$slug"
    mkdir -p ".build/wrong-answers-draft/$n/$slug"
    cp Solutions/"$folder"/Sources/*.swift ".build/wrong-answers-draft/$n/$slug/"
    echo "Break the copy in .build/wrong-answers-draft/$n/$slug/, then: Tests/wrong-answers.sh save $n $slug"
}

# Turns the draft of wrong answer $2 of exercise $1 into Tests/WrongAnswers/$1/$2.diff.
save_draft() {
    local n=${1:?exercise} slug=${2:?name} folder draft name body=""
    folder=$(solution_folder "$n")
    draft=.build/wrong-answers-draft/$n/$slug
    [ -d "$draft" ] || { echo "No draft at $draft: start with Tests/wrong-answers.sh new $n $slug"; return 2; }
    for name in $(cd "$draft" && ls *.swift); do
        body+=$(diff -U2 --label "Solutions/$folder/Sources/$name" --label "Solutions/$folder/Sources/$name" \
            "Solutions/$folder/Sources/$name" "$draft/$name")$'\n'
    done
    [ -n "${body//$'\n'/}" ] || { echo "The draft is the reference as it is: break it first."; return 1; }
    mkdir -p "Tests/WrongAnswers/$n"
    printf 'Mistake: TODO say in a sentence what this answer gets wrong\nRejected because: TODO a fragment of the message that must reject it\n\n%s' \
        "$body" >"Tests/WrongAnswers/$n/$slug.diff"
    echo "Wrote Tests/WrongAnswers/$n/$slug.diff: fill in its two first lines, then \`make test\` checks it."
}

case "${1:-}" in
    apply) apply ;;
    new) new_draft "${2:-}" "${3:-}" ;;
    save) save_draft "${2:-}" "${3:-}" ;;
    *) echo "usage: $0 apply | new N SLUG | save N SLUG" >&2; exit 2 ;;
esac
