#!/usr/bin/env bash
# `make new-exercise` end to end, as an instructor uses it: the new exercise builds and fails honestly
# on its todo; once the reference is written, `make solution` passes; a wrong answer made with
# `make wrong-answer` (and SAVE=1) applies to it. Everything it lays out is removed when it ends. CI runs it.
set -uo pipefail
cd "$(dirname "$0")/.."
n=R99; name=ScratchClamp; folder=$n-$name
cleanup() {
    rm -rf Exercises/"$folder" Solutions/"$folder" Tests/ExerciseChecks/"$n" Tests/WrongAnswers/"$n" \
        .build/wrong-answers-draft/"$n" .build/wrong-answers/"$n"
}
trap 'cleanup; .build/debug/workbook wrong-answer apply >/dev/null' EXIT
cleanup
status=0
say() { if [ "$1" = ok ]; then echo "  ✔ $2"; else echo "  ✘ $2"; status=1; fi; }

echo "A new exercise, end to end:"
make --no-print-directory new-exercise N="$n" NAME="$name" >/dev/null || { echo "  ✘ make new-exercise failed"; exit 1; }
out=$(make --no-print-directory solution N="$n" 2>&1)
grep -q "reach a todo: not written yet" <<<"$out" && say ok "it builds and fails on the reference's todo" \
    || { say no "before the reference is written:"; echo "$out" | tail -8; }
sed -i 's|    todo("The reference answer to exercise R99 is not written yet.")|    Tensor(x.toArray().map { Swift.min(Swift.max($0, low), high) }).reshape(x.shape)|' \
    Solutions/"$folder"/Sources/"$name".swift
out=$(make --no-print-directory solution N="$n" 2>&1)
grep -q "✔ Exercise $n: all 2 checks pass" <<<"$out" && say ok "with the reference written, make solution passes" \
    || { say no "with the reference written:"; echo "$out" | tail -8; }
make --no-print-directory wrong-answer N="$n" NAME=upper-only >/dev/null
sed -i 's|Swift.min(Swift.max($0, low), high)|Swift.min($0, high)|' .build/wrong-answers-draft/"$n"/upper-only/"$name".swift
make --no-print-directory wrong-answer N="$n" NAME=upper-only SAVE=1 >/dev/null
grep -q '^+.*Swift.min(\$0, high)' Tests/WrongAnswers/"$n"/upper-only.diff && grep -q '^Mistake: TODO' \
    Tests/WrongAnswers/"$n"/upper-only.diff && say ok "a broken copy of the reference is kept as a diff, its mistake to name" \
    || say no "make wrong-answer SAVE=1 did not write the diff"
sed -i 's/^Mistake: TODO.*/Mistake: only the upper end is applied./; s/^Rejected because: TODO.*/Rejected because: below the range/' \
    Tests/WrongAnswers/"$n"/upper-only.diff
.build/debug/workbook wrong-answer apply >/dev/null && grep -q 'Swift.min($0, high)' .build/wrong-answers/"$n"/upper-only/"$name".swift \
    && say ok "the diff applies to the reference" || say no "the diff does not apply"
exit $status
