/// Element-wise arithmetic with broadcasting: `+ - * /` between tensors and with scalars, and
/// comparisons that give 0/1 masks. Backward beside forward.
extension Tensor {
    /// Runs a binary kernel over the broadcast of `a` and `b`.
    static func binaryKernel(_ op: BinaryOp, _ name: String, _ a: Tensor, _ b: Tensor) -> (Storage, [Int]) {
        check(a.device == b.device, name, "tensors are on different devices (\(a.device) and \(b.device))")
        let shape = broadcastShape(a.shape, b.shape, op: name)
        let plan = BroadcastPlan(
            shape: shape, aStrides: a.broadcastStrides(to: shape),
            bStrides: b.broadcastStrides(to: shape), aOffset: a.offset, bOffset: b.offset)
        let backend = a.backend
        let out = backend.allocate(plan.count)
        backend.binary(op, a.storage, b.storage, plan: plan, into: out)
        return (out, shape)
    }

    /// `a + b`, broadcasting.
    public static func + (a: Tensor, b: Tensor) -> Tensor {
        let (out, shape) = binaryKernel(.add, "add", a, b)
        return result("add", storage: out, shape: shape, inputs: [a, b], saving: []) { g, _ in
            [g.sumTo(a.shape), g.sumTo(b.shape)]
        }
    }

    /// `a - b`, broadcasting.
    public static func - (a: Tensor, b: Tensor) -> Tensor {
        let (out, shape) = binaryKernel(.sub, "sub", a, b)
        return result("sub", storage: out, shape: shape, inputs: [a, b], saving: []) { g, _ in
            [g.sumTo(a.shape), (-g).sumTo(b.shape)]
        }
    }

    /// `a * b` element by element, broadcasting.
    public static func * (a: Tensor, b: Tensor) -> Tensor {
        let (out, shape) = binaryKernel(.mul, "mul", a, b)
        return result("mul", storage: out, shape: shape, inputs: [a, b]) { g, _ in
            [
                a.requiresGrad ? (g * b).sumTo(a.shape) : nil,
                b.requiresGrad ? (g * a).sumTo(b.shape) : nil
            ]
        }
    }

    /// `a / b` element by element, broadcasting.
    public static func / (a: Tensor, b: Tensor) -> Tensor {
        let (out, shape) = binaryKernel(.div, "div", a, b)
        return result("div", storage: out, shape: shape, inputs: [a, b]) { g, _ in
            [
                a.requiresGrad ? (g / b).sumTo(a.shape) : nil,
                b.requiresGrad ? (-(g * a) / (b * b)).sumTo(b.shape) : nil
            ]
        }
    }

    /// `x * scale + shift` in one kernel: every tensor–scalar operator below is one of these.
    public func affine(scale: Float, shift: Float) -> Tensor {
        let source = contiguous()
        let out = backend.allocate(count)
        backend.affine(source.storage, offset: 0, count: count, scale: scale, shift: shift, into: out)
        return Tensor.result("affine", storage: out, shape: shape, inputs: [self], saving: []) { g, _ in
            [g.affine(scale: scale, shift: 0)]
        }
    }

    public static func + (a: Tensor, s: Float) -> Tensor { a.affine(scale: 1, shift: s) }
    public static func + (s: Float, a: Tensor) -> Tensor { a.affine(scale: 1, shift: s) }
    public static func - (a: Tensor, s: Float) -> Tensor { a.affine(scale: 1, shift: -s) }
    public static func - (s: Float, a: Tensor) -> Tensor { a.affine(scale: -1, shift: s) }
    public static func * (a: Tensor, s: Float) -> Tensor { a.affine(scale: s, shift: 0) }
    public static func * (s: Float, a: Tensor) -> Tensor { a.affine(scale: s, shift: 0) }
    public static func / (a: Tensor, s: Float) -> Tensor { a.affine(scale: 1 / s, shift: 0) }
    /// `s / a`, element by element.
    public static func / (s: Float, a: Tensor) -> Tensor { Tensor.full([], s, device: a.device) / a }
    /// `-a`.
    public static prefix func - (a: Tensor) -> Tensor { a.affine(scale: -1, shift: 0) }

    /// A 0/1 mask from comparing element by element (no gradient flows through a comparison).
    func compare(_ op: BinaryOp, _ name: String, _ other: Tensor) -> Tensor {
        let (out, shape) = Tensor.binaryKernel(op, name, self, other)
        return Tensor(storage: out, shape: shape)
    }

    /// 1 where `a == b`, else 0 (broadcasting). The accuracy of a batch is `(preds.argmax(1) == yb).mean()`.
    public static func == (a: Tensor, b: Tensor) -> Tensor { a.compare(.eq, "eq", b) }
    public static func != (a: Tensor, b: Tensor) -> Tensor { a.compare(.ne, "ne", b) }
    public static func > (a: Tensor, b: Tensor) -> Tensor { a.compare(.gt, "gt", b) }
    public static func < (a: Tensor, b: Tensor) -> Tensor { a.compare(.lt, "lt", b) }
    public static func >= (a: Tensor, b: Tensor) -> Tensor { a.compare(.ge, "ge", b) }
    public static func <= (a: Tensor, b: Tensor) -> Tensor { a.compare(.le, "le", b) }
    public static func == (a: Tensor, s: Float) -> Tensor { a == Tensor.full([], s, device: a.device) }
    public static func > (a: Tensor, s: Float) -> Tensor { a > Tensor.full([], s, device: a.device) }
    public static func < (a: Tensor, s: Float) -> Tensor { a < Tensor.full([], s, device: a.device) }

    /// Whether every element of `self` is within `atol + rtol * |other|` of `other` (`torch.allclose`).
    public func allClose(_ other: Tensor, rtol: Float = 1e-5, atol: Float = 1e-8) -> Bool {
        guard shape == other.shape else { return false }
        return zip(toArray(), other.toArray()).allSatisfy { x, y in
            Swift.abs(x - y) <= atol + rtol * Swift.abs(y) || (x.isNaN && y.isNaN) || x == y
        }
    }
}
