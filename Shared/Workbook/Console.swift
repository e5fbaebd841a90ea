import Foundation
import Support

/// The runner's output, errors, key presses and terminal; tests give it a `TextBuffer` and scripted input.
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
