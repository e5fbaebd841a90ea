// `make exercise N=34`: the checks of exercise 34 against the student's answer in Exercises/.
import Checks34
import Exercise34
import ExerciseSupport

runChecks(
    exercise: "34",
    checks(
        CosineOneCycleAnswer { baseLR, pctStart, divStart in
            let schedule = CosineOneCycle(baseLR, pctStart: pctStart, divStart: divStart)
            return ScheduleUnderTest(schedule, lr: { schedule.lr(at: $0) }, lrs: { schedule.lrs })
        }))
