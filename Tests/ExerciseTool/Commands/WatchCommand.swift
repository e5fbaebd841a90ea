import ArgumentParser
import ExerciseTool
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `make watch N=16`: checks an exercise, then again each time one of its files is saved.
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Check exercise N, then again on every save of its files (h⏎ hint, q⏎ quit).")

    @OptionGroup var given: ExerciseNumber

    func run() throws {
        let context = try Context()
        var watch = ExerciseWatch(exercise: try context.exercise(given.number), context: context)
        watch.run()
    }
}

/// The process group of the check running in the background, for the signal handler to end it.
nonisolated(unsafe) private var runningCheck: pid_t = 0

/// The watch's loop: a check in the background whenever the exercise's files change, its verdict on a
/// cleared screen when it ends, and the keys typed meanwhile.
struct ExerciseWatch {
    let exercise: Exercise
    let context: Context
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("workbook-watch-\(getpid())").path
    var started = Date()
    var typed = Data()

    init(exercise: Exercise, context: Context) {
        self.exercise = exercise
        self.context = context
    }

    /// Whatever ends the watch ends the check running with it.
    static func stopCheck() {
        if runningCheck > 0 {
            kill(-runningCheck, SIGTERM)
            waitpid(runningCheck, nil, 0)
            runningCheck = 0
        }
    }

    mutating func run() {
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            Glibc.signal(signal) { _ in
                ExerciseWatch.stopCheck()
                print()
                exit(0)
            }
        }
        defer {
            Self.stopCheck()
            try? FileManager.default.removeItem(atPath: output)
        }
        let folder = "Exercises/\(exercise.folder)"
        let status = "Watching \(folder): save a file to check again · h⏎ hint · q⏎ quit"
        var last = ""
        while true {
            let now = fingerprint()
            if now != last {
                last = now
                Self.stopCheck()
                print("\u{1B}[2J\u{1B}[H", terminator: "")
                context.screen.say(title: "Exercise \(exercise.number)", ": checking \(folder) …")
                fflush(stdout)
                started = Date()
                startCheck()
            }
            if runningCheck > 0, waitpid(runningCheck, nil, WNOHANG) == runningCheck {
                runningCheck = 0
                let took = Date().timeIntervalSince(started)
                // One write for the whole screen, so that it never shows the verdict without the status.
                let verdict = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
                let text =
                    "\u{1B}[2J\u{1B}[H" + verdict + String(format: "\n(checked in %.1f s at %@)\n", took, Self.clock())
                    + TextWrapping.wrapLines(status, width: context.screen.width) + "\n"
                fputs(text, stdout)
                fflush(stdout)
            }
            guard let key = nextKey() else { return }  // nothing more can be typed: nothing to watch for
            switch key {
            case "q", "Q": return
            case "h", "H":
                print()
                if let info = try? ExerciseInfo(of: exercise, root: context.catalog.root) {
                    HintCommand.show(info, of: exercise, watching: true, context: context)
                }
                fflush(stdout)
            default: break
            }
        }
    }

    /// Starts `workbook check N` in the background, its output into the file the verdict is shown from.
    func startCheck() {
        var environment = ["WORKBOOK_WATCHING": "1", "COLUMNS": String(context.screen.width)]
        if isatty(STDOUT_FILENO) == 1 { environment["WORKBOOK_STYLED"] = "1" }
        runningCheck =
            Subprocess.spawn(
                Subprocess.ownPath, ["check", exercise.number], environment: environment, output: output,
                ownGroup: true) ?? 0
    }

    /// The next line typed within half a second ("" when none), or nil once input has ended.
    mutating func nextKey() -> String? {
        var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        if poll(&descriptor, 1, 500) > 0 {
            var buffer = [UInt8](repeating: 0, count: 256)
            let count = read(STDIN_FILENO, &buffer, buffer.count)
            if count <= 0 { return nil }
            typed.append(contentsOf: buffer[0..<count])
        }
        guard let newline = typed.firstIndex(of: UInt8(ascii: "\n")) else { return "" }
        let line = String(decoding: typed[typed.startIndex..<newline], as: UTF8.self)
        typed.removeSubrange(typed.startIndex...newline)
        return line.trimmingCharacters(in: .whitespaces)
    }

    /// The exercise's Swift files with their modification times: a save changes it.
    func fingerprint() -> String {
        let folder = context.catalog.root.appendingPathComponent("Exercises/\(exercise.folder)")
        guard let files = FileManager.default.enumerator(atPath: folder.path) else { return "" }
        return files.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }.sorted().map { name in
            let attributes = try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(name).path)
            let time = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            return "\(name) \(time)"
        }.joined(separator: "\n")
    }

    static func clock() -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "HH:mm:ss"
        return formatter.string(from: Date())
    }
}
