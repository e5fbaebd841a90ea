import Foundation

/// The answer regions of an exercise's files: the learner writes between `// MARK: - Answer` and
/// `// MARK: - End of answer` (`<!-- Answer -->` … `<!-- End of answer -->` in Markdown), and
/// everything outside them is the same in `Exercises/`, `Solutions/` and every learner's copy.
public enum AnswerRegions {
    /// Lines that open and close an answer region, in Swift and in Markdown files.
    public static let opening: Set<String> = ["// MARK: - Answer", "<!-- Answer -->"]
    public static let closing: Set<String> = ["// MARK: - End of answer", "<!-- End of answer -->"]

    /// What is wrong with a file's markers, and on which line (0: at the end).
    public struct MarkerError: Error, Equatable, CustomStringConvertible {
        public let line: Int
        public let problem: String

        public init(line: Int, problem: String) {
            self.line = line
            self.problem = problem
        }

        public var description: String { line > 0 ? "line \(line): \(problem)" : problem }
    }

    /// A file cut at its answer regions: the text outside them (one chunk before each region and one
    /// after the last), or what is wrong with its markers.
    public static func outside(_ text: String) -> Result<[String], MarkerError> {
        var chunks: [String] = [], current: [String] = [], inside = false
        for (number, line) in text.components(separatedBy: "\n").enumerated() {
            let marker = line.trimmingCharacters(in: .whitespaces)
            if opening.contains(marker) {
                if inside {
                    return .failure(MarkerError(line: number + 1, problem: "an answer region opens inside another"))
                }
                inside = true
                current.append(line)
                chunks.append(current.joined(separator: "\n"))
                current = []
            } else if closing.contains(marker) {
                if !inside {
                    return .failure(MarkerError(line: number + 1, problem: "an answer region closes without opening"))
                }
                inside = false
                current.append(line)
            } else if !inside {
                current.append(line)
            }
        }
        if inside { return .failure(MarkerError(line: 0, problem: "an answer region never closes")) }
        chunks.append(current.joined(separator: "\n"))
        return .success(chunks)
    }

    /// Whether `answer` changes `stub` only inside answer regions; otherwise what differs, for a report.
    public static func changesOutside(answer: String, stub: String) -> String? {
        switch (outside(answer), outside(stub)) {
        case (.failure(let error), _): return "its answer markers are broken (\(error))"
        case (_, .failure): return nil
        case (.success(let mine), .success(let original)):
            if mine.count != original.count {
                return "it has \(mine.count - 1) answer regions where the exercise has \(original.count - 1)"
            }
            if let k = zip(mine, original).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
                return k < mine.count - 1
                    ? "the text before answer region \(k + 1) was changed"
                    : "the text after the last answer region was changed"
            }
            return nil
        }
    }
}
