/// ANSI styles that pass text through when colours are off, so callers never branch on the terminal.
public struct Style: Sendable {
    /// Whether escape codes are emitted.
    public var enabled: Bool

    /// A style that colours (`enabled == true`) or passes text through.
    public init(enabled: Bool) { self.enabled = enabled }

    /// Step titles and headings.
    public func bold(_ text: String) -> String { wrap(text, "1") }
    /// Secondary text: hints, timings, the `›` before code.
    public func dim(_ text: String) -> String { wrap(text, "2") }
    /// Code being run.
    public func code(_ text: String) -> String { wrap(text, "36") }
    /// Accent for step numbers.
    public func accent(_ text: String) -> String { wrap(text, "1;34") }
    /// Errors.
    public func error(_ text: String) -> String { wrap(text, "1;31") }
    /// Warnings and notes (such as falling back to the CPU).
    public func warning(_ text: String) -> String { wrap(text, "33") }

    private func wrap(_ text: String, _ code: String) -> String {
        enabled && !text.isEmpty ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
