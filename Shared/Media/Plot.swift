import Engine
import Foundation

/// A colour for a plot series.
public struct PlotColor: Equatable, Sendable {
    /// Red, green, blue, 0…255.
    public var red: UInt8, green: UInt8, blue: UInt8
    /// The ANSI foreground code used in terminal plots.
    public var ansi: String

    /// A colour from its components and the ANSI code to approximate it in a terminal.
    public init(red: UInt8, green: UInt8, blue: UInt8, ansi: String = "39") {
        self.red = red
        self.green = green
        self.blue = blue
        self.ansi = ansi
    }

    var rgb: (UInt8, UInt8, UInt8) { (red, green, blue) }

    /// The series colours in order: matplotlib's first five, so plots look familiar.
    public static let palette: [PlotColor] = [
        PlotColor(red: 0x1f, green: 0x77, blue: 0xb4, ansi: "34"),  // blue
        PlotColor(red: 0xff, green: 0x7f, blue: 0x0e, ansi: "33"),  // orange
        PlotColor(red: 0x2c, green: 0xa0, blue: 0x2c, ansi: "32"),  // green
        PlotColor(red: 0xd6, green: 0x27, blue: 0x28, ansi: "31"),  // red
        PlotColor(red: 0x94, green: 0x67, blue: 0xbd, ansi: "35")  // purple
    ]
}

/// The chapter's `plt.plot`: series on linear or log axes, rendered to an `RGBImage` (`render()`) or to
/// braille for the terminal (`terminal()`).
public struct LinePlot {
    /// One line: points `(x[i], y[i])` joined in order. Non-finite points (and points ≤ 0 on a log
    /// axis) break the line rather than bending it.
    public struct Series {
        /// Horizontal coordinates.
        public var x: [Double]
        /// Vertical coordinates, as many as `x`.
        public var y: [Double]
        /// Name in the legend; the legend is drawn when any series has one.
        public var label: String
        /// Line colour; `nil` takes the next palette colour.
        public var color: PlotColor?
    }

    /// Text above the plot.
    public var title: String
    /// Title of the horizontal axis.
    public var xLabel: String
    /// Title of the vertical axis (drawn reading upwards).
    public var yLabel: String
    /// Scale of the horizontal axis.
    public var xScale: AxisScale
    /// Scale of the vertical axis.
    public var yScale: AxisScale
    /// Fixed horizontal range; `nil` fits the data with a 5% margin.
    public var xRange: ClosedRange<Double>?
    /// Fixed vertical range; `nil` fits the data with a 5% margin. Useful when a few points explode
    /// (the last losses of a learning-rate finder).
    public var yRange: ClosedRange<Double>?
    /// Whether the horizontal axis counts things (training batches, epochs): its ticks then sit on
    /// whole numbers only. Linear axes only; a log axis ignores it.
    public var xCounts = false
    /// Whether the vertical axis counts things; as `xCounts`.
    public var yCounts = false
    /// Line width in pixels in rendered images.
    public var lineWidth: Double = 2
    /// The series, in drawing order.
    public private(set) var series: [Series] = []

    /// An empty plot.
    public init(
        title: String = "", xLabel: String = "", yLabel: String = "",
        xScale: AxisScale = .linear, yScale: AxisScale = .linear
    ) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.xScale = xScale
        self.yScale = yScale
    }

    /// Adds the line through `(x[i], y[i])`. `x` and `y` must have the same length.
    public mutating func plot<X: BinaryFloatingPoint, Y: BinaryFloatingPoint>(
        x: [X], y: [Y], label: String = "", color: PlotColor? = nil
    ) {
        if x.count != y.count {
            engineFailure("LinePlot.plot", "x has \(x.count) values but y has \(y.count)")
        }
        series.append(Series(x: x.map { Double($0) }, y: y.map { Double($0) }, label: label, color: color))
    }

    /// Adds the line through `(i, y[i])` for `i` in `0..<y.count` (matplotlib's `plt.plot(ys)`).
    public mutating func plot<Y: BinaryFloatingPoint>(_ y: [Y], label: String = "", color: PlotColor? = nil) {
        plot(x: (0..<y.count).map { Double($0) }, y: y, label: label, color: color)
    }

    /// The colour series `index` is drawn in.
    func color(of index: Int) -> PlotColor {
        series[index].color ?? PlotColor.palette[index % PlotColor.palette.count]
    }

    /// The ranges shown, in actual values: the fixed ranges, else the data's extent plus 5% each side
    /// (in the axis's transformed space, so log axes get a margin of equal ratio).
    func viewRanges(padded: Bool = true) -> (x: ClosedRange<Double>, y: ClosedRange<Double>) {
        func extent(
            _ values: (Series) -> [Double], _ other: (Series) -> [Double], _ scale: AxisScale,
            _ otherScale: AxisScale, fixed: ClosedRange<Double>?
        ) -> ClosedRange<Double> {
            if let fixed { return fixed }
            var low = Double.infinity, high = -Double.infinity
            for s in series {
                let vs = values(s), os = other(s)
                for i in vs.indices where scale.accepts(vs[i]) && otherScale.accepts(os[i]) {
                    let t = scale.transform(vs[i])
                    low = min(low, t)
                    high = max(high, t)
                }
            }
            if low > high {
                low = 0
                high = 1
            }
            if low == high {
                let pad = scale == .log ? 0.5 : max(abs(low) * 0.1, 0.5)
                low -= pad
                high += pad
            }
            if padded {
                let margin = (high - low) * 0.05
                low -= margin
                high += margin
            }
            return scale.untransform(low)...scale.untransform(high)
        }
        let x = extent({ $0.x }, { $0.y }, xScale, yScale, fixed: xRange)
        let y = extent({ $0.y }, { $0.x }, yScale, xScale, fixed: yRange)
        return (x, y)
    }

    /// Ticks for an axis showing `range` over about `pixels` pixels.
    static func ticks(
        _ range: ClosedRange<Double>, scale: AxisScale, pixels: Int, spacing: Int, counts: Bool = false
    ) -> AxisTicks {
        switch scale {
        case .linear:
            return AxisTicks.linear(
                range.lowerBound, range.upperBound, target: max(2, pixels / spacing), counts: counts)
        case .log: return AxisTicks.log(range.lowerBound, range.upperBound, maxLabels: max(2, pixels / spacing))
        }
    }
}
