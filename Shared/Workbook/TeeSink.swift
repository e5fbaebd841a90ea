import Support

/// Passes text on to the terminal and also to a step's record.
final class TeeSink: TextSink {
    let terminal: TextSink
    let record: StepRecord

    init(_ terminal: TextSink, _ record: StepRecord) {
        self.terminal = terminal
        self.record = record
    }

    func write(_ text: String) {
        terminal.write(text)
        record.text(text)
    }
}
