import Support

/// Colours Swift source for the page, each kind of token in a `<span class="…">`, from the same
/// tokens the runner reads (`SwiftSource`), so an interpolation's code is coloured as code.
enum SwiftHighlighter {
    /// `source` as HTML, safe to put inside `<pre><code>`.
    static func html(_ source: String) -> String {
        let reader = SwiftSource(source)
        var out = ""
        // Neighbouring pieces of one colour share a span: a string literal is several tokens.
        var run = (kind: String?.none, text: "")
        func emit(_ range: Range<Int>, _ kind: String?) {
            if kind != run.kind { flush() }
            run.kind = kind
            run.text += reader.text(bytes: range)
        }
        func flush() {
            guard !run.text.isEmpty else { return }
            let text = HTMLText.escape(run.text)
            out += run.kind.map { "<span class=\"\($0)\">\(text)</span>" } ?? text
            run.text = ""
        }
        var position = 0
        for (index, token) in reader.tokens.enumerated() {
            // What lies between tokens (spaces, line breaks) goes through as it is.
            if token.range.lowerBound > position { emit(position..<token.range.lowerBound, nil) }
            emit(token.range, kind(of: token, after: index > 0 ? reader.tokens[index - 1] : nil))
            position = token.range.upperBound
        }
        if position < reader.bytes.count { emit(position..<reader.bytes.count, nil) }
        flush()
        return out
    }

    /// The class a token is coloured with, or nil for plain text.
    private static func kind(of token: SwiftToken, after previous: SwiftToken?) -> String? {
        switch token.kind {
        case .comment: return "comment"
        case .stringDelimiter, .stringText, .interpolationStart, .interpolationEnd: return "string"
        case .number: return "number"
        case .keyword: return previous?.isMark(".") == true ? nil : "keyword"
        case .attribute: return "keyword"
        case .identifier:
            if previous?.isMark(".") == true { return nil }  // a member (`x.self`, `.map`) is not a keyword
            if SwiftKeywords.modifiers.contains(token.text) || contextual.contains(token.text) { return "keyword" }
            return token.text.first?.isUppercase == true ? "type" : nil
        case .operator, .punctuation: return nil
        }
    }

    /// Words that are keywords where an editor would colour them, though Swift lets them be names.
    private static let contextual: Set<String> = ["some", "any", "unsafe", "get", "set", "willSet", "didSet"]
}
