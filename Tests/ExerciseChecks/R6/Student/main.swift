// `make exercise N=R6`: the checks of exercise R6 against the student's answer in Exercises/.
import ChecksR6
import ExerciseSupport
import ExerciseR6

runChecks(exercise: "R6", checks(SAMAnswer(callback: { SAM(rho: $0) })))
