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
           zip(last, s).allSatisfy({ $0 == $1 * shape[axis] }) {
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
enum StridedLoop {
    /// Calls `body(rowStart, length, step)` for every innermost row of a one-operand layout, in
    /// row-major order.
    static func rows(dims: [Int], strides: [Int], base: UnsafePointer<Float>,
                     _ body: (UnsafePointer<Float>, Int, Int) -> Void) {
        let inner = dims.count - 1
        var index = [Int](repeating: 0, count: inner)
        var p = base
        while true {
            body(p, dims[inner], strides[inner])
            // Odometer increment over the outer axes.
            var axis = inner - 1
            while axis >= 0 {
                index[axis] += 1
                p += strides[axis]
                if index[axis] < dims[axis] { break }
                p -= strides[axis] * dims[axis]
                index[axis] = 0
                axis -= 1
            }
            if axis < 0 { return }
        }
    }

    /// Calls `body(a, aStep, b, bStep, length)` for every innermost row of a two-operand layout.
    static func pairRows(dims: [Int], aStrides: [Int], bStrides: [Int],
                         a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                         _ body: (UnsafePointer<Float>, Int, UnsafePointer<Float>, Int, Int) -> Void) {
        let inner = dims.count - 1
        var index = [Int](repeating: 0, count: inner)
        var pa = a, pb = b
        while true {
            body(pa, aStrides[inner], pb, bStrides[inner], dims[inner])
            var axis = inner - 1
            while axis >= 0 {
                index[axis] += 1
                pa += aStrides[axis]; pb += bStrides[axis]
                if index[axis] < dims[axis] { break }
                pa -= aStrides[axis] * dims[axis]; pb -= bStrides[axis] * dims[axis]
                index[axis] = 0
                axis -= 1
            }
            if axis < 0 { return }
        }
    }
}
