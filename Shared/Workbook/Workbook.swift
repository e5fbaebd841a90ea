import Engine
import Foundation
import Media
import Support

/// The step-through runner behind every chapter: a notebook in the terminal.
///
/// ```swift
/// let book = Workbook(title: "05 · Learner", about: "Training loop from scratch.", epochs: 1, lr: 0.1)
/// var model: Sequential!
/// book.step("A model", explain: "Four stride-2 convolutions…", showing: ["simpleCNN"]) { ctx in
///     model = simpleCNN()
/// }
/// book.run()
/// ```
///
/// Each step shows its explanation, the definitions it names and its own code, read from the source
/// as it runs (`StepSource`) so they cannot drift apart, then its output; in a terminal it pauses
/// after each. `--from N` runs the earlier steps quietly, since later ones use what they build. Each
/// run also writes its page (`NotebookPage`).
public final class Workbook {
    /// Where definitions are looked up: the source this library was built from (or `WORKBOOK_SOURCE`).
    public static let librarySource = LibrarySource.built

    /// `nil` when a GPU backend is usable (OpenCL, registered on the way), else why not; tests replace it.
    nonisolated(unsafe) public static var gpuUnavailableReason: () -> String? = {
        enableGPU() ? nil : (OpenCLBackend.unavailableReason ?? "no OpenCL device was found")
    }

    /// Prose is wrapped to the terminal's width, but never wider than this: long lines are hard to read.
    public static let proseWidth = 88

    /// The chapter's title, e.g. "05 · Learner".
    public let title: String
    /// What the chapter is about; printed under the title and in `--help`.
    public let about: String
    /// Default of `--epochs` for this chapter.
    public let defaultEpochs: Int
    /// Default of `--lr` for this chapter.
    public let defaultLR: Float
    /// Default of `--data` for this chapter, if it has one.
    public let defaultData: String?
    /// The command's name in `--help`; defaults to the executable's file name.
    public let commandName: String
    /// The steps, in the order they run.
    public private(set) var steps: [Step] = []

    /// A chapter with no steps yet.
    /// - Parameters:
    ///   - title: shown at the top and in `--help`.
    ///   - about: a sentence or two on what the chapter does.
    ///   - epochs: default for `--epochs`.
    ///   - lr: default for `--lr`.
    ///   - data: default for `--data`.
    ///   - commandName: name shown in usage lines; by default the executable's name.
    public init(
        title: String, about: String = "", epochs: Int = 1, lr: Float = 0.1, data: String? = nil,
        commandName: String? = nil
    ) {
        self.title = title
        self.about = about
        self.defaultEpochs = epochs
        self.defaultLR = lr
        self.defaultData = data
        self.commandName =
            commandName
            ?? CommandLine.arguments.first.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "chapter"
    }

    /// Adds a step to the end of the chapter.
    /// - Parameters:
    ///   - title: a short title.
    ///   - explain: a few sentences on what the step shows and why.
    ///   - definitions: names of definitions the step introduces, shown from their source files:
    ///     a type or function (`Learner`, `collate`) or a member (`Learner.fit`). Looked up in the
    ///     chapter's own file first, then in `Shared/`.
    ///   - file, line: where the call is; leave the defaults. The step's code is read from there.
    ///   - body: the step as a trailing closure, whose body is the code shown; throwing stops the chapter.
    public func step(
        _ title: String, explain: String = "", showing definitions: [String] = [], file: String = #filePath,
        line: Int = #line, _ body: @escaping (StepContext) throws -> Void
    ) {
        steps.append(
            Step(title: title, explain: explain, definitions: definitions, file: file, line: line, body: body))
    }

    /// Runs the chapter with the process's arguments and terminal, then exits with its status.
    public func run() -> Never {
        exit(
            run(
                arguments: Array(CommandLine.arguments.dropFirst()), console: .standard(),
                pageFolder: OutputFolder.output))
    }

    /// An error's message: `LocalizedError.errorDescription` when it has one, else its description.
    package static func describe(_ error: Error) -> String {
        if let localized = error as? LocalizedError, let description = localized.errorDescription {
            return description
        }
        return String(describing: error)
    }
}
