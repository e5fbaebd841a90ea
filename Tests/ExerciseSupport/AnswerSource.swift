import Foundation

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

    /// A known-wrong answer as `Tests/wrong-answers.sh apply` lays it out: the reference with
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

/// Just enough reading of Swift source to tell which functions call which.
public enum SwiftCode {
    /// `source` with comments and the contents of string literals replaced by spaces.
    public static func strippingCommentsAndStrings(_ source: String) -> String {
        let chars = Array(source.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0, blockDepth = 0
        var inLineComment = false, inString = false, multiline = false
        func at(_ k: Int) -> Unicode.Scalar? { k < chars.count ? chars[k] : nil }
        while i < chars.count {
            let c = chars[i]
            if inLineComment {
                if c == "\n" {
                    inLineComment = false
                    out.append(c)
                } else {
                    out.append(" ")
                }
            } else if blockDepth > 0 {
                if c == "*" && at(i + 1) == "/" {
                    blockDepth -= 1
                    out.append(contentsOf: "  ".unicodeScalars)
                    i += 1
                } else if c == "/" && at(i + 1) == "*" {
                    blockDepth += 1
                    out.append(contentsOf: "  ".unicodeScalars)
                    i += 1
                } else {
                    out.append(c == "\n" ? c : " ")
                }
            } else if inString {
                if c == "\\" {
                    out.append(contentsOf: "  ".unicodeScalars)
                    i += 1
                } else if c == "\"" && (!multiline || (at(i + 1) == "\"" && at(i + 2) == "\"")) {
                    inString = false
                    out.append(c)
                    if multiline {
                        out.append(contentsOf: "\"\"".unicodeScalars)
                        i += 2
                    }
                } else {
                    out.append(c == "\n" ? c : " ")
                }
            } else if c == "/" && at(i + 1) == "/" {
                inLineComment = true
                out.append(" ")
            } else if c == "/" && at(i + 1) == "*" {
                blockDepth = 1
                out.append(contentsOf: "  ".unicodeScalars)
                i += 1
            } else if c == "\"" {
                inString = true
                multiline = at(i + 1) == "\"" && at(i + 2) == "\""
                out.append(c)
                if multiline {
                    out.append(contentsOf: "\"\"".unicodeScalars)
                    i += 2
                }
            } else {
                out.append(c)
            }
            i += 1
        }
        return String(out)
    }

    /// Every `func name(…) { body }` in `code` (nested ones too), as name and body text.
    public static func functions(in code: String) -> [(name: String, body: String)] {
        let chars = Array(code)
        var found: [(String, String)] = []
        var searchFrom = code.startIndex
        while let range = code.range(
            of: #"\bfunc\s+([A-Za-z_][A-Za-z0-9_]*)"#, options: .regularExpression, range: searchFrom..<code.endIndex)
        {
            let header = String(code[range])
            let name = String(header.split(whereSeparator: \.isWhitespace).last ?? "")
            let offset = code.distance(from: code.startIndex, to: range.upperBound)
            // The body is the first brace block after the signature.
            var k = offset
            while k < chars.count && chars[k] != "{" { k += 1 }
            var depth = 0, end = k
            while end < chars.count {
                if chars[end] == "{" { depth += 1 }
                if chars[end] == "}" {
                    depth -= 1
                    if depth == 0 { break }
                }
                end += 1
            }
            if k < chars.count { found.append((name, String(chars[(k + 1)..<min(end, chars.count)]))) }
            searchFrom = range.upperBound
        }
        return found
    }

    /// Whether `name` is mentioned in `text` as a whole identifier: called (`name(…)`, also qualified,
    /// `Exercise16.name(…)`) or passed as a function value (`.map(name)`).
    public static func mentions(_ name: String, in text: String) -> Bool {
        text.range(of: #"(?<![A-Za-z0-9_])"# + name + #"(?![A-Za-z0-9_])"#, options: .regularExpression) != nil
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
