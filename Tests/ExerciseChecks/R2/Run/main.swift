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

    To use your layer in your resnet18 (exercise R1): resnet18(numClasses: 10, norm: { BatchNorm2d($0) }).
    `swift run resnet18-batchnorm` trains your resnet18 with your BatchNorm2d that way.
    """)
