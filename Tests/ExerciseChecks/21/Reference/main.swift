// `make solution N=21`: the checks of exercise 21 against the reference answer in Solutions/.
import Checks21
import ExerciseSupport
import Reference21

runChecks(exercise: "21", checks(ShapeHookAnswer(addShapeHooks: { addShapeHooks(to: $0, write: $1) })))
