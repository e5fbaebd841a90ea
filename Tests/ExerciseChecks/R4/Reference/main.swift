// `make solution N=R4`: the checks of exercise R4 against the reference answer in Solutions/.
import ChecksR4
import ExerciseSupport
import ReferenceR4
import Shared

runChecks(
    exercise: "R4",
    checks(MomentumAnswer(make: { MomentumSGD($0, lr: $1, momentum: $2, wd: $3) })))
