// Known-wrong answer to exercise R3: the mixed loss blends crossEntropy against y and y[partners] instead of the learner's own loss function.
import ExerciseSupport
import Foundation
import Shared

// Further research 3. Write a Mixup callback for this chapter's Learner.
//
// Mixup (Zhang, Cisse, Dauphin and Lopez-Paz, "mixup: Beyond Empirical Risk Minimization", 2018)
// trains on blends of pairs of examples and asks the model for the same blend of their labels, so
// that it learns to behave linearly between examples instead of memorising each one.

/// Mixup as a learner callback. With it in a learner's `cbs`, during `fit`:
///
/// - every training batch (x, y) reaches the model as `λ · x + (1 − λ) · x[partners]`, where
///   `partners` is a random permutation of the batch's rows (`drawPartners(n)`) and λ, one number
///   for the whole batch, is drawn afresh for every batch with `drawLambda()`; the targets stay y;
/// - the loss the learner computes for that batch is the same blend of the learner's own loss
///   function against y and against y[partners];
/// - validation batches, and their loss, are exactly what they would be without Mixup;
/// - after `fit`, the learner's `lossFunc` is its own again.
///
/// `x[partners]` means the rows of `x` in the order `partners` lists them:
/// `Tensor.stack(partners.map { x[$0] })`. Example: with λ 0.75 and partners [1, 0], the batch
/// x = [[0, 0], [4, 8]] with y = [3, 5] is seen as [[1, 2], [3, 6]], and the loss is
/// 0.75 · loss(preds, [3, 5]) + 0.25 · loss(preds, [5, 3]).
public final class Mixup: Callback {
    /// The Beta distribution's parameter: small values keep most blends close to one of the pair.
    public let alpha: Float
    /// The current training batch's λ and, for each row, the row it is blended with (for display).
    public internal(set) var lambda: Float = 1, partners: [Int] = []
    private var generator: SeededGenerator

    public init(alpha: Float = 0.4, seed: UInt64 = 0) {
        self.alpha = alpha
        generator = SeededGenerator(seed: seed)
    }

    /// A draw from Beta(α, α), folded into [0.5, 1] (λ and 1 − λ give the same blend with the roles
    /// swapped, and this way each row stays mostly itself).
    public func drawLambda() -> Float {
        let a = gammaSample(alpha), b = gammaSample(alpha)
        let lambda = a + b > 0 ? a / (a + b) : 0.5
        return Swift.max(lambda, 1 - lambda)
    }

    /// A random order of `0..<n`: row `i` is blended with row `partners[i]`.
    public func drawPartners(_ n: Int) -> [Int] { Array(0..<n).shuffled(using: &generator) }

    /// A draw from Gamma(shape, 1) by Marsaglia and Tsang's method; shapes below 1 are drawn at
    /// shape + 1 and scaled by `u^(1/shape)`. Beta(α, β) is then `g₁ / (g₁ + g₂)`.
    private func gammaSample(_ shape: Float) -> Float {
        if shape < 1 {
            let u = Swift.max(generator.nextUniform(), .leastNonzeroMagnitude)
            return gammaSample(shape + 1) * Foundation.pow(u, 1 / shape)
        }
        let d = shape - 1 / 3, c = 1 / (9 * d).squareRoot()
        while true {
            var z: Float = 0
            withUnsafeMutablePointer(to: &z) { generator.fillNormal(UnsafeMutableBufferPointer(start: $0, count: 1)) }
            let v = Foundation.pow(1 + c * z, 3)
            guard v > 0 else { continue }
            let u = Swift.max(generator.nextUniform(), .leastNonzeroMagnitude)
            if Foundation.log(u) < 0.5 * z * z + d - d * v + d * Foundation.log(v) { return d * v }
        }
    }

    // MARK: - Answer
    /// `y[partners]` for the current training batch; nil in validation.
    private var partnerTargets: Tensor?
    /// The learner's own loss function, kept during the fit.
    private var baseLoss: ((Tensor, Tensor) -> Tensor)?

    public override func beforeFit() throws {
        baseLoss = self.lossFunc
        self.lossFunc = { [unowned self] preds, y in mixedLoss(preds, y) }
    }

    public override func beforeBatch() throws {
        guard self.training else {
            partnerTargets = nil
            return
        }
        let (x, y) = self.batch!
        lambda = drawLambda()
        partners = drawPartners(x.shape[0])
        let partnerInputs = Tensor.stack(partners.map { x[$0] })
        partnerTargets = Tensor.stack(partners.map { y[$0] })
        self.batch = (x * lambda + partnerInputs * (1 - lambda), y)
    }

    /// The loss of `preds` against the blend of `y` and the partner targets.
    private func mixedLoss(_ preds: Tensor, _ y: Tensor) -> Tensor {
        guard let partnerTargets else { return baseLoss?(preds, y) ?? crossEntropy(preds, y) }
        return crossEntropy(preds, y) * lambda + crossEntropy(preds, partnerTargets) * (1 - lambda)
    }

    public override func afterFit() throws {
        if let baseLoss { self.lossFunc = baseLoss }
        baseLoss = nil
        partnerTargets = nil
    }
    // MARK: - End of answer
}
