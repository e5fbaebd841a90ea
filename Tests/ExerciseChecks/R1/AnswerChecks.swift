// Compiled into the module of each known-wrong answer to exercise R1 (`make test` lays them out):
// the exercise's checks, called on the answer they are compiled with. `Student/main.swift` and
// `Reference/main.swift` call the checks the same way on the learner's and the reference answer.
import ChecksR1
import ExerciseSupport
import Shared

/// The checks of exercise R1 on this module's answer.
public func answerChecks(source _: AnswerSource) -> [Check] {
    checks(
        ResNet18Answer(
            basicBlock: { BasicBlock($0, $1, stride: $2, norm: $3) },
            resnet18: { resnet18(numClasses: $0, width: $1, norm: $2) }))
}
