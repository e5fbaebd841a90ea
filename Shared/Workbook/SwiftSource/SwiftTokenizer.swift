/// What the tokenizer could not read (an unterminated comment or string, a lone bracket), at a line.
public struct SwiftSourceProblem: Equatable, Sendable {
    /// What is wrong, e.g. "unterminated string".
    public var message: String
    /// The line (from 1) where it starts.
    public var line: Int
}

/// Cuts Swift source into tokens, noting problems rather than stopping, so half-written answers read.
struct SwiftTokenizer {
    private let bytes: [UInt8]
    private let lineStarts: [Int]
    private(set) var tokens: [SwiftToken] = []
    private(set) var problems: [SwiftSourceProblem] = []
    /// Each string literal's opening delimiter and its closing one, both ways, by token index.
    private(set) var stringPartners: [Int: Int] = [:]

    /// What is being read: code (inside an interpolation, with the depth of the parentheses opened in
    /// it), or a string literal with its `#`s.
    private enum Mode {
        case code(interpolationDepth: Int?)
        case string(hashes: Int, multiline: Bool, start: Int, opening: Int)
    }
    private var modes: [Mode] = [.code(interpolationDepth: nil)]

    init(bytes: [UInt8], lineStarts: [Int]) {
        self.bytes = bytes
        self.lineStarts = lineStarts
        var i = 0
        while i < bytes.count {
            switch modes[modes.count - 1] {
            case .code(let depth): i = readCode(at: i, interpolationDepth: depth)
            case .string(let hashes, let multiline, let start, let opening):
                i = readString(at: i, hashes: hashes, multiline: multiline, start: start, opening: opening)
            }
        }
        for mode in modes.dropFirst() {
            if case .string(_, _, let start, _) = mode {
                problems.append(SwiftSourceProblem(message: "unterminated string", line: line(at: start)))
            }
        }
    }

    private func line(at offset: Int) -> Int { SwiftSource.line(atOffset: offset, lineStarts: lineStarts) }

    private mutating func emit(_ kind: SwiftToken.Kind, _ start: Int, _ end: Int) {
        tokens.append(
            SwiftToken(
                kind: kind, range: start..<end, line: line(at: start),
                text: String(decoding: bytes[start..<end], as: UTF8.self)))
    }

    private func byte(_ i: Int) -> UInt8? { i < bytes.count ? bytes[i] : nil }

    // MARK: - Code

    /// Reads one token of code (or skips white space) at `i`; returns where the next one starts.
    private mutating func readCode(at i: Int, interpolationDepth: Int?) -> Int {
        let c = bytes[i]
        if c == .space || c == .tab || c == .newline || c == .carriageReturn { return i + 1 }
        if c == .slash && byte(i + 1) == .slash { return readLineComment(at: i) }
        if c == .slash && byte(i + 1) == .star { return readBlockComment(at: i) }
        if c == .quote || c == .hash, let end = readStringStart(at: i) { return end }
        if c == .hash { return readWord(at: i, from: i + 1, kind: .keyword) }
        if c == .at { return readWord(at: i, from: i + 1, kind: .attribute) }
        if c == .backtick, let close = bytes[(i + 1)...].firstIndex(where: { $0 == .backtick || $0 == .newline }),
            bytes[close] == .backtick
        {
            emit(.identifier, i, close + 1)
            return close + 1
        }
        if c.isIdentifierHead || c == .dollar { return readWord(at: i, from: i + 1, kind: .identifier) }
        if c.isDigit { return readNumber(at: i) }
        if let depth = interpolationDepth, c == .openParen || c == .closeParen {
            if c == .closeParen && depth == 0 {
                emit(.interpolationEnd, i, i + 1)
                modes.removeLast()
                return i + 1
            }
            modes[modes.count - 1] = .code(interpolationDepth: depth + (c == .openParen ? 1 : -1))
        }
        if c.isOperatorCharacter || (c == .dot && byte(i + 1) == .dot) { return readOperator(at: i) }
        emit(.punctuation, i, i + 1)
        return i + 1
    }

    private mutating func readLineComment(at start: Int) -> Int {
        var end = start
        while end < bytes.count && bytes[end] != .newline { end += 1 }
        emit(.comment, start, end)
        return end
    }

    /// Swift's block comments nest: `/* a /* b */ c */` is one comment.
    private mutating func readBlockComment(at start: Int) -> Int {
        var depth = 0, i = start
        while i < bytes.count {
            if bytes[i] == .slash && byte(i + 1) == .star {
                depth += 1
                i += 2
            } else if bytes[i] == .star && byte(i + 1) == .slash {
                depth -= 1
                i += 2
                if depth == 0 { break }
            } else {
                i += 1
            }
        }
        if depth > 0 { problems.append(SwiftSourceProblem(message: "unterminated /* comment", line: line(at: start))) }
        emit(.comment, start, i)
        return i
    }

    /// A name, a keyword, `#if` or `@attribute`: `start` is the token's first byte, `from` where its
    /// word begins. Bytes past ASCII count as letters: Swift allows `α` or `σ` in names.
    private mutating func readWord(at start: Int, from: Int, kind: SwiftToken.Kind) -> Int {
        var end = from
        while end < bytes.count && (bytes[end].isIdentifierHead || bytes[end].isDigit || bytes[end] == .dollar) {
            end += 1
        }
        if kind == .identifier {
            let word = String(decoding: bytes[start..<end], as: UTF8.self)
            emit(SwiftKeywords.reserved.contains(word) ? .keyword : .identifier, start, end)
        } else {
            emit(end > from ? kind : .punctuation, start, end)
        }
        return end
    }

    /// Digits, letters and `_` (`0x1F`, `1_000`), a fraction when a digit follows the `.`, and a signed
    /// exponent (`1e-3`, `0x1p+4`).
    private mutating func readNumber(at start: Int) -> Int {
        let hexadecimal = bytes[start] == UInt8(ascii: "0") && byte(start + 1) == UInt8(ascii: "x")
        let exponents: Set<UInt8> = hexadecimal ? [.p, .upperP] : [.e, .upperE]
        var end = start
        while end < bytes.count {
            let c = bytes[end]
            if c.isIdentifierHead || c.isDigit {
                end += 1
                if exponents.contains(c), byte(end) == .plus || byte(end) == .minus {
                    end += 1
                }
            } else if c == .dot, let next = byte(end + 1), next.isDigit {
                end += 1
            } else {
                break
            }
        }
        emit(.number, start, end)
        return end
    }

    /// A run of operator characters. A `.` belongs to an operator only when the operator starts with
    /// one (`..<`), as in Swift, so `a?.b` is `a`, `?`, `.`, `b`. A comment's `//` or `/*` ends it.
    private mutating func readOperator(at start: Int) -> Int {
        let dotted = bytes[start] == .dot
        var end = start
        while end < bytes.count, bytes[end].isOperatorCharacter || (dotted && bytes[end] == .dot) {
            if end > start && bytes[end] == .slash && (byte(end + 1) == .slash || byte(end + 1) == .star) { break }
            end += 1
        }
        emit(.operator, start, end)
        return end
    }

    // MARK: - Strings

    /// When a string literal starts at `start` (`"`, `"""`, `#"`, …), reads its opening delimiter and
    /// enters it; `nil` when the `#`s are not followed by a quote (`#if`, `#filePath`).
    private mutating func readStringStart(at start: Int) -> Int? {
        var i = start
        while i < bytes.count && bytes[i] == .hash { i += 1 }
        guard byte(i) == .quote else { return nil }
        let multiline = byte(i + 1) == .quote && byte(i + 2) == .quote
        let end = i + (multiline ? 3 : 1)
        emit(.stringDelimiter, start, end)
        modes.append(.string(hashes: i - start, multiline: multiline, start: start, opening: tokens.count - 1))
        return end
    }

    /// Reads the text of a string literal from `i` up to its end, an interpolation or (for a
    /// single-line one left open) the end of the line.
    private mutating func readString(at i: Int, hashes: Int, multiline: Bool, start: Int, opening: Int) -> Int {
        var end = i
        while end < bytes.count {
            let c = bytes[end]
            if c == .backslash && hashesFollow(end + 1, count: hashes) {
                let escaped = end + 1 + hashes
                if byte(escaped) == .openParen {
                    if end > i { emit(.stringText, i, end) }
                    emit(.interpolationStart, end, escaped + 1)
                    modes.append(.code(interpolationDepth: 0))
                    return escaped + 1
                }
                end = min(escaped + 1, bytes.count)
                continue
            }
            if c == .newline && !multiline {
                if end > i { emit(.stringText, i, end) }
                problems.append(SwiftSourceProblem(message: "unterminated string", line: line(at: start)))
                modes.removeLast()
                return end
            }
            let quotes = multiline ? 3 : 1
            if c == .quote && (0..<quotes).allSatisfy({ byte(end + $0) == .quote })
                && hashesFollow(end + quotes, count: hashes)
            {
                if end > i { emit(.stringText, i, end) }
                emit(.stringDelimiter, end, end + quotes + hashes)
                stringPartners[opening] = tokens.count - 1
                stringPartners[tokens.count - 1] = opening
                modes.removeLast()
                return end + quotes + hashes
            }
            end += 1
        }
        if end > i { emit(.stringText, i, end) }
        return end
    }

    private func hashesFollow(_ i: Int, count: Int) -> Bool {
        i + count <= bytes.count && bytes[i..<(i + count)].allSatisfy { $0 == .hash }
    }
}

extension UInt8 {
    fileprivate static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), newline = UInt8(ascii: "\n")
    fileprivate static let carriageReturn = UInt8(ascii: "\r"), slash = UInt8(ascii: "/"), star = UInt8(ascii: "*")
    fileprivate static let quote = UInt8(ascii: "\""), hash = UInt8(ascii: "#"), at = UInt8(ascii: "@")
    fileprivate static let backtick = UInt8(ascii: "`"), dollar = UInt8(ascii: "$"), dot = UInt8(ascii: ".")
    fileprivate static let backslash = UInt8(ascii: "\\"), openParen = UInt8(ascii: "(")
    fileprivate static let closeParen = UInt8(ascii: ")"), plus = UInt8(ascii: "+"), minus = UInt8(ascii: "-")
    fileprivate static let e = UInt8(ascii: "e"), upperE = UInt8(ascii: "E"), p = UInt8(ascii: "p")
    fileprivate static let upperP = UInt8(ascii: "P")

    /// A letter, `_`, or any byte of a character past ASCII.
    fileprivate var isIdentifierHead: Bool {
        (self >= UInt8(ascii: "a") && self <= UInt8(ascii: "z"))
            || (self >= UInt8(ascii: "A") && self <= UInt8(ascii: "Z"))
            || self == UInt8(ascii: "_") || self >= 0x80
    }

    fileprivate var isDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }

    fileprivate var isOperatorCharacter: Bool { "/=-+!*%<>&|^~?".utf8.contains(self) }
}
