// `make exercise N=R4`: the checks of exercise R4 against the student's answer in Exercises/.
import ChecksR4
import ExerciseR4
import ExerciseSupport
import Shared

runChecks(
    exercise: "R4",
    checks(MomentumAnswer(make: { MomentumSGD($0, lr: $1, momentum: $2, wd: $3) })))
