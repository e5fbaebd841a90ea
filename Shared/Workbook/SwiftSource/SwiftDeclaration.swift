/// A declaration read from Swift source: what it declares, where, and its body.
public struct SwiftDeclaration: Equatable, Sendable {
    /// The declaration's keyword: `class`, `struct`, `enum`, `protocol`, `actor`, `extension`, `func`,
    /// `typealias`, `var`, `let`, `init`, `deinit`, `subscript` or `case` (an enum's).
    public var kind: String
    /// The declared name: `Learner`, `fit`, `~`; for `init`, `deinit` and `subscript` the keyword;
    /// for an extension, the extended type's first name (`extension Array where …` → `Array`).
    public var name: String
    /// The modifiers written before the keyword: `public`, `private`, `static`, `class`, …
    public var modifiers: [String]
    /// How many braces enclose it: 0 at file level.
    public var depth: Int
    /// The index (in `SwiftSource.declarations`) of the declaration whose body holds this one.
    public var parent: Int?
    /// The line of its first attribute or modifier, or of its keyword.
    public var line: Int
    /// Its first line: that of the doc comment directly above it, when it has one.
    public var firstLine: Int
    /// Its last line: the closing brace's, or the end of the statement when it has no body.
    public var lastLine: Int
    /// The token indices of its body's braces, when it has a body.
    public var body: ClosedRange<Int>?

    /// Whether it declares a type or adds to one (an extension).
    public var isType: Bool { SwiftKeywords.typeDeclarations.contains(kind) }

    /// Whether `private` or `fileprivate` keeps it inside its file.
    public var isFileOnly: Bool { modifiers.contains { SwiftKeywords.fileOnly.contains($0) } }
}

extension SwiftSource {
    /// Every declaration in the source, at any depth (members, nested functions, local variables), in
    /// the order they start. A `case` counts only directly inside an enum (a `switch`'s does not);
    /// `case a, b` declares both. Of `let a = 1, b = 2` only `a` is read, and of a tuple pattern
    /// `let (a, b)` only `a`.
    public func declarations() -> [SwiftDeclaration] {
        var found: [SwiftDeclaration] = []
        var bodyOwners: [Int: Int] = [:]  // a body's `{` → the declaration it belongs to
        var openBraces: [Int?] = []  // for each brace we are inside, the declaration owning it
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            guard token.isCode else {
                index += 1
                continue
            }
            if token.isMark("{") {
                openBraces.append(bodyOwners[index])
            } else if token.isMark("}") {
                _ = openBraces.popLast()
            }
            let enclosing = openBraces.last ?? nil
            let inEnum = enclosing.map { found[$0].kind == "enum" } ?? false
            guard let head = declarationHead(at: index, inEnum: inEnum) else {
                index += 1
                continue
            }
            let isConditionBinding =
                ["let", "var"].contains(tokens[head.keyword].text)
                && previousCodeToken(before: index).map {
                    ["if", "guard", "while", ",", "case", "("].contains(tokens[$0].text)
                }
                    ?? false
            // `if let x = y {`: the block is the `if`'s, not x's.
            let end = isConditionBinding ? (body: Int?.none, last: head.keyword + 1) : statementEnd(after: head.keyword)
            let names = tokens[head.keyword].text == "case" ? caseNames(from: head.keyword, to: end.last) : [head.name]
            for name in names {
                var declaration = SwiftDeclaration(
                    kind: tokens[head.keyword].text, name: name, modifiers: head.modifiers,
                    depth: openBraces.count, parent: enclosing, line: tokens[index].line,
                    firstLine: docCommentStart(above: index), lastLine: lastLine(ofToken: end.last), body: nil)
                if let open = end.body, let close = partner(of: open) {
                    declaration.body = open...close
                    declaration.lastLine = tokens[close].line
                    bodyOwners[open] = found.count
                }
                found.append(declaration)
            }
            index = head.keyword + 1
        }
        return found
    }

    /// The text between the braces of `declaration`'s body, or `nil` when it has none.
    public func bodyText(of declaration: SwiftDeclaration) -> String? {
        declaration.body.map {
            text(bytes: tokens[$0.lowerBound].range.upperBound..<tokens[$0.upperBound].range.lowerBound)
        }
    }

    /// The keyword, name and modifiers of a declaration whose first token (attribute, modifier or
    /// keyword) is at `index`, or `nil` when no declaration starts there.
    private func declarationHead(at index: Int, inEnum: Bool) -> (keyword: Int, name: String, modifiers: [String])? {
        var modifiers: [String] = []
        var i: Int? = index
        while let k = i {
            let token = tokens[k]
            if token.kind == .attribute {
                i = skippingParentheses(after: k)
            } else if isModifier(at: k) {
                modifiers.append(token.text)
                i = skippingParentheses(after: k)
            } else {
                break
            }
        }
        guard let keyword = i, tokens[keyword].kind == .keyword || tokens[keyword].kind == .identifier,
            SwiftKeywords.declarations.contains(tokens[keyword].text)
        else { return nil }
        let word = tokens[keyword].text
        let before = previousCodeToken(before: keyword).map { tokens[$0] }
        if before?.isMark(".") == true || before?.isMark("\\") == true { return nil }  // `self.init(`, `\.init`
        if word == "actor" && tokens[keyword].kind != .identifier { return nil }
        if word == "init" || word == "deinit" || word == "subscript" { return (keyword, word, modifiers) }
        if word == "case" && !inEnum { return nil }
        guard var next = nextCodeToken(after: keyword) else { return nil }
        if word == "let" || word == "var", tokens[next].isMark("("), let first = nextCodeToken(after: next) {
            next = first  // a tuple pattern: its first name
        }
        let nameToken = tokens[next]
        guard nameToken.kind == .identifier || (word == "func" && nameToken.kind == .operator) else { return nil }
        return (keyword, nameToken.name, modifiers)
    }

    /// The names an enum's `case a, b(Int), c = 3` declares: the first, and each one right after a
    /// comma outside brackets.
    private func caseNames(from keyword: Int, to last: Int) -> [String] {
        var names: [String] = []
        var expectName = true
        var k = keyword
        while let next = nextCodeToken(after: k), next <= last {
            let token = tokens[next]
            if expectName && token.kind == .identifier { names.append(token.name) }
            expectName = token.isMark(",")
            k = token.isMark("(") ? partner(of: next) ?? next : next
        }
        return names
    }

    /// Whether the token at `index` acts as a modifier: a modifier word followed by another modifier,
    /// an attribute or a declaration keyword (so that `let prefix = 1` keeps `prefix` a name).
    private func isModifier(at index: Int) -> Bool {
        let token = tokens[index]
        guard token.kind == .identifier || token.kind == .keyword else { return false }
        let word = token.text
        guard SwiftKeywords.modifiers.contains(word) || word == "class" else { return false }
        guard let after = skippingParentheses(after: index) else { return false }
        let next = tokens[after]
        if word == "class" { return ["func", "var", "let", "subscript"].contains(next.text) || isModifier(at: after) }
        return next.kind == .attribute || SwiftKeywords.declarations.contains(next.text)
            || SwiftKeywords.modifiers.contains(next.text)
    }

    /// The code token after the one at `index`, stepping over a parenthesised detail right after it
    /// (`private(set)`, `@available(*, deprecated)`).
    private func skippingParentheses(after index: Int) -> Int? {
        guard let next = nextCodeToken(after: index) else { return nil }
        guard tokens[next].isMark("("), tokens[next].range.lowerBound == tokens[index].range.upperBound,
            let close = partner(of: next)
        else { return next }
        return nextCodeToken(after: close)
    }

    /// Where the declaration whose keyword is at `keyword` ends: its body's `{`, when it has one, and
    /// its last token. The statement goes on past the end of a line inside brackets and string
    /// literals, when the line ends in `,` `:` `=` `->` `&` or `.`, and when the next one starts with
    /// one of those, `where`, `throws`, `rethrows`, `async` or `{`.
    private func statementEnd(after keyword: Int) -> (body: Int?, last: Int) {
        var last = keyword
        var k = keyword + 1
        while k < tokens.count {
            let token = tokens[k]
            if token.kind == .comment {
                k += 1
                continue
            }
            if token.isMark("{") { return (k, partner(of: k) ?? k) }
            if token.isMark("}") || token.isMark(";") { return (nil, last) }
            if token.line > lastLine(ofToken: last) && !continuesStatement(from: last, to: k) { return (nil, last) }
            // Brackets and string literals (interpolations too) end where their partner is.
            last = token.isMark("(") || token.isMark("[") || token.kind == .stringDelimiter ? partner(of: k) ?? k : k
            k = last + 1
        }
        return (nil, last)
    }

    private func continuesStatement(from last: Int, to next: Int) -> Bool {
        let ending: Set<String> = [",", ":", "=", "->", "&", "."]
        let starting = ending.union(["where", "throws", "rethrows", "async", "{"])
        return (tokens[last].isCode && ending.contains(tokens[last].text))
            || (tokens[next].isCode && starting.contains(tokens[next].text))
    }

    /// The first line of the doc comments directly above the token at `index`, each alone on its
    /// line, with no blank line between; the token's own line when there are none.
    private func docCommentStart(above index: Int) -> Int {
        var first = tokens[index].line
        var k = index - 1
        while k >= 0, tokens[k].isDocComment, lastLine(ofToken: k) == first - 1,
            k == 0 || lastLine(ofToken: k - 1) < tokens[k].line
        {
            first = tokens[k].line
            k -= 1
        }
        return first
    }
}
