import Support

#if canImport(Glibc)
    import Glibc
#endif

extension Tensor: CustomStringConvertible {
    /// A readable print-out like PyTorch's: `tensor([[1.0000, 2.0000], …], shape: [2, 2])`, with long
    /// axes shortened to their first and last three entries.
    public var description: String {
        let values = toArray()
        var text = "tensor("
        if rank == 0 {
            text += Tensor.format(values.first ?? 0)
        } else {
            text += Tensor.render(values, shape: shape, axis: 0, start: 0, indent: 8)
        }
        if rank > 0 { text += ", shape: \(shape)" }
        if device != .cpu { text += ", device: \(device)" }
        if requiresGrad { text += ", requiresGrad: true" }
        return text + ")"
    }

    static func format(_ x: Float) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        let magnitude = Swift.abs(x)
        if magnitude != 0 && (magnitude >= 1e5 || magnitude < 1e-4) {
            return cFormat("%.4e", Double(x))
        }
        return cFormat("%.4f", Double(x))
    }

    private static func render(_ values: [Float], shape: [Int], axis: Int, start: Int, indent: Int) -> String {
        let size = shape[axis]
        let step = shape[(axis + 1)...].reduce(1, *)
        let shown: [Int?] = size > 6 ? [0, 1, 2, nil, size - 3, size - 2, size - 1] : (0..<size).map { $0 }
        if axis == shape.count - 1 {
            return "[" + shown.map { $0.map { format(values[start + $0]) } ?? "..." }.joined(separator: ", ") + "]"
        }
        // Rows line up under the first row's bracket; blocks of 3 or more axes get empty lines
        // between them, one per axis beyond the second, as PyTorch prints them.
        let newlines = String(repeating: "\n", count: shape.count - axis - 1)
        let separator = "," + newlines + String(repeating: " ", count: indent + axis)
        return "["
            + shown.map { i in
                i.map { render(values, shape: shape, axis: axis + 1, start: start + $0 * step, indent: indent) }
                    ?? "..."
            }.joined(separator: separator) + "]"
    }
}
