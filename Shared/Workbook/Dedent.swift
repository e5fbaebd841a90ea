/// Removes the indentation all non-blank lines share, and trailing spaces.
func dedent(_ lines: [Substring]) -> String {
    let trimmed = lines.map { line -> Substring in
        var line = line
        while line.last == " " || line.last == "\t" || line.last == "\r" { line.removeLast() }
        return line
    }
    let indent =
        trimmed.filter { !$0.isEmpty }.map { $0.prefix { $0 == " " || $0 == "\t" }.count }.min() ?? 0
    return trimmed.map { $0.isEmpty ? "" : String($0.dropFirst(indent)) }.joined(separator: "\n")
}
