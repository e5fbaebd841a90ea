import ArgumentParser
import ExerciseTool
import Foundation

/// `make exercises`: every exercise, where the learner stands on it, and the one to do next.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Every exercise, its question, where you stand, and what to do next.")

    func run() throws {
        let context = try Context()
        let screen = context.screen, progress = ExerciseProgress(build: context.build)
        screen.say(
            title: "Exercises",
            ": write your answers in Exercises/, check one with `make exercise N=…`, and ask `make hint N=…` "
                + "when stuck.")
        var next: Exercise?
        for exercise in context.catalog.exercises {
            let state = Self.state(of: exercise, context.catalog, progress)
            if next == nil && state != "solved" { next = exercise }
            print()
            let head = "  " + exercise.number.padding(toLength: 4, withPad: " ", startingAt: 0)
            screen.say(head + state.padding(toLength: 28, withPad: " ", startingAt: 0) + "Exercises/\(exercise.folder)")
            let question = (try? ExerciseInfo(of: exercise, root: context.catalog.root).question) ?? ""
            screen.printLines(TextWrapping.wrap(String(repeating: " ", count: 6) + question, width: screen.width))
        }
        print()
        if let next {
            screen.say(title: "Next", ": exercise \(next.number) (`make exercise N=\(next.number)` checks it).")
        } else {
            screen.say(title: "Every exercise is solved", ".")
        }
    }

    /// Where the learner stands on `exercise`: solved, todos left, or how the last check went.
    static func state(of exercise: Exercise, _ catalog: ExerciseCatalog, _ progress: ExerciseProgress) -> String {
        let todos = catalog.sources(of: exercise, in: "Exercises").reduce(0) { count, file in
            let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
            return count
                + text.split(separator: "\n").filter {
                    $0.drop { $0 == " " }.hasPrefix("todo(")
                }.count
        }
        let last = progress.lastVerdict(exercise)
        if last == "solved" { return "solved" }
        if todos > 0 { return todos == 1 ? "1 todo left" : "\(todos) todos left" }
        if last == "failing" { return "answered, checks failing" }
        return "answered, not checked yet"
    }
}
