import Foundation

extension LinePlot {
    /// The plot as text for the terminal, drawn with braille characters (each cell holds 2×4 dots):
    ///
    /// ```
    ///             Learning rate finder
    ///  loss
    ///   2.35 ┤⠉⠉⠉⠒⠒⠢⢄⡀                      ⡸
    ///        │        ⠈⠑⠢⣀               ⢠⠃
    ///   1.38 ┤            ⠈⠉⠒⠒⠤⠤⣀⣀⣀⣀⣀⠤⠔⠁
    ///        └──────────────────────────────
    ///         1e-6                      1e+1
    ///                 learning rate
    /// ```
    ///
    /// The axis labels are the data's minimum and maximum (or the fixed ranges). Each of the
    /// `height` plot rows is `labelWidth + 2 + width` characters wide.
    /// - Parameters:
    ///   - width: plot area width in characters (two dots each).
    ///   - height: plot area height in lines (four dots each).
    ///   - colors: colour each series with ANSI codes (only for colour terminals).
    public func terminal(width: Int = 60, height: Int = 16, colors: Bool = false) -> String {
        let width = max(4, width), height = max(2, height)
        let (xRange, yRange) = viewRanges(padded: false)
        let dotsX = width * 2, dotsY = height * 4
        var cells = [UInt8](repeating: 0, count: width * height)
        var owner = [Int](repeating: -1, count: width * height)

        func dot(_ x: Double, _ y: Double) -> (Int, Int) {
            let fx =
                (xScale.transform(x) - xScale.transform(xRange.lowerBound))
                / (xScale.transform(xRange.upperBound) - xScale.transform(xRange.lowerBound))
            let fy =
                (yScale.transform(y) - yScale.transform(yRange.lowerBound))
                / (yScale.transform(yRange.upperBound) - yScale.transform(yRange.lowerBound))
            return (Int((fx * Double(dotsX - 1)).rounded()), Int(((1 - fy) * Double(dotsY - 1)).rounded()))
        }
        func set(_ x: Int, _ y: Int, series: Int) {
            guard x >= 0, x < dotsX, y >= 0, y < dotsY else { return }
            let bits: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]
            let cell = (y / 4) * width + x / 2
            cells[cell] |= bits[x % 2][y % 4]
            owner[cell] = series
        }

        for (index, line) in series.enumerated() {
            var previous: (Int, Int)?
            for i in line.x.indices {
                guard xScale.accepts(line.x[i]), yScale.accepts(line.y[i]) else {
                    previous = nil
                    continue
                }
                let point = dot(line.x[i], line.y[i])
                let start = previous ?? point
                let steps = max(abs(point.0 - start.0), abs(point.1 - start.1), 1)
                for k in 0...steps {
                    let t = Double(k) / Double(steps)
                    set(
                        Int((Double(start.0) + t * Double(point.0 - start.0)).rounded()),
                        Int((Double(start.1) + t * Double(point.1 - start.1)).rounded()), series: index)
                }
                previous = point
            }
        }

        let top = axisText(yRange.upperBound, yScale, span: yRange, counts: yCounts),
            bottom = axisText(yRange.lowerBound, yScale, span: yRange, counts: yCounts)
        let labelWidth = max(top.count, bottom.count)
        func padLeft(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }
        func centred(_ s: String, over n: Int, indent: Int) -> String {
            String(repeating: " ", count: indent + max(0, (n - s.count) / 2)) + s
        }

        var lines: [String] = []
        if !title.isEmpty { lines.append(centred(title, over: width, indent: labelWidth + 2)) }
        if !yLabel.isEmpty { lines.append(padLeft(yLabel, labelWidth)) }
        for row in 0..<height {
            let label = row == 0 ? top : row == height - 1 ? bottom : ""
            var text = padLeft(label, labelWidth) + (label.isEmpty ? " │" : " ┤")
            for column in 0..<width {
                let i = row * width + column
                let glyph = cells[i] == 0 ? " " : String(UnicodeScalar(0x2800 + UInt32(cells[i]))!)
                text += colors && owner[i] >= 0 ? "\u{1B}[\(color(of: owner[i]).ansi)m\(glyph)\u{1B}[0m" : glyph
            }
            lines.append(text)
        }
        lines.append(String(repeating: " ", count: labelWidth) + " └" + String(repeating: "─", count: width))
        let left = axisText(xRange.lowerBound, xScale, span: xRange, counts: xCounts),
            right = axisText(xRange.upperBound, xScale, span: xRange, counts: xCounts)
        let gap = max(1, width - left.count - right.count)
        lines.append(String(repeating: " ", count: labelWidth + 2) + left + String(repeating: " ", count: gap) + right)
        if !xLabel.isEmpty { lines.append(centred(xLabel, over: width, indent: labelWidth + 2)) }
        let legend = series.indices.filter { !series[$0].label.isEmpty }.map { index in
            let mark = colors ? "\u{1B}[\(color(of: index).ansi)m━━\u{1B}[0m" : "━━"
            return mark + " " + series[index].label
        }
        if !legend.isEmpty {
            lines.append(String(repeating: " ", count: labelWidth + 2) + legend.joined(separator: "   "))
        }
        return lines.joined(separator: "\n")
    }

    /// An axis end label: a power-of-ten style on log axes, a whole number on a counting axis when the
    /// end is one, else about four significant digits.
    private func axisText(_ value: Double, _ scale: AxisScale, span: ClosedRange<Double>, counts: Bool) -> String {
        if counts, scale == .linear, value == value.rounded(), Swift.abs(value) < 1e15 {
            return String(Int(value))
        }
        if scale == .log {
            // 1e-6 for powers of ten, 9.3e+0 otherwise.
            let power = AxisTicks.formatPower(value)
            return abs(Double(power)! / value - 1) < 0.05
                ? power : AxisTicks.compactExponent(String(format: "%.1e", value))
        }
        let magnitude = max(abs(span.lowerBound), abs(span.upperBound))
        if magnitude >= 1e5 || (magnitude < 1e-3 && magnitude > 0) { return String(format: "%.3g", value) }
        let step = span.upperBound - span.lowerBound
        let decimals = step > 0 ? min(6, max(0, 2 - Int(log10(step).rounded(.down)))) : 2
        var text = String(format: "%.\(decimals)f", value)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }
}
