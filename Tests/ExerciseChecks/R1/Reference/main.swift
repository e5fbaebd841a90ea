// `make solution N=R1`: the checks of exercise R1 against the reference answer in Solutions/.
import ChecksR1
import ExerciseSupport
import ReferenceR1
import Shared

runChecks(
    exercise: "R1",
    checks(
        ResNet18Answer(
            basicBlock: { BasicBlock($0, $1, stride: $2, norm: $3) },
            resnet18: { resnet18(numClasses: $0, width: $1, norm: $2) })))
