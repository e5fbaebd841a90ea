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
