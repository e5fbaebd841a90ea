import Engine
import Foundation
import Support

/// One pass through a chapter's steps: each one's header, work and pause, and the record for the page.
struct StepRun {
    let book: Workbook
    let shown: [Workbook.ShownStep]
    let settings: Workbook.Settings
    let console: Console
    /// Where each shown step's output is kept for the page; `nil` when no page is written.
    let record: RunRecord?
    /// Steps before this one run quietly (`--from`).
    let firstShown: Int
    /// Whether to wait for Enter after each step.
    let pausing: Bool
    private let transcript: TerminalTranscript
    private var steps: [Workbook.Step] { book.steps }

    init(
        book: Workbook, shown: [Workbook.ShownStep], settings: Workbook.Settings, console: Console,
        record: RunRecord?, firstShown: Int, pausing: Bool
    ) {
        self.book = book
        self.shown = shown
        self.settings = settings
        self.console = console
        self.record = record
        self.firstShown = firstShown
        self.pausing = pausing
        self.transcript = TerminalTranscript(console)
    }

    /// Runs every step, calling `afterStep` when each shown step has finished.
    /// - Returns: the exit status: 1 when a step throws, else 0 (finished, or stopped with `q`).
    func run(afterStep: () -> Void) -> Int32 {
        console.out.write(
            transcript.header(title: book.title, about: book.about, facts: settings.facts, pausing: pausing))
        if firstShown > 1 { console.out.write(transcript.quietNotice(firstShown: firstShown)) }
        GlobalRandom.manualSeed(settings.seed)
        let runStarted = Date()
        defer { record?.seconds = Date().timeIntervalSince(runStarted) }
        for index in steps.indices {
            let number = index + 1
            guard number >= firstShown else {
                guard perform(index, quiet: true, recordingTo: nil) else { return 1 }
                continue
            }
            console.out.write("\n" + transcript.stepHeader(steps[index], shown[index], of: steps.count))
            let stepRecord = record?.begin(shown[index], explain: steps[index].explain)
            let started = Date()
            // Set again after the pause below, so the page's final time for the step includes it.
            defer { stepRecord?.seconds = Date().timeIntervalSince(started) }
            guard perform(index, quiet: false, recordingTo: stepRecord) else { return 1 }
            stepRecord?.seconds = Date().timeIntervalSince(started)
            afterStep()
            let seconds = Date().timeIntervalSince(started)
            if seconds >= 1 { console.out.write(transcript.duration(seconds)) }
            if pausing && number < steps.count && !goesOn(after: number) { return 0 }
        }
        record?.ending = .finished
        console.out.write(transcript.done(stepCount: steps.count))
        return 0
    }

    /// Runs step `index`, silencing it when `quiet`; on an error, reports it and returns `false`.
    private func perform(_ index: Int, quiet: Bool, recordingTo stepRecord: StepRecord?) -> Bool {
        let step = steps[index]
        let context = StepContext(
            settings: settings, number: index + 1, isQuiet: quiet, style: transcript.style,
            width: console.width, out: stepRecord.map { TeeSink(console.out, $0) } ?? console.out,
            terminal: console.out)
        do {
            if quiet && console.isStandardOutput {
                try Silenced.standardOutput { try step.body(context) }
            } else {
                try OutputRecording.with(stepRecord) { try step.body(context) }
            }
            return true
        } catch {
            let message = Workbook.describe(error)
            record?.ending = .failed(step: index + 1, message: message)
            console.err.write(transcript.failure(message, step: index + 1, title: step.title, quiet: quiet))
            return false
        }
    }

    /// Asks whether to go on after step `number`; `false` (and the run marked stopped) on `q` or end
    /// of input.
    private func goesOn(after number: Int) -> Bool {
        console.out.write(transcript.pausePrompt)
        let answer = console.readLine()
        // Erase the prompt so the transcript reads as one piece.
        if console.isInteractive { console.out.write(TerminalTranscript.erasePreviousLine) }
        let key = answer?.trimmingCharacters(in: .whitespaces).lowercased()
        guard key == nil || key == "q" || key == "quit" else { return true }
        record?.ending = .stopped(after: number)
        if !console.isInteractive { console.out.write("\n") }
        console.out.write(transcript.stopped(after: number, of: steps.count))
        return false
    }
}
