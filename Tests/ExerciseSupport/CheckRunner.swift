import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs an exercise's checks, prints one line per check and a verdict, and ends the process. The body
/// of `check-<N>` and `solution-<N>` (`make exercise N=…`, `make solution N=…`).
///
/// The checks run in a second process (`CheckWorker`) that this one can stop, each within the limit
/// its reference time gives it (`CheckLimits`, read from `Timings.tsv` beside the checks). The first
/// check that runs out of time or takes the worker down ends the run: its line says why, and the
/// checks after it are listed as not run. The verdict comes from what the worker reports on the
/// checks' own channel, never from what the answer prints or how the process exits.
///
/// Exit status: 0 when every check passes, 1 when some fail, 2 when the checks stopped early (a
/// check ran out of time or the answer crashed the process). With `WORKBOOK_VERDICT` set, the verdict
/// is also written there as JSON (`CheckVerdict`); with `WORKBOOK_RECORD_TIMINGS` set, the time each
/// check took is written there in the timings file's format (`make timings`).
///
/// - Parameters:
///   - exercise: the exercise's number ("16", "R3").
///   - checks: the exercise's checks, in the order they run.
///   - whenItHangs: what to look for when an answer does not return, in the learner's terms.
///   - checksFile: where the calling `main.swift` is; the timings file is two folders up from it.
public func runChecks(
    exercise: String, _ checks: [Check],
    whenItHangs: String = "look for a loop whose condition never changes, or a function that calls itself without end",
    checksFile: String = #filePath
) -> Never {
    let environment = ProcessInfo.processInfo.environment
    if let channel = environment[CheckWorker.channelVariable].flatMap(Int32.init) {
        runAsWorker(checks, channel: channel)
    }
    setvbuf(stdout, nil, _IOLBF, 0)
    let folder = URL(fileURLWithPath: checksFile).deletingLastPathComponent().deletingLastPathComponent()
    let limits = CheckLimits(contentsOf: folder.appendingPathComponent("Timings.tsv").path)
    var run = CheckRun(exercise: exercise, names: checks.map(\.name), limits: limits, whenItHangs: whenItHangs)
    run.supervise()
    let verdict = run.verdict()
    print()
    print(verdict.summary)
    if let path = environment["WORKBOOK_VERDICT"] { verdict.write(to: path) }
    if let path = environment["WORKBOOK_RECORD_TIMINGS"], verdict.verdict == .pass {
        let text = CheckLimits.timingsFile(exercise: exercise, run.measured)
        try? text.write(toFile: path, atomically: true, encoding: .utf8)
    }
    exit(verdict.exitStatus)
}

/// In the worker: runs every check in order and reports each start and end on the channel.
private func runAsWorker(_ checks: [Check], channel: Int32) -> Never {
    // The answer's own prints reach the learner line by line, before a crash too.
    setvbuf(stdout, nil, _IOLBF, 0)
    _ = fcntl(channel, F_SETFD, FD_CLOEXEC)
    CheckWorker.followParent()
    func send(_ message: ChannelMessage) {
        var line = (try? JSONEncoder().encode(message)) ?? Data()
        line.append(UInt8(ascii: "\n"))
        line.withUnsafeBytes { bytes in _ = write(channel, bytes.baseAddress, bytes.count) }
    }
    for (index, check) in checks.enumerated() {
        send(ChannelMessage(index: index, outcome: nil))
        let outcome = evaluate(check, timeout: nil)
        fflush(stdout)
        send(ChannelMessage(index: index, outcome: outcome))
    }
    exit(0)
}

/// One line on the checks' channel: check `index` starts (no outcome) or ended with `outcome`.
struct ChannelMessage: Codable {
    var index: Int
    var outcome: CheckOutcome?
}

/// The verdict's side of one run of the checks: starts the worker, follows it on the channel, prints
/// a line per check and stops the worker when a check runs out of time.
struct CheckRun {
    let exercise: String
    let names: [String]
    let limits: CheckLimits
    let whenItHangs: String
    /// How each check ended, by index; a check missing here was not run.
    var outcomes: [Int: CheckOutcome] = [:]
    /// Seconds each check took, in order, for the checks that ended.
    var measured: [(name: String, seconds: Double)] = []
    /// Set when the run stopped early: the check, and why.
    var stoppedAt: (index: Int, reason: StopReason)?

    /// Why the checks stopped before the last one.
    enum StopReason {
        case timedOut(limit: Double)
        case crashed(status: Int32, lastError: String?)
    }

    /// Time allowed between two checks, and before the first (the process starts, the checks are made).
    static let between: Double = 30

    mutating func supervise() {
        let worker: CheckWorker
        do {
            worker = try CheckWorker()
        } catch {
            print("  ✘ \(error)")
            stoppedAt = (0, .crashed(status: -1, lastError: "\(error)"))
            return
        }
        var reader = LineReader(channel: worker.channel, errors: worker.errors)
        var current: Int?
        var started = Date()
        while outcomes.count < names.count {
            let limit = current.map { limits.limit(for: names[$0]) } ?? Self.between
            let remaining = limit - Date().timeIntervalSince(started)
            switch reader.next(within: remaining) {
            case .message(let message) where message.outcome == nil:
                current = message.index
                started = Date()
            case .message(let message):
                let seconds = Date().timeIntervalSince(started)
                let outcome = message.outcome!
                outcomes[message.index] = outcome
                measured.append((names[message.index], seconds))
                print(line(for: message.index, outcome))
                current = nil
                started = Date()
            case .timedOut:
                let index = current ?? outcomes.count
                stoppedAt = (index, .timedOut(limit: limit))
                worker.stop()
                reportStop()
                return
            case .closed:
                let status = worker.stop()
                stoppedAt = (current ?? outcomes.count, .crashed(status: status, lastError: reader.lastError))
                reportStop()
                return
            }
        }
        worker.stop()
    }

    /// The line of a check that ended.
    func line(for index: Int, _ outcome: CheckOutcome) -> String {
        outcome.passed ? "  ✔ \(names[index])" : "  ✘ \(names[index]): \(outcome.message)"
    }

    /// Why the run stopped early, said for the learner (nil if it did not).
    var stopMessage: String? {
        guard let (index, reason) = stoppedAt, index < names.count else { return nil }
        switch reason {
        case .timedOut(let limit):
            let reference = limits.referenceSeconds[names[index]].map {
                $0 < 0.01
                    ? " (the reference answer takes under 0.01 s)"
                    : String(format: " (the reference answer takes %.2f s)", $0)
            }
            return "no answer within \(Int(limit)) s\(reference ?? ""), so the checks stopped it: \(whenItHangs)."
        case .crashed(let status, let lastError):
            return "your code ended the checks' process: \(Self.explain(status: status))."
                + (lastError.map { "\n    Its last error line: \($0)" } ?? "")
        }
    }

    /// The lines of the check that stopped the run and of those not run after it.
    func reportStop() {
        guard let (index, reason) = stoppedAt, index < names.count, let stopMessage else { return }
        if case .timedOut = reason {
            print("  ⏱ \(names[index]): \(stopMessage)")
        } else {
            print("  ✘ \(names[index]): \(stopMessage)")
        }
        for later in names[(index + 1)...] { print("  · \(later): not run") }
    }

    /// A process's exit status, said for a learner.
    static func explain(status: Int32) -> String {
        let signalled = status & 0x7f
        if signalled == 0 { return "it exited (status \((status >> 8) & 0xff)) in the middle of a check" }
        switch signalled {
        case SIGSEGV, SIGBUS:
            return
                "a segmentation fault, most often a stack overflow from recursion that never reaches a case it answers directly"
        case SIGILL, SIGTRAP: return "a Swift runtime error (index out of range, nil unwrapped, arithmetic overflow…)"
        case SIGABRT: return "an abort (a failed precondition)"
        case SIGKILL: return "it was killed (out of memory?)"
        default: return "signal \(signalled)"
        }
    }

    /// The verdict of the run so far.
    func verdict() -> CheckVerdict {
        let passed = outcomes.values.filter(\.passed).count
        let kind: CheckVerdict.Kind
        switch stoppedAt?.reason {
        case .timedOut?: kind = .timeout
        case .crashed?: kind = .crash
        case nil: kind = passed == names.count ? .pass : .fail
        }
        let checks = names.indices.map { index -> CheckVerdict.Line in
            switch (outcomes[index], stoppedAt) {
            case (.passed?, _): return .init(name: names[index], status: .passed, message: "")
            case (.unanswered?, _):
                return .init(name: names[index], status: .notWritten, message: outcomes[index]!.message)
            case (let outcome?, _): return .init(name: names[index], status: .failed, message: outcome.message)
            case (nil, let stop?) where stop.index == index:
                return .init(name: names[index], status: .stopped, message: stopMessage ?? "")
            case (nil, _): return .init(name: names[index], status: .notRun, message: "")
            }
        }
        return CheckVerdict(exercise: exercise, verdict: kind, passed: passed, total: names.count, checks: checks)
    }
}

/// The lines a worker writes on the checks' channel, read with a deadline, while its standard error is
/// passed on to this process's (less the frames of a crash's stack trace, which mean nothing to a
/// learner) and its last error line kept for the crash report.
struct LineReader {
    let channel: Int32
    let errors: Int32
    private var pending = Data()
    private var errorText = Data()
    private var errorsOpen = true
    private var lastLine: String?
    private var lastErrorLine: String?
    /// The last line of standard error that looks like an error, or else the last line.
    var lastError: String? { lastErrorLine ?? lastLine }

    init(channel: Int32, errors: Int32) {
        self.channel = channel
        self.errors = errors
    }

    enum Event {
        case message(ChannelMessage)
        case timedOut
        case closed
    }

    /// The next message, or `.timedOut` after `seconds`, or `.closed` when the worker is gone.
    mutating func next(within seconds: Double) -> Event {
        let deadline = Date().addingTimeInterval(max(0, seconds))
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = pending[pending.startIndex..<newline]
                pending.removeSubrange(pending.startIndex...newline)
                if let message = try? JSONDecoder().decode(ChannelMessage.self, from: Data(line)) {
                    return .message(message)
                }
                continue
            }
            let wait = deadline.timeIntervalSinceNow
            if wait <= 0 { return .timedOut }
            var fds = [pollfd(fd: channel, events: Int16(POLLIN), revents: 0)]
            if errorsOpen { fds.append(pollfd(fd: errors, events: Int16(POLLIN), revents: 0)) }
            let ready = poll(&fds, nfds_t(fds.count), Int32(min(wait * 1000, 1000).rounded(.up)))
            if ready < 0 && errno != EINTR { return .closed }
            if errorsOpen && fds.count > 1 && fds[1].revents != 0 { errorsOpen = pass(read(errors)) }
            if fds[0].revents != 0 {
                let chunk = read(channel)
                if chunk.isEmpty {
                    // The channel closed: the worker is gone. Drain what it said last on standard error.
                    while errorsOpen { errorsOpen = pass(read(errors)) }
                    return .closed
                }
                pending.append(chunk)
            }
        }
    }

    /// Up to 64 KiB from `fd` (empty at its end).
    private func read(_ fd: Int32) -> Data {
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = Glibc.read(fd, &buffer, buffer.count)
        return count > 0 ? Data(buffer[..<count]) : Data()
    }

    /// Passes `chunk` of the worker's standard error on; false at its end.
    private mutating func pass(_ chunk: Data) -> Bool {
        guard !chunk.isEmpty else { return false }
        errorText.append(chunk)
        while let newline = errorText.firstIndex(of: UInt8(ascii: "\n")) {
            let line = String(decoding: errorText[errorText.startIndex..<newline], as: UTF8.self)
            errorText.removeSubrange(errorText.startIndex...newline)
            if line.hasPrefix("Current stack trace:") || line.firstMatch(of: Self.frame) != nil { continue }
            FileHandle.standardError.write(Data((line + "\n").utf8))
            guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            lastLine = line
            if line.contains("rror") { lastErrorLine = line }
        }
        return true
    }

    private static let frame = #/^[0-9]+ +\S+ +0x[0-9a-f]+ /#
}
