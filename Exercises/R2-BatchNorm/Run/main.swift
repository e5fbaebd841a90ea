// Shows exercise R2 at work: `swift run exercise-R2`.
import ExerciseR2
import Shared

GlobalRandom.manualSeed(0)
let bn = BatchNorm2d(3)
// Channels with very different scales and offsets.
let x =
    Tensor.randn([16, 3, 8, 8]) * Tensor([1, 5, 0.2], shape: [1, 3, 1, 1]) + Tensor([2, -3, 10], shape: [1, 3, 1, 1])

func describe(_ t: Tensor) -> String {
    let means = t.mean(0, 2, 3).toArray().map { cFormat("%7.3f", Double($0)) }.joined(separator: " ")
    let stds = t.std(0, 2, 3).toArray().map { cFormat("%7.3f", Double($0)) }.joined(separator: " ")
    return "means \(means)   stds \(stds)"
}

print("input:                      \(describe(x))")
bn.training = true
print("training output:            \(describe(bn(x)))")
for _ in 0..<30 { _ = bn(x) }
print("running mean after 31 steps: \(bn.runningMean.toArray().map { cFormat("%.3f", Double($0)) })")
print("running var  after 31 steps: \(bn.runningVar.toArray().map { cFormat("%.3f", Double($0)) })")
bn.training = false
print("evaluation output:          \(describe(bn(x)))")
print(
    """

    To use your layer in your resnet18 (exercise R1), give resnet18 a way to make it:
        resnet18(numClasses: 10, norm: { BatchNorm2d($0) })
    for instance in Exercises/R1-ResNet18/Run/main.swift, with a copy of this file's BatchNorm2d beside it
    (each exercise is a module of its own, so that one never stops another from being checked).
    """)
