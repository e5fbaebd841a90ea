// Known-wrong answer to exercise R5: the spread term is summed over the rows of the batch while the labelled term is averaged.
import ExerciseSupport
import Shared

// Further research 5. Pick a feature you like from fastai and add it to the workbook: label smoothing.
//
// Cross entropy asks the model for probability 1 on the right class, which it can only approach by
// making its scores ever larger: it grows over-confident, and a mislabelled image pulls hard. Label
// smoothing (Szegedy et al., "Rethinking the Inception Architecture for Computer Vision", 2016)
// asks for a little less: most of the probability on the labelled class, and a share ε spread
// evenly over the classes. fastai calls it `LabelSmoothingCrossEntropy`; PyTorch has it as
// `F.cross_entropy(…, label_smoothing: ε)`, and the checks hold your loss to PyTorch's numbers.

/// Cross entropy with label smoothing, as fastai's `LabelSmoothingCrossEntropy(eps)` and PyTorch's
/// `F.cross_entropy(preds, target, label_smoothing: eps)` compute it, averaged over the batch; the
/// gradient reaches `preds` through the engine's autograd, like `crossEntropy`'s.
///
/// preds: [N, C] raw scores (any real numbers, also large ones), target: [N] class indices stored as
/// Float → a scalar. With `eps` 0 it is the chapter's `crossEntropy`.
///
/// Example: preds [[2, 0, 0]], target [0] gives 0.2395 with eps 0 and 0.6395 with eps 0.3.
public struct LabelSmoothingCrossEntropy {
    /// The share of the target probability that is spread over the classes (fastai's default is 0.1).
    public let eps: Float

    public init(eps: Float = 0.1) { self.eps = eps }

    /// The loss of `preds` against `target`.
    public func callAsFunction(_ preds: Tensor, _ target: Tensor) -> Tensor {
        // MARK: - Answer
        let logProbabilities = logSoftmax(preds)
        let classes = Float(preds.shape[1])
        // −log p averaged over the classes of each row, then over the batch.
        let spread = -logProbabilities.sum(axes: [1]).sum() / classes
        return spread * eps + nll(logProbabilities, target) * (1 - eps)
        // MARK: - End of answer
    }
}
