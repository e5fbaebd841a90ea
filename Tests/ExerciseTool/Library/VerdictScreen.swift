import Foundation

/// Lays out what an exercise's checks print for a terminal `width` columns wide: every line wrapped
/// between words under its own text, and an answer that is not written yet said once, with its todos,
/// rather than once per check.
public struct VerdictScreen {
    let width: Int
    let root: URL
    /// The todos the checks reached ("Exercises/16-Fibonacci/Sources/Fibonacci.swift:18"), in order.
    private(set) var todos: [String] = []
    private var todosShown = false
    /// An empty line the checks printed, held back: the todos go before it.
    private var blankHeld = false

    public init(width: Int, root: URL) {
        self.width = width
        self.root = root
    }

    /// The lines to print for one line of the checks' output.
    public mutating func lines(for line: String) -> [String] {
        if line.isEmpty && !blankHeld {
            blankHeld = true
            return []
        }
        var before: [String] = []
        if line.hasPrefix("✔ Exercise") || line.hasPrefix("✘ Exercise") { before = todoLines() }
        if blankHeld { before.append("") }
        blankHeld = false
        if let (check, location) = Self.unanswered(line) {
            if !todos.contains(location) { todos.append(location) }
            return before + TextWrapping.wrap("  ✘ \(check) (todo)", width: width)
        }
        return before + TextWrapping.wrap(line, width: width)
    }

    /// What is still held back, and the todos if they were not said yet: the end of the output.
    public mutating func finish() -> [String] {
        let held = blankHeld ? [""] : []
        blankHeld = false
        return todoLines() + held
    }

    /// The todos, once, when some were reached and not said yet.
    mutating func todoLines() -> [String] {
        guard !todos.isEmpty, !todosShown else { return [] }
        todosShown = true
        let folders = Set(todos.map { ($0 as NSString).deletingLastPathComponent })
        let common = folders.count == 1 ? folders.first! + "/" : ""
        var lines = ["", "  Not written yet: the todos in \(common.isEmpty ? "your answer" : common)"]
        for location in todos {
            let shown = String(location.dropFirst(common.count))
            let said = todoMessage(at: location).map { ": \($0)" } ?? ""
            lines += TextWrapping.wrap("    \(shown)\(said)", width: width, indent: 6)
        }
        return lines
    }

    /// The check and the todo's place in a line that says a check reached a todo.
    static func unanswered(_ line: String) -> (check: String, location: String)? {
        let opening = "  ✘ ", middle = ": not written yet (the todo at "
        guard line.hasPrefix(opening), line.hasSuffix(")"), let split = line.range(of: middle, options: .backwards)
        else { return nil }
        let check = line[line.index(line.startIndex, offsetBy: opening.count)..<split.lowerBound]
        let location = line[split.upperBound..<line.index(before: line.endIndex)]
        return (String(check), String(location))
    }

    /// What the `todo("…")` at `location` ("path:line") asks, read from the file.
    func todoMessage(at location: String) -> String? {
        guard let colon = location.lastIndex(of: ":"), let number = Int(location[location.index(after: colon)...]),
            let text = try? String(
                contentsOf: root.appendingPathComponent(String(location[..<colon])), encoding: .utf8)
        else { return nil }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard number >= 1, number <= lines.count else { return nil }
        let line = lines[number - 1]
        guard let open = line.range(of: "todo(\""), let close = line.range(of: "\")", options: .backwards),
            open.upperBound <= close.lowerBound
        else { return nil }
        return String(line[open.upperBound..<close.lowerBound])
    }
}
