import ArgumentParser
import Engine

extension Device: ExpressibleByArgument {}

/// The flags every chapter understands. Their defaults read `chapter`, set just before parsing,
/// because argument-parser builds a fresh value to read defaults and help.
struct WorkbookCommand: ParsableCommand {
    /// What the help text needs to know about the chapter being run.
    struct Chapter {
        var command = "chapter"
        var title = ""
        var about = ""
        var epochs = 1
        var lr: Float = 0.1
        var data: String?
        var stepCount = 0
    }

    /// The chapter being parsed for; set by `Workbook.run` before parsing.
    nonisolated(unsafe) static var chapter = Chapter()

    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: chapter.command,
            abstract: chapter.title,
            // argument-parser wraps the discussion itself but keeps every line break in it, so the
            // hard-wrapped `about` goes in as one line per paragraph.
            discussion: (chapter.about.isEmpty ? "" : unwrapText(chapter.about) + "\n\n") + """
                The chapter runs as \(chapter.stepCount) numbered steps. Each prints a short explanation, \
                the Swift code it runs, and that code's output. In a terminal it waits after each step: \
                press Enter for the next one, or q then Enter to stop. When input or output is not a \
                terminal (a pipe, a file, a test), it runs straight through.
                """
        )
    }

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Folder holding the data set\(chapter.data.map { " (default: \($0))" } ?? "").",
            valueName: "path"))
    var data: String?

    @Option(
        help: ArgumentHelp(
            "Where tensors live and compute. Without a usable GPU backend, gpu says so and falls back to cpu.",
            valueName: "cpu|gpu"))
    var device: Device = .cpu

    @Option(help: ArgumentHelp("Epochs to train for.", valueName: "n"))
    var epochs: Int = chapter.epochs

    @Option(help: ArgumentHelp("Learning rate.", valueName: "x"))
    var lr: Float = chapter.lr

    @Flag(help: "Use a small subset of the data so the whole chapter runs in seconds.")
    var quick = false

    @Option(
        help: ArgumentHelp(
            "Seed of the random numbers (initial weights, shuffling); the same seed repeats a CPU run exactly.",
            valueName: "n"))
    var seed: UInt64 = Workbook.Settings.defaultSeed

    @Flag(help: "List the steps and exit.")
    var list = false

    /// Every step's shown code and definitions as JSON, for the tests that check them against the source.
    @Flag(name: .customLong("steps-json"), help: .hidden)
    var stepsJSON = false

    @Option(
        help: ArgumentHelp(
            "Start at step n. Earlier steps still run, without output, because later steps use what they make.",
            valueName: "n"))
    var from: Int = 1

    @Flag(name: .customLong("no-pause"), help: "Run straight through without waiting after each step.")
    var noPause = false

    @Flag(
        name: .customLong("no-html"),
        help: "Do not write the run's page (out/<chapter>.html, or in $WORKBOOK_OUT: steps, code, output, plots).")
    var noHTML = false

    @Flag(
        help: """
            Run the chapter, then again each time its main.swift or a file in Shared/ is saved: rebuilt, \
            from the first step that changed. q then Enter stops.
            """)
    var watch = false

    /// The run is one of `--watch`'s: its page reloads itself in the browser when it is written again.
    @Flag(name: .customLong("live-page"), help: .hidden)
    var livePage = false

    func validate() throws {
        guard epochs >= 1 else { throw ValidationError("--epochs must be at least 1 (got \(epochs)).") }
        guard lr > 0, lr.isFinite else { throw ValidationError("--lr must be a positive number (got \(lr)).") }
        let count = Self.chapter.stepCount
        guard from >= 1, from <= max(count, 1) else {
            throw ValidationError("--from \(from): this chapter has steps 1 to \(count).")
        }
    }
}
