// `make solution N=25`: the checks of exercise 25 against the reference answer in Solutions/.
import Checks25
import ExerciseSupport
import Reference25

runChecks(
    exercise: "25",
    checks(
        PlainCallbackAnswer { startLR, maxLR, factor in
            let finder = PlainLRFinder(startLR: startLR, maxLR: maxLR, factor: factor)
            return FinderUnderTest(finder, lrs: { finder.lrs }, losses: { finder.losses })
        }))
