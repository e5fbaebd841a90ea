/// A tensor that is a trainable weight of a module: it always requires a gradient, and a `Module`
/// that stores one in a property finds it automatically.
///
/// The chapter makes `Parameter` a subclass of `Tensor` so that a parameter *is* a tensor; Swift
/// classes subclass the same way, so a `Parameter` goes anywhere a `Tensor` does (`conv2d(x, w)`),
/// and `p is Parameter` is what module registration looks for.
public final class Parameter: Tensor {
    /// A parameter holding `data`'s numbers (shared, not copied when `data` is contiguous).
    public init(_ data: Tensor) {
        let source = data.contiguous()
        super.init(
            storage: source.storage, shape: source.shape, strides: source.strides, offset: 0,
            requiresGrad: true)
    }
}
