/// One piece of Swift source as the compiler's lexer cuts it. A string literal is several, so an
/// interpolation's code reads as code.
public struct SwiftToken: Equatable, Sendable {
    /// What a token is.
    public enum Kind: Equatable, Sendable {
        /// `// …` to the end of the line, or `/* … */` (which nests).
        case comment
        /// The quotes that open or close a string literal, with their `#`s: `"`, `"""`, `#"`, `"#`.
        case stringDelimiter
        /// Text inside a string literal, escapes included.
        case stringText
        /// `\(` (or `\#(` in a raw string): code follows, up to the matching `interpolationEnd`.
        case interpolationStart
        /// The `)` that closes an interpolation.
        case interpolationEnd
        /// A word Swift reserves (`func`, `let`, `if`, `self`, `_`) or a `#` directive (`#if`).
        case keyword
        /// A name: `learner`, `` `default` ``, `$0`. Contextual words (`get`, `open`, `override`)
        /// are names here too; what reads declarations knows where they act as keywords.
        case identifier
        /// `@` and its name: `@available`, `@MainActor`.
        case attribute
        /// A number literal: `42`, `0x1F`, `1_000.5e-3`.
        case number
        /// A run of operator characters: `+`, `->`, `..<`, `?`.
        case `operator`
        /// One of `( ) [ ] { } , : ; . \` or any other single character.
        case punctuation
    }

    /// What the token is.
    public var kind: Kind
    /// Where it is, in UTF-8 bytes from the start of the source.
    public var range: Range<Int>
    /// The line (from 1) it starts on.
    public var line: Int
    /// Its text as written.
    public var text: String

    /// Creates a token; the tokenizer is what makes them.
    public init(kind: Kind, range: Range<Int>, line: Int, text: String) {
        self.kind = kind
        self.range = range
        self.line = line
        self.text = text
    }

    /// Whether the token is code: not a comment and not part of a string literal (an
    /// interpolation's own tokens are code).
    public var isCode: Bool {
        switch kind {
        case .comment, .stringDelimiter, .stringText, .interpolationStart, .interpolationEnd: return false
        default: return true
        }
    }

    /// The name an identifier stands for, without backticks: `` `default` `` → `default`.
    public var name: String {
        kind == .identifier && text.hasPrefix("`") && text.hasSuffix("`") && text.count >= 2
            ? String(text.dropFirst().dropLast()) : text
    }

    /// Whether this is the punctuation or operator `mark`, or the keyword or name `mark`.
    public func isMark(_ mark: String) -> Bool {
        (kind == .punctuation || kind == .operator || kind == .keyword) && text == mark
    }

    /// Whether this is a doc comment: `/// …` or `/** … */`.
    public var isDocComment: Bool {
        kind == .comment && (text.hasPrefix("///") || (text.hasPrefix("/**") && text != "/**/"))
    }
}
