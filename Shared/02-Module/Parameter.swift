/// The chapter's `Parameter(Tensor)`: a tensor that requires grad, which `Module` registers.
public final class Parameter: Tensor {
    /// A parameter holding `data`'s numbers (shared, not copied when `data` is contiguous).
    public init(_ data: Tensor) {
        let source = data.contiguous()
        super.init(
            storage: source.storage, shape: source.shape, strides: source.strides, offset: 0,
            requiresGrad: true)
    }
}
