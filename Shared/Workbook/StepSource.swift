import Foundation

/// Why a step's code or a definition cannot be shown, naming the file and line to fix.
public struct SourceError: Error, LocalizedError, Equatable {
    /// The file that could not be read or understood.
    public var file: String
    /// The line the problem is at, when known.
    public var line: Int?
    /// What went wrong.
    public var message: String

    /// `file:line: message`, the form compilers use, so terminals and editors can jump to it.
    public var errorDescription: String? {
        "\(file)\(line.map { ":\($0)" } ?? ""): \(message)"
    }
}

/// Reads a step's code from the chapter's source at run time, so the code shown is the code that runs.
public enum StepSource {
    /// Files already read, by path: a chapter's steps all live in one file.
    private static let cache = SourceFiles()

    /// The body of the trailing closure of the call that starts at `line` of `file`, dedented,
    /// without its `ctx in` line.
    /// - Throws: `SourceError` naming the file when it cannot be read or has no such closure there.
    public static func closureBody(file: String, line: Int) throws -> String {
        try closureBody(cache.read(file).source, file: file, line: line)
    }

    /// As `closureBody(file:line:)`, on source text already in memory.
    public static func closureBody(source: String, file: String = "<source>", line: Int) throws -> String {
        try closureBody(SwiftSource(source), file: file, line: line)
    }

    static func closureBody(_ source: SwiftSource, file: String, line: Int) throws -> String {
        let (brace, end) = try trailingClosure(source, file: file, line: line)
        let tokens = source.tokens
        return stripClosureHeader(source.text(bytes: tokens[brace].range.upperBound..<tokens[end].range.lowerBound))
    }

    /// The lines of the whole call that starts at `line` of `source`, from `book.step(` to the closing
    /// brace of its trailing closure: its title, explanation and code.
    /// - Throws: `SourceError` naming `file` when there is no such call there.
    public static func callLines(source: String, file: String = "<source>", line: Int) throws -> ClosedRange<Int> {
        let parsed = SwiftSource(source)
        let (_, end) = try trailingClosure(parsed, file: file, line: line)
        return line...parsed.lastLine(ofToken: end)
    }

    /// The tokens of the braces of the trailing closure of the call that starts at `line`.
    private static func trailingClosure(_ source: SwiftSource, file: String, line: Int) throws -> (Int, Int) {
        func fail(_ message: String, at line: Int) -> SourceError {
            SourceError(file: file, line: line, message: message)
        }
        if let problem = source.problems.first { throw fail(problem.message, at: problem.line) }
        guard line >= 1 && line <= source.lineCount else {
            throw fail("the file has no line \(line); was it edited without rebuilding?", at: line)
        }
        let tokens = source.tokens
        guard let start = source.firstCodeToken(atOrAfter: source.lineStarts[line - 1]),
            let paren = tokens[start...].firstIndex(where: { $0.isCode && $0.isMark("(") }),
            let close = source.partner(of: paren)
        else {
            throw fail("expected a call such as `book.step(…) { ctx in … }` here", at: line)
        }
        guard let brace = source.nextCodeToken(after: close), tokens[brace].isMark("{"),
            let end = source.partner(of: brace)
        else {
            throw fail("the step's work must be a trailing closure: `book.step(…) { ctx in … }`", at: line)
        }
        return (brace, end)
    }

    /// Drops `ctx in` (or `_ in`) and the lines holding the braces, and dedents what is left.
    static func stripClosureHeader(_ inner: String) -> String {
        var lines = inner.split(separator: "\n", omittingEmptySubsequences: false)
        if let first = lines.first {
            let header = first.drop { $0 == " " }
            // `ctx in`, `_ in`, `(ctx) in` alone on the line, or followed by code on a one-line closure.
            if let range = header.range(of: " in"), header[..<range.lowerBound].allSatisfy(isHeaderCharacter),
                range.upperBound == header.endIndex || header[range.upperBound] == " "
            {
                lines[0] = header[range.upperBound...]
            }
        }
        while let first = lines.first, first.allSatisfy(\.isWhitespace) { lines.removeFirst() }
        while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
        if lines.count == 1 { return String(lines[0].trimmingCharacters(in: .whitespaces)) }
        return dedent(lines)
    }

    private static func isHeaderCharacter(_ c: Character) -> Bool {
        c.isLetter || c.isNumber || c == "_" || c == "(" || c == ")" || c == " " || c == ","
    }
}

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

/// Finds a definition (`Learner`, `Learner.fit`) in `Shared/` or a chapter's file, from its doc
/// comment to its closing brace, so a step shows it as written wherever it has moved.
public final class LibrarySource: @unchecked Sendable {
    /// The package's root: the folder holding `Shared/` and `Chapters/`.
    public let root: URL
    private let files = SourceFiles()
    private var swiftFiles: [String]?
    private let lock = NSLock()

    /// The source this library was built from, located through this file's own path (`#filePath`):
    /// `<root>/Shared/Workbook/StepSource.swift`. The environment variable `WORKBOOK_SOURCE` names
    /// another root (a package that was moved after building; tests).
    public static let built = LibrarySource(
        root: ProcessInfo.processInfo.environment["WORKBOOK_SOURCE"].map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent())

    /// The source under `root` (a folder with `Shared/` in it).
    public init(root: URL) { self.root = root }

    /// Where `name` is defined: first in `extraFiles` (a chapter's `main.swift`), then in `Shared/`.
    /// - Throws: `SourceError` when `Shared/` cannot be read or nothing declares `name`.
    public func find(_ name: String, alsoIn extraFiles: [String] = []) throws -> SourceExcerpt {
        let parts = name.split(separator: ".").map(String.init)
        guard parts.count == 1 || parts.count == 2, parts.allSatisfy({ !$0.isEmpty }) else {
            throw SourceError(file: name, message: "a definition is named `Type` or `Type.member`")
        }
        for path in try extraFiles + librarySwiftFiles() {
            let file = try files.read(path)
            if let problem = file.source.problems.first {
                throw SourceError(file: path, line: problem.line, message: problem.message)
            }
            if let declaration = Self.locate(parts, in: file.declarations) {
                return SourceExcerpt(
                    name: name, file: path, displayPath: relative(path), firstLine: declaration.firstLine,
                    lastLine: declaration.lastLine,
                    text: file.source.text(lines: declaration.firstLine...declaration.lastLine))
            }
        }
        throw SourceError(
            file: root.appendingPathComponent("Shared").path,
            message: "no declaration of `\(name)` was found in any .swift file here")
    }

    /// `path` relative to the root, when it is inside it.
    func relative(_ path: String) -> String {
        let base = root.standardizedFileURL.path + "/"
        return path.hasPrefix(base) ? String(path.dropFirst(base.count)) : path
    }

    /// Every `.swift` file under `Shared/`, sorted so lookups are repeatable.
    private func librarySwiftFiles() throws -> [String] {
        lock.lock()
        defer { lock.unlock() }
        if let swiftFiles { return swiftFiles }
        let shared = root.appendingPathComponent("Shared").standardizedFileURL
        guard let enumerator = FileManager.default.enumerator(atPath: shared.path) else {
            throw SourceError(
                file: shared.path,
                message: "cannot read the library's source, which the workbook shows; was the package moved?")
        }
        var found: [String] = []
        while let item = enumerator.nextObject() as? String {
            if item.hasSuffix(".swift") { found.append(shared.appendingPathComponent(item).path) }
        }
        guard !found.isEmpty else {
            throw SourceError(
                file: shared.path, message: "no .swift files here; the workbook shows the library's source")
        }
        found.sort()
        swiftFiles = found
        return found
    }

    /// The declaration `parts` names among `declarations`: `[name]`, or `[type, member]` for a member
    /// of a type or of one of its extensions.
    static func locate(_ parts: [String], in declarations: [SwiftDeclaration]) -> SwiftDeclaration? {
        if parts.count == 1 {
            // A top-level declaration beats a nested one, and a type or function beats an extension.
            return declarations.filter { $0.name == parts[0] }.min {
                ($0.rank, $0.line) < ($1.rank, $1.line)
            }
        }
        for (index, type) in declarations.enumerated() where type.name == parts[0] && type.isType {
            guard type.body != nil else { continue }
            // A member of the type itself, else something declared deeper inside it.
            let inside = declarations[(index + 1)...].prefix { $0.line <= type.lastLine && $0.depth > type.depth }
            if let member = inside.first(where: { $0.parent == index && $0.name == parts[1] })
                ?? inside.first(where: { $0.name == parts[1] })
            {
                return member
            }
        }
        return nil
    }
}

extension SwiftDeclaration {
    /// Which of several declarations of one name `LibrarySource.find` shows: file level before
    /// nested, a type or function before an extension.
    fileprivate var rank: Int { (depth > 0 ? 2 : 0) + (kind == "extension" ? 1 : 0) }
}

/// A source file as read, with its declarations.
struct ReadSourceFile: Sendable {
    var source: SwiftSource
    var declarations: [SwiftDeclaration]
}

/// Source files read once and kept, keyed by path.
final class SourceFiles: @unchecked Sendable {
    private var read: [String: ReadSourceFile] = [:]
    private let lock = NSLock()

    func read(_ path: String) throws -> ReadSourceFile {
        lock.lock()
        defer { lock.unlock() }
        if let file = read[path] { return file }
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "does not exist"
            throw SourceError(
                file: path,
                message: "this source file \(reason); the workbook shows code from it as the chapter runs. "
                    + "Run the chapter from the package it was built in (`swift run`).")
        }
        let source = SwiftSource(String(decoding: data, as: UTF8.self))
        let file = ReadSourceFile(source: source, declarations: source.declarations())
        read[path] = file
        return file
    }
}
