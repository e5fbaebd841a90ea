// Compiled into the module of each known-wrong answer to exercise 16 (`make test` lays them out):
// the exercise's checks, called on the answer they are compiled with. `Student/main.swift` and
// `Reference/main.swift` call the checks the same way on the learner's and the reference answer.
import Checks16
import ExerciseSupport
import Shared

/// The checks of exercise 16 on this module's answer.
public func answerChecks(source: AnswerSource) -> [Check] {
    checks(FibonacciAnswer(fibonacci: { fibonacci(count: $0) }, descendants: { descendants(of: $0) }, source: source))
}
