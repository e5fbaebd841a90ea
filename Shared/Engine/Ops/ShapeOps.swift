/// Views and copies that change how elements are arranged: reshape, permute, transpose, squeeze,
/// stack. Each records its backward beside its forward.
extension Tensor {
    /// This tensor with elements in row-major order from element 0 of a storage of its own size:
    /// itself when already so, else a copy. Kernels read their inputs through this.
    public func contiguous() -> Tensor {
        if isContiguous && offset == 0 && storage.count == count { return self }
        let out = backend.allocate(count)
        backend.copyStrided(storage, offset: offset, shape: shape, strides: strides, into: out, outOffset: 0)
        return Tensor.result("contiguous", storage: out, shape: shape, inputs: [self], saving: []) { g, _ in [g] }
    }

    /// A copy with storage of its own (`clone()`), still connected to the graph.
    public func copy() -> Tensor {
        let out = backend.allocate(count)
        backend.copyStrided(storage, offset: offset, shape: shape, strides: strides, into: out, outOffset: 0)
        return Tensor.result("copy", storage: out, shape: shape, inputs: [self], saving: []) { g, _ in [g] }
    }

    /// The same elements with a new shape of the same size; one size may be `-1` and is inferred
    /// (`view` / `reshape`). Shares storage when this tensor is contiguous.
    public func reshape(_ newShape: [Int]) -> Tensor {
        var shape = newShape
        let known = newShape.filter { $0 != -1 }.reduce(1, *)
        if let inferred = newShape.firstIndex(of: -1) {
            check(known > 0 && count % known == 0, "reshape", "cannot reshape \(self.shape) into \(newShape)")
            shape[inferred] = count / known
        }
        check(
            shape.reduce(1, *) == count, "reshape", "cannot reshape \(self.shape) (\(count) elements) into \(newShape)")
        // Any row-major block is viewable as it is, wherever it starts in its storage (a row `x[i]`);
        // only gapped or permuted views need a copy first.
        let source = isContiguous ? self : contiguous()
        let original = self.shape
        return source.view("reshape", shape: shape, strides: Tensor.contiguousStrides(shape), offset: source.offset) {
            g, _ in
            [g.reshape(original)]
        }
    }

    /// `reshape`, under PyTorch's other name.
    public func view(_ newShape: [Int]) -> Tensor { reshape(newShape) }

    /// `reshape` with the sizes as arguments: `x.view(-1, 10)`.
    public func view(_ sizes: Int...) -> Tensor { reshape(sizes) }

    /// All elements in one axis.
    public func flatten() -> Tensor { reshape([count]) }

    /// The axes reordered: axis `i` of the result is axis `order[i]` of this tensor (`permute`).
    /// A view; no element moves until a kernel asks for `contiguous()`.
    public func permute(_ order: [Int]) -> Tensor {
        let order = order.map { normalize(axis: $0, op: "permute") }
        check(
            order.count == rank && Set(order).count == rank, "permute",
            "\(order) is not an ordering of the \(rank) axes of shape \(shape)")
        var inverse = [Int](repeating: 0, count: rank)
        for (i, axis) in order.enumerated() { inverse[axis] = i }
        return view("permute", shape: order.map { shape[$0] }, strides: order.map { strides[$0] }, offset: offset) {
            g, _ in
            [g.permute(inverse)]
        }
    }

    /// `permute` with the axes as arguments: `x.permute(0, 3, 1, 2)`.
    public func permute(_ order: Int...) -> Tensor { permute(order) }

    /// Axes `a` and `b` swapped (a view).
    public func transpose(_ a: Int, _ b: Int) -> Tensor {
        var order = Array(0..<rank)
        order.swapAt(normalize(axis: a, op: "transpose"), normalize(axis: b, op: "transpose"))
        return permute(order)
    }

    /// The transpose of a matrix (`t()`); a view, so `x.matmul(w.t())` copies nothing.
    public func t() -> Tensor {
        check(rank == 2, "t()", "expects a matrix, got shape \(shape)")
        return transpose(0, 1)
    }

    /// A new axis of size 1 at `axis` (`unsqueeze`; `x[:, None]` in the chapter).
    public func unsqueeze(_ axis: Int) -> Tensor {
        let a = axis < 0 ? axis + rank + 1 : axis
        check(a >= 0 && a <= rank, "unsqueeze", "axis \(axis) is out of range for shape \(shape)")
        var newShape = shape
        newShape.insert(1, at: a)
        return reshape(newShape)
    }

    /// This tensor without axes of size 1 (all of them, or only `axis`).
    public func squeeze(_ axis: Int? = nil) -> Tensor {
        if let axis {
            let a = normalize(axis: axis, op: "squeeze")
            guard shape[a] == 1 else { return self }
            var newShape = shape
            newShape.remove(at: a)
            return reshape(newShape)
        }
        return reshape(shape.filter { $0 != 1 })
    }

    /// Row `index` along the first axis, as a view (`x[i]`): `sm[0][0]` reads like the chapter.
    public subscript(index: Int) -> Tensor {
        check(rank >= 1, "subscript", "cannot index a scalar")
        let i = index < 0 ? index + shape[0] : index
        check(i >= 0 && i < shape[0], "subscript", "index \(index) is out of range for shape \(shape)")
        let original = shape
        return view(
            "select", shape: Array(shape.dropFirst()), strides: Array(strides.dropFirst()),
            offset: offset + i * strides[0]
        ) { g, _ in
            // Put the gradient back at row i of a zero tensor of the input's shape.
            let full = Tensor.zeros(original, device: g.device)
            g.backend.copyStrided(
                g.storage, offset: g.offset, shape: g.shape, strides: g.strides,
                into: full.storage, outOffset: i * g.count)
            return [full]
        }
    }

    /// Tensors of equal shape joined along a new axis (`torch.stack`): `collate`'s workhorse.
    public static func stack(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
        check(!tensors.isEmpty, "stack", "needs at least one tensor")
        let first = tensors[0]
        for t in tensors {
            check(t.shape == first.shape, "stack", "shapes differ: \(first.shape) and \(t.shape)")
            check(t.device == first.device, "stack", "devices differ: \(first.device) and \(t.device)")
        }
        let a = axis < 0 ? axis + first.rank + 1 : axis
        check(a >= 0 && a <= first.rank, "stack", "axis \(axis) is out of range")
        if a != 0 {
            let stacked = stack(tensors, axis: 0)
            var order = Array(1...first.rank)
            order.insert(0, at: a)
            return stacked.permute(order).contiguous()
        }
        let each = first.count
        let backend = first.backend
        let out = backend.allocate(each * tensors.count)
        for (i, t) in tensors.enumerated() {
            backend.copyStrided(
                t.storage, offset: t.offset, shape: t.shape, strides: t.strides,
                into: out, outOffset: i * each)
        }
        return Tensor.result(
            "stack", storage: out, shape: [tensors.count] + first.shape, inputs: tensors, saving: []
        ) { g, _ in
            (0..<tensors.count).map { g[$0].contiguous() }
        }
    }
}
