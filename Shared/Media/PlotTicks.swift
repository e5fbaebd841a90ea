import Foundation

/// How an axis maps values to positions.
public enum AxisScale: Sendable {
    /// Equal steps in value are equal distances.
    case linear
    /// Equal ratios are equal distances (matplotlib's `plt.xscale('log')`); values ≤ 0 are not drawn.
    case log

    /// The value in the axis's own space: itself, or its base-10 logarithm.
    func transform(_ value: Double) -> Double { self == .log ? log10(value) : value }
    /// The inverse of `transform`.
    func untransform(_ value: Double) -> Double { self == .log ? pow(10, value) : value }
    /// Whether `value` can be placed on this axis.
    func accepts(_ value: Double) -> Bool { value.isFinite && (self == .linear || value > 0) }
}

/// Tick positions and their labels for one axis.
public struct AxisTicks: Equatable, Sendable {
    /// Values that get a tick, a grid line and a label.
    public var major: [Double]
    /// Labels of `major`, in order.
    public var labels: [String]
    /// Values that get a short unlabelled tick (between powers of ten on log axes).
    public var minor: [Double]

    /// "Nice" linear ticks covering `lower...upper`: steps of 1, 2, 2.5 or 5 times a power of ten,
    /// about `target` of them, each a multiple of the step (so 0 is a tick whenever it is in range).
    ///
    /// With `counts`, the axis counts things (training batches, epochs), so ticks fall on whole numbers
    /// only: the step is at least 1, and a step of 2.5 becomes 2. `0, 2, 4` rather than `0.0, 2.5, 5.0`.
    public static func linear(_ lower: Double, _ upper: Double, target: Int = 6, counts: Bool = false) -> AxisTicks {
        guard lower.isFinite, upper.isFinite, upper > lower else {
            return AxisTicks(major: [lower], labels: [formatNumber(lower, step: 1)], minor: [])
        }
        var step = niceStep((upper - lower) / Double(max(1, target)))
        if counts {
            step = step < 1 ? 1 : step == 2.5 ? 2 : step
        }
        let first = (lower / step - 1e-9).rounded(.up)
        let last = (upper / step + 1e-9).rounded(.down)
        var values: [Double] = []
        var k = first
        while k <= last {
            let value = k * step
            values.append(value == 0 ? 0 : value)  // no "-0"
            k += 1
        }
        return AxisTicks(major: values, labels: values.map { formatNumber($0, step: step) }, minor: [])
    }

    /// Ticks for a log axis covering `lower...upper` (actual values, both > 0): labelled ticks at powers
    /// of ten (every second or third power when there are many), unlabelled ones at 2…9 times them.
    /// When fewer than two powers of ten fall in range, the 2…9 multiples are labelled instead.
    public static func log(_ lower: Double, _ upper: Double, maxLabels: Int = 9) -> AxisTicks {
        guard lower > 0, upper > lower, lower.isFinite, upper.isFinite else {
            let v = max(lower, .leastNormalMagnitude)
            return AxisTicks(major: [v], labels: [formatPower(v)], minor: [])
        }
        let lowExp = Int(Foundation.log10(lower).rounded(.down))
        let highExp = Int(Foundation.log10(upper).rounded(.up))
        let inRange = { (v: Double) in v >= lower * (1 - 1e-9) && v <= upper * (1 + 1e-9) }
        let powers = (lowExp...highExp).map { pow(10, Double($0)) }.filter(inRange)
        var multiples: [Double] = []
        for e in lowExp...highExp {
            for m in 2...9 { multiples.append(Double(m) * pow(10, Double(e))) }
        }
        multiples = multiples.filter(inRange)
        if powers.count >= 2 {
            let every = (powers.count + maxLabels - 1) / maxLabels
            let labelled = powers.enumerated().filter { $0.offset % every == 0 }.map(\.element)
            let unlabelled = powers.filter { !labelled.contains($0) }
            return AxisTicks(
                major: labelled, labels: labelled.map(formatPower),
                minor: (every == 1 ? multiples : []) + unlabelled)
        }
        // Less than a decade: label the multiples, thinning them if needed.
        let candidates = (powers + multiples).sorted()
        let every = (candidates.count + maxLabels - 1) / max(1, maxLabels)
        let labelled = candidates.enumerated().filter { $0.offset % max(1, every) == 0 }.map(\.element)
        return AxisTicks(
            major: labelled, labels: labelled.map(formatPower),
            minor: candidates.filter { !labelled.contains($0) })
    }

    /// 1, 2, 2.5, 5 or 10 times a power of ten: the smallest such step at least `raw`.
    static func niceStep(_ raw: Double) -> Double {
        let magnitude = pow(10, Foundation.log10(raw).rounded(.down))
        let residual = raw / magnitude
        let nice: Double = residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 2.5 ? 2.5 : residual <= 5 ? 5 : 10
        return nice * magnitude
    }

    /// A tick label with as many decimals as the step needs (`0.25`, `1.5`, `100`); scientific
    /// notation (`2.5e-4`) for very large or very small values.
    public static func formatNumber(_ value: Double, step: Double) -> String {
        let magnitude = max(abs(value), step)
        if magnitude >= 1e5 || step < 1e-3 {
            let exponent = Int(Foundation.log10(step).rounded(.down))
            let digits = max(0, Int(Foundation.log10(max(abs(value), step)).rounded(.down)) - exponent)
            return compactExponent(String(format: "%.\(min(digits, 3))e", value))
        }
        var decimals = max(0, -Int(Foundation.log10(step).rounded(.down)))
        if abs((step * pow(10, Double(decimals))).rounded() - step * pow(10, Double(decimals))) > 1e-6 {
            decimals += 1  // a step of 2.5 × 10^k needs one more digit
        }
        return String(format: "%.\(decimals)f", value)
    }

    /// `1e-6`, `1e+1`, `3e-2`: a value on a log axis as mantissa and power of ten.
    public static func formatPower(_ value: Double) -> String {
        compactExponent(String(format: "%.0e", value))
    }

    /// `2.5e-04` → `2.5e-4`, `1e+01` → `1e+1`.
    static func compactExponent(_ text: String) -> String {
        guard let e = text.firstIndex(of: "e") else { return text }
        let mantissa = text[..<e]
        var exponent = text[text.index(after: e)...]
        let sign = exponent.first == "-" ? "-" : "+"
        if exponent.first == "-" || exponent.first == "+" { exponent = exponent.dropFirst() }
        let digits = exponent.drop { $0 == "0" }
        return "\(mantissa)e\(sign)\(digits.isEmpty ? "0" : digits)"
    }
}
