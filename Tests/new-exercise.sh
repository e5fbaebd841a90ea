#!/usr/bin/env bash
# `make new-exercise N=35 NAME=Clamp`: lays out everything a new exercise needs, as a small complete
# exercise to turn into yours:
#
#   Exercises/35-Clamp/Sources/Clamp.swift       the stub the learner fills in (an answer region with a todo)
#   Solutions/35-Clamp/Sources/Clamp.swift       the same file; write the reference in the answer region
#   Tests/ExerciseChecks/35/Run/main.swift       `make run-exercise N=35`: the answer at work
#   Tests/ExerciseChecks/35/Checks/ClampChecks.swift   what an answer provides, and its checks
#   Tests/ExerciseChecks/35/Student/main.swift, Reference/main.swift   the two programs that run them
#   Tests/ExerciseChecks/35/AnswerChecks.swift   the same call of the checks, for the known-wrong answers
#   Tests/ExerciseChecks/35/Hints.md             `make hint N=35`
#   Tests/WrongAnswers/35/                       the known-wrong answers (none yet: `make test` asks for three)
#
# Until the reference is written, `make solution N=35` fails on its todo; once it is, it passes. Nothing
# else needs editing: the manifest finds the new folders.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-}; name=${2:-}
if [ -z "$n" ] || [ -z "$name" ]; then
    echo "Say the number and the name: make new-exercise N=35 NAME=Clamp (NAME is a Swift type name)"; exit 2
fi
n=${n^^}
[[ "$n" =~ ^(R?[0-9]+)$ ]] || { echo "N is a question number (35) or a further-research one (R7), not '$n'"; exit 2; }
[[ "$name" =~ ^[A-Z][A-Za-z0-9]*$ ]] || { echo "NAME is a Swift type name in UpperCamelCase (Clamp), not '$name'"; exit 2; }
if ls -d Exercises/"$n"-* Solutions/"$n"-* Tests/ExerciseChecks/"$n" >/dev/null 2>&1; then
    echo "Exercise $n exists already: $(ls -d Exercises/"$n"-* Tests/ExerciseChecks/"$n" 2>/dev/null | tr '\n' ' ')"; exit 2
fi
folder=$n-$name
function=$(tr '[:upper:]' '[:lower:]' <<<"${name:0:1}")${name:1}

stub() {  # the answer file; $1 is the body of the answer region
    cat <<SWIFT
import ExerciseSupport
import Shared

// Question $n. Clamp every element of a tensor into a range. (Say here what the learner is asked;
// \`make exercises\` shows this line, and \`make exercise N=$n\` prints it before the checks.)

/// Every element of \`x\` limited to \`low…high\`: elements below \`low\` become \`low\`, above \`high\`
/// become \`high\`, the rest stay as they are. The shape does not change.
///
/// \`$function(Tensor([-2, 0.5, 3]), low: 0, high: 1)\` holds \`[0, 0.5, 1]\`.
public func $function(_ x: Tensor, low: Float, high: Float) -> Tensor {
    // MARK: - Answer
$1
    // MARK: - End of answer
}
SWIFT
}
run() {
    cat <<SWIFT
// Shows exercise $n at work: \`make run-exercise N=$n\`.
import Exercise$n
import Shared

let x = Tensor([-2, -0.5, 0, 0.25, 0.75, 1, 3])
print("x                        = \\(x)")
print("$function(x, low: 0, high: 1) = \\($function(x, low: 0, high: 1))")
SWIFT
}
mkdir -p Exercises/"$folder"/Sources Solutions/"$folder"/Sources
stub "    todo(\"$function(_:low:high:) is not written yet.\")" >Exercises/"$folder"/Sources/"$name".swift
stub "    todo(\"The reference answer to exercise $n is not written yet.\")" >Solutions/"$folder"/Sources/"$name".swift
checks=Tests/ExerciseChecks/$n
mkdir -p "$checks"/{Checks,Student,Reference,Run} Tests/WrongAnswers/"$n"
run >"$checks/Run/main.swift"
cat >"$checks/Checks/${name}Checks.swift" <<SWIFT
import ExerciseSupport
import Shared

/// What an answer to exercise $n provides: the function the question asks for. The checks call the
/// answer only through it, so they build without any answer (\`Checks$n\` depends on none).
public struct ${name}Answer {
    public var $function: (Tensor, Float, Float) -> Tensor

    public init($function: @escaping (Tensor, Float, Float) -> Tensor) { self.$function = $function }
}

/// The checks of exercise $n, one question each, with messages in the learner's terms: say what is
/// wrong and where to look. Write a known-wrong answer for every mistake a check names
/// (Tests/wrong-answers.sh new $n NAME), and \`make test\` proves each one is rejected for its reason.
public func checks(_ given: ${name}Answer) -> [Check] {
    [
        Check("elements inside the range are left as they are") {
            let x = Tensor([0.25, 0.5, 0.75])
            let got = try answer { given.$function(x, 0, 1) }
            try expect(got.shape == [3], "the result has shape \\(got.shape); it should keep the input's shape [3]")
            try expect(got.toArray() == [0.25, 0.5, 0.75], "elements already inside 0…1 changed: \\(got.toArray())")
        },
        Check("elements outside the range become its ends") {
            let got = try answer { given.$function(Tensor([-2, 3, -0.5, 1.5]), 0, 1) }
            try expect(
                got.toArray() == [0, 1, 0, 1],
                "clamping [-2, 3, -0.5, 1.5] into 0…1 gave \\(got.toArray()); below the range becomes low, above it high")
        },
    ]
}
SWIFT
for side in Student Reference; do
    module=Exercise$n; source=".exercises(\"$folder\")"; tree=Exercises; what="the learner's answer"
    if [ "$side" = Reference ]; then module=Reference$n; tree=Solutions; what="the reference answer"; fi
    cat >"$checks/$side/main.swift" <<SWIFT
// \`make $([ "$side" = Student ] && echo exercise || echo solution) N=$n\`: the checks of exercise $n against $what in $tree/.
import Checks$n
import ExerciseSupport
import $module

runChecks(exercise: "$n", checks(${name}Answer($function: { $function(\$0, low: \$1, high: \$2) })))
SWIFT
done
cat >"$checks/AnswerChecks.swift" <<SWIFT
// Compiled into the module of each known-wrong answer to exercise $n (\`Tests/wrong-answers.sh apply\`):
// the exercise's checks, called on the answer they are compiled with, as Student/main.swift and
// Reference/main.swift call them on the learner's and the reference answer.
import Checks$n
import ExerciseSupport
import Shared

/// The checks of exercise $n on this module's answer.
public func answerChecks(source _: AnswerSource) -> [Check] {
    checks(${name}Answer($function: { $function(\$0, low: \$1, high: \$2) }))
}
SWIFT
cat >"$checks/Hints.md" <<MD
# Hints for exercise $n

\`make hint N=$n\` shows them one at a time. Each section below is one hint.

## Where to start

Write the hints from the mistakes you expect, the first one gentle and the last one nearly the answer.
MD
touch Tests/WrongAnswers/"$n"/.gitkeep
echo "Exercise $n laid out:"
find Exercises/"$folder" Solutions/"$folder" "$checks" Tests/WrongAnswers/"$n" -type f | sort | sed 's/^/  /'
echo "Next: write the reference in Solutions/$folder/Sources/$name.swift, then \`make solution N=$n\`;"
echo "then the checks, the hints and three known-wrong answers (Tests/wrong-answers.sh new $n NAME)."
