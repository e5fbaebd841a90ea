import Foundation
import Support

/// fastprogress's bar, `train  ████----  45.00% [20/44 00:03<00:04]`, redrawn at most ten times a
/// second so `update` per batch is cheap; silent when stdout is not a terminal, so logs stay clean.
public final class ProgressBar {
    /// Turns every bar off (for example in tests, or in a chapter that prints its own progress).
    nonisolated(unsafe) public static var isEnabled = true

    /// Number of steps that make 100%.
    public let total: Int
    /// Text before the bar.
    public var label: String
    /// Text after the counts (a running loss, a file name); shown from the next redraw.
    public var comment = ""
    /// Whether the finished bar stays on screen (`true`) or is erased (`false`).
    public let leave: Bool
    /// Steps done so far.
    public private(set) var done = 0

    private let output: TextSink?
    private let width: Int
    private let clock: () -> Double
    private let start: Double
    private var lastDraw = -Double.infinity
    private var finished = false

    /// A bar drawn on the terminal, if standard output is one.
    /// - Parameters:
    ///   - total: steps that make 100% (0 is allowed and shows an empty bar at 100%).
    ///   - label: text before the bar.
    ///   - leave: keep the bar on screen when finished (`true`) or erase it (`false`).
    public convenience init(total: Int, label: String = "", leave: Bool = true) {
        let visible = ProgressBar.isEnabled && Terminal.stdoutIsTerminal
        self.init(
            total: total, label: label, leave: leave, output: visible ? StandardOutput.shared : nil,
            width: Terminal.columns, clock: ProgressBar.monotonicSeconds)
    }

    /// A bar drawn on `output` (`nil` draws nothing), `width` columns wide, timed by `clock` (seconds).
    /// Used by tests; everything else wants `init(total:label:leave:)`.
    public init(
        total: Int, label: String = "", leave: Bool = true, output: TextSink?, width: Int = 80,
        clock: @escaping () -> Double = ProgressBar.monotonicSeconds
    ) {
        self.total = max(0, total)
        self.label = label
        self.leave = leave
        self.output = output
        self.width = width
        self.clock = clock
        self.start = clock()
        draw(force: true)
    }

    deinit {
        // A loop left early (a `break`, a thrown CancelFit) still ends the line cleanly.
        if !finished { finish() }
    }

    /// Sets the number of steps done; redraws if a tenth of a second has passed. A full bar finishes
    /// at once (stays as a line of its own, or is erased), so whatever is printed next — a
    /// callback's line after an epoch — starts at the beginning of a clean line, not after the bar.
    public func update(_ done: Int) {
        self.done = min(max(0, done), total)
        guard output != nil else { return }
        if self.done == total {
            finish()
        } else {
            draw(force: false)
        }
    }

    /// Adds `steps` to the count.
    public func advance(by steps: Int = 1) { update(done + steps) }

    /// Ends the bar: draws it one last time and moves to the next line, or erases it (`leave: false`).
    /// Calling it again does nothing.
    public func finish() {
        guard !finished else { return }
        guard let output else {
            finished = true
            return
        }
        if leave {
            draw(force: true)
            finished = true
            output.write("\n")
        } else {
            finished = true
            output.write("\r\u{1B}[2K")
        }
    }

    private func draw(force: Bool) {
        guard let output, !finished else { return }
        let now = clock()
        guard force || now - lastDraw >= 0.1 else { return }
        lastDraw = now
        output.write(
            "\r"
                + ProgressBar.line(
                    label: label, done: done, total: total, elapsed: now - start,
                    comment: comment, width: width) + "\u{1B}[K")
    }

    /// The text of the bar for `done` of `total` after `elapsed` seconds, fitted to `width` columns:
    /// `label  ███---  45.00% [20/44 00:03<00:04]  comment`. The time after `<` is the estimate of
    /// what remains (`?` before the first step completes).
    public static func line(
        label: String, done: Int, total: Int, elapsed: Double, comment: String = "",
        width: Int = 80
    ) -> String {
        let fraction = total > 0 ? Double(done) / Double(total) : 1
        let remaining = done > 0 ? clockText(elapsed / Double(done) * Double(total - done)) : "?"
        let percent = String(format: "%6.2f%%", fraction * 100)
        let counts = "[\(done)/\(total) \(clockText(elapsed))<\(remaining)]"
        let prefix = label.isEmpty ? "" : label + "  "
        let suffix = comment.isEmpty ? "" : "  " + comment
        let fixed = prefix.count + 1 + percent.count + 1 + counts.count
        // The bar takes what is left of the line, between 10 and 40 cells; the comment is cut to fit.
        let barWidth = min(40, max(10, width - 1 - fixed - suffix.count))
        let filled = Int((fraction * Double(barWidth)).rounded(.down))
        let bar = String(repeating: "█", count: filled) + String(repeating: "-", count: barWidth - filled)
        var text = prefix + bar + " " + percent + " " + counts + suffix
        if text.count > width - 1 { text = String(text.prefix(max(0, width - 1))) }
        return text
    }

    /// `mm:ss`, or `h:mm:ss` from an hour up.
    static func clockText(_ seconds: Double) -> String {
        let s = Int(seconds.isFinite ? max(0, seconds) : 0)
        return s >= 3600
            ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
            : String(format: "%02d:%02d", s / 60, s % 60)
    }

    /// `monotonicSeconds()` (Shared/Support/MonotonicClock.swift), under the name the exercises'
    /// runners were written against.
    public static func monotonicSeconds() -> Double { Support.monotonicSeconds() }
}

/// A sequence that draws a progress bar as it is iterated; an element is done when the next is asked for.
public struct ProgressSequence<Base: Sequence>: Sequence {
    let base: Base
    let total: Int
    let label: String
    let leave: Bool

    /// An iterator over the base sequence that moves the bar along.
    public struct Iterator: IteratorProtocol {
        var base: Base.Iterator
        let bar: ProgressBar
        var count = 0

        /// The next element of the base sequence, after counting the previous one as done.
        public mutating func next() -> Base.Element? {
            if count > 0 { bar.update(count) }
            guard let element = base.next() else {
                bar.finish()
                return nil
            }
            count += 1
            return element
        }
    }

    /// Starts the bar and the base sequence's iteration.
    public func makeIterator() -> Iterator {
        Iterator(base: base.makeIterator(), bar: ProgressBar(total: total, label: label, leave: leave))
    }
}

/// fastprogress's `progress_bar`: iterating the result draws a bar of `total` (by default
/// `underestimatedCount`), kept on screen when finished if `leave`.
public func progressBar<S: Sequence>(
    _ sequence: S, total: Int? = nil, label: String = "",
    leave: Bool = true
) -> ProgressSequence<S> {
    ProgressSequence(base: sequence, total: total ?? sequence.underestimatedCount, label: label, leave: leave)
}
