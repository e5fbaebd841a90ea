/// NumPy's broadcasting rule, which PyTorch follows: align shapes at the right; sizes must be equal
/// or 1; a missing or size-1 axis is repeated.
extension Tensor {
    /// The shape both `a` and `b` broadcast to, or a stop naming `op` and both shapes.
    static func broadcastShape(_ a: [Int], _ b: [Int], op: String) -> [Int] {
        let rank = Swift.max(a.count, b.count)
        var out = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            check(da == db || da == 1 || db == 1, op, "shapes \(a) and \(b) do not broadcast")
            out[i] = da == 1 ? db : da
        }
        return out
    }

    /// Strides that read this tensor as if it had `target` shape: 0 along repeated axes.
    func broadcastStrides(to target: [Int]) -> [Int] {
        let lead = target.count - rank
        return target.indices.map { i in
            i < lead || shape[i - lead] == 1 ? 0 : strides[i - lead]
        }
    }

    /// This tensor summed down to `target` shape: the gradient of broadcasting, which repeated each
    /// element, must add the copies' gradients back together.
    func sumTo(_ target: [Int]) -> Tensor {
        if shape == target { return self }
        let lead = rank - target.count
        var axes = Array(0..<lead)
        for (i, size) in target.enumerated() where size == 1 && shape[lead + i] != 1 { axes.append(lead + i) }
        var reduced = axes.isEmpty ? self : sum(axes: axes, keepDim: true)
        if reduced.shape != target { reduced = reduced.reshape(target) }
        return reduced
    }
}
