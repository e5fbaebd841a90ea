/// An n-dimensional array of Float32 numbers that can record how it was computed, so that gradients
/// flow back to it: the part of PyTorch's `torch.Tensor` that the chapter relies on.
///
/// A tensor is a view: `shape`, `strides` and `offset` into a `Storage`. Ops that reshape or permute
/// return new views of the same storage; ops that compute return tensors with fresh, contiguous
/// storage. Most kernels want contiguous input and call `contiguous()` first, which copies only when
/// the view is not already contiguous.
///
/// Not `final`, so that `Parameter` can be a kind of tensor as in the chapter; every member is
/// `final` so nothing is dispatched dynamically.
open class Tensor {
    /// Size along each axis; `[]` for a scalar.
    public final let shape: [Int]
    /// Element step along each axis, in elements.
    public final let strides: [Int]
    /// Index of the first element in `storage`.
    public final let offset: Int
    /// The numbers. A `var` so that a parameter can move to another device and stay the same object
    /// (`Module.to(_:)`, the analogue of the chapter's `p.data = p.data.cuda()`).
    public internal(set) final var storage: Storage

    /// Whether gradients should be computed for this tensor (set it on leaves; ops propagate it).
    public final var requiresGrad: Bool
    /// The accumulated gradient after `backward()`, of the same shape.
    public final var grad: Tensor?
    /// The op that made this tensor and how to send a gradient back through it; nil for leaves.
    final var gradNode: GradNode?

    /// Makes a view; the designated initialiser every other one goes through.
    package init(storage: Storage, shape: [Int], strides: [Int], offset: Int = 0, requiresGrad: Bool = false) {
        self.storage = storage
        self.shape = shape
        self.strides = strides
        self.offset = offset
        self.requiresGrad = requiresGrad
    }

    /// A contiguous tensor over `storage`.
    convenience init(storage: Storage, shape: [Int]) {
        self.init(storage: storage, shape: shape, strides: Tensor.contiguousStrides(shape))
    }

    /// Where the numbers live.
    public final var device: Device { storage.device }
    /// The backend that computes on this tensor's device.
    final var backend: Backend { Engine.backend(for: device) }
    /// Number of axes.
    public final var rank: Int { shape.count }
    /// Number of elements (the product of `shape`).
    public final var count: Int { shape.reduce(1, *) }
    /// Whether this is a leaf of the graph (made by the user, not by an op).
    public final var isLeaf: Bool { gradNode == nil }

    /// Whether the elements are laid out row-major without gaps, so kernels can read them directly.
    public final var isContiguous: Bool { strides == Tensor.contiguousStrides(shape) }

    /// Row-major strides of `shape`.
    public static func contiguousStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var step = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[axis] = step
            step *= shape[axis]
        }
        return strides
    }

    /// Size of `axis`, where negative axes count from the end (`-1` is the last).
    public final func size(_ axis: Int) -> Int { shape[normalize(axis: axis, op: "size")] }

    /// Turns a possibly negative axis into an index into `shape`, or stops naming the op.
    final func normalize(axis: Int, op: String) -> Int {
        let a = axis < 0 ? axis + rank : axis
        check(a >= 0 && a < Swift.max(rank, 1), op, "axis \(axis) is out of range for shape \(shape)")
        return a
    }
}
