/// Just enough of a Swift lexer to match brackets in source text: it steps over comments and string
/// literals (plain, multi-line, raw, with interpolations) so that a brace inside `"{"` or `// }` does
/// not count.
///
/// The workbook uses it to cut a step's closure out of a chapter's `main.swift` and a definition out
/// of a file in `Shared/`, at run time, so what is shown is the file as it is.
struct SwiftSourceScanner {
    /// The source as UTF-8 bytes; every delimiter it looks for is ASCII.
    let bytes: [UInt8]
    /// Byte offset of the start of each line (line 1 at index 0).
    let lineStarts: [Int]

    init(_ text: String) {
        bytes = Array(text.utf8)
        var starts = [0]
        for (i, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") { starts.append(i + 1) }
        lineStarts = starts
    }

    /// Why a bracket could not be matched: an unterminated string, comment or bracket, at a line.
    struct ScanError: Error {
        var message: String
        var line: Int
    }

    /// Offset of the first byte of `line` (from 1), or `nil` past the end.
    func offset(ofLine line: Int) -> Int? {
        line >= 1 && line <= lineStarts.count ? lineStarts[line - 1] : nil
    }

    /// The line (from 1) holding byte `offset`.
    func line(at offset: Int) -> Int {
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return low + 1
    }

    /// The text of lines `first...last` (from 1), without the final newline.
    func text(lines first: Int, _ last: Int) -> String {
        let start = lineStarts[first - 1]
        let end = last < lineStarts.count ? lineStarts[last] - 1 : bytes.count
        return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
    }

    /// When a comment or a string literal starts at `i`, the offset just after it; otherwise `nil`.
    func skipTrivia(at i: Int) throws -> Int? {
        guard i < bytes.count else { return nil }
        let byte = bytes[i]
        if byte == slash, i + 1 < bytes.count {
            if bytes[i + 1] == slash {
                var j = i
                while j < bytes.count && bytes[j] != newline { j += 1 }
                return j
            }
            if bytes[i + 1] == star { return try skipBlockComment(at: i) }
        }
        if byte == quote || byte == hash { return try skipString(at: i) }
        return nil
    }

    /// The offset of the bracket that closes the `(`, `[` or `{` at `open`.
    func matching(_ open: Int) throws -> Int {
        var stack: [UInt8] = []
        var i = open
        while i < bytes.count {
            if let next = try skipTrivia(at: i) {
                i = next
                continue
            }
            let byte = bytes[i]
            if let closer = Self.closers[byte] {
                stack.append(closer)
            } else if Self.closers.values.contains(byte) {
                guard stack.last == byte else {
                    throw ScanError(message: "unbalanced `\(Character(Unicode.Scalar(byte)))`", line: line(at: i))
                }
                stack.removeLast()
                if stack.isEmpty { return i }
            }
            i += 1
        }
        throw ScanError(message: "this bracket is never closed", line: line(at: open))
    }

    /// The first byte at or after `start` that is not whitespace or a comment.
    func skipSpaceAndComments(from start: Int) throws -> Int {
        var i = start
        while i < bytes.count {
            if bytes[i] == space || bytes[i] == newline || bytes[i] == tab || bytes[i] == carriageReturn {
                i += 1
            } else if bytes[i] == slash, let next = try skipTrivia(at: i) {
                i = next
            } else {
                break
            }
        }
        return i
    }

    /// The first `byte` at or after `start` outside comments and strings, or `nil`.
    func first(_ byte: UInt8, from start: Int) throws -> Int? {
        var i = start
        while i < bytes.count {
            if let next = try skipTrivia(at: i) {
                i = next
                continue
            }
            if bytes[i] == byte { return i }
            i += 1
        }
        return nil
    }

    // MARK: - Comments and strings

    private func skipBlockComment(at start: Int) throws -> Int {
        // Swift's block comments nest.
        var depth = 0
        var i = start
        while i + 1 < bytes.count {
            if bytes[i] == slash && bytes[i + 1] == star {
                depth += 1
                i += 2
            } else if bytes[i] == star && bytes[i + 1] == slash {
                depth -= 1
                i += 2
                if depth == 0 { return i }
            } else {
                i += 1
            }
        }
        throw ScanError(message: "unterminated /* comment", line: line(at: start))
    }

    /// Skips `"…"`, `"""…"""` and their raw forms `#"…"#`; `nil` when a `#` does not start a string
    /// (`#filePath`, `#if`).
    private func skipString(at start: Int) throws -> Int? {
        var i = start
        var hashes = 0
        while i < bytes.count && bytes[i] == hash {
            hashes += 1
            i += 1
        }
        guard i < bytes.count, bytes[i] == quote else { return nil }
        let multiline = i + 2 < bytes.count && bytes[i + 1] == quote && bytes[i + 2] == quote
        let quotes = multiline ? 3 : 1
        i += quotes
        while i < bytes.count {
            let byte = bytes[i]
            if byte == backslash && hashesFollow(i + 1, count: hashes) {
                let escaped = i + 1 + hashes
                if escaped < bytes.count && bytes[escaped] == openParen {
                    i = try matching(escaped) + 1  // an interpolation: code, maybe with strings inside
                } else {
                    i = escaped + 1
                }
                continue
            }
            if byte == newline && !multiline {
                throw ScanError(message: "unterminated string", line: line(at: start))
            }
            if byte == quote && quotesFollow(i, count: quotes) && hashesFollow(i + quotes, count: hashes) {
                return i + quotes + hashes
            }
            i += 1
        }
        throw ScanError(message: "unterminated string", line: line(at: start))
    }

    private func hashesFollow(_ i: Int, count: Int) -> Bool {
        i + count <= bytes.count && bytes[i..<(i + count)].allSatisfy { $0 == hash }
    }

    private func quotesFollow(_ i: Int, count: Int) -> Bool {
        i + count <= bytes.count && bytes[i..<(i + count)].allSatisfy { $0 == quote }
    }

    private static let closers: [UInt8: UInt8] = [
        UInt8(ascii: "("): UInt8(ascii: ")"), UInt8(ascii: "["): UInt8(ascii: "]"),
        UInt8(ascii: "{"): UInt8(ascii: "}")
    ]
    private let slash = UInt8(ascii: "/"), star = UInt8(ascii: "*"), quote = UInt8(ascii: "\"")
    private let hash = UInt8(ascii: "#"), backslash = UInt8(ascii: "\\"), openParen = UInt8(ascii: "(")
    private let newline = UInt8(ascii: "\n"), space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")
    private let carriageReturn = UInt8(ascii: "\r")
}

/// Removes the indentation all non-blank lines share, and trailing spaces.
func dedent(_ lines: [Substring]) -> String {
    let trimmed = lines.map { line -> Substring in
        var line = line
        while line.last == " " || line.last == "\t" || line.last == "\r" { line.removeLast() }
        return line
    }
    let indent =
        trimmed.filter { !$0.isEmpty }.map { $0.prefix { $0 == " " || $0 == "\t" }.count }.min() ?? 0
    return trimmed.map { $0.isEmpty ? "" : String($0.dropFirst(indent)) }.joined(separator: "\n")
}
