import ArgumentParser
import ExerciseTool
import Foundation

/// `make new-exercise N=35 NAME=Clamp`: lays out a new exercise as a small complete one.
struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Lay out a new exercise (stub, reference, checks, Exercise.md, wrong answers' folder).",
        discussion: """
            Until the reference is written, `make solution N=…` fails on its todo; once it is, it passes. \
            Nothing else needs editing: the manifest finds the new folders.
            """)

    @Argument(help: "Its number: a question's (35) or a further research's (R7).")
    var number: String = ""

    @Argument(help: "A Swift type name in UpperCamelCase (Clamp).")
    var name: String = ""

    func run() throws {
        let context = try Context()
        let template: ExerciseTemplate
        let paths: [String]
        do {
            template = try ExerciseTemplate(number: number, name: name)
            paths = try template.write(into: context.catalog.root)
        } catch {
            print(error)
            throw ExitCode(2)
        }
        let n = template.number
        print("Exercise \(n) laid out:")
        for path in paths { print("  \(path)") }
        context.screen.say(
            "Next: write the reference in Solutions/\(n)-\(template.name)/Sources/\(template.name).swift, then "
                + "`make solution N=\(n)`; then the checks, the hints in Exercise.md and three known-wrong answers "
                + "(`make wrong-answer N=\(n) NAME=…`).")
    }
}

/// `make wrong-answer N=16 NAME=slug` and `make test`'s `apply`: the known-wrong answers.
struct WrongAnswerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wrong-answer",
        abstract: "Keep a known-wrong answer as its diff from the reference, and lay them all out for the tests.",
        subcommands: [New.self, Save.self, Apply.self])

    /// Which exercise, and the mistake's name (`off-by-one`): the draft's folder and the diff's name.
    struct Mistake: ParsableArguments {
        @Argument(help: "The exercise's number.") var number: String = ""
        @Argument(help: "A name for the mistake (off-by-one).") var slug: String = ""
    }

    /// Starts one: a copy of the reference to break.
    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Copy the reference aside for you to break.")

        @OptionGroup var mistake: Mistake

        func run() throws {
            let context = try Context()
            let (exercise, slug) = (try context.exercise(mistake.number), mistake.slug)
            guard !slug.isEmpty else { throw context.usage(ValidationError("Name the mistake: NAME=off-by-one")) }
            do {
                let draft = try WrongAnswers(catalog: context.catalog).startDraft(exercise, slug)
                context.screen.say(
                    "Break the copy in \(draft)/, then: make wrong-answer N=\(exercise.number) NAME=\(slug) SAVE=1")
            } catch {
                print(error)
                throw ExitCode(2)
            }
        }
    }

    /// Keeps the broken copy as a diff.
    struct Save: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Turn your broken copy into Tests/WrongAnswers/N/NAME.diff.")

        @OptionGroup var mistake: Mistake

        func run() throws {
            let context = try Context()
            let exercise = try context.exercise(mistake.number)
            do {
                let file = try WrongAnswers(catalog: context.catalog).saveDraft(exercise, mistake.slug)
                context.screen.say("Wrote \(file): fill in its two first lines, then `make test` checks it.")
            } catch {
                print(error)
                throw ExitCode(1)
            }
        }
    }

    /// Lays every one out as a module for `WrongAnswerTests`.
    struct Apply: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Lay out every known-wrong answer under .build/wrong-answers (make test runs it first).")

        func run() throws {
            let context = try Context()
            do {
                let count = try WrongAnswers(catalog: context.catalog).apply()
                print("Applied \(count) known-wrong answers under \(WrongAnswers.appliedFolder).")
            } catch {
                print(error)
                throw ExitCode(1)
            }
        }
    }
}
