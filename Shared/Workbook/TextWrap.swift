/// Word-wraps prose to `width` columns.
///
/// The input is written the way one writes a Swift multi-line string: paragraphs are separated by a
/// blank line, and single line breaks inside a paragraph are just spaces, so source can be hard-wrapped
/// freely. A line that starts with `- `, `* ` or `• ` begins a list item and keeps its line break; its
/// continuation lines are indented under the item's text. Words longer than a line are left whole.
///
/// - Parameters:
///   - text: the prose.
///   - width: columns per line (at least 20 is assumed useful; smaller still works).
///   - indent: spaces before every line.
/// - Returns: the wrapped lines joined by `\n`, without a trailing newline.
public func wrapText(_ text: String, width: Int, indent: Int = 0) -> String {
    let pad = String(repeating: " ", count: indent)
    let available = max(10, width - indent)
    var output: [String] = []

    /// Breaks one logical line (a paragraph or a list item) into rows.
    func emit(_ line: LogicalLine) {
        var row = ""
        for word in line.words {
            if row.isEmpty {
                row = String(word)
            } else if row.count + 1 + word.count <= available {
                row += " " + word
            } else {
                output.append(pad + row)
                row = String(repeating: " ", count: line.hanging) + word
            }
        }
        if !row.isEmpty { output.append(pad + row) }
    }

    for (index, paragraph) in logicalLines(text).enumerated() {
        if index > 0 { output.append("") }
        paragraph.forEach(emit)
    }
    return output.joined(separator: "\n")
}

/// The same prose as `wrapText` reads it, with each paragraph and list item on one line.
///
/// For text that something else wraps, such as swift-argument-parser's `--help`, which keeps every
/// line break it is given and would otherwise break the source's hard-wrapped lines a second time.
/// Paragraphs stay separated by a blank line and list items by a line break.
func unwrapText(_ text: String) -> String {
    logicalLines(text)
        .map { paragraph in paragraph.map { $0.words.joined(separator: " ") }.joined(separator: "\n") }
        .joined(separator: "\n\n")
}

/// A paragraph or a list item: its words, and how far its continuation rows are indented.
private struct LogicalLine {
    var words: [Substring]
    var hanging: Int
}

/// Splits prose into paragraphs, each a list of logical lines, following `wrapText`'s rules.
private func logicalLines(_ text: String) -> [[LogicalLine]] {
    text.replacingOccurrences("\r\n", "\n").components("\n\n").map { paragraph in
        var lines: [LogicalLine] = []
        var current = LogicalLine(words: [], hanging: 0)
        for rawLine in paragraph.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = rawLine.drop { $0 == " " }
            if let marker = ["- ", "* ", "• "].first(where: { line.hasPrefix($0) }) {
                if !current.words.isEmpty { lines.append(current) }
                current = LogicalLine(words: line.split(separator: " "), hanging: marker.count)
            } else {
                current.words += line.split(separator: " ")
            }
        }
        if !current.words.isEmpty { lines.append(current) }
        return lines
    }
}

extension String {
    fileprivate func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
    /// Splits on `separator`, also treating runs of blank lines as one separator.
    fileprivate func components(_ separator: String) -> [String] {
        split(separator: separator, omittingEmptySubsequences: true)
            .map { String($0) }
            .filter { !$0.allSatisfy { $0 == "\n" || $0 == " " } }
    }
}
