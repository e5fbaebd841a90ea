import Foundation
import Testing

@testable import Shared
@testable import Workbook

/// The autograd graph drawn: as a tree of text for the terminal, and as an SVG picture.
@Suite struct GraphDrawingTests {
    private func sampleGraph() -> AutogradGraph {
        let w = Tensor([1, 2, 3, 4, 5, 6], shape: [3, 2], requiresGrad: true)
        let x = Tensor([1, 1, 1, 2, 2, 2], shape: [2, 3])
        let h = x.matmul(w).relu()
        // `h` is read twice, by the exp and by the subtraction, as in log softmax.
        return (h - h.exp().sum(1, keepDim: true).log()).sum().graph(names: [("x<0>", x)])
    }

    @Test func theTreeKeepsTheLongestPathInOneColumn() throws {
        let tree = sampleGraph().tree()
        let lines = tree.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("#") == true && lines.first?.contains("sum []") == true, "\(tree)")
        // Every op appears once as a line of its own; the subtraction refers to `h` by number.
        let graph = sampleGraph()
        let ops = graph.nodes.filter { !$0.inputs.isEmpty }
        for op in ops { #expect(lines.filter { $0.contains("#\(op.id) ") }.count == 1, "#\(op.id) in\n\(tree)") }
        let relu = try #require(graph.nodes.first { $0.label == "relu" })
        let sub = try #require(graph.nodes.first { $0.label == "sub" })
        #expect(lines.contains { $0.hasPrefix("#\(sub.id) sub [2, 2] ← #\(relu.id)") }, "\(tree)")
        #expect(lines.contains { $0 == "#\(relu.id) relu [2, 2]" }, "drawn under the exp's chain, unindented\n\(tree)")
        #expect(tree.contains("← input x<0> [2, 3], parameter [3, 2]"), "\(tree)")
    }

    @Test func theSVGHasABoxPerTensorAndEscapesNames() {
        let graph = sampleGraph()
        let svg = graph.svg()
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.hasSuffix("</svg>\n"))
        #expect(svg.components(separatedBy: "<rect x=").count - 1 == graph.nodes.count)
        let edges = graph.nodes.map { Set($0.inputs).count }.reduce(0, +)
        #expect(svg.components(separatedBy: "marker-end=").count - 1 == edges)
        #expect(svg.contains("input x&lt;0&gt;") && !svg.contains("x<0>"))
    }

    @Test func showGraphWritesThePictureAndRecordsIt() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("graph-show-\(getpid())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let terminal = TextBuffer()
        let ctx = StepContext(
            settings: .init(), number: 1, isQuiet: false, style: Style(enabled: false), width: 80, out: terminal)
        let graph = sampleGraph()
        let url = try #require(try ctx.showGraph(graph, name: "graph.svg", folder: folder))
        #expect(try String(contentsOf: url, encoding: .utf8) == graph.svg())
        #expect(terminal.text.hasPrefix(graph.tree() + "\n"))
        #expect(terminal.text.contains("graph written to \(url.path)"))
    }
}
