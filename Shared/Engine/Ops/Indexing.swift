/// Picking one element per row, as the chapter's `nll` does with `input[range(n), target]`.
extension Tensor {
    /// `x[rows, cols]`: the elements at `(rows[i], cols[i])` of a matrix, as a vector.
    ///
    /// Python's fancy indexing has no Swift syntax, so this subscript takes the two index lists as
    /// tensors of whole numbers (labels are Float tensors in this engine); the gradient scatters back.
    public subscript(rows: Tensor, cols: Tensor) -> Tensor {
        check(rank == 2, "x[rows, cols]", "expects a matrix, got shape \(shape)")
        check(
            rows.shape == cols.shape && rows.rank == 1, "x[rows, cols]",
            "row and column indices must be vectors of one length, got \(rows.shape) and \(cols.shape)")
        check(rows.device == device && cols.device == device, "x[rows, cols]", "indices are on another device")
        let r = rows.contiguous(), c = cols.contiguous()
        checkIndexRange(rows: r, cols: c)
        let source = contiguous()
        let n = r.count, width = shape[1], inputShape = shape
        let out = backend.allocate(n)
        backend.gatherPairs(source.storage, rowStride: width, rows: r.storage, cols: c.storage, count: n, into: out)
        return Tensor.result("index", storage: out, shape: [n], inputs: [self], saving: [r, c]) { g, _ in
            let dx = Tensor.zeros(inputShape, device: g.device)
            g.backend.scatterAddPairs(
                g.contiguous().storage, rowStride: width, rows: r.storage,
                cols: c.storage, count: n, into: dx.storage)
            return [dx]
        }
    }

    /// Stops naming the first pair outside this matrix (a class index ≥ the number of classes, say).
    ///
    /// On the GPU the indices are read back first: a few hundred numbers per batch, against a wrong
    /// index that the kernel could only turn into a NaN loss several steps away from its cause.
    private func checkIndexRange(rows: Tensor, cols: Tensor) {
        let rr = rows.toArray(), cc = cols.toArray()
        for (r, c) in zip(rr, cc) {
            check(
                r >= 0 && r < Float(shape[0]) && c >= 0 && c < Float(shape[1]), "x[rows, cols]",
                "index (\(Self.indexText(r)), \(Self.indexText(c))) is out of range for shape \(shape)")
        }
    }

    /// An index as the user wrote it: a whole number without ".0", or the odd float as it is.
    private static func indexText(_ value: Float) -> String {
        value.isFinite && value == value.rounded() ? String(Int(value)) : String(value)
    }

    /// `x[rows, cols]` with Swift integer arrays, e.g. `x[Array(0..<n), labels]`.
    public subscript(rows: [Int], cols: [Int]) -> Tensor {
        self[Tensor(rows.map(Float.init), device: device), Tensor(cols.map(Float.init), device: device)]
    }
}
