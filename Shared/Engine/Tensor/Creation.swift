extension Tensor {
    /// A tensor holding `values` with `shape` (row-major), on `device`.
    ///
    ///     Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
    public convenience init(
        _ values: [Float], shape: [Int], device: Device = .cpu,
        requiresGrad: Bool = false
    ) {
        let expected = shape.reduce(1, *)
        check(
            values.count == expected, "Tensor(_:shape:)",
            "\(values.count) values cannot fill shape \(shape) (\(expected) elements)")
        check(shape.allSatisfy { $0 >= 0 }, "Tensor(_:shape:)", "negative size in shape \(shape)")
        let storage = values.withUnsafeBufferPointer { Engine.backend(for: device).upload($0) }
        self.init(storage: storage, shape: shape)
        self.requiresGrad = requiresGrad
    }

    /// A one-axis tensor holding `values`.
    public convenience init(_ values: [Float], device: Device = .cpu) {
        self.init(values, shape: [values.count], device: device)
    }

    /// A scalar (shape `[]`) holding `value`, like `tensor(3.)`.
    public convenience init(_ value: Float, device: Device = .cpu, requiresGrad: Bool = false) {
        self.init([value], shape: [], device: device, requiresGrad: requiresGrad)
    }

    /// A host tensor of `shape` whose elements are written by `body` in place, without an
    /// intermediate array: the fast path for decoders and generators.
    public convenience init(shape: [Int], fill body: (UnsafeMutableBufferPointer<Float>) throws -> Void) rethrows {
        let count = shape.reduce(1, *)
        let storage = Storage(hostCount: count)
        try body(UnsafeMutableBufferPointer(start: storage.host!, count: count))
        self.init(storage: storage, shape: shape)
    }

    /// A tensor of `shape` with every element equal to `value`.
    public static func full(_ shape: [Int], _ value: Float, device: Device = .cpu) -> Tensor {
        let count = shape.reduce(1, *)
        let backend = Engine.backend(for: device)
        let storage = backend.allocate(count)
        backend.fill(storage, count: count, value: value)
        return Tensor(storage: storage, shape: shape)
    }

    /// A tensor of zeros (`torch.zeros`).
    public static func zeros(_ shape: [Int], device: Device = .cpu) -> Tensor { full(shape, 0, device: device) }
    /// A tensor of ones (`torch.ones`).
    public static func ones(_ shape: [Int], device: Device = .cpu) -> Tensor { full(shape, 1, device: device) }

    /// Numbers drawn from the standard normal distribution (`torch.randn`).
    public static func randn(
        _ shape: [Int], device: Device = .cpu,
        using generator: inout SeededGenerator
    ) -> Tensor {
        Tensor(shape: shape) { generator.fillNormal($0) }.to(device)
    }

    /// `randn` from the global generator (see `GlobalRandom.manualSeed`).
    public static func randn(_ shape: [Int], device: Device = .cpu) -> Tensor {
        randn(shape, device: device, using: &GlobalRandom.generator)
    }

    /// Numbers drawn uniformly from [0, 1) (`torch.rand`).
    public static func rand(
        _ shape: [Int], device: Device = .cpu,
        using generator: inout SeededGenerator
    ) -> Tensor {
        Tensor(shape: shape) { buffer in
            for i in buffer.indices { buffer[i] = generator.nextUniform() }
        }.to(device)
    }

    /// `rand` from the global generator.
    public static func rand(_ shape: [Int], device: Device = .cpu) -> Tensor {
        rand(shape, device: device, using: &GlobalRandom.generator)
    }

    /// `start, start + step, …` up to but excluding `end` (`torch.arange`).
    public static func arange(_ start: Float = 0, _ end: Float, step: Float = 1, device: Device = .cpu) -> Tensor {
        check(step != 0 && (end - start) / step >= 0, "arange", "cannot go from \(start) to \(end) by \(step)")
        let n = Int(((end - start) / step).rounded(.up))
        return Tensor(shape: [n]) { buffer in
            for i in 0..<n { buffer[i] = start + Float(i) * step }
        }.to(device)
    }

    /// `0, 1, …, n - 1`.
    public static func arange(_ n: Int, device: Device = .cpu) -> Tensor { arange(0, Float(n), device: device) }

    /// The single element of a one-element tensor, as a Swift `Float` (`tensor.item()`).
    public func item() -> Float {
        check(count == 1, "item()", "only a one-element tensor has an item, this one has shape \(shape)")
        var value: Float = 0
        backend.download(storage, offset: offset, count: 1, into: &value)
        return value
    }

    /// All elements in row-major order, copied to a Swift array (reads back from the GPU if needed).
    public func toArray() -> [Float] {
        let source = contiguous()
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            if count > 0 {
                source.backend.download(source.storage, offset: source.offset, count: count, into: buffer.baseAddress!)
            }
            initialized = count
        }
    }

    /// This tensor on `device`: itself when already there, else a copy (PyTorch's `.to(device)`).
    ///
    /// The copy is a leaf that keeps `requiresGrad`; use `Module.to(_:)` to move parameters in place.
    public func to(_ device: Device) -> Tensor {
        if device == self.device { return self }
        let host = contiguous().toArray()
        return Tensor(host, shape: shape, device: device, requiresGrad: requiresGrad)
    }

    /// This tensor in host memory (`.cpu()`).
    public func cpu() -> Tensor { to(.cpu) }

    /// Moves this tensor's numbers to `device` in place, keeping its identity; used for parameters.
    public func moveStorage(to device: Device) {
        guard device != self.device else { return }
        check(
            offset == 0 && isContiguous, "moveStorage(to:)", "expects a contiguous tensor, got a view of shape \(shape)"
        )
        storage = to(device).storage
        if let grad { self.grad = grad.to(device) }
    }
}
