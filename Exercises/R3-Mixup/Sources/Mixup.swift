import ExerciseSupport
import Foundation
import Shared

// Further research 3. Write a Mixup callback for this chapter's Learner.
//
// Mixup trains on blends of pairs of examples: a training batch is mixed with a shuffled copy of
// itself, `λ · x + (1 − λ) · x[partner]`, and the model is asked for the same blend of the two
// targets. Because cross entropy is linear in its target distribution, that is
// `λ · loss(preds, y) + (1 − λ) · loss(preds, y[partner])`: no soft labels needed. λ is drawn from
// Beta(α, α) for every batch; validation batches are left alone.

/// Mixup as a learner callback.
///
/// - `beforeFit`: keep the learner's `lossFunc` in `baseLoss` and put `mixedLoss` in its place.
/// - `beforeBatch`, training only: draw `lambda` (`drawLambda()`) and `partners` (`drawPartners(n)`),
///   replace the batch by `(λ · x + (1 − λ) · x[partners], y)` and keep `y[partners]` in
///   `partnerTargets`. In validation, set `partnerTargets` to nil.
/// - `mixedLoss`: with partner targets, `λ · baseLoss(preds, y) + (1 − λ) · baseLoss(preds, partnerTargets)`;
///   without, `baseLoss(preds, y)`.
/// - `afterFit`: give the learner back `baseLoss`.
///
/// `x[partners]` means the rows of `x` in the order `partners` lists them:
/// `Tensor.stack(partners.map { x[$0] })`.
public final class Mixup: Callback {
    /// The Beta distribution's parameter: small values keep most blends close to one of the pair.
    public let alpha: Float
    /// The current training batch's λ (in [0.5, 1]) and, for each row, the row it is blended with.
    public private(set) var lambda: Float = 1, partners: [Int] = []
    /// `y[partners]` for the current training batch; nil in validation.
    public private(set) var partnerTargets: Tensor?
    /// The learner's own loss function, kept during the fit.
    public private(set) var baseLoss: ((Tensor, Tensor) -> Tensor)?
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

    public override func beforeFit() throws {
        // MARK: - Answer
        todo(
            "keep self.lossFunc in baseLoss, then set self.lossFunc to a closure calling mixedLoss (capture self unowned: the learner holds this callback)."
        )
        // MARK: - End of answer
    }

    public override func beforeBatch() throws {
        // MARK: - Answer
        todo(
            "training only: draw lambda and partners, set self.batch to (λ·x + (1−λ)·x[partners], y), keep y[partners] in partnerTargets; in validation set partnerTargets to nil."
        )
        // MARK: - End of answer
    }

    /// The loss of `preds` against the blend of `y` and the partner targets (see the type's notes).
    public func mixedLoss(_ preds: Tensor, _ y: Tensor) -> Tensor {
        // MARK: - Answer
        todo(
            "λ · baseLoss(preds, y) + (1 − λ) · baseLoss(preds, partnerTargets) when there are partner targets, else baseLoss(preds, y)."
        )
        // MARK: - End of answer
    }

    public override func afterFit() throws {
        // MARK: - Answer
        todo("put baseLoss back into self.lossFunc.")
        // MARK: - End of answer
    }
}
