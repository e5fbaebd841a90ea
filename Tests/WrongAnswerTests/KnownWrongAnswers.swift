import ExerciseSupport
import Foundation
import Testing

#if canImport(WrongAnswerRegistry)
    import WrongAnswerRegistry
#endif

/// A known-wrong answer as it is kept: `Tests/WrongAnswers/<exercise>/<slug>.diff`, the reference
/// answer's mistake, headed by what it gets wrong and a fragment of the message that must reject it.
struct KnownWrongAnswer: CustomStringConvertible {
    let exercise: String
    let slug: String
    /// What the answer gets wrong (its `Mistake:` line).
    let mistake: String
    /// What a failing check's message must say (its `Rejected because:` line).
    let because: String

    var description: String { "Tests/WrongAnswers/\(exercise)/\(slug).diff" }

    /// Every known-wrong answer on disk, by exercise and name.
    static func all() throws -> [KnownWrongAnswer] {
        let root = AnswerSource.repositoryRoot.appendingPathComponent("Tests/WrongAnswers")
        var found: [KnownWrongAnswer] = []
        for exercise in try FileManager.default.contentsOfDirectory(atPath: root.path).sorted() {
            let folder = root.appendingPathComponent(exercise)
            let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            for file in files.sorted() where file.hasSuffix(".diff") {
                let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                func header(_ key: String) -> String {
                    text.split(separator: "\n").first { $0.hasPrefix(key) }
                        .map { String($0.dropFirst(key.count)).trimmingCharacters(in: .whitespaces) } ?? ""
                }
                found.append(
                    KnownWrongAnswer(
                        exercise: exercise, slug: String(file.dropLast(".diff".count)),
                        mistake: header("Mistake:"), because: header("Rejected because:")))
            }
        }
        return found
    }
}

/// The checks of an exercise on each applied wrong answer, by exercise and name.
func appliedChecks() -> [String: () -> [Check]] {
    #if canImport(WrongAnswerRegistry)
        Dictionary(uniqueKeysWithValues: appliedWrongAnswers.map { ("\($0.exercise)/\($0.slug)", $0.checks) })
    #else
        [:]
    #endif
}

/// Every known-wrong answer is rejected by its exercise's checks, and for the reason it names: some
/// failing check's message contains its `Rejected because:` fragment. (That every reference answer
/// passes is `make test-solutions`.)
@Suite("Known-wrong answers are rejected, each for its reason", .serialized)
struct KnownWrongAnswerTests {
    @Test func everyDiffWasApplied() throws {
        let onDisk = try KnownWrongAnswer.all(), applied = appliedChecks()
        #expect(!onDisk.isEmpty)
        let missing = onDisk.filter { applied["\($0.exercise)/\($0.slug)"] == nil }
        let applyFirst = "run `make test`, which runs `workbook wrong-answer apply` first"
        #expect(missing.isEmpty, "not applied (\(applyFirst)): \(missing.map(\.description))")
    }

    @Test func eachSaysItsMistakeAndWhatRejectsIt() throws {
        for answer in try KnownWrongAnswer.all() {
            #expect(!answer.mistake.isEmpty && !answer.mistake.hasPrefix("TODO"), "\(answer): no Mistake: line")
            #expect(
                !answer.because.isEmpty && !answer.because.hasPrefix("TODO"), "\(answer): no Rejected because: line")
        }
    }

    @Test func everyExerciseHasAtLeastThree() throws {
        let root = AnswerSource.repositoryRoot
        let folder = root.appendingPathComponent("Tests/ExerciseChecks")
        let checks = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
            FileManager.default.fileExists(atPath: folder.appendingPathComponent("\($0)/Checks").path)
        }
        let counts = Dictionary(grouping: try KnownWrongAnswer.all(), by: \.exercise).mapValues(\.count)
        for exercise in checks.sorted() {
            let count = counts[exercise, default: 0]
            #expect(
                count >= 3,
                """
                exercise \(exercise) has \(count) known-wrong answers in Tests/WrongAnswers/\(exercise): write at least \
                three (make wrong-answer N=\(exercise) NAME=…)
                """)
        }
    }

    @Test func eachIsRejectedForItsReason() throws {
        let applied = appliedChecks()
        for answer in try KnownWrongAnswer.all() {
            guard let checks = applied["\(answer.exercise)/\(answer.slug)"] else { continue }
            let outcomes = checks().map { ($0.name, evaluate($0)) }
            let failures = outcomes.filter { !$0.1.passed }
            #expect(!failures.isEmpty, "\(answer) (\(answer.mistake)): every check passes")
            guard !failures.isEmpty else { continue }
            // The log shows why each one is rejected: the closing note of a change lists them.
            let reason = failures.first { $0.1.message.contains(answer.because) } ?? failures[0]
            print("exercise \(answer.exercise), wrong answer \(answer.slug): ✘ \(reason.0): \(reason.1.message)")
            #expect(
                failures.contains { $0.1.message.contains(answer.because) },
                """
                \(answer) is rejected, but no message says "\(answer.because)": \
                \(failures.map { "✘ \($0.0): \($0.1.message)" }.joined(separator: " | "))
                """)
        }
    }
}
