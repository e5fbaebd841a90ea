import Foundation
import Support

/// `--watch`: on every save of the chapter or of `Shared/`, rebuilds it and runs it again from the
/// first step whose call changed (all of them when code outside the steps changed, since any step
/// may use it), the way a notebook reruns a cell. The run is a child process; this one only watches.
final class ChapterWatch {
    /// The chapter's steps' source, as the last run that was started saw it.
    struct Snapshot: Equatable {
        /// main.swift without the steps' calls.
        var outside: String
        /// Each step's call, from `book.step(` to its closing brace.
        var calls: [String]
        /// The steps' titles.
        var titles: [String]
        /// Every file in `Shared/`, by path.
        var shared: [String: Data]
    }

    private let book: Workbook
    private let arguments: [String]
    private let firstFrom: Int
    private let console: Console
    private let pageFolder: URL?
    private let root: URL
    private let chapterFile: String
    private let executable: String
    private let style: Style

    /// A watch of `book`, whose runs get `arguments` (the command line without `--watch`, `--from`
    /// and `--no-pause`) and start at step `from` the first time.
    init(book: Workbook, arguments: [String], from: Int, console: Console, pageFolder: URL?) {
        self.book = book
        self.arguments = arguments
        self.firstFrom = from
        self.console = console
        self.pageFolder = pageFolder
        self.root = Workbook.librarySource.root.standardizedFileURL
        self.chapterFile = book.steps.first?.file ?? ""
        self.executable = ChapterWatch.ownExecutable()
        self.style = Style(enabled: console.colors)
    }

    /// The command line of a run, from the watch's own: without the flags the watch sets itself.
    static func runArguments(_ arguments: [String]) -> [String] {
        var kept: [String] = []
        var skipNext = false
        for argument in arguments {
            if skipNext {
                skipNext = false
                continue
            }
            if argument == "--from" {
                skipNext = true
            } else if !["--watch", "--no-pause", "--live-page"].contains(argument) && !argument.hasPrefix("--from=") {
                kept.append(argument)
            }
        }
        return kept
    }

    // MARK: - The loop

    private enum State {
        case idle
        case building(ChildProcess, log: String, started: Date, snapshot: Snapshot)
        case running(ChildProcess, from: Int, started: Date)
    }

    /// Watches until `q` then Enter, Ctrl-C, or the end of a terminal; returns the exit status (0).
    func run() -> Int32 {
        ChapterWatch.catchSignals()
        let watched = "\(relative(chapterFile)) and Shared/"
        var state = State.idle
        var last: Snapshot?
        // The `from` of a run that a save cut short: the next run starts there at the latest.
        var owed: Int? = firstFrom
        var seen = fingerprint()
        var input = KeyLines()

        func stopChild() {
            switch state {
            case .building(let child, let log, _, _):
                child.stop()
                unlink(log)
            case .running(let child, let from, _):
                child.stop()
                owed = min(owed ?? from, from)
            case .idle: break
            }
            state = .idle
        }
        func startBuild(_ message: String) {
            stopChild()
            clearScreen()
            say(style.bold(book.title) + style.dim(" · watching \(watched) · q⏎ quit"))
            say(message)
            let log = FileManager.default.temporaryDirectory.appendingPathComponent(
                "watch-\(book.commandName)-\(getpid()).log"
            ).path
            let snapshot = self.snapshot(calls: [])
            do {
                let child = try ChildProcess(
                    "swift", buildArguments(), environment: ProcessInfo.processInfo.environment, output: log)
                state = .building(child, log: log, started: Date(), snapshot: snapshot)
            } catch {
                say(style.error("error: ") + Workbook.describe(error))
            }
        }

        startBuild("Building \(book.commandName)…")
        while ChapterWatch.stopSignal == 0 {
            if let line = input.next(timeout: 0.2) {
                if ["q", "quit"].contains(line.trimmingCharacters(in: .whitespaces).lowercased()) { break }
            }
            let now = fingerprint()
            if now != seen {
                // An editor may write a file in more than one go: let it finish.
                usleep(150_000)
                let settled = fingerprint()
                let changed = Set(settled.keys).union(seen.keys).filter { settled[$0] != seen[$0] }.sorted()
                seen = settled
                let names = changed.prefix(3).map(relative).joined(separator: ", ") + (changed.count > 3 ? ", …" : "")
                startBuild("Saved \(names): rebuilding…")
                continue
            }
            switch state {
            case .idle:
                break
            case .building(let child, let log, let started, var snapshot):
                guard !child.isRunning else { break }
                let seconds = Date().timeIntervalSince(started)
                let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                unlink(log)
                state = .idle
                guard child.wait() == 0 else {
                    say(style.error("The build failed") + String(format: " after %.1f s; the compiler says:", seconds))
                    say(ChapterWatch.compilerMessages(output))
                    waiting("Fix it and save to run again")
                    break
                }
                say(style.dim(String(format: "Rebuilt in %.1f s.", seconds)))
                do {
                    snapshot = try withSteps(snapshot)
                } catch {
                    say(style.error("error: ") + Workbook.describe(error))
                    waiting("Fix it and save to run again")
                    break
                }
                guard let (from, why) = ChapterWatch.firstChange(from: last, to: snapshot, owed: owed) else {
                    say("No step and no file in Shared/ differs from the last run: nothing to run again.")
                    waiting("Save a change to run again")
                    break
                }
                let run = ChapterWatch.describeRun(from: from, count: snapshot.calls.count)
                say(why.isEmpty ? run.prefix(1).uppercased() + run.dropFirst() : why + " " + run)
                last = snapshot
                owed = nil
                do {
                    let child = try ChildProcess(
                        executable,
                        arguments + ["--from", String(from), "--no-pause"] + (pageFolder == nil ? [] : ["--live-page"]),
                        environment: ProcessInfo.processInfo.environment)
                    state = .running(child, from: from, started: Date())
                } catch {
                    say(style.error("error: ") + Workbook.describe(error))
                    waiting("Save to try again")
                }
            case .running(let child, _, let started):
                guard !child.isRunning else { break }
                state = .idle
                let seconds = String(format: "%.1f s", Date().timeIntervalSince(started))
                let page =
                    pageFolder.map {
                        " The page: \(relative($0.appendingPathComponent(book.commandName + ".html").path))."
                    } ?? ""
                if child.wait() == 0 {
                    say("\n" + style.dim("Ran in \(seconds).\(page)"))
                    waiting("Save \(watched) to run again")
                } else {
                    say("\n" + style.dim("The run stopped (above) after \(seconds).\(page)"))
                    waiting("Fix it and save to run again")
                }
            }
        }
        stopChild()
        if let pageFolder {
            do {
                try LivePage.end(name: book.commandName, in: pageFolder)
            } catch {
                console.err.write(
                    style.warning("warning: ") + "the page could not be made static again: "
                        + Workbook.describe(error) + "\n")
            }
        }
        say("\nStopped watching.")
        return 0
    }

    // MARK: - What changed

    /// The step to run from, and why, when the chapter goes from `old` to `new`; `nil` when nothing
    /// differs. `owed` is where a run that was cut short started; the first run has no `old`.
    static func firstChange(from old: Snapshot?, to new: Snapshot, owed: Int?) -> (Int, String)? {
        let count = max(new.calls.count, 1)
        guard let old else { return (min(owed ?? 1, count), "") }
        var found: (Int, String)?
        if let file = Set(new.shared.keys).union(old.shared.keys).sorted().first(where: {
            new.shared[$0] != old.shared[$0]
        }) {
            found = (1, "\(LibrarySource.built.relative(file)) changed, and any step may use it:")
        } else if new.outside != old.outside {
            found = (1, "The chapter changed outside its steps, where every step may look:")
        } else if let index = new.calls.indices.first(where: { $0 >= old.calls.count || new.calls[$0] != old.calls[$0] }
        ) {
            found = (index + 1, "Step \(index + 1), “\(new.titles[index])”, changed:")
        } else if new.calls.count < old.calls.count {
            found = (count, "Steps after \(new.calls.count) were taken out:")
        }
        if let owed, owed < (found?.0 ?? Int.max) {
            return (owed, "The last run was cut short at its start, step \(owed):")
        }
        return found
    }

    /// "running steps 3–9 again (1–2 quietly)."
    static func describeRun(from: Int, count: Int) -> String {
        let ran = from == count ? "step \(count)" : "steps \(from)–\(count)"
        let quiet = from == 1 ? "" : from == 2 ? " (step 1 quietly)" : " (1–\(from - 1) quietly)"
        return "running \(ran)\(quiet)."
    }

    /// `snapshot` with the steps' calls read from the chapter's file, at the lines the newly built
    /// program gives for them.
    private func withSteps(_ snapshot: Snapshot) throws -> Snapshot {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("steps-\(getpid()).json").path
        defer { unlink(log) }
        let child = try ChildProcess(
            executable, ["--steps-json"], environment: ProcessInfo.processInfo.environment, output: log)
        let status = child.wait()
        let output = FileManager.default.contents(atPath: log) ?? Data()
        guard status == 0, let steps = try? JSONDecoder().decode([Workbook.ShownStep].self, from: output) else {
            throw WatchError(String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        guard let text = try? String(contentsOfFile: chapterFile, encoding: .utf8) else {
            throw WatchError("\(chapterFile): cannot be read")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var result = snapshot
        for step in steps {
            let range = try StepSource.callLines(source: text, file: chapterFile, line: step.line)
            result.calls.append(lines[(range.lowerBound - 1)..<range.upperBound].joined(separator: "\n"))
            result.titles.append(step.title)
        }
        // Taken out from the last, so that the earlier ranges still hold.
        for step in steps.reversed() {
            let range = try StepSource.callLines(source: text, file: chapterFile, line: step.line)
            lines.replaceSubrange((range.lowerBound - 1)..<range.upperBound, with: ["<step>"])
        }
        result.outside = lines.joined(separator: "\n")
        return result
    }

    /// Every file in `Shared/` as it is now; the steps come later, from the built program.
    private func snapshot(calls: [String]) -> Snapshot {
        var shared: [String: Data] = [:]
        for path in sharedFiles() { shared[path] = FileManager.default.contents(atPath: path) }
        return Snapshot(outside: "", calls: calls, titles: [], shared: shared)
    }

    // MARK: - Files

    /// Each watched file's modification time and size: the chapter's file and every file in `Shared/`.
    private func fingerprint() -> [String: String] {
        var result: [String: String] = [:]
        for path in [chapterFile] + sharedFiles() {
            var info = stat()
            guard stat(path, &info) == 0 else { continue }
            result[path] = "\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) \(info.st_size)"
        }
        return result
    }

    /// The files in `Shared/`, without the hidden ones and backups editors leave (`.x.swp`, `x~`).
    private func sharedFiles() -> [String] {
        let shared = root.appendingPathComponent("Shared").path
        guard let enumerator = FileManager.default.enumerator(atPath: shared) else { return [] }
        var files: [String] = []
        while let item = enumerator.nextObject() as? String {
            let name = (item as NSString).lastPathComponent
            if name.hasPrefix(".") || name.hasSuffix("~") { continue }
            let path = shared + "/" + item
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue {
                files.append(path)
            }
        }
        return files.sorted()
    }

    private func relative(_ path: String) -> String { Workbook.librarySource.relative(path) }

    // MARK: - Building

    /// `swift build` for this chapter's program only, in the build folder and configuration this
    /// program was built in (`.build/debug` unless it came from elsewhere).
    private func buildArguments() -> [String] {
        let folder = URL(fileURLWithPath: executable).deletingLastPathComponent()
        var scratch = folder.deletingLastPathComponent()
        // `.build/debug` is a link to `.build/<triple>/debug`; the program may be found through either.
        if scratch.lastPathComponent.split(separator: "-").count >= 3 { scratch = scratch.deletingLastPathComponent() }
        var arguments = ["build", "--package-path", root.path, "--product", book.commandName]
        if folder.lastPathComponent == "release" { arguments += ["-c", "release"] }
        if scratch.standardizedFileURL.path != root.appendingPathComponent(".build").path {
            arguments += ["--scratch-path", scratch.path]
        }
        return arguments
    }

    /// The build's output without its progress lines: the compiler's errors with their excerpts,
    /// each once (the job that writes a module's interface and the one that compiles its file both
    /// report a syntax error).
    static func compilerMessages(_ log: String) -> String {
        let progress = [
            "Building for", "Build complete", "Planning build", "Compiling", "Write ", "Emitting",
            "error: emit-module command failed", "error: compile command failed"
        ]
        var messages: [String] = []
        for line in log.split(separator: "\n", omittingEmptySubsequences: false) {
            if (line.first == "[" && line.dropFirst().first?.isNumber == true)
                || progress.contains(where: line.hasPrefix)
            {
                continue
            }
            // A message starts at an unindented line (`file:line:col: error: …`); its excerpt follows.
            if messages.isEmpty || !(line.first?.isWhitespace ?? true || line.first?.isNumber == true) {
                messages.append(String(line))
            } else {
                messages[messages.count - 1] += "\n" + line
            }
        }
        var seen = Set<String>()
        return messages.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { seen.insert($0).inserted }.joined(separator: "\n")
    }

    /// This program's path as it was started, so that the program built again at that path runs next.
    private static func ownExecutable() -> String {
        if let first = CommandLine.arguments.first, first.contains("/") {
            return URL(fileURLWithPath: first).standardizedFileURL.path
        }
        let link = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        return link.hasSuffix(" (deleted)") ? String(link.dropLast(" (deleted)".count)) : link
    }

    // MARK: - The terminal

    private func say(_ text: String) {
        console.out.write(text + "\n")
        fflush(stdout)
    }

    private func waiting(_ what: String) {
        say(style.dim("\(what) · q⏎ quit"))
    }

    private func clearScreen() {
        if console.colors { console.out.write("\u{1B}[2J\u{1B}[H") }
    }

    /// The signal that asked the watch to stop (Ctrl-C's SIGINT, SIGTERM, SIGHUP), or 0.
    nonisolated(unsafe) static var stopSignal: Int32 = 0

    private static func catchSignals() {
        for number in [SIGINT, SIGTERM, SIGHUP] {
            signal(number) { ChapterWatch.stopSignal = $0 }
        }
    }
}

/// Lines typed at the watch, read without blocking it for longer than a time-out.
struct KeyLines {
    private var pending = [UInt8]()
    private var ended = false

    /// The next whole line typed, or `nil` when none came within `timeout` seconds (it then has
    /// waited that long, so the watch needs no other pause). After the end of input it only waits.
    mutating func next(timeout: Double) -> String? {
        if let line = takeLine() { return line }
        if ended {
            usleep(useconds_t(timeout * 1_000_000))
            return nil
        }
        var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, Int32(timeout * 1000)) > 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = read(STDIN_FILENO, &buffer, buffer.count)
        if count <= 0 {
            ended = true
            return nil
        }
        pending += buffer[..<count]
        return takeLine()
    }

    private mutating func takeLine() -> String? {
        guard let newline = pending.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        let line = String(decoding: pending[..<newline], as: UTF8.self)
        pending.removeSubrange(...newline)
        return line
    }
}
