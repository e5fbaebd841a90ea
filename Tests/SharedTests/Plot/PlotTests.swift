import Foundation
import Testing

@testable import Media
@testable import Shared

/// Whether a pixel is (nearly) the given colour.
private func close(_ p: (UInt8, UInt8, UInt8), _ c: (UInt8, UInt8, UInt8), tolerance: Int = 40) -> Bool {
    abs(Int(p.0) - Int(c.0)) <= tolerance && abs(Int(p.1) - Int(c.1)) <= tolerance
        && abs(Int(p.2) - Int(c.2)) <= tolerance
}

private func nonWhite(_ image: RGBImage, x: Range<Int>, y: Range<Int>) -> Int {
    var n = 0
    for yy in y { for xx in x where image[xx, yy] != (255, 255, 255) { n += 1 } }
    return n
}

@Suite struct PlotTicksTests {
    @Test func linearTicksAreNiceMultiples() {
        let unit = AxisTicks.linear(0, 1, target: 6)
        #expect(zip(unit.major, [0, 0.2, 0.4, 0.6, 0.8, 1.0]).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(unit.major.count == 6)
        #expect(unit.labels == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])

        let wide = AxisTicks.linear(-3.7, 12.2, target: 4)
        #expect(wide.major == [0, 5, 10])
        #expect(wide.labels == ["0", "5", "10"])

        let quarter = AxisTicks.linear(0, 0.1, target: 4)
        #expect(quarter.labels == ["0.000", "0.025", "0.050", "0.075", "0.100"])

        let negative = AxisTicks.linear(-1, 1, target: 4)
        #expect(negative.labels == ["-1.0", "-0.5", "0.0", "0.5", "1.0"])

        let tiny = AxisTicks.linear(0, 4e-4, target: 4)
        #expect(tiny.labels.first == "0e+0")
        #expect(tiny.labels.last == "4e-4")
    }

    @Test func countingTicksAreWholeNumbers() {
        // Thirteen batches: a plain axis steps by 2.5, a counting one by 2.
        #expect(AxisTicks.linear(0, 13, target: 6).labels == ["0.0", "2.5", "5.0", "7.5", "10.0", "12.5"])
        let batches = AxisTicks.linear(0, 13, target: 6, counts: true)
        #expect(batches.labels == ["0", "2", "4", "6", "8", "10", "12"])
        // Few of them: never a step below 1.
        #expect(AxisTicks.linear(-0.25, 3.25, target: 7).labels == ["0.0", "0.5", "1.0", "1.5", "2.0", "2.5", "3.0"])
        #expect(AxisTicks.linear(-0.25, 3.25, target: 7, counts: true).labels == ["0", "1", "2", "3"])
        // Large counts keep the usual nice steps, 25 included.
        #expect(AxisTicks.linear(0, 130, target: 6, counts: true).major == [0, 25, 50, 75, 100, 125])

        // A plot that counts along x gets only whole-number ticks, in the image and in the terminal.
        var plot = LinePlot(xLabel: "training batch")
        plot.xCounts = true
        plot.plot((0..<6).map { Double($0) * 0.1 })
        let ticks = plot.layout(width: 640, height: 480).xTicks
        #expect(ticks.major == [0, 1, 2, 3, 4, 5] && ticks.labels == ["0", "1", "2", "3", "4", "5"])
        let axisLine = plot.terminal().split(separator: "\n").first { $0.contains("└") }
        let labels = plot.terminal().split(separator: "\n").drop { $0 != axisLine }.dropFirst().first ?? ""
        #expect(labels.split(separator: " ") == ["0", "5"], "\(labels)")
    }

    @Test func logTicksSitAtPowersOfTen() {
        let finder = AxisTicks.log(1e-6, 10)
        #expect(finder.labels == ["1e-6", "1e-5", "1e-4", "1e-3", "1e-2", "1e-1", "1e+0", "1e+1"])
        #expect(zip(finder.major, [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10]).allSatisfy { abs($0 / $1 - 1) < 1e-9 })
        #expect(finder.minor.contains { abs($0 / 2e-6 - 1) < 1e-9 })
        #expect(finder.minor.count == 7 * 8)

        let thinned = AxisTicks.log(1e-6, 10, maxLabels: 4)
        #expect(thinned.labels == ["1e-6", "1e-4", "1e-2", "1e+0"])
        #expect(thinned.minor.count == 4, "skipped powers become unlabelled ticks")

        let narrow = AxisTicks.log(2e-3, 8e-3)
        #expect(narrow.labels.contains("2e-3") && narrow.labels.contains("5e-3"))
        #expect(narrow.major.allSatisfy { $0 >= 2e-3 * 0.999 && $0 <= 8e-3 * 1.001 })
    }
}

@Suite struct LinePlotTests {
    @Test func straightLineLandsOnItsPixels() {
        var plot = LinePlot()
        plot.xRange = 0...10
        plot.yRange = 0...10
        plot.plot(x: [0.0, 10.0], y: [0.0, 10.0])
        let image = plot.render(width: 320, height: 240)
        let layout = plot.layout(width: 320, height: 240)
        let blue = PlotColor.palette[0].rgb
        for v in stride(from: 0.5, through: 9.5, by: 1.0) {
            let x = Int(layout.px(v, .linear).rounded()), y = Int(layout.py(v, .linear).rounded())
            #expect(close(image[x, y], blue), "on the line at \(v): \(image[x, y])")
            // Well away from the line (but inside the frame) there is only background or grid.
            let off = image[x, min(layout.bottom - 3, y + 30)]
            #expect(off == (255, 255, 255) || off == LinePlot.gridColor, "off the line at \(v): \(off)")
        }
    }

    @Test func logAxisMakesExponentialStraight() {
        var plot = LinePlot(xScale: .log)
        let xs = (0...60).map { pow(10.0, -6 + Double($0) / 10) }
        plot.plot(x: xs + [0, -1], y: xs.map { log10($0) } + [0, 0])  // points ≤ 0 are skipped on a log axis
        let layout = plot.layout(width: 640, height: 480)
        let image = plot.render()
        for x in [1e-5, 1e-3, 0.5] {
            let px = Int(layout.px(x, .log).rounded()), py = Int(layout.py(log10(x), .linear).rounded())
            #expect(close(image[px, py], PlotColor.palette[0].rgb), "at \(x)")
        }
        #expect(layout.xTicks.labels.first == "1e-6")
    }

    @Test func textIsDrawnWhereTitlesGo() {
        var bare = LinePlot()
        bare.plot([1.0, 2.0, 3.0])
        var titled = bare
        titled.title = "One-cycle schedule"
        titled.xLabel = "batch"
        titled.yLabel = "learning rate"
        let a = bare.render(), b = titled.render()
        #expect(nonWhite(a, x: 0..<640, y: 0..<12) == 0)
        #expect(nonWhite(b, x: 150..<490, y: 10..<30) > 100, "title")
        #expect(nonWhite(b, x: 250..<450, y: 450..<470) > 40, "x label")
        #expect(nonWhite(b, x: 10..<28, y: 150..<350) > 80, "y label, drawn upwards")
        #expect(
            titled.layout(width: 640, height: 480).left - bare.layout(width: 640, height: 480).left >= 14,
            "the y title takes room at the left")
    }

    @Test func legendAppearsForLabelledSeries() {
        var plot = LinePlot()
        plot.yRange = 0...10
        plot.plot([1.0, 1.0], label: "flat")
        plot.plot([2.0, 2.0], label: "high", color: PlotColor(red: 200, green: 0, blue: 0))
        let layout = plot.layout(width: 640, height: 480)
        let image = plot.render()
        // The lines run low, so the top of the data area holds only the legend.
        func redPixels(_ xs: Range<Int>) -> Int {
            var red = 0
            for y in layout.top..<(layout.top + 80) {
                for x in xs where close(image[x, y], (200, 0, 0), tolerance: 5) { red += 1 }
            }
            return red
        }
        #expect(redPixels((layout.right - 200)..<layout.right) >= 40, "the red sample in the top-right legend")
        #expect(redPixels(layout.left..<(layout.left + 200)) == 0)

        // With the lines high up instead, the legend moves to a bottom corner.
        var high = LinePlot()
        high.yRange = 0...10
        high.plot([9.0, 9.0], label: "flat", color: PlotColor(red: 200, green: 0, blue: 0))
        let moved = high.render()
        var bottomRed = 0
        for y in (layout.bottom - 80)..<layout.bottom {
            for x in layout.left..<layout.right where close(moved[x, y], (200, 0, 0), tolerance: 5) { bottomRed += 1 }
        }
        #expect(bottomRed >= 40)
    }

    @Test func fontMeasuresAndDraws() {
        #expect(BitmapFont.width(of: "abc", scale: 2) == (3 * 6 - 1) * 2)
        #expect(BitmapFont.isSet("A", x: 0, y: 4) && !BitmapFont.isSet("A", x: 0, y: 0))
        #expect(BitmapFont.isSet("g", x: 1, y: 8), "descender")
        var image = RGBImage(width: 20, height: 12)
        BitmapFont.draw("Hi", into: &image, x: 1, y: 1)
        #expect(nonWhite(image, x: 0..<20, y: 0..<12) > 15)
        #expect(image[1, 1] == (0, 0, 0), "H's top-left pixel")
    }

    @Test func terminalPlotHasTheRequestedSize() {
        var plot = LinePlot(title: "loss", xLabel: "lr", yLabel: "loss", xScale: .log)
        plot.plot(x: [1e-6, 1e-3, 1], y: [2.3, 1.2, 5.0], label: "train")
        let text = plot.terminal(width: 40, height: 10)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let rows = lines.filter { $0.contains("┤") || $0.contains("│") }
        #expect(rows.count == 10)
        #expect(Set(rows.map(\.count)).count == 1)
        #expect(rows[0].count == 3 + 2 + 40)
        #expect(rows[0].hasPrefix("  5 ┤") && rows[9].hasPrefix("2.3 ┤") == false && rows[9].contains("1.2 ┤"))
        #expect(lines.contains { $0.contains("1e-6") && $0.hasSuffix("1e+0") })
        #expect(text.unicodeScalars.contains { $0.value > 0x2800 && $0.value <= 0x28FF }, "braille dots")
        #expect(!text.contains("\u{1B}["))
        #expect(plot.terminal(width: 40, height: 10, colors: true).contains("\u{1B}[34m"))
        #expect(lines.last == "     ━━ train")
    }
}
