import Foundation

/// The verdict on one answer to one exercise: what `make exercise` ends with, and what
/// `WORKBOOK_VERDICT` receives as JSON for a program that grades many answers.
public struct CheckVerdict: Codable, Equatable {
    /// How the run of the checks ended.
    public enum Kind: String, Codable {
        /// Every check passed.
        case pass
        /// Every check ran, and at least one failed.
        case fail
        /// The answer ended the checks' process (a stack overflow, a runtime error).
        case crash
        /// A check ran out of time.
        case timeout
        /// Something other than the checks wrote on the checks' channel: whatever it said, no pass.
        case tampered
        /// The answer reached a limit on memory, processes, writes or CPU time (`note` names it).
        case limit
    }

    /// One check: its name, how it ended, and the message the learner read (empty when it passed).
    public struct Line: Codable, Equatable {
        /// How one check ended.
        public enum Status: String, Codable {
            case passed, failed
            /// It reached a `todo`.
            case notWritten = "not-written"
            /// The checks stopped at it (it ran out of time, or the process ended during it).
            case stopped
            /// The checks stopped before it.
            case notRun = "not-run"
        }

        public var name: String
        public var status: Status
        public var message: String

        package init(name: String, status: Status, message: String) {
            self.name = name
            self.status = status
            self.message = message
        }
    }

    public var exercise: String
    public var verdict: Kind
    public var passed: Int
    public var total: Int
    public var checks: [Line]
    /// What was seen on the channel (`tampered`), or the limit reached (`limit`).
    public var note: String?

    public init(exercise: String, verdict: Kind, passed: Int, total: Int, checks: [Line], note: String? = nil) {
        self.exercise = exercise
        self.verdict = verdict
        self.passed = passed
        self.total = total
        self.checks = checks
        self.note = note
    }

    /// The process's exit status: 0 pass, 1 fail, 2 stopped early or not to be trusted.
    public var exitStatus: Int32 {
        switch verdict {
        case .pass: 0
        case .fail: 1
        case .crash, .timeout, .tampered, .limit: 2
        }
    }

    /// The closing lines a learner reads.
    public var summary: String {
        let notRun = checks.filter { $0.status == .notRun }.count
        let unanswered = checks.filter { $0.status == .notWritten }.count
        let stuck =
            ProcessInfo.processInfo.environment["WORKBOOK_WATCHING"] != nil
            ? "  Stuck? h then Enter gives a hint; again for the next one."
            : "  Stuck? `make hint N=\(exercise)` gives a hint; run it again for the next one."
        switch verdict {
        case .pass:
            return "✔ Exercise \(exercise): all \(total) checks pass."
        case .fail:
            let notWritten = unanswered > 0 ? " (\(unanswered) of them reach a todo: not written yet)" : ""
            return "✘ Exercise \(exercise): \(total - passed) of \(total) checks fail\(notWritten).\n" + stuck
        case .tampered:
            return "✘ Exercise \(exercise): not graded as a pass: something other than the checks wrote on the "
                + "checks' channel (\(note ?? "above"))."
        case .limit:
            return "✘ Exercise \(exercise): your code \(note ?? "reached a limit"); \(passed) of \(total) checks "
                + "passed before that.\n  `make run-exercise N=\(exercise)` runs your answer on its own."
        case .crash, .timeout:
            let how = verdict == .timeout ? "a check ran out of time" : "your code ended the checks' process"
            return "✘ Exercise \(exercise): the checks stopped early, \(how) (above); \(passed) of \(total) passed, "
                + "\(notRun) not run.\n  `make run-exercise N=\(exercise)` runs your answer on its own; "
                + "`make hint N=\(exercise)` gives a hint."
        }
    }

    /// Writes the verdict as JSON to `path`; a failure to write is reported on standard error.
    public func write(to path: String) {
        do {
            try JSONEncoder().encode(self).write(to: URL(fileURLWithPath: path))
        } catch {
            FileHandle.standardError.write(Data("could not write the verdict to \(path): \(error)\n".utf8))
        }
    }
}
