// `make exercise N=R6`: the checks of exercise R6 against the student's answer in Exercises/.
import ChecksR6
import ExerciseR6
import ExerciseSupport

runChecks(exercise: "R6", checks(SAMAnswer(callback: { SAM(rho: $0) })))
