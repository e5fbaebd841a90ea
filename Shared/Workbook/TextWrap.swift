/// Word-wraps prose to `width` columns, `indent` spaces in. Blank lines split paragraphs, single line
/// breaks are spaces (so source can be hard-wrapped), and `- `, `* `, `• ` items get a hanging indent.
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

/// The prose with each paragraph and list item on one line, for what wraps it itself (`--help`).
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
