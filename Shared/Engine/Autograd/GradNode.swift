#if canImport(Glibc)
    import Glibc
#endif

/// One recorded op in the graph: its inputs and how to turn the output's gradient into theirs.
///
/// The closure receives the output tensor as an argument instead of capturing it: a node is owned by
/// its output, so capturing the output would be a retain cycle and every training step would leak.
final class GradNode {
    /// Name of the op, for error messages and debugging.
    let op: String
    /// The tensors the op read, in order.
    let inputs: [Tensor]
    /// Given the gradient of the output and the output itself, the gradients of `inputs`
    /// (nil where an input needs none).
    let backward: (_ gradOutput: Tensor, _ output: Tensor) -> [Tensor?]
    /// The storages whose numbers `backward` reads, each with its version when the op ran.
    let saved: [SavedStorage]
    /// The output's version when the op ran, for ops whose backward reads their own output (`exp`).
    let outputVersion: Int?

    init(
        op: String, inputs: [Tensor], saved: [SavedStorage] = [], outputVersion: Int? = nil,
        backward: @escaping (Tensor, Tensor) -> [Tensor?]
    ) {
        self.op = op
        self.inputs = inputs
        self.saved = saved
        self.outputVersion = outputVersion
        self.backward = backward
    }

    /// Stops, naming this op and the tensor, when a tensor that `backward` reads was changed in place
    /// since the op ran: the gradient would be computed from numbers the forward pass never saw.
    /// PyTorch's version counter, checked where PyTorch checks it.
    func checkSavedVersions(output: Tensor) {
        for entry in saved where entry.storage.version != entry.version {
            let which =
                inputs.firstIndex { $0.storage === entry.storage }
                .map { "its input \($0 + 1) (\(Self.describe(inputs[$0])))" } ?? "a tensor it read"
            Self.fail(op, which, now: entry.storage.version, saved: entry.version)
        }
        if let outputVersion, output.storage.version != outputVersion {
            Self.fail(op, "its output (\(Self.describe(output)))", now: output.storage.version, saved: outputVersion)
        }
    }

    private static func describe(_ tensor: Tensor) -> String {
        let kind = tensor.gradNode.map { "the result of \($0.op)" } ?? "a leaf tensor"
        return "\(kind) of shape \(tensor.shape)"
    }

    private static func fail(_ op: String, _ which: String, now: Int, saved: Int) -> Never {
        engineFailure(
            "backward of \(op)",
            "\(which) was modified in place after \(op) saved it for the backward pass (it is at version "
                + "\(now), \(op) saved version \(saved)); the gradient would be computed from the wrong "
                + "numbers. Modify a copy (`x.copy()`), or modify it after backward()")
    }
}

/// A storage an op's backward will read, and its version (the count of in-place writes to it) at the
/// moment the op ran.
struct SavedStorage {
    let storage: Storage
    let version: Int

    init(_ tensor: Tensor) {
        storage = tensor.storage
        version = tensor.storage.version
    }
}

/// Whether ops record the graph. Off inside `noGrad { }` and during `backward()` itself.
///
/// The switch is per thread, as PyTorch's grad mode is: one thread's `noGrad` (a validation loop, a
/// backward pass) must not silently stop another thread from recording its graph.
public enum GradMode {
    /// A thread's value is nil (the default: enabled) or a non-nil marker (disabled).
    private static let disabledKey: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key, nil)
        precondition(status == 0, "pthread_key_create failed (\(status))")
        return key
    }()

    /// Whether the calling thread records the graph.
    static var isEnabled: Bool {
        get { pthread_getspecific(disabledKey) == nil }
        set { pthread_setspecific(disabledKey, newValue ? nil : UnsafeRawPointer(bitPattern: 1)) }
    }
}

/// Runs `body` without recording gradients (PyTorch's `with torch.no_grad():`), as optimisers and
/// validation loops do.
@discardableResult
public func noGrad<T>(_ body: () throws -> T) rethrows -> T {
    let previous = GradMode.isEnabled
    GradMode.isEnabled = false
    defer { GradMode.isEnabled = previous }
    return try body()
}

extension Tensor {
    /// Makes the result of an op: a tensor over `storage` that remembers `inputs` and `backward` when
    /// any input requires a gradient and grad mode is on. Every differentiable op ends here, with its
    /// backward written right beside its forward.
    ///
    /// `saving` lists the tensors whose numbers `backward` reads (all inputs unless said otherwise;
    /// `[]` for ops like `add` whose backward needs only shapes), and `savingOutput` says whether it
    /// reads the output: their versions are recorded, and `backward()` stops if any has been
    /// modified in place since.
    static func result(
        _ op: String, storage: Storage, shape: [Int], inputs: [Tensor], saving: [Tensor]? = nil,
        savingOutput: Bool = false, backward: @escaping (Tensor, Tensor) -> [Tensor?]
    ) -> Tensor {
        let out = Tensor(storage: storage, shape: shape)
        if GradMode.isEnabled && inputs.contains(where: { $0.requiresGrad }) {
            out.requiresGrad = true
            out.gradNode = GradNode(
                op: op, inputs: inputs, saved: (saving ?? inputs).map(SavedStorage.init),
                outputVersion: savingOutput ? storage.version : nil, backward: backward)
        }
        return out
    }

    /// A view of this tensor's storage that records `backward` like any other op.
    func view(
        _ op: String, shape: [Int], strides: [Int], offset: Int,
        backward: @escaping (Tensor, Tensor) -> [Tensor?]
    ) -> Tensor {
        let out = Tensor(storage: storage, shape: shape, strides: strides, offset: offset)
        if GradMode.isEnabled && requiresGrad {
            out.requiresGrad = true
            out.gradNode = GradNode(op: op, inputs: [self], backward: backward)
        }
        return out
    }

    /// A tensor with the same numbers that is cut off from the graph (`detach()`).
    public func detach() -> Tensor {
        Tensor(storage: storage, shape: shape, strides: strides, offset: offset)
    }

    /// Marks this tensor as needing a gradient and returns it (`requires_grad_()`).
    @discardableResult
    public func requiringGrad(_ flag: Bool = true) -> Tensor {
        check(isLeaf, "requiringGrad", "only leaf tensors can change requiresGrad")
        requiresGrad = flag
        return self
    }

    /// Back-propagates from this scalar: adds d(self)/d(leaf) into `grad` of every leaf that requires
    /// a gradient (`loss.backward()`). Gradients accumulate across calls until zeroed, as in PyTorch.
    public func backward() {
        check(count == 1, "backward()", "can only start from a one-element tensor, got shape \(shape)")
        check(requiresGrad, "backward()", "this tensor does not require a gradient (no input did)")
        backward(gradient: Tensor.ones(shape, device: device))
    }

    /// Back-propagates `gradient` (of this tensor's shape) through the graph that made this tensor.
    public func backward(gradient: Tensor) {
        check(gradient.shape == shape, "backward(gradient:)", "gradient shape \(gradient.shape) differs from \(shape)")
        noGrad {
            let order = topologicalOrder()
            var grads: [ObjectIdentifier: Tensor] = [ObjectIdentifier(self): gradient]
            for tensor in order.reversed() {
                guard let g = grads.removeValue(forKey: ObjectIdentifier(tensor)) else { continue }
                guard let node = tensor.gradNode else {
                    tensor.accumulateGrad(g)
                    continue
                }
                node.checkSavedVersions(output: tensor)
                let inputGrads = node.backward(g, tensor)
                for (input, inputGrad) in zip(node.inputs, inputGrads) {
                    guard input.requiresGrad, let inputGrad else { continue }
                    check(
                        inputGrad.shape == input.shape, "backward of \(node.op)",
                        "gradient shape \(inputGrad.shape) differs from input shape \(input.shape)")
                    let key = ObjectIdentifier(input)
                    if let existing = grads[key] {
                        grads[key] = existing + inputGrad
                    } else {
                        grads[key] = inputGrad
                    }
                }
            }
        }
    }

    /// Adds `g` into this leaf's `grad`, allocating it on first use.
    private func accumulateGrad(_ g: Tensor) {
        guard requiresGrad else { return }
        if let grad {
            backend.axpy(1, g.contiguous().storage, grad.storage, count: count)
        } else {
            // A private copy: the incoming gradient may share storage with other tensors of the graph.
            grad = g.contiguous().copy()
        }
    }

    /// Tensors reachable from this one through recorded ops, each after all of its inputs.
    private func topologicalOrder() -> [Tensor] {
        var order: [Tensor] = []
        var visited = Set<ObjectIdentifier>()
        // An explicit stack: deep graphs (long RNN-like chains) must not overflow the call stack.
        var stack: [(Tensor, Bool)] = [(self, false)]
        while let (tensor, expanded) = stack.popLast() {
            if expanded {
                order.append(tensor)
                continue
            }
            guard visited.insert(ObjectIdentifier(tensor)).inserted else { continue }
            stack.append((tensor, true))
            for input in tensor.gradNode?.inputs ?? [] where input.requiresGrad {
                if !visited.contains(ObjectIdentifier(input)) { stack.append((input, false)) }
            }
        }
        return order
    }
}
