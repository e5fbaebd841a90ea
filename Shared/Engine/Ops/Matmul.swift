/// Matrix products through `cblas_sgemm` (or the OpenCL gemm kernel), reading transposed views in
/// place: `x.matmul(w.t())` hands `w`'s storage to BLAS with a transpose flag instead of copying it.
extension Tensor {
    /// How a matrix view can be handed to gemm as it is: its storage, offset, leading dimension, and
    /// whether gemm must read it transposed. Other views are made contiguous first.
    func gemmOperand() -> (tensor: Tensor, transposed: Bool, ld: Int) {
        let rows = shape[0], cols = shape[1]
        if strides[1] == 1 && (strides[0] >= cols || rows == 1) { return (self, false, Swift.max(strides[0], cols)) }
        if strides[0] == 1 && (strides[1] >= rows || cols == 1) { return (self, true, Swift.max(strides[1], rows)) }
        let c = contiguous()
        return (c, false, cols)
    }

    /// The matrix product `self · other` of `[m, k]` and `[k, n]` matrices (Python's `@`).
    ///
    /// Swift has no `@` operator, so the chapter's `x@self.w.t()` reads `x.matmul(w.t())`.
    public func matmul(_ other: Tensor) -> Tensor {
        check(rank == 2 && other.rank == 2, "matmul", "expects two matrices, got shapes \(shape) and \(other.shape)")
        check(
            shape[1] == other.shape[0], "matmul",
            "shapes \(shape) and \(other.shape) do not chain (\(shape[1]) ≠ \(other.shape[0]))")
        check(device == other.device, "matmul", "tensors are on different devices (\(device) and \(other.device))")
        let m = shape[0], k = shape[1], n = other.shape[1]
        let (a, ta, lda) = gemmOperand()
        let (b, tb, ldb) = other.gemmOperand()
        let out = backend.allocate(m * n)
        if k == 0 { backend.fill(out, count: m * n, value: 0) }
        backend.gemm(
            transA: ta, transB: tb, m: m, n: n, k: k, alpha: 1,
            a: a.storage, aOffset: a.offset, lda: lda, b: b.storage, bOffset: b.offset, ldb: ldb,
            beta: 0, c: out, cOffset: 0, ldc: n)
        return Tensor.result("matmul", storage: out, shape: [m, n], inputs: [self, other]) { g, _ in
            [
                self.requiresGrad ? g.matmul(other.t()) : nil,
                other.requiresGrad ? self.t().matmul(g) : nil
            ]
        }
    }
}
