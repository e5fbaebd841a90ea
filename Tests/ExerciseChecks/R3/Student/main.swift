// `make exercise N=R3`: the checks of exercise R3 against the student's answer in Exercises/.
import ChecksR3
import ExerciseR3
import ExerciseSupport

runChecks(exercise: "R3", checks(MixupAnswer(callback: { Mixup(alpha: $0, seed: $1) })))
