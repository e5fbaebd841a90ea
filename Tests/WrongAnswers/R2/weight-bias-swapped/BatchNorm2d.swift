// Known-wrong answer to exercise R2: weight and bias are swapped: the normalised value is scaled by bias and shifted by weight.
import ExerciseSupport
import Shared

// Further research 2. Write a batchnorm layer from scratch, and use it in your resnet18 (R1).
//
// Batch normalisation (Ioffe and Szegedy, 2015) standardises each channel of a batch of images, then
// lets the network pick the scale and shift it prefers, with a learnable weight and bias per channel.
// Evaluation cannot rely on a batch, so the layer also keeps running averages to use instead.
// `make hint N=R2` gives hints one at a time; PyTorch's documentation of `BatchNorm2d` is the
// specification the checks hold your layer to.

/// Batch normalisation of image channels, behaving exactly as PyTorch's `nn.BatchNorm2d`: the same
/// outputs, gradients and running statistics, in training and in evaluation.
///
/// - `BatchNorm2d(c, momentum: m, eps: e)`: a layer for `c` channels; `momentum` and `eps` have
///   PyTorch's meaning (the weight of each new batch in the running statistics; the small number
///   that keeps the division safe).
/// - x: [N, C, H, W] → [N, C, H, W]. In training (`training == true`) each call also moves
///   `runningMean` and `runningVar`; in evaluation it leaves them alone.
///
/// Example: a new `BatchNorm2d(1)` in training maps x = [[[[1, 3]]]] (N 1, C 1, H 1, W 2) to about
/// [[[[-1, 1]]]], after which `runningMean` is [0.2] and `runningVar` [1.1]; in evaluation it then
/// maps the same x to about [[[[0.763, 2.67]]]].
///
/// To use it in your resnet18 (exercise R1): `resnet18(numClasses: 10, norm: { BatchNorm2d($0) })`.
public final class BatchNorm2d: Module {
    /// Scale per channel, `[C]`, starting at 1.
    public let weight: Parameter
    /// Shift per channel, `[C]`, starting at 0.
    public let bias: Parameter
    /// Running statistics of the training batches, `[C]`, as PyTorch's `running_mean` and
    /// `running_var`: state, not parameters, so no optimiser ever steps them. They start at 0 and 1.
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
        return (x - mean) / (variance + eps).sqrt() * bias.reshape(perChannel) + weight.reshape(perChannel)
        // MARK: - End of answer
    }
}
