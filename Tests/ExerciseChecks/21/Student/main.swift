// `make exercise N=21`: the checks of exercise 21 against the student's answer in Exercises/.
import Checks21
import Exercise21
import ExerciseSupport

runChecks(exercise: "21", checks(ShapeHookAnswer(addShapeHooks: { addShapeHooks(to: $0, write: $1) })))
