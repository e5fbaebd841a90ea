import ArgumentParser
import ExerciseTool
import Foundation

/// `make check-exercises` (and `make test`): `Exercises/` compiles, and every stub gets a verdict.
struct StubsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stubs",
        abstract: "Build Exercises/ and check that each stub gets a verdict and passes no check (CI).")

    @Flag(help: "Everything is built already (`make test` built it): run the checks.")
    var prebuilt = false

    @Flag(help: "AnswerRegionTests ran already (`make test` runs them with the suite).")
    var answerRegionsTested = false

    func run() throws {
        let context = try Context()
        let build = context.build
        if !prebuilt {
            print("Building Exercises/ (answers, runners, checks) …")
            guard build.swift(["build"] + build.flags, learnersAnswers: true) == 0 else { throw ExitCode(1) }
        }
        var problems: [String] = []
        for exercise in context.catalog.exercises {
            var output: [String] = []
            let status = Subprocess.stream(
                build.binaries.appendingPathComponent(ExerciseCheck.program(exercise, .exercises)).path
            ) { output.append($0) }
            let passed = output.filter { $0.hasPrefix("  ✔ ") }
            if status > 1 {
                let last = output.last { $0.hasPrefix("  ⏱") || $0.hasPrefix("  ✘") } ?? "(no line)"
                problems.append("exercise \(exercise.number)'s stub stopped its checks early: \(last)")
            } else if Self.untouched(exercise, context.catalog), !passed.isEmpty {
                // A check that passes before anything is written tests the scaffold, not the answer.
                problems.append(
                    "exercise \(exercise.number)'s stub passes: " + passed.prefix(3).joined(separator: ";"))
            }
        }
        guard problems.isEmpty else {
            for problem in problems { context.screen.say("✘ \(problem)") }
            throw ExitCode(1)
        }
        context.screen.say(
            "✔ Every exercise's checks give a verdict on Exercises/ as it stands, and no check passes on an "
                + "untouched stub.")
        if !answerRegionsTested {
            let status = build.swift(
                ["test"] + build.flags + ["--skip-build", "--filter", "AnswerRegionTests"], learnersAnswers: true)
            if status != 0 { throw ExitCode(status) }
        }
    }

    /// Whether every answer region of `exercise` in `Exercises/` still opens with a `todo(`.
    static func untouched(_ exercise: Exercise, _ catalog: ExerciseCatalog) -> Bool {
        for file in catalog.sources(of: exercise, in: "Exercises") {
            let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
            var inside = false, first = false
            for line in text.split(separator: "\n") {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed == "// MARK: - End of answer" {
                    inside = false
                } else if inside && first && !trimmed.isEmpty {
                    if !trimmed.hasPrefix("todo(") { return false }
                    first = false
                }
                if trimmed == "// MARK: - Answer" {
                    inside = true
                    first = true
                }
            }
        }
        return true
    }
}
