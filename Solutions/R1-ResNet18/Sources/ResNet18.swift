import ExerciseR2
import ExerciseSupport
import Shared

// Further research 1. Write resnet18 from scratch, and train it with this chapter's Learner.
//
// A resnet is built from blocks whose output is their input plus what their layers compute, so
// each block only has to learn a correction, and gradients reach the early layers through the
// additions undisturbed. resnet18 has 17 convolutions in eight such blocks, and a linear layer.
// The batchnorm layers are yours from exercise R2.

/// A convolution with a square kernel and no bias (batchnorm follows it, and its shift would undo
/// any bias), padded so that stride 1 keeps the size: a 3×3 or a 1×1.
///
/// x: [N, ni, H, W] → [N, nf, ⌈H/stride⌉, ⌈W/stride⌉]
public final class Conv: Module {
    /// Weights `[nf, ni, kernel, kernel]`, Kaiming-initialised.
    public let w: Parameter
    /// Step between kernel positions, and zeros added on each side.
    public let stride: Int, padding: Int

    public init(_ ni: Int, _ nf: Int, kernel: Int, stride: Int = 1) {
        w = Parameter(Tensor.zeros([nf, ni, kernel, kernel]))
        self.stride = stride
        padding = kernel / 2
        super.init()
        w.kaimingNormal_()
    }

    public override func forward(_ x: Tensor) -> Tensor { conv2d(x, w, nil, stride: stride, padding: padding) }
}

/// ReLU as a layer, for `Sequential`.
public final class ReLU: Module {
    public override init() { super.init() }
    public override func forward(_ x: Tensor) -> Tensor { x.relu() }
}

/// resnet's basic block: a 3×3 convolution (with `stride`), batchnorm, ReLU, a second 3×3
/// convolution, batchnorm; the block's input is added to that, and a last ReLU follows.
///
/// When the block changes the shape (`stride ≠ 1` or `ni ≠ nf`), the input cannot be added as it is:
/// it goes through a 1×1 convolution with the same stride, and a batchnorm, first (the *shortcut*).
///
/// x: [N, ni, H, W] → [N, nf, ⌈H/stride⌉, ⌈W/stride⌉]
public final class BasicBlock: Module {
    // Stored properties holding modules are found by `Module`'s reflection: no registering needed.
    // MARK: - Answer
    let conv1: Conv, bn1: BatchNorm, conv2: Conv, bn2: BatchNorm
    /// 1×1 convolution and batchnorm, or nil when the input can be added unchanged.
    let shortcut: Sequential?
    // MARK: - End of answer

    public init(_ ni: Int, _ nf: Int, stride: Int = 1) {
        // MARK: - Answer
        conv1 = Conv(ni, nf, kernel: 3, stride: stride)
        bn1 = BatchNorm(nf)
        conv2 = Conv(nf, nf, kernel: 3)
        bn2 = BatchNorm(nf)
        shortcut = stride != 1 || ni != nf ? Sequential(Conv(ni, nf, kernel: 1, stride: stride), BatchNorm(nf)) : nil
        super.init()
        // MARK: - End of answer
    }

    public override func forward(_ x: Tensor) -> Tensor {
        // MARK: - Answer
        let residual = bn2(conv2(bn1(conv1(x)).relu()))
        return (residual + (shortcut.map { $0(x) } ?? x)).relu()
        // MARK: - End of answer
    }
}

/// resnet18 for small images (64×64 here, as in the chapter; any size works thanks to the pool):
///
/// - a stem: 3×3 convolution from 3 to `width` channels with stride 2, batchnorm, ReLU;
/// - four stages of two `BasicBlock`s each, with `width`, 2·`width`, 4·`width` and 8·`width`
///   channels; the first block of stages 2, 3 and 4 has stride 2;
/// - `AdaptivePool` and a `Linear` layer to `nClasses`.
///
/// With `width` 64 (the standard one) and 10 classes it has 11,173,962 parameters. A smaller `width`
/// makes a narrower network of the same shape, for tests and quick runs.
///
/// x: [N, 3, 64, 64] → [N, nClasses]   (feature maps 32×32, 32×32, 16×16, 8×8, 4×4)
public func resnet18(nClasses: Int = 10, width: Int = 64) -> Sequential {
    // MARK: - Answer
    var layers: [Module] = [Conv(3, width, kernel: 3, stride: 2), BatchNorm(width), ReLU()]
    var channels = width
    for (stage, stride) in [1, 2, 2, 2].enumerated() {
        let nf = width << stage
        layers += [BasicBlock(channels, nf, stride: stride), BasicBlock(nf, nf)]
        channels = nf
    }
    layers += [AdaptivePool(), Linear(channels, nClasses)]
    return Sequential(layers)
    // MARK: - End of answer
}
