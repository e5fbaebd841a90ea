import Foundation

/// Finds a definition (`Learner`, `Learner.fit`) in `Shared/` or a chapter's file, from its doc
/// comment to its closing brace, so a step shows it as written wherever it has moved.
public final class LibrarySource: @unchecked Sendable {
    /// The package's root: the folder holding `Shared/` and `Chapters/`.
    public let root: URL
    private let files = SourceFiles()
    private var swiftFiles: [String]?
    private let lock = NSLock()

    /// The source this library was built from, located through this file's own path (`#filePath`):
    /// `<root>/Shared/Workbook/LibrarySource.swift`. The environment variable `WORKBOOK_SOURCE` names
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
