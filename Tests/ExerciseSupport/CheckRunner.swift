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
    exercise: String, _ checks: @autoclosure () -> [Check],
    whenItHangs: String = "look for a loop whose condition never changes, or a function that calls itself without end",
    checksFile: String = #filePath
) -> Never {
    let environment = ProcessInfo.processInfo.environment
    if let channel = environment[CheckWorker.channelVariable].flatMap(Int32.init) {
        // Before anything else, and so before any answer code: the secret, then the limits.
        let secret = CheckWorker.readSecret()
        (try? ResourceLimits(environment: environment))?.apply()
        runAsWorker(checks(), channel: channel, secret: secret)
    }
    setvbuf(stdout, nil, _IOLBF, 0)
    var resources: ResourceLimits
    do {
        resources = try ResourceLimits(environment: environment)
    } catch {
        print("✘ \(error)")
        exit(2)
    }
    let folder = URL(fileURLWithPath: checksFile).deletingLastPathComponent().deletingLastPathComponent()
    let limits = CheckLimits(contentsOf: folder.appendingPathComponent("Timings.tsv").path)
    let names = checks().map(\.name)
    resources.cpuSeconds = resources.cpu(
        forWallSeconds: names.map(limits.limit(for:)).reduce(CheckRun.between, +))
    var run = CheckRun(
        exercise: exercise, names: names, limits: limits, resources: resources, whenItHangs: whenItHangs)
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

/// In the worker: runs every check in order and reports each start and end on the channel, each
/// message sealed with the run's secret, this process's id and its place in the sequence.
private func runAsWorker(_ checks: [Check], channel: Int32, secret: String) -> Never {
    // The answer's own prints reach the learner line by line, before a crash too.
    setvbuf(stdout, nil, _IOLBF, 0)
    _ = fcntl(channel, F_SETFD, FD_CLOEXEC)
    CheckWorker.followParent()
    let pid = getpid()
    var sequence = 0
    func send(_ index: Int, _ outcome: CheckOutcome?) {
        let message = ChannelMessage(sequence: sequence, pid: pid, secret: secret, index: index, outcome: outcome)
        sequence += 1
        var line = (try? JSONEncoder().encode(message)) ?? Data()
        line.append(UInt8(ascii: "\n"))
        line.withUnsafeBytes { bytes in _ = write(channel, bytes.baseAddress, bytes.count) }
    }
    send(ChannelMessage.hello, nil)
    for (index, check) in checks.enumerated() {
        send(index, nil)
        let outcome = evaluate(check, timeout: nil)
        fflush(stdout)
        send(index, outcome)
    }
    exit(0)
}

/// One line on the checks' channel: check `index` starts (no outcome) or ended with `outcome`; the
/// first line, before any answer code runs, is a hello (`index` -1) that gives the worker's id.
struct ChannelMessage: Codable {
    /// The index of the first message.
    static let hello = -1
    var sequence: Int
    var pid: Int32
    var secret: String
    var index: Int
    var outcome: CheckOutcome?
}

/// The verdict's side of one run of the checks: starts the worker, follows it on the channel, prints
/// a line per check and stops the worker when a check runs out of time, when something on the channel
/// is not the checks' own, or when the worker is gone.
struct CheckRun {
    let exercise: String
    let names: [String]
    let limits: CheckLimits
    let resources: ResourceLimits
    let whenItHangs: String
    /// How each check ended, by index; a check missing here was not run.
    var outcomes: [Int: CheckOutcome] = [:]
    /// Seconds each check took, in order, for the checks that ended.
    var measured: [(name: String, seconds: Double)] = []
    /// Set when the run stopped early: the check, and why.
    var stoppedAt: (index: Int, reason: StopReason)?
    /// The limit the answer reached, said for the learner, if it reached one.
    var limitReached: String?

    /// Why the checks stopped before the last one.
    enum StopReason {
        case timedOut(limit: Double)
        case crashed(status: Int32, lastError: String?)
        /// A line on the channel that the checks did not write: what was seen.
        case tampered(String)
        /// The answer reached one of the resource limits (the message names it).
        case limit(String)
    }

    /// Time allowed between two checks, and before the first (the process starts, the checks are made).
    static let between: Double = 30

    mutating func supervise() {
        let worker: CheckWorker
        do {
            worker = try CheckWorker(environment: resources.environment)
        } catch {
            print("  ✘ \(error)")
            stoppedAt = (0, .crashed(status: -1, lastError: "\(error)"))
            return
        }
        var reader = LineReader(worker: worker, outputLimit: resources.output)
        var watch = LimitWatch(worker: worker.pid, resources: resources)
        var current: Int?
        var started = Date()
        var expected = (sequence: 0, pid: Int32(0))
        func stop(_ reason: StopReason) -> Int32 {
            limitReached = limitReached ?? watch.sample()
            let status = worker.stop()
            reader.finish()
            stoppedAt = (current ?? outcomes.count, reason)
            return status
        }
        while outcomes.count < names.count {
            let limit = current.map { limits.limit(for: names[$0]) } ?? Self.between
            let remaining = limit - Date().timeIntervalSince(started)
            let event = reader.next(within: remaining)
            if limitReached == nil, let reached = watch.sampleNowAndThen() { limitReached = reached }
            switch event {
            case .idle: continue
            case .line(let text):
                guard let message = try? JSONDecoder().decode(ChannelMessage.self, from: Data(text.utf8)),
                    message.secret == worker.secret,
                    message.sequence == expected.sequence,
                    message.sequence == 0 || message.pid == expected.pid
                else {
                    _ = stop(.tampered(Self.describe(text, secret: worker.secret, expected: expected)))
                    reportStop()
                    return
                }
                expected = (message.sequence + 1, message.pid)
                let index = message.index
                if message.sequence == 0 {
                    guard index == ChannelMessage.hello else {
                        _ = stop(.tampered("a first message that is not the worker's hello"))
                        reportStop()
                        return
                    }
                    started = Date()
                } else if let outcome = message.outcome {
                    guard index == current else {
                        _ = stop(
                            .tampered("the end of check \(index + 1) while check \(current.map { $0 + 1 } ?? 0) ran"))
                        reportStop()
                        return
                    }
                    let seconds = Date().timeIntervalSince(started)
                    outcomes[index] = outcome
                    measured.append((names[index], seconds))
                    print(line(for: index, outcome))
                    current = nil
                    started = Date()
                } else {
                    guard current == nil, index == outcomes.count else {
                        _ = stop(.tampered("the start of check \(index + 1) out of turn"))
                        reportStop()
                        return
                    }
                    current = index
                    started = Date()
                }
            case .timedOut:
                _ = stop(.timedOut(limit: limit))
                if let limitReached { stoppedAt = (stoppedAt!.index, .limit(limitReached)) }
                reportStop()
                return
            case .closed:
                let status = stop(.crashed(status: 0, lastError: nil))
                let reached = limitReached ?? Self.limitReached(status: status, reader: reader, resources)
                stoppedAt = (
                    stoppedAt!.index,
                    reached.map(StopReason.limit) ?? .crashed(status: status, lastError: reader.lastError)
                )
                reportStop()
                return
            }
        }
        limitReached = limitReached ?? watch.sample()
        worker.stop()
        reader.finish()
        if let limitReached { print("  ✘ \(limitReached)") }
    }

    /// What a line on the channel that the checks did not write looked like, for the report (the
    /// secret, should an answer have found it, is not repeated).
    static func describe(_ text: String, secret: String, expected: (sequence: Int, pid: Int32)) -> String {
        let shown = text.replacingOccurrences(of: secret, with: "<the secret>")
        let excerpt = shown.count > 160 ? String(shown.prefix(160)) + "…" : shown
        guard let message = try? JSONDecoder().decode(ChannelMessage.self, from: Data(text.utf8)) else {
            return "a line that is not one of the checks' messages: \(excerpt)"
        }
        if message.secret != secret { return "a message without the run's secret: \(excerpt)" }
        if message.pid != expected.pid {
            return "a message from another process (\(message.pid), not the worker \(expected.pid)): \(excerpt)"
        }
        return "message \(message.sequence) where \(expected.sequence) was due: \(excerpt)"
    }

    /// The limit that a worker which ended with `status` reached, if its end says so.
    static func limitReached(status: Int32, reader: LineReader, _ resources: ResourceLimits) -> String? {
        let signalled = status & 0x7f
        if signalled == SIGXCPU {
            return "used more than \(resources.cpuSeconds ?? 0) s of CPU time (CPU=… raises the limit)"
        }
        if signalled == SIGXFSZ {
            return
                "wrote a file of more than \(ResourceLimits.describe(bytes: resources.writes)) (WRITES=… raises the limit)"
        }
        if reader.sawAllocationFailure {
            return
                "used more than \(ResourceLimits.describe(bytes: resources.memory)) of memory (MEMORY=… raises the limit)"
        }
        return nil
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
        case .tampered(let seen):
            return "something other than the checks wrote on the checks' channel, so the run stopped here: "
                + seen
        case .limit(let limit):
            return "your code \(limit), so the checks stopped it."
        }
    }

    /// The lines of the check that stopped the run and of those not run after it.
    func reportStop() {
        guard let (index, reason) = stoppedAt, let stopMessage else { return }
        let name = index < names.count ? names[index] : "after the last check"
        switch reason {
        case .timedOut: print("  ⏱ \(name): \(stopMessage)")
        case .tampered: print("  ⚠ \(name): \(stopMessage)")
        default: print("  ✘ \(name): \(stopMessage)")
        }
        for later in names.dropFirst(index + 1) { print("  · \(later): not run") }
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
        var note: String?
        switch stoppedAt?.reason {
        case .timedOut?: kind = .timeout
        case .crashed?: kind = .crash
        case .tampered(let seen)?:
            kind = .tampered
            note = seen
        case .limit(let limit)?:
            kind = .limit
            note = limit
        case nil:
            if let limitReached {
                kind = .limit
                note = limitReached
            } else {
                kind = passed == names.count ? .pass : .fail
            }
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
        return CheckVerdict(
            exercise: exercise, verdict: kind, passed: passed, total: names.count, checks: checks, note: note)
    }
}

/// The worker's three streams, read with a deadline: lines on the checks' channel are handed back;
/// standard output (what the answer prints) is passed on up to a limit and then counted; standard
/// error is passed on less the frames of a crash's stack trace, which mean nothing to a learner, and
/// its last error line kept for the crash report.
struct LineReader {
    let channel: Int32
    let errors: Int32
    let output: Int32
    /// Bytes of output and of error passed on, each, before the rest is only counted.
    let outputLimit: Int
    private var pending = Data()
    private var errorText = Data()
    private var errorsOpen = true, outputOpen = true
    private var passedOn = (output: 0, errors: 0), heldBack = 0
    private var lastLine: String?
    private var lastErrorLine: String?
    /// The last line of standard error that looks like an error, or else the last line.
    var lastError: String? { lastErrorLine ?? lastLine }
    /// Whether the worker said that an allocation failed (it reached its memory limit).
    private(set) var sawAllocationFailure = false

    init(worker: CheckWorker, outputLimit: Int) {
        channel = worker.channel
        errors = worker.errors
        output = worker.output
        self.outputLimit = outputLimit
    }

    enum Event {
        case line(String)
        /// Nothing came for a second; the deadline is not reached.
        case idle
        case timedOut
        case closed
    }

    /// The next line on the channel, or `.timedOut` after `seconds`, or `.closed` when the worker is
    /// gone. Wakes at least every second (so that the caller can look at the worker's use of limits).
    mutating func next(within seconds: Double) -> Event {
        let deadline = Date().addingTimeInterval(max(0, seconds))
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = pending[pending.startIndex..<newline]
                pending.removeSubrange(pending.startIndex...newline)
                return .line(String(decoding: line, as: UTF8.self))
            }
            let wait = deadline.timeIntervalSinceNow
            if wait <= 0 { return .timedOut }
            var fds = [pollfd(fd: channel, events: Int16(POLLIN), revents: 0)]
            if errorsOpen { fds.append(pollfd(fd: errors, events: Int16(POLLIN), revents: 0)) }
            if outputOpen { fds.append(pollfd(fd: output, events: Int16(POLLIN), revents: 0)) }
            let ready = poll(&fds, nfds_t(fds.count), Int32(min(wait * 1000, 20).rounded(.up)))
            if ready < 0 && errno != EINTR { return .closed }
            if ready == 0 { return deadline.timeIntervalSinceNow <= 0 ? .timedOut : .idle }
            for entry in fds.dropFirst() where entry.revents != 0 {
                if entry.fd == errors { errorsOpen = pass(read(errors)) } else { outputOpen = show(read(output)) }
            }
            if fds[0].revents != 0 {
                let chunk = read(channel)
                if chunk.isEmpty {
                    // The channel closed: the worker is gone. Drain what it said last.
                    finish()
                    return .closed
                }
                // A channel that fills faster than messages come is not the checks' (they write short lines).
                pending.append(chunk)
                if pending.count > 1 << 20 { return .line(String(decoding: pending.prefix(200), as: UTF8.self)) }
            }
        }
    }

    /// Passes on what the worker's output and error still hold, and says how much output was held back.
    mutating func finish() {
        var rounds = 0
        while (errorsOpen || outputOpen) && rounds < 10_000 {
            var fds: [pollfd] = []
            if errorsOpen { fds.append(pollfd(fd: errors, events: Int16(POLLIN), revents: 0)) }
            if outputOpen { fds.append(pollfd(fd: output, events: Int16(POLLIN), revents: 0)) }
            guard poll(&fds, nfds_t(fds.count), 200) > 0 else { break }
            for entry in fds where entry.revents != 0 {
                if entry.fd == errors { errorsOpen = pass(read(errors)) } else { outputOpen = show(read(output)) }
            }
            rounds += 1
        }
        errorsOpen = false
        outputOpen = false
        if heldBack > 0 {
            print(
                "  … \(heldBack) more bytes of output not shown (only the first "
                    + "\(ResourceLimits.describe(bytes: outputLimit)) of what the answer prints is kept)")
            heldBack = 0
        }
    }

    /// Up to 64 KiB from `fd` (empty at its end).
    private func read(_ fd: Int32) -> Data {
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = Glibc.read(fd, &buffer, buffer.count)
        return count > 0 ? Data(buffer[..<count]) : Data()
    }

    /// Passes `chunk` of the worker's output on while under the limit; false at its end.
    private mutating func show(_ chunk: Data) -> Bool {
        guard !chunk.isEmpty else { return false }
        let room = max(0, outputLimit - passedOn.output)
        if room > 0 {
            fflush(stdout)
            chunk.prefix(room).withUnsafeBytes { bytes in _ = write(1, bytes.baseAddress, bytes.count) }
        }
        passedOn.output += min(room, chunk.count)
        heldBack += max(0, chunk.count - room)
        return true
    }

    /// Passes `chunk` of the worker's standard error on; false at its end.
    private mutating func pass(_ chunk: Data) -> Bool {
        guard !chunk.isEmpty else { return false }
        errorText.append(chunk)
        while let newline = errorText.firstIndex(of: UInt8(ascii: "\n")) {
            let line = String(decoding: errorText[errorText.startIndex..<newline], as: UTF8.self)
            errorText.removeSubrange(errorText.startIndex...newline)
            if line.hasPrefix("Current stack trace:") || line.firstMatch(of: Self.frame) != nil { continue }
            if line.contains("failed to allocate") || line.contains("Could not allocate")
                || line.contains("Cannot allocate memory")
            {
                sawAllocationFailure = true
            }
            if passedOn.errors < outputLimit {
                passedOn.errors += line.utf8.count + 1
                FileHandle.standardError.write(Data((line + "\n").utf8))
            }
            guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            lastLine = line
            if line.contains("rror") { lastErrorLine = line }
        }
        // A line of error that never ends is kept to the limit too.
        if errorText.count > outputLimit { errorText.removeAll() }
        return true
    }

    private static let frame = #/^[0-9]+ +\S+ +0x[0-9a-f]+ /#
}
