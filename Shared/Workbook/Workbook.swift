import ArgumentParser
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
    /// The parsed command line, as steps see it.
    public struct Settings: Equatable, Sendable {
        /// `--data`: the data set's folder, or the chapter's default, or `nil` when neither was given.
        public var data: String?
        /// `--device`: where to compute, after falling back to `.cpu` when no GPU is usable.
        public var device: Device
        /// `--epochs`: epochs to train for.
        public var epochs: Int
        /// `--lr`: learning rate.
        public var lr: Float
        /// `--quick`: use a small subset of the data so the chapter finishes in seconds.
        public var quick: Bool
        /// `--seed`: where the random numbers start (weights, shuffles), so that a run can be repeated
        /// exactly or rerun with other draws. The runner seeds `GlobalRandom` with it before the first
        /// step, and `ImagenetteData` again when it builds the loaders.
        public var seed: UInt64

        /// The seed when `--seed` is not given: the one every chapter has always used.
        public static let defaultSeed: UInt64 = 42

        /// Settings spelled out (for tests, and for code that calls steps' helpers directly).
        public init(
            data: String? = nil, device: Device = .cpu, epochs: Int = 1, lr: Float = 0.1,
            quick: Bool = false, seed: UInt64 = Settings.defaultSeed
        ) {
            self.data = data
            self.device = device
            self.epochs = epochs
            self.lr = lr
            self.quick = quick
            self.seed = seed
        }
    }

    /// One step: what it is called, what it explains, the definitions it shows, where its code is,
    /// and the closure that runs it.
    public struct Step {
        /// A short title, e.g. "Cross-entropy".
        public var title: String
        /// A few sentences of explanation; paragraphs split by blank lines (see `wrapText`).
        public var explain: String
        /// Names of definitions to show before the code (`Learner`, `Learner.fit`, `crossEntropy`).
        public var definitions: [String]
        /// The source file of the `book.step(` call (`#filePath`).
        public var file: String
        /// The line the call starts on (`#line`); its trailing closure is the code shown.
        public var line: Int
        /// The work; reads settings and prints through its context.
        public var body: (StepContext) throws -> Void
    }

    /// A step as the reader sees it: its code and the definitions it shows, read from the source.
    public struct ShownStep: Codable, Equatable, Sendable {
        /// The step's number, from 1.
        public var number: Int
        /// The step's title.
        public var title: String
        /// The chapter's source file.
        public var file: String
        /// The line of the `book.step(` call.
        public var line: Int
        /// The body of the step's closure, dedented.
        public var code: String
        /// The definitions shown, in order.
        public var definitions: [SourceExcerpt]
    }

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

    /// Every step's code and definitions, read from the source files as they are now.
    /// - Throws: `SourceError` naming the file when a chapter or library file cannot be read, a step
    ///   has no trailing closure at its line, or a definition is not found.
    public func shownSteps() throws -> [ShownStep] {
        try steps.enumerated().map { index, step in
            let code = try StepSource.closureBody(file: step.file, line: step.line)
            let definitions = try step.definitions.map { name in
                do {
                    return try Workbook.librarySource.find(name, alsoIn: [step.file])
                } catch var error as SourceError {
                    error.message += " (step \(index + 1), “\(step.title)”, shows `\(name)`)"
                    throw error
                }
            }
            return ShownStep(
                number: index + 1, title: step.title, file: step.file, line: step.line, code: code,
                definitions: definitions)
        }
    }

    /// Runs the chapter with the process's arguments and terminal, then exits with its status. The
    /// run's page goes to `OutputFolder.output` unless `--no-html` is given.
    public func run() -> Never {
        exit(
            run(
                arguments: Array(CommandLine.arguments.dropFirst()), console: .standard(),
                pageFolder: OutputFolder.output))
    }

    /// Runs the chapter with `arguments` (without the program name) on `console`.
    /// - Parameter pageFolder: where to write the run's page, `<commandName>.html` (`NotebookPage`),
    ///   whether the run finishes, is stopped or fails, and to update the folder's `index.html`
    ///   (`NotebookIndex`); `nil` (or `--no-html`) writes neither. A folder
    ///   that cannot be written costs one warning on `console.err`, not the run.
    /// - Returns: the exit status: 0 after the last step, `--list`, `--help` or quitting with `q`;
    ///   1 when a step throws; argument-parser's usage status (64) for bad flags.
    @discardableResult
    public func run(arguments: [String], console: Console, pageFolder: URL? = nil) -> Int32 {
        let settings: Workbook.Settings
        let command: WorkbookCommand
        switch parse(arguments, columns: console.width) {
        case .success(let parsed):
            command = parsed
            settings = Settings(
                data: parsed.data ?? defaultData, device: parsed.device, epochs: parsed.epochs,
                lr: parsed.lr, quick: parsed.quick, seed: parsed.seed)
        case .failure(let failure):
            if failure.status == 0 {
                console.out.write(failure.message + "\n")
            } else {
                console.err.write(failure.message + "\n")
            }
            return failure.status
        }
        if command.list {
            printList(console)
            return 0
        }
        if command.watch {
            let watch = ChapterWatch(
                book: self, arguments: ChapterWatch.runArguments(arguments), from: command.from, console: console,
                pageFolder: command.noHTML ? nil : pageFolder)
            return watch.run()
        }
        // The code shown is read from the source before anything runs, so a missing file stops the
        // chapter at once, with its name, rather than after minutes of training.
        let shown: [ShownStep]
        do {
            shown = try shownSteps()
        } catch {
            console.err.write(Style(enabled: console.colors).error("error: ") + Workbook.describe(error) + "\n")
            return 1
        }
        if command.stepsJSON {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            console.out.write(String(decoding: (try? encoder.encode(shown)) ?? Data(), as: UTF8.self) + "\n")
            return 0
        }
        if let stale = Workbook.staleSource(shown) {
            console.err.write(
                Style(enabled: console.colors).warning("warning: ")
                    + "\(Workbook.librarySource.relative(stale)) changed after this program was built: the code "
                    + "shown is the file as it is now, not what runs. `swift run` rebuilds it.\n")
        }
        var resolved = settings
        let style = Style(enabled: console.colors)
        if settings.device == .gpu, let reason = Workbook.gpuUnavailableReason() {
            console.err.write(style.warning("warning: ") + "--device gpu: \(reason); running on the CPU instead.\n")
            resolved.device = .cpu
        }
        var pageFolder = pageFolder
        if let folder = pageFolder, let reason = OutputFolder.unwritableReason(folder) {
            let elsewhere = FileManager.default.temporaryDirectory.appendingPathComponent("workbook-\(commandName)")
            let usable = OutputFolder.unwritableReason(elsewhere) == nil
            console.err.write(
                style.warning("warning: ") + "\(folder.path) cannot be written (\(reason)): "
                    + (usable
                        ? "pictures and this run's page go to \(elsewhere.path) instead.\n" : "no page this run.\n"))
            // Pictures follow the page only when the page was to go where they go; a caller's own
            // folder (a test's) leaves the process-wide output alone.
            if usable && folder == OutputFolder.output { OutputFolder.fallback = elsewhere }
            pageFolder = usable ? elsewhere : nil
        }
        let record = RunRecord(
            title: title, about: about, name: commandName, facts: Workbook.facts(resolved),
            stepCount: steps.count)
        record.firstShown = command.from
        let keeping = pageFolder != nil && !command.noHTML
        // Under `--watch`, the page reloads itself in the browser each time it is written.
        let writePage: (URL) throws -> Void = { folder in
            let write = command.livePage ? LivePage.write : NotebookPage.write
            _ = try write(record, folder)
        }
        let status = runSteps(
            shown, from: command.from, pausing: console.isInteractive && !command.noPause,
            settings: resolved, console: console, record: keeping ? record : nil,
            afterStep: { [pageFolder] in
                // The page so far, after every step: a run ended by Ctrl-C or killed still leaves
                // one, saying it was cut short. A failure here is reported once, at the end.
                guard keeping, let pageFolder else { return }
                try? writePage(pageFolder)
            })
        if let pageFolder, !command.noHTML {
            do {
                try writePage(pageFolder)
                try NotebookIndex.update(with: record, in: pageFolder)
            } catch {
                let reason = Workbook.describe(error)
                console.err.write(
                    style.warning("warning: ") + "the page of this run was not written to \(pageFolder.path): "
                        + "\(reason)\n")
            }
        }
        return status
    }

    /// The settings as the line under the chapter's title shows them: `device cpu · epochs 1 · lr 0.1`.
    static func facts(_ settings: Settings) -> String {
        var facts = ["device \(settings.device)", "epochs \(settings.epochs)", "lr \(settings.lr)"]
        if settings.quick { facts.append("quick") }
        if settings.seed != Settings.defaultSeed { facts.append("seed \(settings.seed)") }
        if let data = settings.data { facts.append("data \(data)") }
        return facts.joined(separator: " · ")
    }

    /// Parses `arguments`, giving either the command or the message and exit status to report;
    /// `--help` is wrapped to `columns` (the terminal's width when `nil`).
    func parse(_ arguments: [String], columns: Int? = nil) -> Result<WorkbookCommand, ParseFailure> {
        // `WorkbookCommand.chapter` is one global; the lock keeps two workbooks parsing at once (tests
        // run in parallel) from seeing each other's defaults.
        Workbook.parseLock.lock()
        defer { Workbook.parseLock.unlock() }
        WorkbookCommand.chapter = .init(
            command: commandName, title: title, about: about, epochs: defaultEpochs,
            lr: defaultLR, data: defaultData, stepCount: steps.count)
        do {
            return .success(try WorkbookCommand.parse(arguments))
        } catch {
            let message = WorkbookCommand.message(for: error)
            let status = WorkbookCommand.exitCode(for: error).rawValue
            let full =
                status == 0
                ? WorkbookCommand.fullMessage(for: error, columns: columns)
                : "error: \(message)\nUsage: " + WorkbookCommand.usageString() + "\nSee --help for what the flags do."
            return .failure(ParseFailure(message: full, status: status))
        }
    }

    private static let parseLock = NSLock()

    /// Why parsing stopped: the text to show and the exit status (0 for `--help`).
    struct ParseFailure: Error {
        var message: String
        var status: Int32
    }

    private func printList(_ console: Console) {
        let style = Style(enabled: console.colors)
        var text = style.bold(title) + "\n"
        let digits = String(steps.count).count
        for (index, step) in steps.enumerated() {
            let number = String(repeating: " ", count: digits - String(index + 1).count) + String(index + 1)
            text += "  " + style.accent(number) + "  " + step.title + "\n"
        }
        console.out.write(text)
    }

    /// A source file shown that is newer than the running executable, if any: then what is shown may
    /// not be what was compiled.
    static func staleSource(_ shown: [ShownStep]) -> String? {
        let manager = FileManager.default
        func modified(_ path: String) -> Date? {
            (try? manager.attributesOfItem(atPath: path))?[.modificationDate] as? Date
        }
        guard let executable = CommandLine.arguments.first.map({ URL(fileURLWithPath: $0).resolvingSymlinksInPath() }),
            let built = modified(executable.path)
        else { return nil }
        let files = shown.flatMap { [$0.file] + $0.definitions.map(\.file) }
        return files.first { modified($0).map { $0 > built } ?? false }
    }

    /// Runs the steps, printing each; when `record` is given, also keeps each visible step's output
    /// there for the page, and calls `afterStep` when each visible step has finished.
    private func runSteps(
        _ shown: [ShownStep], from first: Int, pausing: Bool, settings: Settings, console: Console,
        record: RunRecord?, afterStep: () -> Void
    ) -> Int32 {
        let style = Style(enabled: console.colors)
        let width = min(console.width, Workbook.proseWidth)
        var header = style.bold(title) + "\n"
        if !about.isEmpty { header += wrapText(about, width: width) + "\n" }
        header += style.dim(Workbook.facts(settings)) + "\n"
        if pausing { header += style.dim("After each step: Enter for the next, q then Enter to stop.") + "\n" }
        console.out.write(header)

        if first > 1 {
            let range = first == 2 ? "step 1" : "steps 1–\(first - 1)"
            console.out.write(style.dim("Running \(range) quietly: later steps use what they build.") + "\n")
        }
        GlobalRandom.manualSeed(settings.seed)
        let runStarted = Date()
        defer { record?.seconds = Date().timeIntervalSince(runStarted) }
        for index in steps.indices {
            let step = steps[index]
            let number = index + 1
            let quiet = number < first
            if !quiet {
                console.out.write("\n" + stepHeader(step, shown[index], number: number, style: style, width: width))
            }
            let stepRecord = quiet ? nil : record?.begin(shown[index], explain: step.explain)
            let context = StepContext(
                settings: settings, number: number, isQuiet: quiet, style: style,
                width: console.width, out: stepRecord.map { TeeSink(console.out, $0) } ?? console.out,
                terminal: console.out)
            let started = Date()
            defer { stepRecord?.seconds = Date().timeIntervalSince(started) }
            do {
                if quiet && console.isStandardOutput {
                    try Silenced.standardOutput { try step.body(context) }
                } else {
                    try OutputRecording.with(stepRecord) { try step.body(context) }
                }
            } catch {
                record?.ending = .failed(step: number, message: Workbook.describe(error))
                var message = style.error("error: ") + Workbook.describe(error) + "\n"
                message +=
                    style.dim("(in step \(number), “\(step.title)”\(quiet ? ", run quietly for --from" : ""))")
                    + "\n"
                console.err.write(message)
                return 1
            }
            if quiet { continue }
            stepRecord?.seconds = Date().timeIntervalSince(started)
            afterStep()
            let seconds = Date().timeIntervalSince(started)
            if seconds >= 1 { console.out.write(style.dim(String(format: "(%.1f s)", seconds)) + "\n") }
            if pausing && number < steps.count {
                console.out.write(style.dim("⏎ next step · q quit "))
                let answer = console.readLine()
                // Erase the prompt so the transcript reads as one piece.
                if console.isInteractive { console.out.write("\u{1B}[1A\r\u{1B}[2K") }
                let key = answer?.trimmingCharacters(in: .whitespaces).lowercased()
                if key == nil || key == "q" || key == "quit" {
                    record?.ending = .stopped(after: number)
                    if !console.isInteractive { console.out.write("\n") }
                    console.out.write(
                        style.dim(
                            "Stopped after step \(number) of \(steps.count). "
                                + "Pick up again with --from \(number + 1).") + "\n")
                    return 0
                }
            }
        }
        record?.ending = .finished
        console.out.write("\n" + style.dim("Done: \(steps.count) steps.") + "\n")
        return 0
    }

    /// `── 3/9 · Title ───…`, the explanation, the definitions with their files and lines, and the
    /// code after `›`.
    private func stepHeader(_ step: Step, _ shown: ShownStep, number: Int, style: Style, width: Int) -> String {
        let label = " \(number)/\(steps.count) · \(step.title) "
        let rule = String(repeating: "─", count: max(3, width - label.count - 2))
        var text = style.accent("──" + label) + style.dim(rule) + "\n"
        if !step.explain.isEmpty { text += wrapText(step.explain, width: width) + "\n" }
        for definition in shown.definitions {
            text += "\n" + Workbook.excerptHeader(definition, style: style) + "\n"
            let lines = definition.text.split(separator: "\n", omittingEmptySubsequences: false)
            for line in dedent(lines).split(separator: "\n", omittingEmptySubsequences: false) {
                text += style.dim("│ ") + style.code(String(line)) + "\n"
            }
        }
        if !shown.code.isEmpty {
            if !step.explain.isEmpty || !shown.definitions.isEmpty { text += "\n" }
            for (i, line) in shown.code.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                text += style.dim(i == 0 ? "› " : "  ") + style.code(String(line)) + "\n"
            }
        }
        return text
    }

    /// `┌ Shared/05-Learner/Learner.swift, lines 8–40`: where a shown definition stands, with the
    /// member's full name when it is one (`(EpochState.work)`), since its own lines may not say
    /// which type it belongs to.
    static func excerptHeader(_ excerpt: SourceExcerpt, style: Style) -> String {
        let lines =
            excerpt.firstLine == excerpt.lastLine
            ? "line \(excerpt.firstLine)" : "lines \(excerpt.firstLine)–\(excerpt.lastLine)"
        let member = excerpt.name.contains(".") ? " (\(excerpt.name))" : ""
        return style.dim("┌ ") + style.bold(excerpt.displayPath) + style.dim(", \(lines)\(member)")
    }

    /// An error's message: `LocalizedError.errorDescription` when it has one, else its description.
    package static func describe(_ error: Error) -> String {
        if let localized = error as? LocalizedError, let description = localized.errorDescription {
            return description
        }
        return String(describing: error)
    }
}

/// Points file descriptor 1 at `/dev/null` for the length of a closure, so that everything a quiet
/// step prints, `print` and progress bars included, disappears.
enum Silenced {
    static func standardOutput<T>(_ body: () throws -> T) rethrows -> T {
        fflush(stdout)
        let saved = dup(STDOUT_FILENO)
        let null = open("/dev/null", O_WRONLY)
        guard saved >= 0, null >= 0 else { return try body() }
        dup2(null, STDOUT_FILENO)
        close(null)
        defer {
            fflush(stdout)
            dup2(saved, STDOUT_FILENO)
            close(saved)
        }
        return try body()
    }
}
