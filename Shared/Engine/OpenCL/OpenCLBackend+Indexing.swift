/// One element per (row, column) pair (Shared/Kernels/indexing.cl).
extension OpenCLBackend {
    public func gatherPairs(_ x: Storage, rowStride: Int, rows: Storage, cols: Storage, count: Int, into out: Storage) {
        run1D(
            "gather_pairs", in: "indexing.cl",
            [
                .buffer(buffer(x, "gatherPairs")), .int(rowStride), .int(x.count / Swift.max(rowStride, 1)),
                .buffer(buffer(rows, "gatherPairs")), .buffer(buffer(cols, "gatherPairs")), .int(count),
                .buffer(buffer(out, "gatherPairs"))
            ], count: count)
    }

    /// Adds each value at its place without atomics; see `scatter_add_pairs` in indexing.cl for why
    /// repeated places are still summed correctly (in pair order, as on the CPU), at O(count²) cost.
    public func scatterAddPairs(
        _ values: Storage, rowStride: Int, rows: Storage, cols: Storage, count: Int,
        into out: Storage
    ) {
        run1D(
            "scatter_add_pairs", in: "indexing.cl",
            [
                .buffer(buffer(values, "scatterAddPairs")), .int(rowStride), .int(out.count / Swift.max(rowStride, 1)),
                .buffer(buffer(rows, "scatterAddPairs")), .buffer(buffer(cols, "scatterAddPairs")), .int(count),
                .buffer(buffer(out, "scatterAddPairs"))
            ], count: count)
    }
}
