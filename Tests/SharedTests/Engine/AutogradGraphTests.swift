import Testing

@testable import Shared

/// `Tensor.graph()`: the ops autograd recorded, in an order where inputs come first, with shapes and
/// leaves told apart.
@Suite struct AutogradGraphTests {
    @Test func collectsOpsAndLeavesInputsFirst() {
        let w = Tensor([1, 2, 3, 4, 5, 6], shape: [3, 2], requiresGrad: true)
        let b = Tensor([0, 0], shape: [2], requiresGrad: true)
        let x = Tensor([1, 1, 1, 2, 2, 2], shape: [2, 3])
        let h = x.matmul(w) + b
        let loss = (h * h).sum()
        let graph = loss.graph(names: [("w", w), ("x", x)])

        #expect(graph.root.shape == [] && graph.root.label == "sum")
        #expect(graph.nodes.enumerated().allSatisfy { $0.offset == $0.element.id })
        for node in graph.nodes { #expect(node.inputs.allSatisfy { $0 < node.id }, "inputs before users") }
        let leaves = graph.nodes.filter { $0.inputs.isEmpty }
        #expect(leaves.map(\.kind) == [.input, .parameter, .parameter])
        #expect(leaves.map(\.name) == ["x", "w", nil])
        #expect(leaves.map(\.shape) == [[2, 3], [3, 2], [2]])
        // `h * h` reads one tensor twice: one node, listed twice among the product's inputs.
        let product = graph.nodes[graph.root.inputs[0]]
        #expect(product.inputs.count == 2 && product.inputs[0] == product.inputs[1])
        #expect(graph.nodes.count == 7, "x, w, matmul, b, add, mul, sum: \(graph.nodes.map(\.label))")
        #expect(graph.users[product.inputs[0]] == [product.id])
    }

    @Test func aTensorWithoutHistoryIsOneLeaf() {
        let x = Tensor([1, 2, 3], shape: [3], requiresGrad: true)
        let y = noGrad { (x * 2).sum() }
        #expect(y.graph().nodes.map(\.kind) == [.input])
        #expect(x.graph().nodes.map(\.kind) == [.parameter])
    }

    /// A graph thousands of ops deep is walked without recursion.
    @Test func aDeepGraphDoesNotOverflowTheStack() {
        var y = Tensor([1], shape: [1], requiresGrad: true)
        for _ in 0..<20_000 { y = y * 1 }
        #expect(y.graph().nodes.count == 20_001)
    }
}
