// Compiled into the module of each known-wrong answer to exercise 25 (`make test` lays them out):
// the exercise's checks, called on the answer they are compiled with. `Student/main.swift` and
// `Reference/main.swift` call the checks the same way on the learner's and the reference answer.
import Checks25
import ExerciseSupport
import Shared

/// The checks of exercise 25 on this module's answer.
public func answerChecks(source _: AnswerSource) -> [Check] {
    checks(
        PlainCallbackAnswer { startLR, maxLR, factor in
            let finder = PlainLRFinder(startLR: startLR, maxLR: maxLR, factor: factor)
            return FinderUnderTest(finder, lrs: { finder.lrs }, losses: { finder.losses })
        })
}
