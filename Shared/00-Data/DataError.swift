import Foundation

/// A problem with a data folder, a download or an archive, naming the path or URL concerned and
/// what to do about it where there is something to do.
public struct DataError: Error, LocalizedError, CustomStringConvertible, Equatable {
    /// The file, folder or URL concerned.
    public let path: String
    /// What went wrong.
    public let message: String

    /// An error about `path`.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
    public var errorDescription: String? { description }
}
