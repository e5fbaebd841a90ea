/// A fully connected layer, `x · wᵀ + b`, as `nn.Linear`. x: [N, ni] → [N, nf]
public final class Linear: Module {
    /// Weights `[nf, ni]`.
    public let w: Parameter
    /// Bias `[nf]`.
    public let b: Parameter

    /// A layer from `ni` features to `nf`, Xavier-initialised.
    public init(_ ni: Int, _ nf: Int) {
        w = Parameter(Tensor.zeros([nf, ni]))
        b = Parameter(Tensor.zeros([nf]))
        super.init()
        w.xavierNormal_()
    }

    public override func forward(_ x: Tensor) -> Tensor { x.matmul(w.t()) + b }
}
