// `make solution N=R3`: the checks of exercise R3 against the reference answer in Solutions/.
import ChecksR3
import ExerciseSupport
import ReferenceR3

runChecks(exercise: "R3", checks(MixupAnswer(callback: { Mixup(alpha: $0, seed: $1) })))
