#if canImport(Glibc)
    import Glibc
#endif

/// Merges adjacent axes that step through memory together for every operand, and drops axes of
/// size 1, so a loop over a broadcast or permuted view runs over as few, as long rows as possible.
///
/// `strides[axis][operand]` in the result; the shape `[]` becomes `[1]`.
func collapse(shape: [Int], strides operandStrides: [[Int]]) -> (dims: [Int], strides: [[Int]]) {
    var dims: [Int] = []
    var strides: [[Int]] = []
    for axis in shape.indices where shape[axis] != 1 {
        let s = operandStrides.map { $0[axis] }
        if let lastDim = dims.last, let last = strides.last,
            zip(last, s).allSatisfy({ $0 == $1 * shape[axis] })
        {
            dims[dims.count - 1] = lastDim * shape[axis]
            strides[strides.count - 1] = s
        } else {
            dims.append(shape[axis])
            strides.append(s)
        }
    }
    if dims.isEmpty { return ([1], [operandStrides.map { _ in 0 }]) }
    return (dims, strides)
}

/// Walks an n-d strided layout one innermost row at a time.
///
/// The odometer lives in a temporary buffer, not an `[Int]`: a per-row mutation of an array pays
/// for a uniqueness check each time, which dominated loops over many short rows.
enum StridedLoop {
    /// Calls `body(rowStart, length, step)` for every innermost row of a one-operand layout, in
    /// row-major order.
    static func rows(
        dims: [Int], strides: [Int], base: UnsafePointer<Float>,
        _ body: (UnsafePointer<Float>, Int, Int) -> Void
    ) {
        pairRows(dims: dims, aStrides: strides, bStrides: strides, a: base, b: base) { pa, sa, _, _, n in
            body(pa, n, sa)
        }
    }

    /// Calls `body(a, aStep, b, bStep, length)` for every innermost row of a two-operand layout.
    static func pairRows(
        dims: [Int], aStrides: [Int], bStrides: [Int],
        a: UnsafePointer<Float>, b: UnsafePointer<Float>,
        _ body: (UnsafePointer<Float>, Int, UnsafePointer<Float>, Int, Int) -> Void
    ) {
        let inner = dims.count - 1
        let length = dims[inner], aStep = aStrides[inner], bStep = bStrides[inner]
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 4 * Swift.max(1, inner)) { buffer in
            let index = buffer.baseAddress!, size = index + inner
            let aStride = size + inner, bStride = aStride + inner
            for axis in 0..<inner {
                index[axis] = 0
                size[axis] = dims[axis]
                aStride[axis] = aStrides[axis]
                bStride[axis] = bStrides[axis]
            }
            var pa = a, pb = b
            while true {
                body(pa, aStep, pb, bStep, length)
                // Odometer increment over the outer axes.
                var axis = inner - 1
                while axis >= 0 {
                    index[axis] += 1
                    pa += aStride[axis]
                    pb += bStride[axis]
                    if index[axis] < size[axis] { break }
                    pa -= aStride[axis] * size[axis]
                    pb -= bStride[axis] * size[axis]
                    index[axis] = 0
                    axis -= 1
                }
                if axis < 0 { return }
            }
        }
    }
}
