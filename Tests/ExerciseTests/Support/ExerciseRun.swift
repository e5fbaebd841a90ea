import Foundation
import Shared
import Testing

/// When the exercise suites run.
///
/// Built against `Solutions/` (`WORKBOOK_ANSWERS=solutions`, what CI checks) they always run. Built
/// against `Exercises/`, the default, they run only when `make exercise` asks for them by setting
/// `WORKBOOK_CHECK_EXERCISES=1`: a plain `swift test` then stays green while the stubs wait for
/// their answers, and lists the suites as skipped.
enum ExerciseRun {
    static var enabled: Bool {
        #if WORKBOOK_SOLUTIONS
            true
        #else
            ProcessInfo.processInfo.environment["WORKBOOK_CHECK_EXERCISES"] == "1"
        #endif
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs the suite of exercise `number` only when exercises are being checked (see `ExerciseRun`).
    static func exercise(_ number: String) -> Self {
        .enabled(if: ExerciseRun.enabled, "check it with `make exercise N=\(number)` (or `make solution N=\(number)`)")
    }
}

/// A small classification problem in memory: the class of a point in 4 dimensions is its largest
/// coordinate. 3/4 of the points train, the rest validate; batches of 16.
func toyData(_ n: Int, seed: UInt64) -> DataLoaders {
    var g = SeededGenerator(seed: seed)
    let x = Tensor.randn([n, 4], using: &g)
    let y = x.argmax(axis: 1)
    let cut = n * 3 / 4
    func rows(_ t: Tensor, _ range: Range<Int>) -> Tensor { Tensor.stack(range.map { t[$0] }) }
    return DataLoaders(
        InMemoryBatches(x: rows(x, 0..<cut), y: rows(y, 0..<cut), bs: 16),
        InMemoryBatches(x: rows(x, cut..<n), y: rows(y, cut..<n), bs: 16))
}

/// Whether `a` and `b` agree element by element within `tolerance`, with the same shape.
func close(_ a: Tensor, _ b: Tensor, _ tolerance: Float = 1e-4) -> Bool {
    a.shape == b.shape && zip(a.toArray(), b.toArray()).allSatisfy { Swift.abs($0 - $1) <= tolerance }
}

/// Whether `a` and `b` agree within `tolerance`.
func close(_ a: Float, _ b: Float, _ tolerance: Float = 1e-5) -> Bool { Swift.abs(a - b) <= tolerance }
