import ExerciseSupport
import Shared

// Further research 2. Write a batchnorm layer from scratch, and use it in your resnet18 (R1).
//
// Batch normalisation standardises each channel over the batch and the image (mean 0, variance 1),
// then lets the network pick the scale and shift it prefers (a learnable weight and bias per
// channel). The batch statistics exist only in training; for evaluation the layer keeps running
// averages of them.

/// Batch normalisation of image channels (PyTorch's `BatchNorm2d`).
///
/// x: [N, C, H, W] → [N, C, H, W]
///
/// **Training** (`training == true`): with `mean` and `variance` (the biased one: divide by the
/// number of values) of each channel over axes 0, 2 and 3, the output is
/// `(x − mean) / √(variance + eps) · weight + bias`. The running statistics then move towards the
/// batch's, outside the graph (`noGrad`), in place:
/// `runningMean ← (1 − momentum) · runningMean + momentum · mean` and the same for `runningVar`,
/// except that it takes the *unbiased* variance (divide by count − 1), as PyTorch does.
///
/// **Evaluation**: the same formula with `runningMean` and `runningVar` in place of the batch's, and
/// the running statistics stay as they are.
public final class BatchNorm: Module {
    /// Scale per channel, `[C]`, starting at 1.
    public let weight: Parameter
    /// Shift per channel, `[C]`, starting at 0.
    public let bias: Parameter
    /// Running averages of the batch means and (unbiased) variances, `[C]`: state, not parameters,
    /// so no optimiser ever steps them. They start at 0 and 1.
    public private(set) var runningMean: Tensor, runningVar: Tensor
    /// How far each training batch moves the running statistics, and what keeps the division safe.
    public let momentum: Float, eps: Float

    public init(_ nf: Int, momentum: Float = 0.1, eps: Float = 1e-5) {
        weight = Parameter(Tensor.ones([nf]))
        bias = Parameter(Tensor.zeros([nf]))
        runningMean = Tensor.zeros([nf])
        runningVar = Tensor.ones([nf])
        self.momentum = momentum
        self.eps = eps
        super.init()
    }

    public override func forward(_ x: Tensor) -> Tensor {
        // MARK: - Answer
        let channels = x.shape[1]
        let perChannel = [1, channels, 1, 1]
        // Module.to(_:) moves parameters only; the statistics follow the input on first use.
        if runningMean.device != x.device {
            runningMean = runningMean.to(x.device)
            runningVar = runningVar.to(x.device)
        }
        let mean: Tensor, variance: Tensor
        if training {
            mean = x.mean(0, 2, 3, keepDim: true)
            variance = (x - mean).pow(2).mean(0, 2, 3, keepDim: true)
            let n = Float(x.count / channels)
            let unbiasing = n / Swift.max(n - 1, 1)
            noGrad {
                runningMean.assign(runningMean * (1 - momentum) + mean.detach().reshape([channels]) * momentum)
                runningVar.assign(
                    runningVar * (1 - momentum)
                        + variance.detach().reshape([channels]) * (momentum * unbiasing))
            }
        } else {
            mean = runningMean.reshape(perChannel)
            variance = runningVar.reshape(perChannel)
        }
        return (x - mean) / (variance + eps).sqrt() * weight.reshape(perChannel) + bias.reshape(perChannel)
        // MARK: - End of answer
    }
}
