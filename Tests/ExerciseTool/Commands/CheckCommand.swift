import ArgumentParser
import ExerciseTool
import Foundation

/// `make exercise N=16`: the learner's answer against the exercise's checks.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Build exercise N's checks with your answer in Exercises/ (and nothing else), and run them.")

    @OptionGroup var given: ExerciseNumber

    func run() throws {
        let context = try Context()
        let exercise = try context.exercise(given.number)
        let check = ExerciseCheck(catalog: context.catalog, build: context.build, screen: context.screen)
        let status = check.run(exercise, on: .exercises).status
        if status != 0 { throw ExitCode(status) }
    }
}

/// `make solution N=16` (`N=all`: `make test-solutions`): the reference answers against their checks.
struct SolutionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "solution",
        abstract: "Run exercise N's checks against the reference answer in Solutions/ (all: every exercise's).")

    @OptionGroup var given: ExerciseNumber

    @Flag(help: "The programs are built already (`make test` built everything): run them.")
    var prebuilt = false

    func run() throws {
        let context = try Context()
        let exercises = try context.exercises(given.number)
        let check = ExerciseCheck(catalog: context.catalog, build: context.build, screen: context.screen)
        guard exercises.count > 1 else {
            let status = check.run(exercises[0], on: .solutions, prebuilt: prebuilt).status
            if status != 0 { throw ExitCode(status) }
            return
        }
        // One build for all of them: each `swift build` plans the package again, seconds each.
        if !prebuilt {
            let log = FileManager.default.temporaryDirectory.appendingPathComponent("workbook-\(getpid()).log").path
            defer { try? FileManager.default.removeItem(atPath: log) }
            guard context.build.build(nil, learnersAnswers: false, log: log) else {
                print((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
                throw ExitCode(1)
            }
        }
        var failed: [String] = [], stale: [String] = []
        for exercise in exercises {
            let (status, raw) = check.run(exercise, on: .solutions, prebuilt: true)
            print()
            if status != 0 { failed.append(exercise.number) }
            if Set(raw.compactMap(Self.passedCheck)) != Set(Self.timedChecks(exercise, root: context.catalog.root)) {
                stale.append(exercise.number)
            }
        }
        if !failed.isEmpty {
            print("✘ The reference answers fail: \(failed.joined(separator: " "))")
            throw ExitCode(1)
        }
        print("✔ Every reference answer passes its checks.")
        // A check's time limit comes from its measured time: one missing from Timings.tsv would get a minute.
        if !stale.isEmpty {
            context.screen.say(
                "✘ Timings.tsv does not list exactly the checks of: \(stale.joined(separator: " ")) "
                    + "(`make timings N=…` measures them again)")
            throw ExitCode(1)
        }
    }

    /// The check a line of the checks' output says passed ("  ✔ name" → "name").
    static func passedCheck(_ line: String) -> String? {
        line.hasPrefix("  ✔ ") ? String(line.dropFirst(4)) : nil
    }

    /// The checks `Timings.tsv` of `exercise` lists.
    static func timedChecks(_ exercise: Exercise, root: URL) -> [String] {
        let file = root.appendingPathComponent("\(exercise.checksFolder)/Timings.tsv")
        let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { line in
            line.firstIndex(of: "\t").map { String(line[line.index(after: $0)...]) }
        }
    }
}

/// `make run-exercise N=16`: the program that shows the learner's answer at work.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Build and run the program that shows your answer to exercise N at work.")

    @OptionGroup var given: ExerciseNumber

    @Argument(parsing: .captureForPassthrough, help: "Flags for the program.")
    var arguments: [String] = []

    func run() throws {
        let context = try Context()
        let exercise = try context.exercise(given.number)
        let status = context.build.swift(
            ["run"] + context.build.flags + ["exercise-\(exercise.number)"] + arguments, learnersAnswers: true)
        if status != 0 { throw ExitCode(status) }
    }
}

/// `make timings N=16`: the reference answer's time on each check, from which the checks' limits come.
struct TimingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timings",
        abstract: "Measure the reference answer on each check into Tests/ExerciseChecks/N/Timings.tsv (all: every one)."
    )

    @OptionGroup var given: ExerciseNumber

    func run() throws {
        let context = try Context()
        for exercise in try context.exercises(given.number) {
            let product = ExerciseCheck.program(exercise, .solutions)
            let log = FileManager.default.temporaryDirectory.appendingPathComponent("workbook-\(getpid()).log").path
            defer { try? FileManager.default.removeItem(atPath: log) }
            guard context.build.build(product, learnersAnswers: false, log: log) else {
                print((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
                throw ExitCode(1)
            }
            let timings = "\(exercise.checksFolder)/Timings.tsv"
            let status = Subprocess.run(
                [context.build.binaries.appendingPathComponent(product).path],
                environment: ["WORKBOOK_RECORD_TIMINGS": timings], output: "/dev/null")
            guard status == 0 else {
                print("✘ the reference answer to \(exercise.number) fails its checks: no timings written")
                throw ExitCode(1)
            }
            print("\(timings):")
            let text = (try? String(contentsOfFile: timings, encoding: .utf8)) ?? ""
            for line in text.split(separator: "\n") where !line.hasPrefix("#") { print("  \(line)") }
        }
    }
}
