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
    func emit(_ words: [Substring], hanging: Int) {
        var line = ""
        for word in words {
            if line.isEmpty {
                line = String(word)
            } else if line.count + 1 + word.count <= available {
                line += " " + word
            } else {
                output.append(pad + line)
                line = String(repeating: " ", count: hanging) + word
            }
        }
        if !line.isEmpty { output.append(pad + line) }
    }

    let paragraphs = text.replacingOccurrences("\r\n", "\n").components("\n\n")
    for (index, paragraph) in paragraphs.enumerated() {
        if index > 0 { output.append("") }
        var words: [Substring] = []
        var hanging = 0
        for rawLine in paragraph.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = rawLine.drop { $0 == " " }
            if let marker = ["- ", "* ", "• "].first(where: { line.hasPrefix($0) }) {
                if !words.isEmpty { emit(words, hanging: hanging) }
                words = line.split(separator: " ")
                hanging = marker.count
            } else {
                words += line.split(separator: " ")
            }
        }
        if !words.isEmpty { emit(words, hanging: hanging) }
    }
    return output.joined(separator: "\n")
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
