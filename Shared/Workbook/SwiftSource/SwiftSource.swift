/// A Swift file read once into tokens and lines: a lexer, not a parser, which the runner, the tests
/// and the exercises' checks all share. Its queries read structure from tokens and brackets.
public struct SwiftSource: Sendable {
    /// The source text.
    public let text: String
    /// The source as UTF-8 bytes; tokens' ranges are offsets into them.
    public let bytes: [UInt8]
    /// Byte offset of the start of each line (line 1 at index 0).
    public let lineStarts: [Int]
    /// Every token, comments and the parts of string literals included, in order.
    public let tokens: [SwiftToken]
    /// What could not be read: unterminated comments and strings, unbalanced brackets.
    public let problems: [SwiftSourceProblem]
    /// For each bracket token of code (`(`, `[`, `{` and their closers) and each string literal's
    /// delimiter, the index of its partner.
    private let partners: [Int: Int]

    /// Reads `text`. Never fails: what it cannot read is listed in `problems`.
    public init(_ text: String) {
        self.text = text
        bytes = Array(text.utf8)
        var starts = [0]
        for (i, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") { starts.append(i + 1) }
        lineStarts = starts
        let tokenizer = SwiftTokenizer(bytes: bytes, lineStarts: starts)
        tokens = tokenizer.tokens
        var problems = tokenizer.problems
        partners = Self.pairBrackets(tokenizer.tokens, problems: &problems).merging(tokenizer.stringPartners) { a, _ in
            a
        }
        self.problems = problems.sorted { $0.line < $1.line }
    }

    /// The number of lines; a final newline ends the last line rather than starting another.
    public var lineCount: Int { lineStarts.count }

    /// The line (from 1) holding byte `offset`.
    public func line(atOffset offset: Int) -> Int { Self.line(atOffset: offset, lineStarts: lineStarts) }

    /// The line (from 1) holding byte `offset`, given where each line starts.
    static func line(atOffset offset: Int, lineStarts: [Int]) -> Int {
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return low + 1
    }

    /// The line the token at `index` ends on (a multi-line string or comment ends below its start).
    public func lastLine(ofToken index: Int) -> Int {
        let token = tokens[index]
        return token.range.isEmpty ? token.line : line(atOffset: token.range.upperBound - 1)
    }

    /// The text of lines `lines` (from 1), without the final newline.
    public func text(lines: ClosedRange<Int>) -> String {
        let start = lineStarts[lines.lowerBound - 1]
        let end = lines.upperBound < lineStarts.count ? lineStarts[lines.upperBound] - 1 : bytes.count
        return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
    }

    /// The text between two byte offsets.
    public func text(bytes range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }

    /// The index of the token that pairs with the bracket or string delimiter at `index` (a string's
    /// opening and closing quotes pair), or `nil` when it has none (or is neither).
    public func partner(of index: Int) -> Int? { partners[index] }

    /// The index of the first code token at or after byte `offset`.
    public func firstCodeToken(atOrAfter offset: Int) -> Int? {
        var low = 0, high = tokens.count
        while low < high {
            let mid = (low + high) / 2
            if tokens[mid].range.lowerBound < offset { low = mid + 1 } else { high = mid }
        }
        return tokens[low...].firstIndex { $0.isCode }
    }

    /// The index of the code token after `index`, skipping comments and strings' parts.
    public func nextCodeToken(after index: Int) -> Int? {
        tokens[(index + 1)...].firstIndex { $0.isCode }
    }

    /// The index of the code token before `index`.
    public func previousCodeToken(before index: Int) -> Int? {
        tokens[..<index].lastIndex { $0.isCode }
    }

    private static let closers = ["(": ")", "[": "]", "{": "}"]

    private static func pairBrackets(_ tokens: [SwiftToken], problems: inout [SwiftSourceProblem]) -> [Int: Int] {
        var partners: [Int: Int] = [:]
        var open: [Int] = []
        for (index, token) in tokens.enumerated() where token.kind == .punctuation {
            if closers[token.text] != nil {
                open.append(index)
            } else if closers.values.contains(token.text) {
                guard let last = open.last, closers[tokens[last].text] == token.text else {
                    problems.append(SwiftSourceProblem(message: "unbalanced `\(token.text)`", line: token.line))
                    continue
                }
                open.removeLast()
                partners[last] = index
                partners[index] = last
            }
        }
        for index in open {
            problems.append(SwiftSourceProblem(message: "this bracket is never closed", line: tokens[index].line))
        }
        return partners
    }
}
