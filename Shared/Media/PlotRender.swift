import Foundation

extension LinePlot {
    /// Where things go in a rendered plot, in pixels; worked out once per render.
    struct Layout {
        /// The data area: left, top, right, bottom edges (right and bottom exclusive).
        var left: Int, top: Int, right: Int, bottom: Int
        var xRange: ClosedRange<Double>, yRange: ClosedRange<Double>
        var xTicks: AxisTicks, yTicks: AxisTicks

        /// Horizontal pixel position (fractional) of value `x` on a `scale` axis.
        func px(_ x: Double, _ scale: AxisScale) -> Double {
            let lo = scale.transform(xRange.lowerBound), hi = scale.transform(xRange.upperBound)
            return Double(left) + (scale.transform(x) - lo) / (hi - lo) * Double(right - left - 1)
        }
        /// Vertical pixel position (fractional) of value `y`; larger values are higher up.
        func py(_ y: Double, _ scale: AxisScale) -> Double {
            let lo = scale.transform(yRange.lowerBound), hi = scale.transform(yRange.upperBound)
            return Double(bottom - 1) - (scale.transform(y) - lo) / (hi - lo) * Double(bottom - top - 1)
        }
    }

    /// Text scale: the 5×7 font drawn at ×2.
    static let textScale = 2
    static let ink: (UInt8, UInt8, UInt8) = (34, 34, 34)
    static let gridColor: (UInt8, UInt8, UInt8) = (228, 228, 228)

    func layout(width: Int, height: Int) -> Layout {
        let s = LinePlot.textScale
        let textHeight = BitmapFont.ascent * s
        let pad = 12, tickLength = 5, gap = 8
        let (xRange, yRange) = viewRanges()
        let top = pad + (title.isEmpty ? 4 : textHeight + 14)
        let bottom = height - pad - (xLabel.isEmpty ? 0 : textHeight + 12) - textHeight - gap - tickLength
        let yTicks = LinePlot.ticks(yRange, scale: yScale, pixels: max(1, bottom - top), spacing: 55, counts: yCounts)
        let labelWidth = yTicks.labels.map { BitmapFont.width(of: $0, scale: s) }.max() ?? 0
        let left = pad + (yLabel.isEmpty ? 0 : textHeight + 12) + labelWidth + gap + tickLength
        let right = width - pad - 3 * BitmapFont.advance * s / 2
        let xTicks = LinePlot.ticks(
            xRange, scale: xScale, pixels: max(1, right - left), spacing: xScale == .log ? 60 : 90, counts: xCounts)
        return Layout(
            left: left, top: top, right: right, bottom: bottom, xRange: xRange, yRange: yRange,
            xTicks: xTicks, yTicks: yTicks)
    }

    /// Draws the plot into a new `width`×`height` image: white background, light grid at the labelled
    /// ticks, anti-aliased lines, a frame with outward ticks, tick labels, axis titles, the title on top
    /// and a legend at the top right when any series is labelled.
    public func render(width: Int = 640, height: Int = 480) -> RGBImage {
        var image = RGBImage(width: width, height: height)
        let s = LinePlot.textScale
        let textHeight = BitmapFont.ascent * s
        let l = layout(width: width, height: height)
        guard l.right - l.left > 4, l.bottom - l.top > 4 else { return image }
        let ink = LinePlot.ink

        // Grid.
        for x in l.xTicks.major {
            let p = Int(l.px(x, xScale).rounded())
            for y in l.top..<l.bottom { image[p, y] = LinePlot.gridColor }
        }
        for y in l.yTicks.major {
            let p = Int(l.py(y, yScale).rounded())
            for x in l.left..<l.right { image[x, p] = LinePlot.gridColor }
        }

        // Series, each as a coverage mask over the data area so overlapping segments of one line do not
        // darken their joints.
        for index in series.indices {
            var mask = CoverageMask(left: l.left, top: l.top, width: l.right - l.left, height: l.bottom - l.top)
            let line = series[index]
            var previous: (Double, Double)?
            for i in line.x.indices {
                guard xScale.accepts(line.x[i]), yScale.accepts(line.y[i]) else {
                    previous = nil
                    continue
                }
                let point = (l.px(line.x[i], xScale), l.py(line.y[i], yScale))
                mask.segment(from: previous ?? point, to: point, width: lineWidth)
                previous = point
            }
            mask.blend(into: &image, color: color(of: index).rgb)
        }

        // Frame and ticks.
        for x in (l.left - 1)...l.right {
            image[x, l.top - 1] = ink
            image[x, l.bottom] = ink
        }
        for y in (l.top - 1)...l.bottom {
            image[l.left - 1, y] = ink
            image[l.right, y] = ink
        }
        for (values, length) in [(l.xTicks.major, 5), (l.xTicks.minor, 3)] {
            for x in values {
                let p = Int(l.px(x, xScale).rounded())
                for d in 1...length { image[p, l.bottom + d] = ink }
            }
        }
        for (values, length) in [(l.yTicks.major, 5), (l.yTicks.minor, 3)] {
            for y in values {
                let p = Int(l.py(y, yScale).rounded())
                for d in 1...length { image[l.left - 1 - d, p] = ink }
            }
        }

        // Tick labels: x centred under the tick (skipping any that would touch the previous one), y
        // right-aligned and centred on it.
        var lastEnd = Int.min
        for (value, label) in zip(l.xTicks.major, l.xTicks.labels) {
            let w = BitmapFont.width(of: label, scale: s)
            let x = Int(l.px(value, xScale).rounded()) - w / 2
            guard x > lastEnd + 6 else { continue }
            BitmapFont.draw(label, into: &image, x: x, y: l.bottom + 5 + 8, scale: s, color: ink)
            lastEnd = x + w
        }
        for (value, label) in zip(l.yTicks.major, l.yTicks.labels) {
            let w = BitmapFont.width(of: label, scale: s)
            let y = Int(l.py(value, yScale).rounded()) - textHeight / 2
            BitmapFont.draw(label, into: &image, x: l.left - 5 - 8 - w, y: y, scale: s, color: ink)
        }

        // Titles.
        if !xLabel.isEmpty {
            let w = BitmapFont.width(of: xLabel, scale: s)
            BitmapFont.draw(
                xLabel, into: &image, x: (l.left + l.right) / 2 - w / 2, y: height - 12 - textHeight - 2,
                scale: s, color: ink)
        }
        if !yLabel.isEmpty {
            let w = BitmapFont.width(of: yLabel, scale: s)
            BitmapFont.drawUpward(yLabel, into: &image, x: 12, y: (l.top + l.bottom) / 2 + w / 2, scale: s, color: ink)
        }
        if !title.isEmpty {
            let w = BitmapFont.width(of: title, scale: s)
            let x = (l.left + l.right) / 2 - w / 2
            // Drawn twice a pixel apart: a bolder title without a second font.
            BitmapFont.draw(title, into: &image, x: x, y: 12, scale: s, color: ink)
            BitmapFont.draw(title, into: &image, x: x + 1, y: 12, scale: s, color: ink)
        }
        drawLegend(into: &image, layout: l)
        return image
    }

    /// The legend: a sample of each labelled series' colour and its label, in a white box in the corner
    /// of the data area where it hides the least of the lines.
    private func drawLegend(into image: inout RGBImage, layout l: Layout) {
        let entries = series.indices.filter { !series[$0].label.isEmpty }
        guard !entries.isEmpty else { return }
        let s = LinePlot.textScale
        let rowHeight = BitmapFont.glyphHeight * s + 4
        let sample = 24, pad = 8
        let textWidth = entries.map { BitmapFont.width(of: series[$0].label, scale: s) }.max()!
        let boxWidth = pad + sample + 8 + textWidth + pad
        let boxHeight = pad + rowHeight * entries.count - 4 + pad
        // Like matplotlib's loc="best": the corner whose box hides the fewest drawn line pixels.
        let corners = [
            (l.right - 10 - boxWidth, l.top + 10), (l.left + 10, l.top + 10),
            (l.right - 10 - boxWidth, l.bottom - 10 - boxHeight), (l.left + 10, l.bottom - 10 - boxHeight)
        ]
        func covered(_ corner: (Int, Int)) -> Int {
            var count = 0
            for y in corner.1..<(corner.1 + boxHeight) {
                for x in corner.0..<(corner.0 + boxWidth) {
                    let p = image[min(max(x, 0), image.width - 1), min(max(y, 0), image.height - 1)]
                    if p != (255, 255, 255) && p != LinePlot.gridColor { count += 1 }
                }
            }
            return count
        }
        let (x0, y0) = corners.min { covered($0) < covered($1) }!
        for y in y0..<(y0 + boxHeight) {
            for x in x0..<(x0 + boxWidth) {
                let edge = y == y0 || y == y0 + boxHeight - 1 || x == x0 || x == x0 + boxWidth - 1
                image[x, y] = edge ? (200, 200, 200) : (255, 255, 255)
            }
        }
        for (row, index) in entries.enumerated() {
            let y = y0 + pad + row * rowHeight
            let mid = y + BitmapFont.ascent * s / 2
            for x in (x0 + pad)..<(x0 + pad + sample) {
                for t in -1...0 { image[x, mid + t] = color(of: index).rgb }
            }
            BitmapFont.draw(
                series[index].label, into: &image, x: x0 + pad + sample + 8, y: y, scale: s,
                color: LinePlot.ink)
        }
    }
}

/// How much of each pixel of a rectangle a line covers, 0…1; segments are accumulated with `max` and
/// the mask is blended into the image once.
struct CoverageMask {
    let left: Int, top: Int, width: Int, height: Int
    var coverage: [Float]

    init(left: Int, top: Int, width: Int, height: Int) {
        self.left = left
        self.top = top
        self.width = width
        self.height = height
        coverage = [Float](repeating: 0, count: width * height)
    }

    /// Adds a segment `width` pixels thick with round ends, anti-aliased by distance: a pixel whose
    /// centre lies within half the width of the segment is covered, with a one-pixel soft edge.
    mutating func segment(from a: (Double, Double), to b: (Double, Double), width lineWidth: Double) {
        let half = lineWidth / 2
        let reach = half + 1
        let x0 = max(left, Int((min(a.0, b.0) - reach).rounded(.down)))
        let x1 = min(left + width - 1, Int((max(a.0, b.0) + reach).rounded(.up)))
        let y0 = max(top, Int((min(a.1, b.1) - reach).rounded(.down)))
        let y1 = min(top + height - 1, Int((max(a.1, b.1) + reach).rounded(.up)))
        guard x0 <= x1, y0 <= y1 else { return }
        let dx = b.0 - a.0, dy = b.1 - a.1
        let lengthSquared = dx * dx + dy * dy
        coverage.withUnsafeMutableBufferPointer { mask in
            for y in y0...y1 {
                for x in x0...x1 {
                    let px = Double(x) - a.0, py = Double(y) - a.1
                    let t = lengthSquared > 0 ? min(1, max(0, (px * dx + py * dy) / lengthSquared)) : 0
                    let ex = px - t * dx, ey = py - t * dy
                    let distance = (ex * ex + ey * ey).squareRoot()
                    let c = Float(min(1, max(0, half + 0.5 - distance)))
                    let i = (y - top) * width + (x - left)
                    if c > mask[i] { mask[i] = c }
                }
            }
        }
    }

    /// Mixes `color` into `image` in proportion to the coverage.
    func blend(into image: inout RGBImage, color: (UInt8, UInt8, UInt8)) {
        let target = [Float(color.0), Float(color.1), Float(color.2)]
        let imageWidth = image.width, imageHeight = image.height
        image.pixels.withUnsafeMutableBufferPointer { pixels in
            for y in 0..<height {
                for x in 0..<width {
                    let c = coverage[y * width + x]
                    guard c > 0 else { continue }
                    guard top + y < imageHeight, left + x < imageWidth else { continue }
                    let p = ((top + y) * imageWidth + left + x) * 3
                    for k in 0..<3 {
                        let old = Float(pixels[p + k])
                        pixels[p + k] = UInt8((old + (target[k] - old) * c).rounded())
                    }
                }
            }
        }
    }
}
