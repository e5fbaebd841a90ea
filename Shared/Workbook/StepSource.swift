import Foundation

/// Reads a step's code from the chapter's source at run time, so the code shown is the code that runs.
public enum StepSource {
    /// Files already read, by path: a chapter's steps all live in one file.
    private static let cache = SourceFiles()

    /// The body of the trailing closure of the call that starts at `line` of `file`, dedented,
    /// without its `ctx in` line.
    /// - Throws: `SourceError` naming the file when it cannot be read or has no such closure there.
    public static func closureBody(file: String, line: Int) throws -> String {
        try closureBody(cache.read(file).source, file: file, line: line)
    }

    /// As `closureBody(file:line:)`, on source text already in memory.
    public static func closureBody(source: String, file: String = "<source>", line: Int) throws -> String {
        try closureBody(SwiftSource(source), file: file, line: line)
    }

    static func closureBody(_ source: SwiftSource, file: String, line: Int) throws -> String {
        let (brace, end) = try trailingClosure(source, file: file, line: line)
        let tokens = source.tokens
        return stripClosureHeader(source.text(bytes: tokens[brace].range.upperBound..<tokens[end].range.lowerBound))
    }

    /// The lines of the whole call that starts at `line` of `source`, from `book.step(` to the closing
    /// brace of its trailing closure: its title, explanation and code.
    /// - Throws: `SourceError` naming `file` when there is no such call there.
    public static func callLines(source: String, file: String = "<source>", line: Int) throws -> ClosedRange<Int> {
        let parsed = SwiftSource(source)
        let (_, end) = try trailingClosure(parsed, file: file, line: line)
        return line...parsed.lastLine(ofToken: end)
    }

    /// The tokens of the braces of the trailing closure of the call that starts at `line`.
    private static func trailingClosure(_ source: SwiftSource, file: String, line: Int) throws -> (Int, Int) {
        func fail(_ message: String, at line: Int) -> SourceError {
            SourceError(file: file, line: line, message: message)
        }
        if let problem = source.problems.first { throw fail(problem.message, at: problem.line) }
        guard line >= 1 && line <= source.lineCount else {
            throw fail("the file has no line \(line); was it edited without rebuilding?", at: line)
        }
        let tokens = source.tokens
        guard let start = source.firstCodeToken(atOrAfter: source.lineStarts[line - 1]),
            let paren = tokens[start...].firstIndex(where: { $0.isCode && $0.isMark("(") }),
            let close = source.partner(of: paren)
        else {
            throw fail("expected a call such as `book.step(…) { ctx in … }` here", at: line)
        }
        guard let brace = source.nextCodeToken(after: close), tokens[brace].isMark("{"),
            let end = source.partner(of: brace)
        else {
            throw fail("the step's work must be a trailing closure: `book.step(…) { ctx in … }`", at: line)
        }
        return (brace, end)
    }

    /// Drops `ctx in` (or `_ in`) and the lines holding the braces, and dedents what is left.
    static func stripClosureHeader(_ inner: String) -> String {
        var lines = inner.split(separator: "\n", omittingEmptySubsequences: false)
        if let first = lines.first {
            let header = first.drop { $0 == " " }
            // `ctx in`, `_ in`, `(ctx) in` alone on the line, or followed by code on a one-line closure.
            if let range = header.range(of: " in"), header[..<range.lowerBound].allSatisfy(isHeaderCharacter),
                range.upperBound == header.endIndex || header[range.upperBound] == " "
            {
                lines[0] = header[range.upperBound...]
            }
        }
        while let first = lines.first, first.allSatisfy(\.isWhitespace) { lines.removeFirst() }
        while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
        if lines.count == 1 { return String(lines[0].trimmingCharacters(in: .whitespaces)) }
        return dedent(lines)
    }

    private static func isHeaderCharacter(_ c: Character) -> Bool {
        c.isLetter || c.isNumber || c == "_" || c == "(" || c == ")" || c == " " || c == ","
    }
}
