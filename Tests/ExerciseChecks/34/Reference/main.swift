// `make solution N=34`: the checks of exercise 34 against the reference answer in Solutions/.
import Checks34
import ExerciseSupport
import Reference34

runChecks(
    exercise: "34",
    checks(
        CosineOneCycleAnswer { baseLR, pctStart, divStart in
            let schedule = CosineOneCycle(baseLR, pctStart: pctStart, divStart: divStart)
            return ScheduleUnderTest(schedule, lr: { schedule.lr(at: $0) }, lrs: { schedule.lrs })
        }))
