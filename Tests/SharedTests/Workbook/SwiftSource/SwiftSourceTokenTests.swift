import Testing

@testable import Shared
@testable import Workbook

/// The tokenizer against tokens checked by hand, on the snippets a lexer gets wrong: nested comments,
/// strings inside interpolations, raw and multi-line strings, `?.` and `..<`, and broken code.
@Suite struct SwiftSourceTokenTests {
    /// Each token as `kind text`, comments and strings' parts included.
    func tokens(_ source: String) -> [String] {
        SwiftSource(source).tokens.map { "\($0.kind) \($0.text)" }
    }

    @Test func blockCommentsNestAndLineCommentsEndTheLine() {
        #expect(
            tokens("/* a /* b */ c */ x // y }\nz")
                == ["comment /* a /* b */ c */", "identifier x", "comment // y }", "identifier z"])
    }

    @Test func anInterpolationIsCodeWithItsOwnStrings() {
        #expect(
            tokens(#""a \("b)" + f(c)) d""#) == [
                "stringDelimiter \"", "stringText a ", "interpolationStart \\(", "stringDelimiter \"",
                "stringText b)", "stringDelimiter \"", "operator +", "identifier f", "punctuation (",
                "identifier c", "punctuation )", "interpolationEnd )", "stringText  d", "stringDelimiter \""
            ])
    }

    @Test func rawStringsNeedTheirHashesToEscapeOrClose() {
        #expect(
            tokens(##"#"say "hi" \(x) \#(y)"# z"##) == [
                "stringDelimiter #\"", "stringText say \"hi\" \\(x) ", "interpolationStart \\#(", "identifier y",
                "interpolationEnd )", "stringDelimiter \"#", "identifier z"
            ])
    }

    @Test func multiLineStringsHoldQuotesAndEscapes() {
        let source = "\"\"\"\n  a \" b \"\" \\\"\"\"\n  \"\"\"\nx"
        #expect(
            tokens(source) == [
                "stringDelimiter \"\"\"", "stringText \n  a \" b \"\" \\\"\"\"\n  ", "stringDelimiter \"\"\"",
                "identifier x"
            ])
    }

    @Test func operatorsTakeADotOnlyWhenTheyStartWithOne() {
        #expect(
            tokens("a?.b ..< c! -> d/*e*/+f") == [
                "identifier a", "operator ?", "punctuation .", "identifier b", "operator ..<", "identifier c",
                "operator !", "operator ->", "identifier d", "comment /*e*/", "operator +", "identifier f"
            ])
    }

    @Test func wordsNumbersAttributesAndDirectives() {
        #expect(
            tokens("#if DEBUG @available(*, deprecated) `default` $0 self 1_000.5e-3 0x1F 1..<2 #filePath") == [
                "keyword #if", "identifier DEBUG", "attribute @available", "punctuation (", "operator *",
                "punctuation ,", "identifier deprecated", "punctuation )", "identifier `default`", "identifier $0",
                "keyword self", "number 1_000.5e-3", "number 0x1F", "number 1", "operator ..<", "number 2",
                "keyword #filePath"
            ])
        #expect(SwiftSource("`default`").tokens.first?.name == "default")
    }

    @Test func brokenCodeIsReadOnAndItsProblemsNamed() {
        let source = SwiftSource("let s = \"open\nlet t = (1]\n/* never closed")
        #expect(source.tokens.filter { $0.kind == .keyword }.map(\.line) == [1, 2])
        #expect(
            source.problems == [
                SwiftSourceProblem(message: "unterminated string", line: 1),
                SwiftSourceProblem(message: "unbalanced `]`", line: 2),
                SwiftSourceProblem(message: "this bracket is never closed", line: 2),
                SwiftSourceProblem(message: "unterminated /* comment", line: 3)
            ])
    }

    @Test func bracketsPairOutsideStringsAndComments() {
        let source = SwiftSource("f(a[\"]\"]) { /* } */ }")
        let text = source.tokens.map(\.text)
        let paren = text.firstIndex(of: "(")!, brace = text.firstIndex(of: "{")!
        #expect(source.partner(of: paren).map { text[$0] } == ")")
        #expect(source.partner(of: brace) == source.tokens.count - 1)
        #expect(source.problems.isEmpty)
    }

    @Test func blankingKeepsInterpolationsLinesAndColumns() {
        let source = "let a = \"x \\(y) é\" // ∑ z\n/* w */ b"
        let blanked = SwiftSource(source).blankingCommentsAndStrings()
        #expect(blanked == "let a =      y           \n        b")
        #expect(blanked.count == source.count)
    }
}
