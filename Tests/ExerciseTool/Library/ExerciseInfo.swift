import Foundation

/// What `Tests/ExerciseChecks/<N>/Exercise.md` says an exercise is: its question and its hints.
///
/// The file is a title (`# Exercise 16`), the question as one paragraph, then one `## ` section per
/// hint, gentlest first. The exercise's number is its folder's name and its order the questionnaire's
/// (`Exercise.precedes`), so a new exercise adds its own file and edits no list.
public struct ExerciseInfo: Equatable {
    /// One hint: a short title and its paragraphs.
    public struct Hint: Equatable {
        public let title: String
        public let paragraphs: [String]
    }

    /// "Question 16. Write a recursive function …", on one line.
    public let question: String
    public let hints: [Hint]

    /// What is wrong with an `Exercise.md`, and where.
    public struct FormatError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Reads the text of an `Exercise.md`; `file` names it in errors.
    public init(markdown text: String, file: String) throws {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)[...]
        guard let title = lines.popFirst(), title.hasPrefix("# ") else {
            throw FormatError(description: "\(file):1: the first line must be a title: # Exercise N")
        }
        var sections: [(title: String, lines: [String])] = [("", [])]
        for line in lines {
            if line.hasPrefix("## ") {
                sections.append((String(line.dropFirst(3)).trimmingCharacters(in: .whitespaces), []))
            } else {
                sections[sections.count - 1].lines.append(line)
            }
        }
        let opening = Self.paragraphs(sections[0].lines)
        guard let question = opening.first else {
            throw FormatError(description: "\(file): the question must follow the title, as one paragraph")
        }
        self.question = question
        hints = sections.dropFirst().map { Hint(title: $0.title, paragraphs: Self.paragraphs($0.lines)) }
        if let empty = hints.first(where: { $0.paragraphs.isEmpty }) {
            throw FormatError(description: "\(file): the hint \"\(empty.title)\" has no text")
        }
    }

    /// Reads the `Exercise.md` of `exercise` in the workbook at `root`.
    public init(of exercise: Exercise, root: URL) throws {
        let path = "\(exercise.checksFolder)/Exercise.md"
        guard let text = try? String(contentsOf: root.appendingPathComponent(path), encoding: .utf8) else {
            throw FormatError(
                description: "\(path) is missing: it holds the question and the hints of \(exercise.number)")
        }
        try self.init(markdown: text, file: path)
    }

    /// Lines joined into paragraphs: a blank line ends one, and a paragraph's lines become one line.
    static func paragraphs(_ lines: [String]) -> [String] {
        var result: [String] = [], current: [String] = []
        for line in lines + [""] {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty {
                if !current.isEmpty { result.append(current.joined(separator: " ")) }
                current = []
            } else {
                current.append(trimmed)
            }
        }
        return result
    }
}
