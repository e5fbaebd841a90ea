import Foundation

/// An image file that could not be read, decoded or written, with libjpeg's or libpng's message.
public struct ImageFileError: Error, LocalizedError, CustomStringConvertible, Equatable {
    /// The file concerned.
    public let path: String
    /// What went wrong, in the words of the library that noticed.
    public let message: String

    /// An error about `path`.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
    public var errorDescription: String? { description }
}
