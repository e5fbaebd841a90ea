import Foundation

/// Why the workbook could not show a step's code or a definition: names the file, and the line when
/// there is one, so the reader knows what to fix.
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

/// Reads the code of steps out of the chapter's own source, at run time.
///
/// A step is written once, as a closure; the workbook shows that closure's body, cut from the file
/// at the line `#line` recorded for the `book.step(` call. So the code shown is the code that runs,
/// and a learner who edits a step (and runs it again, which rebuilds it) sees the edit.
public enum StepSource {
    /// Files already read, by path: a chapter's steps all live in one file.
    private static let cache = SourceFiles()

    /// The body of the trailing closure of the call that starts at `line` of `file`, dedented,
    /// without its `ctx in` line.
    /// - Throws: `SourceError` naming the file when it cannot be read or has no such closure there.
    public static func closureBody(file: String, line: Int) throws -> String {
        let scanner = try cache.scanner(for: file)
        return try closureBody(scanner, file: file, line: line)
    }

    /// As `closureBody(file:line:)`, on source text already in memory.
    public static func closureBody(source: String, file: String = "<source>", line: Int) throws -> String {
        try closureBody(SwiftSourceScanner(source), file: file, line: line)
    }

    static func closureBody(_ scanner: SwiftSourceScanner, file: String, line: Int) throws -> String {
        func fail(_ message: String, at line: Int) -> SourceError {
            SourceError(file: file, line: line, message: message)
        }
        do {
            guard let start = scanner.offset(ofLine: line) else {
                throw fail("the file has no line \(line); was it edited without rebuilding?", at: line)
            }
            guard let paren = try scanner.first(UInt8(ascii: "("), from: start) else {
                throw fail("expected a call such as `book.step(…) { ctx in … }` here", at: line)
            }
            let close = try scanner.matching(paren)
            let brace = try scanner.skipSpaceAndComments(from: close + 1)
            guard brace < scanner.bytes.count, scanner.bytes[brace] == UInt8(ascii: "{") else {
                throw fail("the step's work must be a trailing closure: `book.step(…) { ctx in … }`", at: line)
            }
            let end = try scanner.matching(brace)
            let inner = String(decoding: scanner.bytes[(brace + 1)..<end], as: UTF8.self)
            return stripClosureHeader(inner)
        } catch let error as SwiftSourceScanner.ScanError {
            throw fail(error.message, at: error.line)
        }
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

/// Finds definitions by name in the library's source (and a chapter's own file), so a step can show
/// `Learner` or `SGD` as they are written, wherever they have moved to.
///
/// A name is a declared type, function, property or initialiser (`Learner`, `collate`, `SGD`), or a
/// member of a type, `Type.member` (`Learner.fit`). The excerpt starts at the doc comment above the
/// declaration and ends at its closing brace (or at the end of its line when it has no body).
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
            let scanner = try files.scanner(for: path)
            if let (first, last) = try locate(parts, in: scanner, file: path) {
                return SourceExcerpt(
                    name: name, file: path, displayPath: relative(path), firstLine: first, lastLine: last,
                    text: scanner.text(lines: first, last))
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

    /// The lines of the declaration `parts` in `scanner`: a top-level one, or a member of a type.
    private func locate(_ parts: [String], in scanner: SwiftSourceScanner, file: String) throws -> (Int, Int)? {
        do {
            let lineCount = scanner.lineStarts.count
            if parts.count == 1 {
                // A top-level declaration beats a nested one, and a type or function beats an extension.
                let candidates = (1...lineCount).compactMap { line -> (line: Int, rank: Int)? in
                    let text = scanner.text(lines: line, line)
                    guard let declared = Self.declaredName(text), declared.name == parts[0] else { return nil }
                    let nested = text.first == " " || text.first == "\t"
                    return (line, (nested ? 2 : 0) + (declared.isExtension ? 1 : 0))
                }
                guard let line = candidates.min(by: { ($0.rank, $0.line) < ($1.rank, $1.line) })?.line else {
                    return nil
                }
                return (Self.docStart(scanner, line), try declarationEnd(scanner, line: line))
            }
            for line in 1...lineCount {
                guard let declared = Self.declaredName(scanner.text(lines: line, line)), declared.name == parts[0],
                    declared.isType
                else { continue }
                let end = try declarationEnd(scanner, line: line)
                guard end > line else { continue }
                for member in (line + 1)..<end
                where Self.declaredName(scanner.text(lines: member, member))?.name == parts[1] {
                    return (Self.docStart(scanner, member), try declarationEnd(scanner, line: member))
                }
            }
            return nil
        } catch let error as SwiftSourceScanner.ScanError {
            throw SourceError(file: file, line: error.line, message: error.message)
        }
    }

    /// The last line of the declaration starting at `line`: its closing brace, or the end of the
    /// statement when it has no body (a stored property, a protocol requirement).
    private func declarationEnd(_ scanner: SwiftSourceScanner, line: Int) throws -> Int {
        var i = scanner.lineStarts[line - 1]
        var depth = 0
        while i < scanner.bytes.count {
            if let next = try scanner.skipTrivia(at: i) {
                i = next
                continue
            }
            switch scanner.bytes[i] {
            case UInt8(ascii: "("), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: ")"), UInt8(ascii: "]"): depth -= 1
            case UInt8(ascii: "{") where depth == 0: return scanner.line(at: try scanner.matching(i))
            case UInt8(ascii: "\n") where depth == 0: return scanner.line(at: i)
            default: break
            }
            i += 1
        }
        return scanner.lineStarts.count
    }

    /// The first line of the doc comment and attributes directly above `line`.
    private static func docStart(_ scanner: SwiftSourceScanner, _ line: Int) -> Int {
        var first = line
        while first > 1 {
            let above = scanner.text(lines: first - 1, first - 1).drop { $0 == " " }
            guard above.hasPrefix("///") || above.hasPrefix("@") else { break }
            first -= 1
        }
        return first
    }

    /// What a line declares, if it starts a declaration: `public final class Learner {` → `Learner`.
    static func declaredName(_ line: String) -> (name: String, isType: Bool, isExtension: Bool)? {
        var rest = Substring(line).drop { $0 == " " || $0 == "\t" }
        func word() -> Substring {
            rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "@" }
        }
        while true {
            let w = word()
            if w.hasPrefix("@") {
                rest = rest.dropFirst(w.count)
                if rest.first == "(" {
                    var depth = 0
                    while let c = rest.first {
                        rest.removeFirst()
                        if c == "(" { depth += 1 }
                        if c == ")" { depth -= 1 }
                        if depth == 0 { break }
                    }
                }
            } else if modifiers.contains(String(w)) {
                rest = rest.dropFirst(w.count)
                if rest.hasPrefix("(set)") { rest = rest.dropFirst(5) }
            } else if w == "class", rest.dropFirst(5).drop(while: { $0 == " " }).hasPrefix("func") {
                rest = rest.dropFirst(5)  // `class func`: a modifier here
            } else {
                break
            }
            rest = rest.drop { $0 == " " }
        }
        let keyword = String(word())
        guard keywords.contains(keyword) else { return nil }
        if keyword == "init" || keyword == "subscript" { return (keyword, false, false) }
        rest = rest.dropFirst(keyword.count)
        guard rest.first == " " else { return nil }
        rest = rest.drop { $0 == " " }
        let operatorCharacters = Set("/=-+!*%<>&|^~?.")
        let name: Substring
        if let first = rest.first, operatorCharacters.contains(first) {
            name = rest.prefix { operatorCharacters.contains($0) }
        } else {
            name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
        }
        guard !name.isEmpty else { return nil }
        let isType = ["class", "struct", "enum", "protocol", "actor", "extension"].contains(keyword)
        return (String(name), isType, keyword == "extension")
    }

    private static let modifiers: Set<String> = [
        "public", "package", "open", "internal", "private", "fileprivate", "final", "override", "static", "mutating",
        "nonmutating", "nonisolated", "indirect", "convenience", "required", "lazy", "dynamic", "weak",
        "unowned", "prefix", "postfix", "infix"
    ]
    private static let keywords: Set<String> = [
        "class", "struct", "enum", "protocol", "actor", "extension", "func", "typealias", "var", "let", "init",
        "subscript", "case"
    ]
}

/// Source files read once and kept, keyed by path.
final class SourceFiles: @unchecked Sendable {
    private var scanners: [String: SwiftSourceScanner] = [:]
    private let lock = NSLock()

    func scanner(for path: String) throws -> SwiftSourceScanner {
        lock.lock()
        defer { lock.unlock() }
        if let scanner = scanners[path] { return scanner }
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "does not exist"
            throw SourceError(
                file: path,
                message: "this source file \(reason); the workbook shows code from it as the chapter runs. "
                    + "Run the chapter from the package it was built in (`swift run`).")
        }
        let scanner = SwiftSourceScanner(String(decoding: data, as: UTF8.self))
        scanners[path] = scanner
        return scanner
    }
}
