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
    // MARK: - End of answer

    public init(_ ni: Int, _ nf: Int, stride: Int = 1) {
        // MARK: - Answer
        todo(
            "store two Conv(…, kernel: 3) layers (the first with stride), a BatchNorm after each, and a shortcut (Conv kernel 1 with stride + BatchNorm) when stride != 1 or ni != nf; then super.init()."
        )
        // MARK: - End of answer
    }

    public override func forward(_ x: Tensor) -> Tensor {
        // MARK: - Answer
        todo("conv1, bn1, relu, conv2, bn2; add x (through the shortcut if there is one); relu.")
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
    todo("build Sequential([stem…, 8 BasicBlocks…, AdaptivePool(), Linear(8 * width, nClasses)]).")
    // MARK: - End of answer
}
