import Foundation
import Shared

/// Where an answer's Swift files are, for the checks that read how an answer is written (question 16
/// asks for a *recursive* function, which no output can prove).
public struct AnswerSource {
    /// The folder of the answer's Swift files.
    public let folder: URL

    public init(folder: URL) { self.folder = folder }

    /// The repository root, found from this file's path (`Tests/ExerciseSupport/…`).
    public static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The student's answer to the exercise in `Exercises/<folder>/Sources`.
    public static func exercises(_ folder: String) -> AnswerSource {
        AnswerSource(folder: repositoryRoot.appendingPathComponent("Exercises/\(folder)/Sources"))
    }

    /// The reference answer in `Solutions/<folder>/Sources`.
    public static func solutions(_ folder: String) -> AnswerSource {
        AnswerSource(folder: repositoryRoot.appendingPathComponent("Solutions/\(folder)/Sources"))
    }

    /// A known-wrong answer as `workbook wrong-answer apply` lays it out: the reference with
    /// `Tests/WrongAnswers/<exercise>/<slug>.diff` applied, in `.build/wrong-answers/<exercise>/<slug>`.
    public static func wrongAnswer(_ exercise: String, _ slug: String) -> AnswerSource {
        AnswerSource(folder: repositoryRoot.appendingPathComponent(".build/wrong-answers/\(exercise)/\(slug)"))
    }

    /// The text of every `.swift` file in the folder, with comments and string literals blanked out
    /// (so that a call mentioned in a comment or a `todo` text does not count), joined.
    public func code() throws -> String {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".swift") }.sorted()
        return try names.map { name in
            SwiftCode.strippingCommentsAndStrings(
                try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8))
        }.joined(separator: "\n")
    }
}

/// Which functions of an answer call which, read with the workbook's Swift reader (`SwiftSource`).
public enum SwiftCode {
    /// `source` with comments and string literals replaced by spaces (the code in their
    /// interpolations stays: it runs).
    public static func strippingCommentsAndStrings(_ source: String) -> String {
        SwiftSource(source).blankingCommentsAndStrings()
    }

    /// Every `func name(…) { body }` in `code` (nested ones too), as name and body text.
    public static func functions(in code: String) -> [(name: String, body: String)] {
        let source = SwiftSource(code)
        return source.declarations().compactMap { declaration in
            guard declaration.kind == "func", let body = source.bodyText(of: declaration) else { return nil }
            return (declaration.name, body)
        }
    }

    /// Whether `name` is used in `text`'s code as a name: called (`name(…)`, also qualified,
    /// `Exercise16.name(…)`) or passed as a function value (`.map(name)`); not in a comment or string.
    public static func mentions(_ name: String, in text: String) -> Bool {
        SwiftSource(text).uses(name)
    }

    /// Whether the function `name` is recursive: it calls itself, directly or through other functions
    /// written in `code` (a helper that calls itself counts too).
    public static func isRecursive(_ name: String, in code: String) -> Bool {
        let all = functions(in: code)
        var bodies: [String: [String]] = [:]
        for (fname, body) in all { bodies[fname, default: []].append(body) }
        // The functions each one calls, among those written in the code.
        func callees(_ fname: String) -> Set<String> {
            Set(bodies.keys.filter { callee in bodies[fname, default: []].contains { mentions(callee, in: $0) } })
        }
        // A function reachable from `name` that can reach itself again.
        var reachable: Set<String> = [], frontier = [name]
        while let next = frontier.popLast() {
            for callee in callees(next) where !reachable.contains(callee) {
                reachable.insert(callee)
                frontier.append(callee)
            }
        }
        return reachable.contains { candidate in
            var seen: Set<String> = [], stack = Array(callees(candidate))
            while let f = stack.popLast() {
                if f == candidate { return true }
                if seen.insert(f).inserted { stack.append(contentsOf: callees(f)) }
            }
            return false
        } || reachable.contains(name)
    }
}
