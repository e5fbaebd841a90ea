import Foundation
import Support

/// The terminal the tool writes to: its width (none, for a pipe), and bold where it is a terminal.
public struct Screen {
    public let width: Int
    let styled: Bool

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        // A pipe or a file is read by programs (an editor, a script's grep): lines stay whole there,
        // unless the reader says its width (the watch does, for the checks it shows).
        width =
            Terminal.stdoutIsTerminal || environment["COLUMNS"] != nil ? max(Terminal.columns, 40) : Int.max
        // The watch runs the checks into a file and shows it on its terminal: it asks for the style.
        styled = (Terminal.stdoutIsTerminal || environment["WORKBOOK_STYLED"] != nil) && Terminal.colorsAllowed
    }

    /// `text` in bold, on a terminal.
    public func bold(_ text: String) -> String { styled ? "\u{1B}[1m\(text)\u{1B}[0m" : text }

    /// Prints `text`, each of its lines wrapped to the width under its own text.
    public func say(_ text: String = "") {
        print(TextWrapping.wrapLines(text, width: width))
    }

    /// Prints `lines`, one a line.
    public func printLines(_ lines: [String]) {
        for line in lines { print(line) }
    }

    /// Prints `text` with `title` in bold before it, wrapped as one line (the title's escapes take no room).
    public func say(title: String, _ text: String) {
        let lines = TextWrapping.wrap(title + text, width: width, indent: 2)
        guard let first = lines.first else { return }
        print(bold(String(first.prefix(title.count))) + first.dropFirst(title.count))
        printLines(Array(lines.dropFirst()))
    }
}
