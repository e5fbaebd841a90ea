// `make solution N=R6`: the checks of exercise R6 against the reference answer in Solutions/.
import ChecksR6
import ExerciseSupport
import ReferenceR6

runChecks(exercise: "R6", checks(SAMAnswer(callback: { SAM(rho: $0) })))
