// Compiled into the module of each known-wrong answer to exercise 21 (`make test` lays them out):
// the exercise's checks, called on the answer they are compiled with. `Student/main.swift` and
// `Reference/main.swift` call the checks the same way on the learner's and the reference answer.
import Checks21
import ExerciseSupport
import Shared

/// The checks of exercise 21 on this module's answer.
public func answerChecks(source _: AnswerSource) -> [Check] {
    checks(ShapeHookAnswer(addShapeHooks: { addShapeHooks(to: $0, write: $1) }))
}
