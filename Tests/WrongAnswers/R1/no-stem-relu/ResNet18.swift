// Known-wrong answer to exercise R1: the stem has no ReLU between its normalisation and the max pool.
import ExerciseSupport
import Shared

// Further research 1. Write resnet18 from scratch, and train it with this chapter's Learner.
//
// resnet18 (He et al., "Deep Residual Learning for Image Recognition", 2016) as torchvision builds
// it: the same layers and the same number of parameters, 11,689,512 for ImageNet's 1000 classes.
// Its normalisation layers are a parameter, `norm`, so that this exercise stands on its own: the
// checks pass a simple per-channel scale and shift, and in exercise R2 you pass your own batchnorm.

/// A convolution with a square kernel and no bias (a normalisation layer follows each one, and its
/// shift would undo any bias), padded with `kernel / 2` zeros on each side: a 3×3 with stride 1
/// keeps the size, a 7×7 with stride 2 halves it.
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

/// The largest value of each 2×2 square: halves the height and the width.
///
/// torchvision's stem ends with a 3×3 max pool of stride 2 and padding 1; the engine has no pooling
/// op with overlapping windows, and on even sizes this one gives the same output shape (and no
/// parameters either way).
///
/// x: [N, C, H, W] (H and W even) → [N, C, H/2, W/2]
public final class MaxPool: Module {
    public override init() { super.init() }
    public override func forward(_ x: Tensor) -> Tensor {
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        guard h % 2 == 0, w % 2 == 0 else {
            engineFailure("MaxPool", "needs an even height and width, got an input of shape \(x.shape)")
        }
        return x.reshape([n, c, h / 2, 2, w / 2, 2]).max(axis: 5).values.max(axis: 3).values
    }
}

/// resnet's basic block, as in torchvision's resnet18.
///
/// - `ni`, `nf`: input and output channels; `stride`: 1, or 2 to halve the height and width.
/// - `norm(c)` makes a normalisation layer for `c` channels: use it wherever torchvision's
///   resnet18 has a `BatchNorm2d`.
///
/// x: [N, ni, H, W] → [N, nf, ⌈H/stride⌉, ⌈W/stride⌉]. `BasicBlock(64, 128, stride: 2, norm:)` maps
/// [8, 64, 16, 16] to [8, 128, 8, 8]; with batchnorm it has 230,144 parameters.
public final class BasicBlock: Module {
    // Stored properties holding modules are found by `Module`'s reflection: no registering needed.
    // MARK: - Answer
    let conv1: Conv, norm1: Module, conv2: Conv, norm2: Module
    /// 1×1 convolution and normalisation, or nil when the input can be added unchanged.
    let shortcut: Sequential?
    // MARK: - End of answer

    public init(_ ni: Int, _ nf: Int, stride: Int = 1, norm: (Int) -> Module) {
        // MARK: - Answer
        conv1 = Conv(ni, nf, kernel: 3, stride: stride)
        norm1 = norm(nf)
        conv2 = Conv(nf, nf, kernel: 3)
        norm2 = norm(nf)
        shortcut = stride != 1 || ni != nf ? Sequential(Conv(ni, nf, kernel: 1, stride: stride), norm(nf)) : nil
        super.init()
        // MARK: - End of answer
    }

    public override func forward(_ x: Tensor) -> Tensor {
        // MARK: - Answer
        let residual = norm2(conv2(norm1(conv1(x)).relu()))
        return (residual + (shortcut.map { $0(x) } ?? x)).relu()
        // MARK: - End of answer
    }
}

/// resnet18 as torchvision builds it, for `numClasses` classes, with `norm(c)` making each
/// normalisation layer and `width` channels in its first stage (64 is the standard network; a
/// smaller width makes a narrower network of the same shape, for tests and quick runs).
///
/// x: [N, 3, H, W] → [N, numClasses], for H and W multiples of 4 (64×64 in this chapter; 224×224 is
/// ImageNet's size). With width 64, 10 classes and batchnorm it has 11,181,642 parameters.
public func resnet18(numClasses: Int = 10, width: Int = 64, norm: @escaping (Int) -> Module) -> Sequential {
    // MARK: - Answer
    var layers: [Module] = [Conv(3, width, kernel: 7, stride: 2), norm(width), MaxPool()]
    var channels = width
    for (stage, stride) in [1, 2, 2, 2].enumerated() {
        let nf = width << stage
        layers += [BasicBlock(channels, nf, stride: stride, norm: norm), BasicBlock(nf, nf, norm: norm)]
        channels = nf
    }
    layers += [AdaptivePool(), Linear(channels, numClasses)]
    return Sequential(layers)
    // MARK: - End of answer
}
