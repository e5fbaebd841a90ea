/// Colours Swift source for the page: comments, string literals, keywords, numbers and type names
/// each in a `<span class="…">`, everything escaped for HTML.
///
/// It leans on `SwiftSourceScanner`, the lexer the runner already uses to cut steps out of their
/// files, for the hard part: where comments and strings (multi-line, raw, interpolated) begin and
/// end. Identifiers and numbers are simple enough to pick out here. An interpolation is coloured as
/// part of its string, which reads fine and keeps this small.
enum SwiftHighlighter {
    /// `source` as HTML, safe to put inside `<pre><code>`.
    static func html(_ source: String) -> String {
        let scanner = SwiftSourceScanner(source)
        let bytes = scanner.bytes
        var out = ""
        var i = 0
        func emit(_ start: Int, _ end: Int, _ kind: String?) {
            let text = HTMLText.escape(String(decoding: bytes[start..<end], as: UTF8.self))
            out += kind.map { "<span class=\"\($0)\">\(text)</span>" } ?? text
        }
        var plainStart = 0
        func flushPlain() {
            if plainStart < i { emit(plainStart, i, nil) }
        }
        while i < bytes.count {
            let byte = bytes[i]
            // A fragment that does not scan (an unterminated string) is shown as it is, uncoloured.
            let triviaEnd: Int?
            do { triviaEnd = try scanner.skipTrivia(at: i) } catch { break }
            if let end = triviaEnd, end > i {
                flushPlain()
                emit(i, end, byte == slash ? "comment" : "string")
                i = end
                plainStart = i
            } else if isIdentifierStart(byte)
                || (byte == hash && i + 1 < bytes.count && isIdentifierStart(bytes[i + 1]))
            {
                var end = i + 1
                while end < bytes.count && isIdentifierPart(bytes[end]) { end += 1 }
                let word = String(decoding: bytes[i..<end], as: UTF8.self)
                let previous = i > 0 ? bytes[i - 1] : space
                let kind: String?
                if previous == dot {
                    kind = nil  // a member (`x.self`, `.map`) is not a keyword
                } else if keywords.contains(word) || byte == hash {
                    kind = "keyword"
                } else if let first = word.unicodeScalars.first, first.properties.isUppercase {
                    kind = "type"
                } else {
                    kind = nil
                }
                if let kind {
                    flushPlain()
                    emit(i, end, kind)
                    plainStart = end
                }
                i = end
            } else if isDigit(byte) && (i == 0 || !isIdentifierPart(bytes[i - 1])) {
                var end = i + 1
                while end < bytes.count && (isIdentifierPart(bytes[end]) || bytes[end] == dot) {
                    // `1..<n`: the range operator is not part of the number.
                    if bytes[end] == dot && (end + 1 >= bytes.count || !isDigit(bytes[end + 1])) { break }
                    // `1e-6`: the exponent's sign is.
                    let isExponent = bytes[end] == UInt8(ascii: "e") || bytes[end] == UInt8(ascii: "E")
                    if isExponent && end + 1 < bytes.count && (bytes[end + 1] == minus || bytes[end + 1] == plus) {
                        end += 1
                    }
                    end += 1
                }
                flushPlain()
                emit(i, end, "number")
                i = end
                plainStart = i
            } else {
                i += 1
            }
        }
        i = bytes.count
        flushPlain()
        return out
    }

    private static func isIdentifierStart(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F || byte >= 0x80
    }

    private static func isIdentifierPart(_ byte: UInt8) -> Bool { isIdentifierStart(byte) || isDigit(byte) }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private static let slash = UInt8(ascii: "/"), hash = UInt8(ascii: "#"), dot = UInt8(ascii: ".")
    private static let space = UInt8(ascii: " "), minus = UInt8(ascii: "-"), plus = UInt8(ascii: "+")

    private static let keywords: Set<String> = [
        "associatedtype", "as", "break", "case", "catch", "class", "continue", "default", "defer", "deinit", "do",
        "else", "enum", "extension", "fallthrough", "false", "fileprivate", "final", "for", "func", "guard", "if",
        "import", "in", "init", "inout", "internal", "is", "lazy", "let", "mutating", "nil", "nonisolated",
        "open", "operator", "override", "package", "private", "protocol", "public", "repeat", "rethrows", "return",
        "self",
        "Self", "some", "any", "static", "struct", "subscript", "super", "switch", "throw", "throws", "true", "try",
        "typealias", "unsafe", "var", "weak", "where", "while"
    ]
}
