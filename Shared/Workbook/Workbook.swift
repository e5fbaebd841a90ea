import Engine
import Foundation
import Media
import Support

/// The step-through runner behind every chapter executable.
///
/// A chapter's `main.swift` declares the variables its steps share, adds the steps in order, and
/// hands over to `run()`:
///
/// ```swift
/// import Shared
///
/// let book = Workbook(title: "05 · Learner", about: "Training loop from scratch.", epochs: 1, lr: 0.1)
/// var model: Sequential!
///
/// book.step("A model", explain: "Four stride-2 convolutions, a pool and a linear layer.",
///           showing: ["simpleCNN"]) { ctx in
///     model = simpleCNN()
///     ctx.print(model.parameters().count, "parameter tensors")
/// }
/// book.step("Fit", explain: "One epoch of SGD.", showing: ["Learner.fit"]) { ctx in
///     try Learner(model, …, lr: ctx.lr).fit(ctx.epochs)
/// }
/// book.run()
/// ```
///
/// Each step prints a numbered title, its explanation wrapped to the terminal, the definitions it
/// introduces (`showing:`, looked up by name in `Shared/` and in the chapter's own file, and shown as
/// they stand in their file, with the file and lines), the code it runs after a `›`, then whatever it
/// prints. The code is not a copy: it is the body of the step's closure, read from the chapter's
/// source at run time (`StepSource`), so it cannot drift from what runs, and an edited step shows its
/// edit. Lines that print (`ctx.print`, `ctx.show`) are part of that code, like a notebook cell's
/// last expression. In a terminal (stdin and stdout both TTYs) the runner waits after
/// each step: Enter goes on, `q` stops. Otherwise it runs straight through. Flags: `--data`,
/// `--device cpu|gpu`, `--epochs`, `--lr`, `--quick`, `--seed`, `--list`, `--from N`, `--no-pause`,
/// `--watch` (run again on every save: `ChapterWatch`), `--help`.
///
/// `--from N` still runs steps 1…N-1, silently, because later steps use the state they build; a
/// chapter that wants to skip heavy work there can check `ctx.isQuiet`.
///
/// A step that throws ends the run with `error: <message>` on stderr and exit status 1.
///
/// Each run also writes its page, `<out>/<command name>.html` (`NotebookPage`): the steps as shown,
/// with what they printed, tabulated and drew, the way a notebook keeps a session; `--no-html` skips
/// it. What steps show reaches the page through the context (`ctx.print`, `ctx.table`,
/// `ctx.showPlot`) and `OutputRecording`; a plain `print` reaches only the terminal.
public final class Workbook {
    /// Where definitions are looked up: the source this library was built from (or `WORKBOOK_SOURCE`).
    public static let librarySource = LibrarySource.built

    /// Whether `--device gpu` can be honoured: returns `nil` when a GPU backend is usable, or a reason
    /// it is not, which the runner prints before falling back to the CPU.
    ///
    /// By default it asks the OpenCL backend for a device, which registers the backend with
    /// `GPUBackendRegistry` when one exists; tests can replace it.
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
    ///   - body: the step, written as a trailing closure (its body is the code shown); prints through
    ///     `ctx.print` (plain `print` works too, but bypasses test consoles) and may throw to stop
    ///     the chapter with an error.
    public func step(
        _ title: String, explain: String = "", showing definitions: [String] = [], file: String = #filePath,
        line: Int = #line, _ body: @escaping (StepContext) throws -> Void
    ) {
        steps.append(
            Step(title: title, explain: explain, definitions: definitions, file: file, line: line, body: body))
    }

    /// Runs the chapter with the process's arguments and terminal, then exits with its status. The
    /// run's page goes to `OutputFolder.output` unless `--no-html` is given.
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
