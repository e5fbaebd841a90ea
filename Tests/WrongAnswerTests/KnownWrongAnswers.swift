import ExerciseSupport
import Foundation
import Testing

/// A known-wrong answer from `Tests/WrongAnswers/<exercise>/<slug>/`, and why the checks must reject
/// it: some failing check's message contains `because` (so it is rejected for the right reason, with
/// a message that points at the mistake).
struct WrongAnswer {
    let slug: String
    let because: String
    let checks: () -> [Check]

    init(_ slug: String, because: String, _ checks: @escaping @autoclosure () -> [Check]) {
        self.slug = slug
        self.because = because
        self.checks = checks
    }
}

/// The known-wrong answers of one exercise beside its reference answer. Each exercise's suite
/// (`WrongAnswers<number>.swift`) builds one and calls `verify()` from its tests.
struct WrongAnswerCatalogue {
    let exercise: String
    let reference: () -> [Check]
    let wrong: [WrongAnswer]

    /// The reference answer passes every check.
    func expectReferenceAccepted() {
        let checks = reference()
        #expect(!checks.isEmpty, "exercise \(exercise) has no checks")
        for check in checks {
            let outcome = evaluate(check)
            #expect(outcome.passed, "exercise \(exercise), reference answer: ✘ \(check.name): \(outcome.message)")
        }
    }

    /// Each wrong answer fails at least one check whose message contains its `because`.
    func expectWrongAnswersRejected() {
        for answer in wrong {
            let outcomes = answer.checks().map { ($0.name, evaluate($0)) }
            let failures = outcomes.filter { !$0.1.passed }
            #expect(!failures.isEmpty, "exercise \(exercise), wrong answer \(answer.slug): every check passes")
            guard !failures.isEmpty else { continue }
            // The log shows why each one is rejected: the closing note of a change lists them.
            let reason = failures.first { $0.1.message.contains(answer.because) } ?? failures[0]
            print("exercise \(exercise), wrong answer \(answer.slug): ✘ \(reason.0): \(reason.1.message)")
            #expect(
                failures.contains { $0.1.message.contains(answer.because) },
                """
                exercise \(exercise), wrong answer \(answer.slug) is rejected, but no message says "\(answer.because)": \
                \(failures.map { "✘ \($0.0): \($0.1.message)" }.joined(separator: " | "))
                """)
        }
    }

    /// Every folder in `Tests/WrongAnswers/<exercise>/` is listed here, and there are at least three.
    func expectCatalogueComplete() throws {
        let folder = AnswerSource.repositoryRoot.appendingPathComponent("Tests/WrongAnswers/\(exercise)")
        let onDisk = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }
        #expect(Set(onDisk) == Set(wrong.map(\.slug)), "Tests/WrongAnswers/\(exercise) holds \(onDisk.sorted())")
        #expect(wrong.count >= 3, "exercise \(exercise) needs at least three known-wrong answers")
        #expect(Set(wrong.map(\.slug)).count == wrong.count, "a wrong answer of exercise \(exercise) is listed twice")
    }
}

@Suite("Every exercise has a known-wrong-answer suite")
struct WrongAnswerCoverage {
    @Test func everyExerciseHasItsSuite() throws {
        let root = AnswerSource.repositoryRoot
        // The exercises are the folders of Exercises/ ("16-Fibonacci" → "16"); files beside them
        // (ANSWERS.md) are not.
        let exercises = try FileManager.default.contentsOfDirectory(
            atPath: root.appendingPathComponent("Exercises").path
        ).filter { name in
            var isFolder: ObjCBool = false
            let path = root.appendingPathComponent("Exercises/\(name)").path
            return !name.hasPrefix(".") && FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
                && isFolder.boolValue
        }
        #expect(exercises.count >= 10, "found \(exercises.sorted()) in Exercises/")
        for folder in exercises {
            let number = String(folder.prefix { $0 != "-" })
            let checks = root.appendingPathComponent("Tests/ExerciseChecks/\(number)/Checks")
            #expect(FileManager.default.fileExists(atPath: checks.path), "exercise \(number) has no checks")
            let suite = root.appendingPathComponent("Tests/WrongAnswerTests/WrongAnswers\(number).swift")
            #expect(
                FileManager.default.fileExists(atPath: suite.path),
                "exercise \(number) has checks but no Tests/WrongAnswerTests/WrongAnswers\(number).swift")
        }
    }
}
