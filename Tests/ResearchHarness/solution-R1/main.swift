import ChecksR1
import Foundation
import ExerciseSupport
import ReferenceR1
import Shared

let ok = runChecks(
    "Exercise R1 (reference)",
    resnet18Checks(
        ResNet18Answer(
            basicBlock: { BasicBlock($0, $1, stride: $2, norm: $3) },
            resnet18: { resnet18(numClasses: $0, width: $1, norm: $2) })))
exit(ok ? 0 : 1)
