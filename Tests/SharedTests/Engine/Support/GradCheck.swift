@testable import Shared

/// Checks the gradients autograd computes for `f` against central finite differences.
///
/// The scalar being differentiated is `Σ f(inputs) · upstream` with a fixed random `upstream` of the
/// output's shape, so every output element contributes with its own weight. Float64 tensors do not
/// exist in the engine, so the differences are taken in Float32 with a large `eps` on
/// well-conditioned inputs; the weighted sum itself is accumulated in Double to keep rounding out
/// of the quotient. Each input must be a contiguous leaf; it is perturbed in place and restored.
///
/// Returns one line per disagreeing element (empty when all agree), naming the input and element.
func gradCheck(
    _ inputs: [Tensor], eps: Float = 1e-2, rtol: Float = 1e-2, atol: Float = 1e-3,
    seed: UInt64 = 1, _ f: ([Tensor]) -> Tensor
) -> [String] {
    for input in inputs {
        precondition(input.isLeaf && input.isContiguous && input.offset == 0, "gradCheck wants contiguous leaves")
        input.requiresGrad = true
        input.grad = nil
    }
    let output = f(inputs)
    var generator = SeededGenerator(seed: seed)
    let upstream = Tensor.randn(output.shape, using: &generator)
    let weights = upstream.toArray().map(Double.init)

    (output * upstream).sum().backward()

    func loss() -> Double {
        let values = noGrad { f(inputs) }.toArray()
        return zip(values, weights).reduce(0) { $0 + Double($1.0) * $1.1 }
    }

    var problems: [String] = []
    for (n, input) in inputs.enumerated() {
        guard let grad = input.grad else {
            problems.append("input \(n) \(input.shape): no gradient")
            continue
        }
        let analytic = grad.toArray()
        let numeric: [Float] = (0..<input.count).map { j in
            let p = input.storage.host! + j
            let original = p.pointee
            p.pointee = original + eps
            let plus = loss()
            p.pointee = original - eps
            let minus = loss()
            p.pointee = original
            return Float((plus - minus) / Double(2 * eps))
        }
        // Scale the absolute floor by the gradient's size, so big and small gradients are held
        // to the same relative standard.
        let scale = Swift.max(1, numeric.map { Swift.abs($0) }.max() ?? 0)
        for j in 0..<input.count
        where !(Swift.abs(analytic[j] - numeric[j]) <= atol * scale + rtol * Swift.abs(numeric[j])) {
            problems.append(
                "input \(n) \(input.shape) element \(j): autograd \(analytic[j]), finite differences \(numeric[j])")
        }
    }
    return problems
}

/// Well-conditioned inputs for gradient checks.
enum GradInputs {
    /// Normal numbers.
    static func normal(_ shape: [Int], seed: UInt64) -> Tensor {
        var g = SeededGenerator(seed: seed)
        return Tensor.randn(shape, using: &g)
    }

    /// Uniform numbers in [low, high): positive ones for log, sqrt, pow and division.
    static func uniform(_ shape: [Int], _ low: Float, _ high: Float, seed: UInt64) -> Tensor {
        var g = SeededGenerator(seed: seed)
        return Tensor.rand(shape, using: &g) * (high - low) + low
    }

    /// Normal numbers pushed at least 0.1 away from 0, so that `relu` and `abs` are never evaluated
    /// across their kink by a perturbation of `eps` ≤ 0.05.
    static func awayFromZero(_ shape: [Int], seed: UInt64) -> Tensor {
        let x = normal(shape, seed: seed).toArray().map { $0 >= 0 ? $0 + 0.1 : $0 - 0.1 }
        return Tensor(x, shape: shape)
    }

    /// Distinct numbers 0.2 apart in shuffled order, so a perturbation never changes which element
    /// is the maximum.
    static func distinct(_ shape: [Int], seed: UInt64) -> Tensor {
        var g = SeededGenerator(seed: seed)
        let n = shape.reduce(1, *)
        let values = (0..<n).map { Float($0) * 0.2 - Float(n) * 0.1 }.shuffled(using: &g)
        return Tensor(values, shape: shape)
    }
}
