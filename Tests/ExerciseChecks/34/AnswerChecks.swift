// Compiled into the module of each known-wrong answer to exercise 34 (`make test` lays them out):
// the exercise's checks, called on the answer they are compiled with. `Student/main.swift` and
// `Reference/main.swift` call the checks the same way on the learner's and the reference answer.
import Checks34
import ExerciseSupport
import Shared

/// The checks of exercise 34 on this module's answer.
public func answerChecks(source _: AnswerSource) -> [Check] {
    checks(
        CosineOneCycleAnswer { baseLR, pctStart, divStart in
            let schedule = CosineOneCycle(baseLR, pctStart: pctStart, divStart: divStart)
            return ScheduleUnderTest(schedule, lr: { schedule.lr(at: $0) }, lrs: { schedule.lrs })
        })
}
