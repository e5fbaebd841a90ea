/// Lines broken between words to fit a width, the way the tool's screens are laid out.
public enum TextWrapping {
    /// The markers that open a line of a verdict or a list; the lines after them align with its text.
    static let markers: Set<Character> = ["✔", "✘", "⏱", "⚠", "·", "-", "•"]

    /// `line` broken at spaces into lines of at most `width` columns. The lines after the first start
    /// with `indent` spaces, or, when `indent` is nil, under the text of the first: after its leading
    /// spaces and its marker (`  ✘ name: …` continues under `name`). A word longer than a line stands
    /// alone, unbroken. A line that fits is left as it is, its runs of spaces (a table's columns) too.
    public static func wrap(_ line: String, width: Int, indent: Int? = nil) -> [String] {
        if line.count <= width { return [line] }
        let leading = line.prefix { $0 == " " }.count
        let body = line.dropFirst(leading)
        var hanging = indent ?? leading
        if indent == nil, let first = body.first, markers.contains(first), body.dropFirst().first == " " {
            hanging += 2
        }
        let words = body.split(separator: " ", omittingEmptySubsequences: true)
        guard !words.isEmpty else { return [line] }
        var lines: [String] = []
        var current = String(repeating: " ", count: leading) + words[0]
        var currentWidth = leading + words[0].count
        for word in words.dropFirst() {
            if currentWidth + 1 + word.count <= width {
                current += " " + word
                currentWidth += 1 + word.count
            } else {
                lines.append(current)
                current = String(repeating: " ", count: hanging) + word
                currentWidth = hanging + word.count
            }
        }
        lines.append(current)
        return lines
    }

    /// `text` wrapped line by line (each line of `text` keeps its own indent).
    public static func wrapLines(_ text: String, width: Int) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .flatMap { wrap(String($0), width: width) }.joined(separator: "\n")
    }
}
