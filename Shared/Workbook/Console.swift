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

/// What the workbook runner talks to: where output and errors go, where key presses come from, and
/// what the terminal can do.
///
/// `Console.standard()` looks at the real process; tests build one over a `TextBuffer` with scripted
/// input, so the runner is exercised without a terminal.
public struct Console {
    /// Where step output and the runner's own text go.
    public var out: TextSink
    /// Where `error: …` messages go.
    public var err: TextSink
    /// Reads one line of input (the key press after a step); `nil` at end of input.
    public var readLine: () -> String?
    /// Whether the runner may stop and wait for Enter: both stdin and stdout are terminals.
    public var isInteractive: Bool
    /// Whether to use ANSI colours: stdout is a terminal and `NO_COLOR` is unset.
    public var colors: Bool
    /// Columns available for wrapped prose.
    public var width: Int
    /// Whether `out` is the process's standard output, so that quiet steps can be silenced at the file
    /// descriptor (which also catches a step's own `print` calls).
    public var isStandardOutput: Bool

    /// A console with everything spelled out; defaults suit a test: not interactive, no colours, 80
    /// columns, no input, errors going to the same sink as output.
    public init(
        out: TextSink, err: TextSink? = nil, input: [String] = [], isInteractive: Bool = false,
        colors: Bool = false, width: Int = 80
    ) {
        self.out = out
        self.err = err ?? out
        var lines = input[...]
        self.readLine = { lines.popFirst() }
        self.isInteractive = isInteractive
        self.colors = colors
        self.width = width
        self.isStandardOutput = false
    }

    /// The process's own terminal: stdout, stderr and stdin, with colours and pausing decided from
    /// whether they are terminals and from `NO_COLOR`.
    public static func standard() -> Console {
        var console = Console(out: StandardOutput.shared, err: StandardError.shared)
        console.readLine = { Swift.readLine(strippingNewline: true) }
        console.isInteractive = Terminal.stdinIsTerminal && Terminal.stdoutIsTerminal
        console.colors = Terminal.stdoutIsTerminal && Terminal.colorsAllowed
        console.width = Terminal.columns
        console.isStandardOutput = true
        return console
    }
}
