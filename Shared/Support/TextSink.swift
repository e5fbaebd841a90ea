import Foundation

/// Somewhere text can go: the terminal, or a buffer a test reads back.
public protocol TextSink: AnyObject {
    /// Appends `text` as is (no newline added).
    func write(_ text: String)
}

/// Writes to the process's standard output through C's `stdout`, the same buffer Swift's `print` uses,
/// so text from the runner and text a step prints with `print` come out in the order they were made.
public final class StandardOutput: TextSink {
    /// The one standard output.
    public static let shared = StandardOutput()
    private init() {}
    public func write(_ text: String) {
        fputs(text, stdout)
        fflush(stdout)
    }
}

/// Writes to standard error (unbuffered), where error messages belong.
public final class StandardError: TextSink {
    /// The one standard error.
    public static let shared = StandardError()
    private init() {}
    public func write(_ text: String) { fputs(text, stderr) }
}

/// Collects everything written to it; tests read `text`.
public final class TextBuffer: TextSink {
    /// Everything written so far.
    public private(set) var text = ""
    /// An empty buffer.
    public init() {}
    public func write(_ text: String) { self.text += text }
}
