import Foundation
import Support

/// The explanations' Markdown as HTML: paragraphs and `code spans`; everything else is escaped text.
enum MarkdownHTML {
    /// `markdown` as a sequence of `<p>` elements.
    static func html(_ markdown: String) -> String {
        markdown.components(separatedBy: "\n\n")
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty }
            .map { "<p>" + inline($0) + "</p>" }
            .joined(separator: "\n")
    }

    /// One paragraph's text with its code spans marked up.
    static func inline(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "`") {
            // A run of n backticks opens a span that only a run of exactly n closes, so a span can
            // hold a backtick (`` `x` ``).
            let run = rest[open...].prefix { $0 == "`" }
            let afterOpen = run.endIndex
            guard let close = closingRun(of: run.count, in: rest[afterOpen...]) else {
                out += HTMLText.escape(String(rest[..<afterOpen]))
                rest = rest[afterOpen...]
                continue
            }
            out += HTMLText.escape(String(rest[..<open]))
            var code = String(rest[afterOpen..<close.lowerBound])
            if code.count > 2, code.first == " ", code.last == " " { code = String(code.dropFirst().dropLast()) }
            out += "<code>" + HTMLText.escape(code) + "</code>"
            rest = rest[close.upperBound...]
        }
        return out + HTMLText.escape(String(rest))
    }

    /// Where a run of exactly `count` backticks is in `text`, if anywhere.
    private static func closingRun(of count: Int, in text: Substring) -> Range<Substring.Index>? {
        var i = text.startIndex
        while let start = text[i...].firstIndex(of: "`") {
            let run = text[start...].prefix { $0 == "`" }
            if run.count == count { return start..<run.endIndex }
            i = run.endIndex
        }
        return nil
    }
}
