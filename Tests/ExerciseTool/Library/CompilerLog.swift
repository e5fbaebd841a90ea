import Foundation

/// What `swift build` said, read for the compiler's errors in some folders only: the learner sees the
/// errors in their own files, not the rest of the log.
public struct CompilerLog {
    let lines: [String]

    public init(_ text: String) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// Each error in a Swift file under one of `folders` ("Exercises/16-Fibonacci/"), with the source
    /// excerpt the compiler prints under it, each line once and at most `limit` lines. The lines keep
    /// their `file:line:col: error:` form, unindented, for an editor's problem matcher.
    public func errors(in folders: [String], limit: Int = 60) -> [String] {
        var kept: [String] = [], seen: Set<String> = [], keeping = false
        for line in lines {
            if let diagnostic = Self.diagnostic(line) {
                keeping = diagnostic.kind == "error" && folders.contains { diagnostic.file.contains($0) }
            } else if line.hasPrefix("[") || line.hasPrefix("Build") || line.hasPrefix("error: ")
                || line.hasPrefix("warning: ")
            {
                keeping = false
            }
            if keeping, seen.insert(line).inserted { kept.append(line) }
        }
        return Array(kept.prefix(limit))
    }

    /// Whether some error is in a Swift file under one of `folders`.
    public func hasErrors(in folders: [String]) -> Bool { !errors(in: folders, limit: 1).isEmpty }

    /// The file and kind of a `path.swift:12:5: error: …` line.
    static func diagnostic(_ line: String) -> (file: String, kind: String)? {
        guard let swift = line.range(of: ".swift:") else { return nil }
        let parts = line[swift.upperBound...].split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count >= 3, Int(parts[0]) != nil, Int(parts[1]) != nil else { return nil }
        let kind = parts[2].trimmingCharacters(in: .whitespaces)
        guard ["error", "warning", "note"].contains(kind) else { return nil }
        return (String(line[..<swift.upperBound].dropLast()), kind)
    }
}
