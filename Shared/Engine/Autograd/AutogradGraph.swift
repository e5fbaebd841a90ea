/// The computation graph autograd recorded on the way to a tensor: what `backward()` will walk,
/// made visible (micrograd's `draw_dot`, tinygrad's `GRAPH=1`).
///
/// Each recorded op is a node with its output's shape; the tensors the ops read that no op made are
/// leaves: parameters (they require a gradient: `backward()` fills their `.grad`) or inputs (data,
/// targets, constants: no gradient flows into them). The nodes come in an order where every node
/// follows its inputs, ending with the tensor the graph was taken of.
public struct AutogradGraph: Equatable, Sendable {
    /// What a node is.
    public enum Kind: Equatable, Sendable {
        /// A recorded op, by its name (`conv2d`, `relu`, `logsumexp`).
        case op(String)
        /// A leaf that requires a gradient.
        case parameter
        /// A leaf that does not: data, targets, constants.
        case input
    }

    /// One tensor of the graph.
    public struct Node: Equatable, Sendable {
        /// Its position in `nodes`.
        public var id: Int
        /// An op, a parameter or an input.
        public var kind: Kind
        /// The tensor's shape (the op's output's, for an op).
        public var shape: [Int]
        /// The nodes it was computed from, in the op's argument order (empty for a leaf).
        public var inputs: [Int]
        /// A name the caller gave the tensor (`names:` of `graph`), if any.
        public var name: String?

        /// `conv2d`, `parameter` or `input`.
        public var label: String {
            switch kind {
            case .op(let op): op
            case .parameter: "parameter"
            case .input: "input"
            }
        }
    }

    /// Every node, inputs before the nodes that use them; the last is the root.
    public var nodes: [Node]

    /// The node the graph was taken of.
    public var root: Node { nodes[nodes.count - 1] }

    /// The ids of the nodes that read each node (its consumers), by id.
    public var users: [[Int]] {
        var users = Array(repeating: [Int](), count: nodes.count)
        for node in nodes {
            for input in Set(node.inputs) { users[input].append(node.id) }
        }
        return users
    }
}

extension Tensor {
    /// The graph autograd recorded on the way to this tensor (see `AutogradGraph`); take it of a loss
    /// before `backward()` to see what the backward pass will go through. A tensor computed without
    /// gradients (inside `noGrad`, or from inputs none of which require one) is a graph of one leaf.
    ///
    /// - Parameter names: names for some tensors, matched by identity (a model's parameters, `"xb"`),
    ///   shown beside their shapes.
    public func graph(names: [(String, Tensor)] = []) -> AutogradGraph {
        var ids: [ObjectIdentifier: Int] = [:]
        var nodes: [AutogradGraph.Node] = []
        let named = Dictionary(names.map { (ObjectIdentifier($0.1), $0.0) }, uniquingKeysWith: { first, _ in first })
        // Depth-first with an explicit stack, since a deep network's graph would overflow recursion:
        // a tensor is numbered once all its inputs are.
        var stack: [(tensor: Tensor, expanded: Bool)] = [(self, false)]
        while let (tensor, expanded) = stack.popLast() {
            let key = ObjectIdentifier(tensor)
            if ids[key] != nil { continue }
            let inputs = tensor.gradNode?.inputs ?? []
            if !expanded && !inputs.isEmpty {
                stack.append((tensor, true))
                for input in inputs.reversed() where ids[ObjectIdentifier(input)] == nil {
                    stack.append((input, false))
                }
                continue
            }
            let kind: AutogradGraph.Kind =
                tensor.gradNode.map { .op($0.op) } ?? (tensor.requiresGrad ? .parameter : .input)
            let id = nodes.count
            ids[key] = id
            nodes.append(
                AutogradGraph.Node(
                    id: id, kind: kind, shape: tensor.shape, inputs: inputs.map { ids[ObjectIdentifier($0)]! },
                    name: named[key]))
        }
        return AutogradGraph(nodes: nodes)
    }
}
