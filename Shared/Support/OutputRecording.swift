import Foundation

/// Keeps a step's text, pictures and tables for its page; lower layers report here, never to the runner.
public protocol OutputRecorder: AnyObject {
    /// Text the step printed (a line with its newline, or several).
    func text(_ text: String)
    /// A picture the step wrote to `url` (a PNG), with what it shows.
    func picture(at url: URL, caption: String?)
    /// Starts a table with these column names; rows follow with `row`.
    func beginTable(_ header: [String])
    /// Adds a row to the table begun last.
    func row(_ cells: [String])
}

/// The recorder of the step running on this thread: per thread, because tests run several workbooks.
public enum OutputRecording {
    private static let key = "Shared.OutputRecording.current"

    /// The recorder of the step running on this thread, or `nil` (no page is being made).
    public static var current: OutputRecorder? {
        (Thread.current.threadDictionary[key] as? Box)?.recorder
    }

    /// Runs `body` with `recorder` as this thread's recorder, then restores the one before.
    public static func with<T>(_ recorder: OutputRecorder?, _ body: () throws -> T) rethrows -> T {
        let dictionary = Thread.current.threadDictionary
        let saved = dictionary[key]
        dictionary[key] = recorder.map(Box.init)
        defer { dictionary[key] = saved }
        return try body()
    }

    /// Prints `line` to standard output, as `print` does, and hands it to the current recorder: for
    /// library code that prints outside a step's context (a hook, `showImage`) and wants its words on
    /// the page too.
    public static func print(_ line: String) {
        Swift.print(line)
        current?.text(line + "\n")
    }

    /// A class around the existential, since a thread dictionary keeps objects.
    private final class Box {
        weak var recorder: OutputRecorder?
        init(_ recorder: OutputRecorder) { self.recorder = recorder }
    }
}
