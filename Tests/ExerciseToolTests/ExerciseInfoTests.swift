import Foundation
import Testing

@testable import ExerciseTool

@Suite struct ExerciseInfoTests {
    static let sample = """
        # Exercise 16

        Question 16. Write a recursive function that gives the first 20
        numbers of the Fibonacci sequence.

        ## Where to start

        Start with the answers you know.
        Write those first.

        A second paragraph.

        ## Calling itself

        Suppose someone handed you the first `count - 1` numbers.
        """

    @Test func readsTheQuestionAndTheHintsInOrder() throws {
        let info = try ExerciseInfo(markdown: Self.sample, file: "Exercise.md")
        #expect(
            info.question
                == "Question 16. Write a recursive function that gives the first 20 numbers of the Fibonacci sequence.")
        #expect(info.hints.map(\.title) == ["Where to start", "Calling itself"])
        #expect(
            info.hints[0].paragraphs == ["Start with the answers you know. Write those first.", "A second paragraph."])
    }

    @Test func namesWhatIsMissing() {
        #expect(throws: ExerciseInfo.FormatError.self) { try ExerciseInfo(markdown: "Question 1.", file: "x.md") }
        #expect(throws: ExerciseInfo.FormatError.self) {
            try ExerciseInfo(markdown: "# Exercise 1\n\n## Hint\n\n", file: "x.md")
        }
        #expect(throws: ExerciseInfo.FormatError.self) {
            try ExerciseInfo(markdown: "# Exercise 1\n\nQuestion 1.\n\n## Empty\n\n## Next\n\nText", file: "x.md")
        }
    }

    @Test func ordersQuestionsBeforeFurtherResearch() {
        let numbers = ["R2", "34", "R10", "16", "R1", "9"]
        #expect(numbers.sorted(by: Exercise.precedes) == ["9", "16", "34", "R1", "R2", "R10"])
    }

    /// Every exercise of the workbook: its `Exercise.md` reads, and says the question its stub opens with.
    @Test func everyExerciseSaysItsQuestionAsItsStubDoes() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let catalog = ExerciseCatalog(root: root)
        #expect(catalog.exercises.count >= 10)
        for exercise in catalog.exercises {
            let info = try ExerciseInfo(of: exercise, root: root)
            #expect(!info.hints.isEmpty, "\(exercise.number) has no hints")
            let stub = try catalog.sources(of: exercise, in: "Exercises").map {
                try String(contentsOf: $0, encoding: .utf8)
            }
            .joined(separator: "\n")
            let comment = stub.split(separator: "\n").drop {
                !$0.hasPrefix("// Question") && !$0.hasPrefix("// Further")
            }
            .prefix { $0.hasPrefix("// ") && $0.count > 3 }.map { $0.dropFirst(3) }.joined(separator: " ")
            #expect(
                comment == info.question, "exercise \(exercise.number)'s stub and Exercise.md ask different questions")
        }
    }
}
