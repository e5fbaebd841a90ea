/// A definition's source as it stands in its file: which file, which lines, and the text of them.
public struct SourceExcerpt: Codable, Equatable, Sendable {
    /// The name asked for, e.g. `Learner` or `Learner.fit`.
    public var name: String
    /// The file, as an absolute path.
    public var file: String
    /// The file relative to the package's root, e.g. `Shared/05-Learner/Learner.swift`.
    public var displayPath: String
    /// First line (from 1) of the excerpt: its doc comment's, when it has one.
    public var firstLine: Int
    /// Last line of the excerpt: the closing brace's, or the declaration's own for one without a body.
    public var lastLine: Int
    /// The lines, exactly as in the file.
    public var text: String
}

extension SourceExcerpt {
    /// `lines 8–40` as the terminal and the page head an excerpt, with the member's full name when it is
    /// one (`lines 8–40 (EpochState.work)`): its own lines may not say which type it belongs to.
    var location: String {
        let lines = firstLine == lastLine ? "line \(firstLine)" : "lines \(firstLine)–\(lastLine)"
        return name.contains(".") ? "\(lines) (\(name))" : lines
    }
}
