// `make solution N=R2`: the checks of exercise R2 against the reference answer in Solutions/.
import ChecksR2
import ExerciseSupport
import ReferenceR2
import Shared

func bn(_ m: Module) -> BatchNorm2d { m as! BatchNorm2d }
runChecks(
    exercise: "R2",
    checks(
        BatchNormAnswer(
            make: { BatchNorm2d($0, momentum: $1, eps: $2) }, weight: { bn($0).weight }, bias: { bn($0).bias },
            runningMean: { bn($0).runningMean }, runningVar: { bn($0).runningVar })))
