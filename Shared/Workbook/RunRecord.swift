import Foundation
import Support

/// Everything a chapter's run showed, step by step, kept for its page (`NotebookPage`).
public final class RunRecord {
    /// How the run ended.
    public enum Ending: Equatable {
        /// Still running (the page is being written part-way).
        case running
        /// Every step ran.
        case finished
        /// The reader pressed `q` after step `after`.
        case stopped(after: Int)
        /// Step `step` threw `message`.
        case failed(step: Int, message: String)
    }

    /// The chapter's title, e.g. "07 · Scheduling the learning rate".
    public let title: String
    /// The chapter's summary.
    public let about: String
    /// The executable's name, e.g. `07-Scheduling`; the page is `<name>.html`.
    public let name: String
    /// The settings line the terminal shows under the title (`device cpu · epochs 8 · …`).
    public let facts: String
    /// How many steps the chapter has (some may not have run).
    public let stepCount: Int
    /// The first step shown (`--from`); the ones before it ran without output.
    public var firstShown = 1
    /// The steps that ran visibly, in order.
    public private(set) var steps: [StepRecord] = []
    /// How the run ended.
    public var ending = Ending.running
    /// Seconds from the first step to the end.
    public var seconds = 0.0

    /// An empty record for a run of the chapter `title`.
    public init(title: String, about: String, name: String, facts: String, stepCount: Int) {
        self.title = title
        self.about = about
        self.name = name
        self.facts = facts
        self.stepCount = stepCount
    }

    /// Starts the record of a step; what it shows is added to the returned record.
    public func begin(_ shown: Workbook.ShownStep, explain: String) -> StepRecord {
        let step = StepRecord(shown: shown, explain: explain)
        steps.append(step)
        return step
    }

    /// The last row of the last table of results any step recorded (TrackResults' final epoch), with
    /// its header, for the book's index. Only a table with a `loss` column counts: another table
    /// (06's timeline of callback turns) ends with a row that says nothing about how training went.
    public var finalRow: (header: [String], cells: [String])? {
        for step in steps.reversed() {
            for item in step.items.reversed() {
                if case .table(let header, let rows) = item, header.contains("loss"), let last = rows.last {
                    return (header, last)
                }
            }
        }
        return nil
    }
}

/// One step of a run: its title, explanation, definitions and code, and what it showed.
public final class StepRecord: OutputRecorder {
    /// Something the step showed.
    public enum Item: Equatable {
        /// Printed text, escape codes removed.
        case text(String)
        /// A picture: the PNG file and its caption.
        case picture(URL, caption: String?)
        /// A table: column names and rows.
        case table(header: [String], rows: [[String]])
    }

    /// The step's code and definitions as shown.
    public let shown: Workbook.ShownStep
    /// Its explanation (Markdown: paragraphs, code spans).
    public let explain: String
    /// What it showed, in order.
    public private(set) var items: [Item] = []
    /// Seconds it ran.
    public var seconds = 0.0

    init(shown: Workbook.ShownStep, explain: String) {
        self.shown = shown
        self.explain = explain
    }

    public func text(_ text: String) {
        let plain = StepRecord.removingEscapes(text)
        guard !plain.isEmpty else { return }
        // Consecutive prints read as one block of output, as in a notebook cell.
        if case .text(let before) = items.last {
            items[items.count - 1] = .text(before + plain)
        } else {
            items.append(.text(plain))
        }
    }

    public func picture(at url: URL, caption: String?) {
        items.append(.picture(url, caption: caption))
    }

    public func beginTable(_ header: [String]) {
        items.append(.table(header: header, rows: []))
    }

    public func row(_ cells: [String]) {
        guard let index = items.lastIndex(where: { if case .table = $0 { true } else { false } }),
            case .table(let header, var rows) = items[index]
        else { return }
        rows.append(cells)
        items[index] = .table(header: header, rows: rows)
    }

    /// `text` without ANSI escape sequences (colours, cursor moves) and carriage-return redraws:
    /// the page shows what the terminal ended up showing, not how it got there.
    static func removingEscapes(_ text: String) -> String {
        var out = ""
        var scalars = text.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            guard scalar == "\u{1B}" else {
                out.unicodeScalars.append(scalar)
                continue
            }
            // CSI: ESC [ parameters… final byte in @…~.
            guard scalars.next() == "[" else { continue }
            while let next = scalars.next(), !(0x40...0x7E).contains(next.value) {}
        }
        return out
    }
}
