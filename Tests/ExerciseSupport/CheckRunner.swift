import Foundation

/// Runs an exercise's checks one after the other, prints one line per check and a verdict, and ends
/// the process: status 0 when every check passes, 1 otherwise. The body of `check-<N>` and
/// `solution-<N>` (`make exercise N=…`, `make solution N=…`).
///
/// Before each check it writes the check's name to the file named by `WORKBOOK_CHECK_PROGRESS`, if
/// set, so that if the answer takes the whole process down (a crash cannot be caught in Swift),
/// `Tests/exercises.sh` can say which check was running.
public func runChecks(exercise: String, _ checks: [Check]) -> Never {
    // Line by line even into a pipe, so that the lines before a crash reach the student.
    setvbuf(stdout, nil, _IOLBF, 0)
    let progress = ProcessInfo.processInfo.environment["WORKBOOK_CHECK_PROGRESS"]
    func report(_ line: String) {
        guard let progress else { return }
        try? Data((line + "\n").utf8).write(to: URL(fileURLWithPath: progress))
    }
    var failures = 0, unanswered = 0
    for check in checks {
        report(check.name)
        let outcome = evaluate(check)
        if outcome.passed {
            print("  ✔ \(check.name)")
            continue
        }
        failures += 1
        if case .unanswered = outcome { unanswered += 1 }
        print("  ✘ \(check.name): \(outcome.message)")
    }
    report("")
    print()
    if failures == 0 {
        print("✔ Exercise \(exercise): all \(checks.count) checks pass.")
        exit(0)
    }
    let notWritten = unanswered > 0 ? " (\(unanswered) of them reach a todo: not written yet)" : ""
    print("✘ Exercise \(exercise): \(failures) of \(checks.count) checks fail\(notWritten).")
    print("  Stuck? `make hint N=\(exercise)` gives a hint; run it again for the next one.")
    exit(1)
}
