// `make exercise N=25`: the checks of exercise 25 against the student's answer in Exercises/.
import Checks25
import Exercise25
import ExerciseSupport

runChecks(
    exercise: "25",
    checks(
        PlainCallbackAnswer { startLR, maxLR, factor in
            let finder = PlainLRFinder(startLR: startLR, maxLR: maxLR, factor: factor)
            return FinderUnderTest(finder, lrs: { finder.lrs }, losses: { finder.losses })
        }))
