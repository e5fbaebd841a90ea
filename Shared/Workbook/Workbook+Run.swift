import Foundation
import Media

extension Workbook {
    /// Runs the chapter with `arguments` (without the program name) on `console`.
    /// - Parameter pageFolder: where to write the run's page, `<commandName>.html` (`NotebookPage`),
    ///   whether the run finishes, is stopped or fails, and to update the folder's `index.html`
    ///   (`NotebookIndex`); `nil` (or `--no-html`) writes neither. A folder
    ///   that cannot be written costs one warning on `console.err`, not the run.
    /// - Returns: the exit status: 0 after the last step, `--list`, `--help` or quitting with `q`;
    ///   1 when a step throws; argument-parser's usage status (64) for bad flags.
    @discardableResult
    public func run(arguments: [String], console: Console, pageFolder: URL? = nil) -> Int32 {
        let command: WorkbookCommand
        switch parse(arguments, columns: console.width) {
        case .success(let parsed):
            command = parsed
        case .failure(let failure):
            failure.report(on: console)
            return failure.status
        }
        if command.list {
            console.out.write(TerminalTranscript(console).list(title: title, steps: steps))
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
            console.out.write(Workbook.json(shown) + "\n")
            return 0
        }
        warnIfStale(shown, console: console)
        let settings = fallingBackToCPU(settings(from: command), console: console)
        // The folder is checked even under `--no-html`: the pictures a step writes go there too.
        let usableFolder = writableFolder(pageFolder, console: console)
        return runSteps(
            shown, command: command, settings: settings, pageFolder: command.noHTML ? nil : usableFolder,
            console: console)
    }

    /// Runs the steps, writing the page to `pageFolder` (when given) after every step and at the end.
    private func runSteps(
        _ shown: [ShownStep], command: WorkbookCommand, settings: Settings, pageFolder: URL?, console: Console
    ) -> Int32 {
        let record = RunRecord(
            title: title, about: about, name: commandName, facts: settings.facts, stepCount: steps.count)
        record.firstShown = command.from
        // Under `--watch`, the page reloads itself in the browser each time it is written.
        let writePage: (URL) throws -> Void = { folder in
            let write = command.livePage ? LivePage.write : NotebookPage.write
            _ = try write(record, folder)
        }
        let run = StepRun(
            book: self, shown: shown, settings: settings, console: console, record: pageFolder == nil ? nil : record,
            firstShown: command.from, pausing: console.isInteractive && !command.noPause)
        let status = run.run(afterStep: {
            // The page so far, after every step: a run ended by Ctrl-C or killed still leaves one,
            // saying it was cut short. A failure here is reported once, at the end.
            guard let pageFolder else { return }
            try? writePage(pageFolder)
        })
        if let pageFolder {
            do {
                try writePage(pageFolder)
                try NotebookIndex.update(with: record, in: pageFolder)
            } catch {
                console.err.write(
                    Style(enabled: console.colors).warning("warning: ")
                        + "the page of this run was not written to \(pageFolder.path): \(Workbook.describe(error))\n")
            }
        }
        return status
    }

    /// The steps as `--steps-json` prints them, for the tests that check them against the source.
    static func json(_ shown: [ShownStep]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: (try? encoder.encode(shown)) ?? Data(), as: UTF8.self)
    }
}
