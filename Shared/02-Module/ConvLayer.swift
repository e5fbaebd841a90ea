/// The chapter's `ConvLayer`: a 3×3 convolution, padding 1, then ReLU when `act`.
/// x: [N, ni, H, W] → [N, nf, ⌈H/stride⌉, ⌈W/stride⌉]
public final class ConvLayer: Module {
    /// Weights `[nf, ni, 3, 3]`.
    public let w: Parameter
    /// Bias `[nf]`, or nil when made with `bias: false`.
    public let b: Parameter?
    /// Whether ReLU follows the convolution.
    public let act: Bool
    /// Step between the positions the kernel visits.
    public let stride: Int

    /// A layer from `ni` input channels to `nf` output channels.
    ///
    /// The init depends on `act` (question 19): before a ReLU, Kaiming's rule keeps the activations'
    /// variance from shrinking, since ReLU zeroes half of them; without one, Xavier's rule suits.
    public init(_ ni: Int, _ nf: Int, stride: Int = 1, bias: Bool = true, act: Bool = true) {
        w = Parameter(Tensor.zeros([nf, ni, 3, 3]))
        b = bias ? Parameter(Tensor.zeros([nf])) : nil
        self.act = act
        self.stride = stride
        super.init()
        if act { w.kaimingNormal_() } else { w.xavierNormal_() }
    }

    public override func forward(_ x: Tensor) -> Tensor {
        let y = conv2d(x, w, b, stride: stride, padding: 1)
        return act ? y.relu() : y
    }
}
