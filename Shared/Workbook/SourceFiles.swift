import Foundation

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
