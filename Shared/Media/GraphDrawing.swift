import Engine
import Foundation

extension AutogradGraph {
    /// The graph as lines of text, read from the root down towards the inputs:
    ///
    ///     #21 mean []
    ///     #20 neg [4] ← input [4]
    ///       ↳ #18 logsumexp [4, 1] ← #17
    ///     #17 linear [4, 10] ← parameter [10, 64], parameter [10]
    ///
    /// Each op is a line with its number, name and output's shape; the leaves it reads follow its
    /// arrow, and an op it reads that is drawn elsewhere is named by number. A chain of ops stays at one
    /// indentation, so a deep network fits the terminal's width; an op with several computed inputs
    /// draws the deepest below it and the others as indented branches (`↳`) first.
    public func tree() -> String {
        let depth = depths(), layer = layers()
        // Which op draws which: an op read by several is drawn under the one farthest from the root,
        // so the longest path through the graph is one straight column and the others refer to it.
        var owner = Array(repeating: -1, count: nodes.count)
        for node in nodes {
            for input in node.inputs where owner[input] < 0 || layer[node.id] > layer[owner[input]] {
                owner[input] = node.id
            }
        }
        var lines: [String] = []
        func draw(_ id: Int, indent: String, branch: Bool) {
            let node = nodes[id]
            var line = indent + (branch ? "↳ " : "") + "#\(id) \(describe(node))"
            var reads: [String] = []
            for input in node.inputs {
                let child = nodes[input]
                if case .op = child.kind {
                    if owner[input] != id { reads.append("#\(input)") }
                } else {
                    reads.append(describe(child))
                }
            }
            if !reads.isEmpty { line += " ← " + reads.joined(separator: ", ") }
            lines.append(line)
            let owned = orderedOpInputs(of: id, depth: depth).filter { owner[$0] == id }
            for side in owned.dropFirst() { draw(side, indent: indent + "  ", branch: true) }
            if let main = owned.first { draw(main, indent: indent + (branch ? "  " : ""), branch: false) }
        }
        draw(root.id, indent: "", branch: false)
        return lines.joined(separator: "\n")
    }

    /// The graph as an SVG picture: inputs and parameters at the top, the root at the bottom, an
    /// arrow from each tensor to each op that reads it. Ops are grey boxes with their name and
    /// output's shape; parameters green, inputs blue.
    public func svg() -> String {
        let layer = layers()
        let layerCount = (layer.max() ?? 0) + 1
        let charWidth = 7.3, boxHeight = 38.0, rowHeight = 70.0, gap = 18.0, margin = 16.0
        func width(_ node: Node) -> Double {
            Double(max(node.label.count + (node.name.map { $0.count + 1 } ?? 0), shapeText(node.shape).count))
                * charWidth + 18
        }
        // Place layers from the root (layer 0) upwards, each node under the average position of the ops
        // that read it, so the chain through the network runs straight and leaves sit by their users.
        var x = Array(repeating: 0.0, count: nodes.count)
        var rows: [[Int]] = Array(repeating: [], count: layerCount)
        for node in nodes { rows[layer[node.id]].append(node.id) }
        let users = self.users
        for l in 0..<layerCount {
            let wanted = rows[l].map { id -> (Int, Double) in
                let readers = users[id]
                return (id, readers.isEmpty ? 0 : readers.map { x[$0] }.reduce(0, +) / Double(readers.count))
            }
            rows[l] = wanted.sorted { $0.1 < $1.1 }.map(\.0)
            // Side by side around where they want to be, never overlapping.
            let total = rows[l].map { width(nodes[$0]) }.reduce(0, +) + gap * Double(max(0, rows[l].count - 1))
            let centre = wanted.isEmpty ? 0 : wanted.map(\.1).reduce(0, +) / Double(wanted.count)
            var left = centre - total / 2
            for id in rows[l] {
                let w = width(nodes[id])
                x[id] = left + w / 2
                left += w + gap
            }
        }
        let minX = nodes.map { x[$0.id] - width($0) / 2 }.min() ?? 0
        let maxX = nodes.map { x[$0.id] + width($0) / 2 }.max() ?? 0
        let canvasWidth = maxX - minX + 2 * margin
        let canvasHeight = Double(layerCount - 1) * rowHeight + boxHeight + 2 * margin
        func left(_ id: Int) -> Double { x[id] - minX + margin }
        func top(_ id: Int) -> Double { Double(layerCount - 1 - layer[id]) * rowHeight + margin }

        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(canvasWidth.rounded(.up)))" \
            height="\(Int(canvasHeight.rounded(.up)))" viewBox="0 0 \(format(canvasWidth)) \(format(canvasHeight))" \
            font-family="ui-monospace, Menlo, Consolas, monospace" font-size="12">
            <defs><marker id="arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" \
            orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#8a9199"/></marker></defs>
            <rect width="100%" height="100%" fill="#fdfdfc"/>

            """
        for node in nodes {
            // One arrow per distinct input, in the order the op took them: a Set's order changes from
            // one instance to the next, and so would the picture.
            var drawn = Set<Int>()
            for input in node.inputs where drawn.insert(input).inserted {
                let x1 = left(input), y1 = top(input) + boxHeight
                let x2 = left(node.id), y2 = top(node.id)
                let bend = (y2 - y1) / 2
                svg += "<path d=\"M\(format(x1)),\(format(y1)) C\(format(x1)),\(format(y1 + bend)) "
                svg += "\(format(x2)),\(format(y2 - bend)) \(format(x2)),\(format(y2 - 1))\" fill=\"none\" "
                svg += "stroke=\"#8a9199\" stroke-width=\"1.2\" marker-end=\"url(#arrow)\"/>\n"
            }
        }
        for node in nodes {
            let w = width(node)
            let (fill, stroke) =
                switch node.kind {
                case .op: ("#eef0f3", "#6a6f75")
                case .parameter: ("#e3f4dc", "#50873a")
                case .input: ("#dde9fb", "#2456b3")
                }
            let rx = node.inputs.isEmpty ? 14 : 4
            svg += "<g><title>#\(node.id)</title><rect x=\"\(format(left(node.id) - w / 2))\" "
            svg += "y=\"\(format(top(node.id)))\" width=\"\(format(w))\" height=\"\(format(boxHeight))\" rx=\"\(rx)\" "
            svg += "fill=\"\(fill)\" stroke=\"\(stroke)\"/>\n"
            let title = node.label + (node.name.map { " " + $0 } ?? "")
            svg += "<text x=\"\(format(left(node.id)))\" y=\"\(format(top(node.id) + 15))\" text-anchor=\"middle\" "
            svg += "font-weight=\"bold\" fill=\"#1d1f21\">\(xmlEscaped(title))</text>\n"
            svg += "<text x=\"\(format(left(node.id)))\" y=\"\(format(top(node.id) + 30))\" text-anchor=\"middle\" "
            svg += "fill=\"#4a4f55\">\(xmlEscaped(shapeText(node.shape)))</text></g>\n"
        }
        return svg + "</svg>\n"
    }

    /// `relu [4, 8, 32, 32]`, `parameter w [8]`.
    private func describe(_ node: Node) -> String {
        node.label + (node.name.map { " " + $0 } ?? "") + " " + shapeText(node.shape)
    }

    private func shapeText(_ shape: [Int]) -> String { "[" + shape.map(String.init).joined(separator: ", ") + "]" }

    /// Longest path from each node down to a leaf (0 for leaves).
    private func depths() -> [Int] {
        var depth = Array(repeating: 0, count: nodes.count)
        for node in nodes where !node.inputs.isEmpty { depth[node.id] = 1 + node.inputs.map { depth[$0] }.max()! }
        return depth
    }

    /// Longest path from the root to each node (0 for the root): its row in the picture.
    private func layers() -> [Int] {
        var layer = Array(repeating: 0, count: nodes.count)
        for node in nodes.reversed() {
            for input in node.inputs { layer[input] = max(layer[input], layer[node.id] + 1) }
        }
        return layer
    }

    /// The ops among a node's inputs, once each, deepest first.
    private func orderedOpInputs(of id: Int, depth: [Int]) -> [Int] {
        var seen = Set<Int>()
        let ops = nodes[id].inputs.filter { input in
            guard case .op = nodes[input].kind else { return false }
            return seen.insert(input).inserted
        }
        // Deepest first; equal depths keep the op's argument order.
        return ops.enumerated().sorted { a, b in
            depth[a.element] != depth[b.element] ? depth[a.element] > depth[b.element] : a.offset < b.offset
        }.map(\.element)
    }

    private func format(_ value: Double) -> String { String(format: "%.1f", value) }

    private func xmlEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
