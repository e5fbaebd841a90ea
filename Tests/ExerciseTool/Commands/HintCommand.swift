import ArgumentParser
import ExerciseTool
import Foundation

/// `make hint N=16`: the next hint of an exercise, each run one more.
struct HintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hint", abstract: "The hints of an exercise so far, one more each time.")

    @OptionGroup var given: ExerciseNumber

    @Flag(help: "Every hint at once.")
    var all = false

    @Flag(help: "Forget which hints were shown: the next one is the first.")
    var reset = false

    /// Set by the watch, whose keys differ from make's.
    @Flag(help: .hidden)
    var watching = false

    func run() throws {
        let context = try Context()
        let exercise = try context.exercise(given.number)
        let info: ExerciseInfo
        do { info = try ExerciseInfo(of: exercise, root: context.catalog.root) } catch {
            print(error)
            throw ExitCode(1)
        }
        Self.show(info, of: exercise, all: all, reset: reset, watching: watching, context: context)
    }

    /// Shows hints 1…n of `exercise`, n one more than last time (every one with `all`), and says how to
    /// go on.
    static func show(
        _ info: ExerciseInfo, of exercise: Exercise, all: Bool = false, reset: Bool = false, watching: Bool,
        context: Context
    ) {
        let progress = ExerciseProgress(build: context.build), screen = context.screen
        let number = exercise.number, count = info.hints.count
        guard count > 0 else {
            screen.say("Exercise \(number) has no hints yet.")
            return
        }
        if reset {
            progress.setHintsShown(exercise, nil)
            screen.say("Exercise \(number): hints start again from the first.")
            return
        }
        let shown = all ? count : min(progress.hintsShown(exercise) + 1, count)
        progress.setHintsShown(exercise, shown)
        for (index, hint) in info.hints.prefix(shown).enumerated() {
            if index > 0 { print() }
            screen.say(title: "Hint \(index + 1) of \(count)", " — \(hint.title)")
            for (place, paragraph) in hint.paragraphs.enumerated() {
                if place > 0 { print() }
                screen.printLines(TextWrapping.wrap("  " + paragraph, width: screen.width))
            }
        }
        print()
        if watching {
            screen.say(shown < count ? "(h⏎ again for the next hint.)" : "(That was the last hint.)")
        } else if shown < count {
            screen.say(
                "(`make hint N=\(number)` again for the next one; ALL=1 shows every hint, RESET=1 starts again.)")
        } else {
            screen.say(
                "(That was the last hint. `make solution N=\(number)` checks the reference answer; RESET=1 starts "
                    + "the hints again.)")
        }
    }
}
