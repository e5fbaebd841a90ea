/// Element-wise functions of one tensor. `param` is the exponent for `.pow`. (Negation and
/// scaling are `affine`; squaring is `.pow` with 2, which both backends special-case.)
public enum UnaryOp: Int32, Sendable {
    case exp, log, relu, sqrt, pow, abs
}

/// Element-wise functions of two broadcast tensors.
///
/// Comparisons give 1 where true and 0 where false. `reluGrad` is `a * (b > 0)`: the incoming
/// gradient `a` masked by the forward input `b`, the backward of `relu`.
public enum BinaryOp: Int32, Sendable {
    case add, sub, mul, div, eq, ne, gt, lt, ge, le, reluGrad
}

/// Reductions along one axis of a tensor seen as `[outer, size, inner]`.
public enum ReduceOp: Int32, Sendable {
    case sum, max
}

/// How the two inputs of a binary op map onto the output: NumPy broadcasting as strides.
///
/// A broadcast axis has stride 0, so one loop over `shape` reads both inputs; offsets point into the
/// inputs' storage (views need them).
public struct BroadcastPlan: Equatable, Sendable {
    /// The output shape.
    public var shape: [Int]
    /// Strides of the first input over `shape` (0 along broadcast axes).
    public var aStrides: [Int]
    /// Strides of the second input over `shape` (0 along broadcast axes).
    public var bStrides: [Int]
    /// Element offsets of the two inputs in their storage.
    public var aOffset: Int, bOffset: Int
    /// Number of output elements.
    public var count: Int { shape.reduce(1, *) }

    public init(shape: [Int], aStrides: [Int], bStrides: [Int], aOffset: Int, bOffset: Int) {
        self.shape = shape
        self.aStrides = aStrides
        self.bStrides = bStrides
        self.aOffset = aOffset
        self.bOffset = bOffset
    }
}

/// The geometry of a 2-d convolution on NCHW input, shared by `im2col` and `col2im`.
public struct ConvGeometry: Equatable, Sendable {
    public var batch: Int, channels: Int, height: Int, width: Int
    public var kernelH: Int, kernelW: Int, stride: Int, padding: Int
    /// Output height and width.
    public var outH: Int { (height + 2 * padding - kernelH) / stride + 1 }
    public var outW: Int { (width + 2 * padding - kernelW) / stride + 1 }
    /// Length of one patch: `channels * kernelH * kernelW`.
    public var patch: Int { channels * kernelH * kernelW }
    /// Number of output pixels over the whole batch: `batch * outH * outW`.
    public var rows: Int { batch * outH * outW }

    public init(
        batch: Int, channels: Int, height: Int, width: Int,
        kernelH: Int, kernelW: Int, stride: Int, padding: Int
    ) {
        self.batch = batch
        self.channels = channels
        self.height = height
        self.width = width
        self.kernelH = kernelH
        self.kernelW = kernelW
        self.stride = stride
        self.padding = padding
    }
}

/// The primitive computations a device must provide; every tensor op is built from these.
///
/// Two implementations exist: `CPUBackend` (OpenBLAS and vectorised Swift; the reference) and
/// `OpenCLBackend` (kernels in `Shared/Kernels/*.cl`). Every primitive of the OpenCL backend has a
/// parity test against the CPU one. Unless said otherwise, inputs and outputs are contiguous blocks
/// starting at element 0 of their storage; outputs are allocated by the caller with `allocate`.
public protocol Backend: AnyObject {
    /// The device this backend computes on.
    var device: Device { get }

    /// Uninitialised storage for `count` elements.
    func allocate(_ count: Int) -> Storage
    /// Storage holding a copy of `values`.
    func upload(_ values: UnsafeBufferPointer<Float>) -> Storage
    /// Copies `count` elements starting at `offset` of `storage` into host memory at `into`.
    func download(_ storage: Storage, offset: Int, count: Int, into: UnsafeMutablePointer<Float>)

    /// Sets `count` elements of `out` to `value`.
    func fill(_ out: Storage, count: Int, value: Float)
    /// Gathers a strided view (`shape`, `strides`, `offset` into `src`) into `out` as a contiguous
    /// block starting at element `outOffset`.
    func copyStrided(_ src: Storage, offset: Int, shape: [Int], strides: [Int], into out: Storage, outOffset: Int)

    /// `out[i] = op(x[offset + i])` for `count` elements; `param` is the exponent of `.pow`.
    func unary(_ op: UnaryOp, _ x: Storage, offset: Int, count: Int, param: Float, into out: Storage)
    /// `out = op(a, b)` over the broadcast `plan`.
    func binary(_ op: BinaryOp, _ a: Storage, _ b: Storage, plan: BroadcastPlan, into out: Storage)
    /// `out[i] = a[i] * scale + shift`, the tensor–scalar arithmetic.
    func affine(_ x: Storage, offset: Int, count: Int, scale: Float, shift: Float, into out: Storage)

    /// Reduces `x` seen as `[outer, size, inner]` along the middle axis into `out` `[outer, inner]`.
    /// For `.max`, `indices` (when given) receives the position of the first maximum, as a Float.
    func reduce(
        _ op: ReduceOp, _ x: Storage, outer: Int, size: Int, inner: Int,
        into out: Storage, indices: Storage?)

    /// `c = alpha * op(a) * op(b) + beta * c`, row-major, with `op` a transpose when asked.
    /// `a` is `[m, k]` (or `[k, m]` when `transA`), `b` is `[k, n]` (or `[n, k]`), `c` is `[m, n]`;
    /// offsets and leading dimensions let views be multiplied without copying them first.
    func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: Storage, aOffset: Int, lda: Int, b: Storage, bOffset: Int, ldb: Int,
        beta: Float, c: Storage, cOffset: Int, ldc: Int)

    /// Unfolds NCHW `x` into patches: `col` is `[geometry.rows, geometry.patch]`, one row per output
    /// pixel `(n, oy, ox)`, columns ordered `(c, ky, kx)`; padding reads as zero.
    func im2col(_ x: Storage, _ geometry: ConvGeometry, into col: Storage)
    /// The adjoint of `im2col`: sums every patch entry back onto the NCHW pixel it came from.
    /// `out` is overwritten (not accumulated into).
    func col2im(_ col: Storage, _ geometry: ConvGeometry, into out: Storage)

    /// Convolves NCHW `x` with `weight` `[filters, C, KH, KW]` and adds `bias` `[filters]` (when
    /// given) into `out` `[N, filters, OH, OW]`. A default built from `im2col` and `gemm` exists
    /// (`BatchedConvolution.swift`); the CPU replaces it with a per-image version that stays in cache.
    func conv2dForward(
        _ x: Storage, weight: Storage, bias: Storage?, filters: Int, _ geometry: ConvGeometry,
        into out: Storage)
    /// The gradients of `conv2dForward` for the output gradient `gradOut` `[N, filters, OH, OW]`:
    /// each of `dx`, `dweight` and `dbias` that is given is overwritten with its gradient.
    func conv2dBackward(
        _ gradOut: Storage, x: Storage, weight: Storage, filters: Int, _ geometry: ConvGeometry,
        dx: Storage?, dweight: Storage?, dbias: Storage?)

    /// `out[i] = x[rows[i] * rowStride + cols[i]]` for `count` pairs (indices stored as Float).
    func gatherPairs(
        _ x: Storage, rowStride: Int, rows: Storage, cols: Storage, count: Int,
        into out: Storage)
    /// `out[rows[i] * rowStride + cols[i]] += values[i]`; `out` must be zeroed by the caller.
    func scatterAddPairs(
        _ values: Storage, rowStride: Int, rows: Storage, cols: Storage, count: Int,
        into out: Storage)

    /// `y += alpha * x` over `count` elements, in place (gradient accumulation, `-=` and `+=` on
    /// tensors, hence the optimiser's step).
    func axpy(_ alpha: Float, _ x: Storage, _ y: Storage, count: Int)
}

/// The backend that computes on `device`.
///
/// The GPU backend is created on first use; when no OpenCL device exists, asking for it stops with a
/// message that says so (the chapters check `OpenCLBackend.isAvailable` first and fall back to CPU).
public func backend(for device: Device) -> Backend {
    switch device {
    case .cpu: return CPUBackend.shared
    case .gpu: return GPUBackendRegistry.resolve()
    }
}

/// Late binding of the GPU backend, so the engine core does not depend on OpenCL directly.
public enum GPUBackendRegistry {
    /// Creates (once) and returns the GPU backend; installed by the OpenCL backend.
    nonisolated(unsafe) public static var provider: (() -> Backend)?

    static func resolve() -> Backend {
        guard let provider else {
            engineFailure("to(.gpu)", "no GPU backend is available in this build")
        }
        return provider()
    }
}
