import ChecksR4
import ExerciseSupport
import Foundation
import ReferenceR4
import Shared

let ok = runChecks(
    "Exercise R4 (reference)",
    momentumChecks(MomentumAnswer(make: { MomentumSGD($0, lr: $1, momentum: $2, wd: $3) })))
exit(ok ? 0 : 1)
