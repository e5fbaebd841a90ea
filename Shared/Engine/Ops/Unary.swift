/// Element-wise functions of one tensor, each with its derivative beside it.
extension Tensor {
    /// Runs a unary kernel on this tensor.
    func unaryKernel(_ op: UnaryOp, param: Float = 0) -> Storage {
        let source = contiguous()
        let out = backend.allocate(count)
        backend.unary(op, source.storage, offset: 0, count: count, param: param, into: out)
        return out
    }

    /// eˣ. Its derivative is itself, so the backward reuses the output.
    public func exp() -> Tensor {
        Tensor.result(
            "exp", storage: unaryKernel(.exp), shape: shape, inputs: [self], saving: [], savingOutput: true
        ) { g, out in [g * out] }
    }

    /// The natural logarithm.
    public func log() -> Tensor {
        Tensor.result("log", storage: unaryKernel(.log), shape: shape, inputs: [self]) { g, _ in [g / self] }
    }

    /// max(x, 0), the chapter's activation.
    public func relu() -> Tensor {
        Tensor.result("relu", storage: unaryKernel(.relu), shape: shape, inputs: [self]) { g, _ in
            let (out, shape) = Tensor.binaryKernel(.reluGrad, "relu backward", g, self)
            return [Tensor(storage: out, shape: shape)]
        }
    }

    /// √x.
    public func sqrt() -> Tensor {
        Tensor.result(
            "sqrt", storage: unaryKernel(.sqrt), shape: shape, inputs: [self], saving: [], savingOutput: true
        ) { g, out in [g / (out * 2)] }
    }

    /// xᵖ for a scalar exponent.
    public func pow(_ p: Float) -> Tensor {
        Tensor.result("pow", storage: unaryKernel(.pow, param: p), shape: shape, inputs: [self]) { g, _ in
            [g * self.pow(p - 1) * p]
        }
    }

    /// |x|; its gradient is taken as 0 at 0, as PyTorch does.
    public func abs() -> Tensor {
        Tensor.result("abs", storage: unaryKernel(.abs), shape: shape, inputs: [self]) { g, _ in
            let sign = (self > 0) - (self < 0)
            return [g * sign]
        }
    }
}

/// The free-function spellings the chapter's maths reads best with.
public func exp(_ x: Tensor) -> Tensor { x.exp() }
public func log(_ x: Tensor) -> Tensor { x.log() }
public func relu(_ x: Tensor) -> Tensor { x.relu() }
