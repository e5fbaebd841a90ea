import Foundation
import Support

/// The class's grades as an instructor reads them: `grades.csv` for a spreadsheet, `grades.html` as a
/// matrix of learners × exercises whose cells open onto what went wrong, and a summary in the terminal.
struct Report {
    let exercises: [GradedExercise]
    let submissions: [Submission]
    let grades: [Grade]
    let seconds: Double

    /// One row per learner and exercise: `student,exercise,passed,total,verdict`.
    var csv: String {
        var lines = ["student,exercise,passed,total,verdict"]
        for grade in grades {
            lines.append(
                [
                    Self.csvField(grade.learner), grade.exercise, "\(grade.passed)", "\(grade.total)",
                    grade.verdict.rawValue
                ]
                .joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A CSV field, quoted when it holds a comma, a quote or a line break.
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { ",\"\n\r".contains($0) }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The grade of `learner` on `exercise`.
    func grade(_ learner: String, _ exercise: String) -> Grade? {
        grades.first { $0.learner == learner && $0.exercise == exercise }
    }

    var html: String {
        var rows = ""
        for submission in submissions {
            let learner = submission.learner
            let notes = submission.notes.map { "<li>\(HTMLText.escape($0))</li>" }.joined()
            var cells =
                "<th scope=\"row\">\(HTMLText.escape(learner))"
                + (notes.isEmpty ? "" : "<ul class=\"notes\">\(notes)</ul>")
                + "</th>"
            for exercise in exercises {
                guard let grade = grade(learner, exercise.number) else {
                    cells += "<td class=\"missing\">—</td>"
                    continue
                }
                let label = "\(grade.verdict.rawValue) \(grade.passed)/\(grade.total)"
                if grade.details.isEmpty {
                    cells += "<td class=\"\(grade.verdict.rawValue)\">\(label)</td>"
                } else {
                    cells +=
                        "<td class=\"\(grade.verdict.rawValue)\"><details><summary>\(label)</summary>"
                        + "<pre>\(HTMLText.escape(grade.details))</pre></details></td>"
                }
            }
            let passes = grades.filter { $0.learner == learner && $0.verdict == .pass }.count
            cells += "<td class=\"total\">\(passes)/\(exercises.count)</td>"
            rows += "<tr>\(cells)</tr>\n"
        }
        let header = exercises.map { "<th scope=\"col\">\(HTMLText.escape($0.number))</th>" }.joined()
        let passCounts = exercises.map { exercise in
            "<td>\(grades.filter { $0.exercise == exercise.number && $0.verdict == .pass }.count)</td>"
        }.joined()
        let main = """
            <h1>Grades</h1>
            <p>\(submissions.count) learners × \(exercises.count) exercises, graded in \(String(format: "%.0f", seconds)) s.
            A cell opens onto the checks that failed, the limit reached, what a forgery wrote or the compiler's errors; notes under a name say what was odd about the entry, and which lines of its answers to read.</p>
            <div class="scroll">
            <table>
            <thead><tr><th scope="col">learner</th>\(header)<th scope="col">passed</th></tr></thead>
            <tbody>
            \(rows)</tbody>
            <tfoot><tr><th scope="row">passes</th>\(passCounts)<td></td></tr></tfoot>
            </table>
            </div>

            """
        return HTMLText.document(
            title: "Grades: \(submissions.count) learners, \(exercises.count) exercises", style: Self.style, main: main)
    }

    /// The report's style sheet: verdicts in colour, light or dark as the reader's setting.
    static let style = """
            :root { color-scheme: light dark; --pass: #1a7f37; --fail: #cf222e; --other: #9a6700; }
            body { font: 15px/1.45 system-ui, sans-serif; margin: 1.5rem; }
            table { border-collapse: collapse; }
            th, td { border: 1px solid #8888; padding: .3rem .5rem; vertical-align: top; text-align: left; }
            td.pass { color: var(--pass); } td.fail, td.compile-error { color: var(--fail); }
            td.crash, td.timeout, td.missing, td.limit { color: var(--other); }
            td.tampered { color: var(--fail); font-weight: bold; }
            summary { cursor: pointer; white-space: nowrap; }
            pre { white-space: pre-wrap; max-width: 40rem; font-size: 13px; color: CanvasText; }
            ul.notes { margin: .2rem 0 0; padding-left: 1.1rem; font-size: 12px; font-weight: normal; max-width: 16rem; color: var(--other); }
            .scroll { overflow-x: auto; }
        """

    /// The closing lines in the terminal: each learner's passes, and each exercise's.
    var summary: String {
        var lines = [
            "",
            "Graded \(submissions.count) learners × \(exercises.count) exercises in \(String(format: "%.0f", seconds)) s:"
        ]
        let width = max(8, submissions.map(\.learner.count).max() ?? 0)
        for submission in submissions {
            let mine = grades.filter { $0.learner == submission.learner }
            let passes = mine.filter { $0.verdict == .pass }.count
            let others = Dictionary(grouping: mine.filter { $0.verdict != .pass }, by: \.verdict.rawValue)
                .sorted { $0.key < $1.key }.map { "\($0.value.count) \($0.key)" }
            let name = submission.learner.padding(toLength: width, withPad: " ", startingAt: 0)
            var line = "  \(name)  \(passes)/\(exercises.count) pass"
            if !others.isEmpty { line += " · " + others.joined(separator: ", ") }
            if !submission.notes.isEmpty { line += " · ⚑ \(submission.notes.count) note(s)" }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
