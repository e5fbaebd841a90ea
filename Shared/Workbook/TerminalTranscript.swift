import Foundation

/// The runner's text in the terminal: the chapter's header, each step's header with its definitions
/// and code, and the lines between steps. The page's counterpart is `NotebookPage`.
struct TerminalTranscript {
    let style: Style
    /// Columns for prose: the terminal's, but no more than `Workbook.proseWidth`.
    let width: Int

    /// Moves up a line and clears it: removes the pause prompt once it is answered.
    static let erasePreviousLine = "\u{1B}[1A\r\u{1B}[2K"

    /// The transcript for `console`: its colours and width.
    init(_ console: Console) {
        style = Style(enabled: console.colors)
        width = min(console.width, Workbook.proseWidth)
    }

    /// `--list`: the title, then each step's number and title.
    func list(title: String, steps: [Workbook.Step]) -> String {
        var text = style.bold(title) + "\n"
        let digits = String(steps.count).count
        for (index, step) in steps.enumerated() {
            let number = String(repeating: " ", count: digits - String(index + 1).count) + String(index + 1)
            text += "  " + style.accent(number) + "  " + step.title + "\n"
        }
        return text
    }

    /// The title, what the chapter is about, the settings, and how to pause.
    func header(title: String, about: String, facts: String, pausing: Bool) -> String {
        var header = style.bold(title) + "\n"
        if !about.isEmpty { header += wrapText(about, width: width) + "\n" }
        header += style.dim(facts) + "\n"
        if pausing { header += style.dim("After each step: Enter for the next, q then Enter to stop.") + "\n" }
        return header
    }

    /// Why nothing shows before step `firstShown` (`--from`).
    func quietNotice(firstShown: Int) -> String {
        let range = firstShown == 2 ? "step 1" : "steps 1–\(firstShown - 1)"
        return style.dim("Running \(range) quietly: later steps use what they build.") + "\n"
    }

    /// `── 3/9 · Title ───…`, the explanation, the definitions with their files and lines, and the
    /// code after `›`.
    func stepHeader(_ step: Workbook.Step, _ shown: Workbook.ShownStep, of count: Int) -> String {
        let label = " \(shown.number)/\(count) · \(step.title) "
        let rule = String(repeating: "─", count: max(3, width - label.count - 2))
        var text = style.accent("──" + label) + style.dim(rule) + "\n"
        if !step.explain.isEmpty { text += wrapText(step.explain, width: width) + "\n" }
        for definition in shown.definitions {
            text += "\n" + excerptHeader(definition) + "\n"
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

    /// `┌ Shared/05-Learner/Learner.swift, lines 8–40`, with the member's full name when it is one.
    func excerptHeader(_ excerpt: SourceExcerpt) -> String {
        style.dim("┌ ") + style.bold(excerpt.displayPath) + style.dim(", " + excerpt.location)
    }

    /// How long a step took, for steps of a second or more.
    func duration(_ seconds: Double) -> String {
        style.dim(String(format: "(%.1f s)", seconds)) + "\n"
    }

    /// `error: …` and which step it came from.
    func failure(_ message: String, step number: Int, title: String, quiet: Bool) -> String {
        style.error("error: ") + message + "\n"
            + style.dim("(in step \(number), “\(title)”\(quiet ? ", run quietly for --from" : ""))") + "\n"
    }

    /// What the runner waits on after a step.
    var pausePrompt: String { style.dim("⏎ next step · q quit ") }

    /// The run stopped with `q` after step `number`, and how to carry on.
    func stopped(after number: Int, of count: Int) -> String {
        style.dim("Stopped after step \(number) of \(count). Pick up again with --from \(number + 1).") + "\n"
    }

    /// The run's last line.
    func done(stepCount: Int) -> String {
        "\n" + style.dim("Done: \(stepCount) steps.") + "\n"
    }
}
