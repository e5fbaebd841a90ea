/// Reductions along one axis (Shared/Kernels/reduce.cl).
extension OpenCLBackend {
    /// Work-items per work-group of the reduction kernels: a power of two, at least 16 (the width of
    /// `reduce_cols`' groups).
    var reduceGroup: Int {
        var g = 16
        while g * 2 <= groupSize { g *= 2 }
        return g
    }

    public func reduce(
        _ op: ReduceOp, _ x: Storage, outer: Int, size: Int, inner: Int,
        into out: Storage, indices: Storage?
    ) {
        reduce(op, x, outer: outer, size: size, inner: inner, into: out, indices: indices, busyGroups: busyGroups)
    }

    /// `reduce`, with the work-group count below which long sums are split made explicit (tests
    /// raise it to exercise the split on a small device).
    ///
    /// Picks one of the three kernels in reduce.cl by shape: short axes, or enough outputs to give
    /// every work-item one, loop per output; long axes use a work-group per output row (`inner == 1`)
    /// or per block of 16 columns, and sums over long axes with few outputs are cut into chunks whose
    /// partial sums a second pass adds up.
    func reduce(
        _ op: ReduceOp, _ x: Storage, outer: Int, size: Int, inner: Int,
        into out: Storage, indices: Storage?, busyGroups: Int
    ) {
        let outputs = outer * inner
        guard outputs > 0 else { return }
        let name = op == .sum ? "reduce(sum)" : "reduce(max)"
        let xs = buffer(x, name), outs = buffer(out, name)
        let idx = indices.map { buffer($0, name) } ?? outs  // never written when not wanted
        let wantIndices = indices == nil ? 0 : 1
        let group = reduceGroup, options = "-DGROUP=\(group)"
        let columnBlocks = (inner + 15) / 16

        if size <= 32 || (inner > 1 && outputs >= busyGroups * group) {
            run1D(
                "reduce_small", in: "reduce.cl",
                [
                    .int(Int(op.rawValue)), .buffer(xs), .int(outer), .int(size), .int(inner), .buffer(outs),
                    .buffer(idx), .int(wantIndices)
                ], count: outputs)
            return
        }
        let groups = inner == 1 ? outer : outer * columnBlocks
        var chunks = 1
        if op == .sum && groups < busyGroups && size >= 2048 {
            chunks = Swift.min((busyGroups + groups - 1) / groups, size / 1024)
        }
        let chunkLen = (size + chunks - 1) / chunks
        chunks = (size + chunkLen - 1) / chunkLen
        let target = chunks > 1 ? allocate(outer * chunks * inner) : out
        let targetMem = buffer(target, name)
        if inner == 1 {
            run(
                "reduce_rows", in: "reduce.cl", options: options,
                [
                    .int(Int(op.rawValue)), .buffer(xs), .int(size), .int(chunks), .int(chunkLen), .buffer(targetMem),
                    .buffer(idx), .int(wantIndices)
                ],
                global: [outer * chunks * group], local: [group])
        } else {
            run(
                "reduce_cols", in: "reduce.cl", options: options,
                [
                    .int(Int(op.rawValue)), .buffer(xs), .int(size), .int(inner), .int(chunks), .int(chunkLen),
                    .buffer(targetMem), .buffer(idx), .int(wantIndices)
                ],
                global: [columnBlocks * 16, outer * chunks * (group / 16)], local: [16, group / 16])
        }
        if chunks > 1 {
            reduce(
                .sum, target, outer: outer, size: chunks, inner: inner, into: out, indices: nil, busyGroups: busyGroups)
        }
    }
}
