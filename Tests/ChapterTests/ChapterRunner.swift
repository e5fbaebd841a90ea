import Foundation
import Testing

/// Runs a chapter executable the way a learner would (`swift run 05-Learner --quick --no-pause`), with
/// standard input not a terminal, and returns what it printed.
///
/// Every run shares one temporary fastai home, so the small built-in data set is generated once per
/// test process, and one output folder for the PNGs.
enum ChapterRunner {
    struct Result {
        let status: Int32
        let output: String
        let errors: String
    }

    static let sandbox: URL = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("chapter-tests-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }()

    /// The folder the test bundle was built into; the chapter executables are built beside it.
    static let productsFolder: URL = {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while !url.lastPathComponent.hasSuffix(".xctest") && url.pathComponents.count > 1 {
            url.deleteLastPathComponent()
        }
        return url.deletingLastPathComponent()
    }()

    /// Where `scheduling` wrote its PNGs and its page.
    static let schedulingFolder = sandbox.appendingPathComponent("out-07")

    /// 07-Scheduling's quick run of two epochs, run once for the two tests that read it (it is among the
    /// longest chapter runs): the chapter test reads what it printed and its PNGs, the browser test its
    /// page.
    static let scheduling = Swift.Result {
        try run(
            "07-Scheduling", ["--quick", "--no-pause", "--epochs", "2"],
            environment: ["WORKBOOK_OUT": schedulingFolder.path])
    }

    static func run(
        _ chapter: String, _ arguments: [String] = ["--quick", "--no-pause"], environment extra: [String: String] = [:]
    ) throws -> Result {
        let executable = productsFolder.appendingPathComponent(chapter)
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw RunnerError(message: "\(executable.path) is not built; run `swift build` first")
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["FASTAI_HOME"] = sandbox.appendingPathComponent("fastai").path
        environment["WORKBOOK_OUT"] = sandbox.appendingPathComponent("out").path
        environment["NO_COLOR"] = "1"
        environment.removeValue(forKey: "WORKBOOK_DATA")
        environment.removeValue(forKey: "WORKBOOK_SOURCE")
        environment.merge(extra) { $1 }
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes before waiting, so a chatty chapter cannot fill a pipe and block: standard
        // error on a thread of its own, which hands its bytes over once the semaphore is signalled.
        let errors = ReadBytes(), errorsRead = DispatchSemaphore(value: 0)
        Thread {
            errors.data = err.fileHandleForReading.readDataToEndOfFile()
            errorsRead.signal()
        }.start()
        let outputData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        errorsRead.wait()
        return Result(
            status: process.terminationStatus,
            output: String(decoding: outputData, as: UTF8.self),
            errors: String(decoding: errors.data, as: UTF8.self))
    }

    /// Bytes one thread reads and another takes after a semaphore: the semaphore orders the write
    /// before the read, which the compiler cannot see, hence `@unchecked`.
    private final class ReadBytes: @unchecked Sendable {
        var data = Data()
    }

    struct RunnerError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}

extension String {
    /// The lines containing `fragment`.
    func lines(containing fragment: String) -> [Substring] {
        split(separator: "\n").filter { $0.contains(fragment) }
    }

    /// The numbers in this text, in order (for reading values off printed lines), `1.2e+15` included.
    var numbers: [Double] {
        var result: [Double] = []
        var current = ""
        for ch in self + " " {
            if ch.isNumber || ch == "." || ch == "-" || ch == "e" && !current.isEmpty
                || ch == "+" && current.last == "e"
            {
                current.append(ch)
            } else {
                if let value = Double(current) { result.append(value) }
                current = ""
            }
        }
        return result
    }
}

extension ChapterRunner.Result {
    /// What the steps printed, without the code and definitions the runner shows before each step
    /// (which would otherwise match checks such as `crossEntropy(r, yb) =`).
    ///
    /// On the way it checks that the run showed every step's code and every definition's header
    /// (the run must not have used `--from`), recording an issue for each one missing.
    func printed(by chapter: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let shown = try compareWithShownSteps(of: chapter)
        for missing in shown.missing { Issue.record(Comment(rawValue: missing), sourceLocation: sourceLocation) }
        return shown.rest
    }

    /// Each step's code block, as `--steps-json` gives it, cut out of the output once, and the lines
    /// of shown definitions dropped: `rest` is what is left, `missing` says what was not found.
    func compareWithShownSteps(of chapter: String) throws -> (missing: [String], rest: String) {
        var text = output
        var missing: [String] = []
        for step in try StepSourceTests.shownSteps(chapter) {
            for excerpt in step.definitions {
                let lines =
                    excerpt.firstLine == excerpt.lastLine
                    ? "line \(excerpt.firstLine)" : "lines \(excerpt.firstLine)–\(excerpt.lastLine)"
                if !text.contains("┌ \(excerpt.displayPath), \(lines)") {
                    missing.append("\(chapter) step \(step.number) did not show \(excerpt.name)")
                }
            }
            guard !step.code.isEmpty else { continue }
            let lines = step.code.components(separatedBy: "\n")
            let block = (["› " + lines[0]] + lines.dropFirst().map { "  " + $0 }).joined(separator: "\n") + "\n"
            if let range = text.range(of: block) {
                text.removeSubrange(range)
            } else {
                missing.append("\(chapter) step \(step.number) did not show its code")
            }
        }
        let rest = text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("│ ") && !$0.hasPrefix("┌ ") }.joined(separator: "\n")
        return (missing, rest)
    }
}
