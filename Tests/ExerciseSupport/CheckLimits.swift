import Foundation

/// How long each check of an exercise may take before the answer is judged not to return.
///
/// A limit is derived from what the reference answer takes on the same check, measured on the
/// workbook's own 2-core machine and kept beside the checks (`Tests/ExerciseChecks/<N>/Timings.tsv`,
/// written by `make timings N=…`): ten times that, plus two seconds, and never under five seconds.
/// The slack is wide on purpose. A learner's laptop may be slower and a correct answer less efficient
/// than the reference; an answer that never returns is caught either way, in seconds where the check
/// is quick and in a minute or so where it trains a network.
public struct CheckLimits: Sendable {
    /// The least any check is given, for the process to start and the first tensors to be made.
    public static let floor: Double = 5
    /// The limit of a check that has no measured time (an instructor's new check, before `make timings`).
    public static let unmeasured: Double = 60

    /// Seconds the reference answer took on each check, by the check's name.
    public let referenceSeconds: [String: Double]

    public init(referenceSeconds: [String: Double]) { self.referenceSeconds = referenceSeconds }

    /// The limits in the timings file at `path`, or none (every check unmeasured) if it cannot be read.
    public init(contentsOf path: String) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            self.init(referenceSeconds: [:])
            return
        }
        self.init(parsing: text)
    }

    /// Reads lines of `seconds<TAB>check name`; lines starting with `#` are comments.
    public init(parsing text: String) {
        var seconds: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t", maxSplits: 1)
            if fields.count == 2, let value = Double(fields[0]) { seconds[String(fields[1])] = value }
        }
        self.init(referenceSeconds: seconds)
    }

    /// The seconds `check` may take.
    public func limit(for check: String) -> Double {
        guard let reference = referenceSeconds[check] else { return Self.unmeasured }
        return max(Self.floor, (10 * reference + 2).rounded(.up))
    }

    /// The timings file's text for `measured` (check names with the seconds each took, in order).
    public static func timingsFile(exercise: String, _ measured: [(name: String, seconds: Double)]) -> String {
        var text = """
            # Seconds the reference answer to exercise \(exercise) takes on each check, measured by
            # `make timings N=\(exercise)` (a debug build, as `make exercise` builds it). Each check's time
            # limit is derived from these (Tests/ExerciseSupport/CheckLimits.swift).

            """
        for (name, seconds) in measured { text += String(format: "%.3f", seconds) + "\t" + name + "\n" }
        return text
    }
}
