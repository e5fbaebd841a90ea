import Foundation

/// A failure to read, decode or write an image file, naming the file and what went wrong — usually
/// libjpeg's or libpng's own message ("Premature end of JPEG file", "Not a JPEG file: starts with
/// 0x68 0x65").
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
