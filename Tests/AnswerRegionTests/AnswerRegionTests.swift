import ExerciseSupport
import Foundation
import Testing

/// `Exercises/` and `Solutions/` must differ only inside answer regions: instructors diff the two
/// trees and should see the answers and nothing else. These tests read the source files, so they run
/// in every build, whichever tree backs the exercise modules.
@Suite("Exercises and Solutions differ only in answers")
struct AnswerRegionTests {
    /// The repository root, found from this file's path (Tests/AnswerRegionTests/…).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static let opening = AnswerRegions.opening

    /// Every regular file under `tree`, as paths relative to it, sorted.
    static func files(in tree: String) throws -> [String] {
        let base = root.appendingPathComponent(tree)
        guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey])
        else {
            return []
        }
        var found: [String] = []
        for case let url as URL in walker
        where (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
            found.append(String(url.standardizedFileURL.path.dropFirst(base.standardizedFileURL.path.count + 1)))
        }
        return found.sorted()
    }

    static func outsideAnswers(_ text: String) -> Result<[String], AnswerRegions.MarkerError> {
        AnswerRegions.outside(text)
    }

    @Test func bothTreesHoldTheSameFiles() throws {
        let exercises = try Self.files(in: "Exercises"), solutions = try Self.files(in: "Solutions")
        #expect(!exercises.isEmpty)
        #expect(
            exercises == solutions,
            "files only in Exercises: \(Set(exercises).subtracting(solutions).sorted()); only in Solutions: \(Set(solutions).subtracting(exercises).sorted())"
        )
    }

    @Test func filesDifferOnlyInsideAnswerRegions() throws {
        let names = Set(try Self.files(in: "Exercises")).intersection(try Self.files(in: "Solutions"))
        for name in names.sorted() {
            let exercise = try String(
                contentsOf: Self.root.appendingPathComponent("Exercises/\(name)"), encoding: .utf8)
            let solution = try String(
                contentsOf: Self.root.appendingPathComponent("Solutions/\(name)"), encoding: .utf8)
            let a = Self.outsideAnswers(exercise), b = Self.outsideAnswers(solution)
            guard case .success(let outsideA) = a, case .success(let outsideB) = b else {
                Issue.record("\(name): bad answer markers: Exercises \(a), Solutions \(b)")
                continue
            }
            #expect(
                outsideA.count == outsideB.count,
                "\(name): \(outsideA.count - 1) answer regions in Exercises, \(outsideB.count - 1) in Solutions")
            for (k, (x, y)) in zip(outsideA, outsideB).enumerated() where x != y {
                Issue.record("\(name): the text before answer region \(k + 1) differs between Exercises and Solutions")
            }
        }
    }

    @Test func everyExerciseSourceHasAnAnswerRegion() throws {
        for name in try Self.files(in: "Exercises") where name.contains("/Sources/") {
            let text = try String(contentsOf: Self.root.appendingPathComponent("Exercises/\(name)"), encoding: .utf8)
            let regions = text.components(separatedBy: "\n").filter {
                Self.opening.contains($0.trimmingCharacters(in: .whitespaces))
            }
            #expect(!regions.isEmpty, "\(name) has nothing for the student to write")
        }
    }

    @Test func pathsNamedInTheAnswerKeyExist() throws {
        // The key points readers at the files where the workbook does each thing; a file that moves
        // must not leave a dead pointer behind.
        for document in ["Solutions/ANSWERS.md", "QUESTIONNAIRE.md"] {
            let text = try String(contentsOf: Self.root.appendingPathComponent(document), encoding: .utf8)
            let quoted = text.components(separatedBy: "`").enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
            let paths = quoted.filter { q in
                ["Shared/", "Solutions/", "Exercises/", "Tests/", "Chapters/"].contains { q.hasPrefix($0) }
                    && !q.contains(" ")
            }
            #expect(paths.count > 10, "\(document) should point at the workbook's files")
            for path in paths where !path.contains("<") {
                #expect(
                    FileManager.default.fileExists(atPath: Self.root.appendingPathComponent(path).path),
                    "\(document) names \(path), which does not exist")
            }
        }
    }

    @Test func markerCheckCatchesChangesOutsideRegions() throws {
        // The check itself: a change outside a region shows, one inside does not.
        let base = "a\n// MARK: - Answer\nx\n// MARK: - End of answer\nb"
        let insideChange = "a\n// MARK: - Answer\ntodo()\n// MARK: - End of answer\nb"
        let outsideChange = "a\n// MARK: - Answer\nx\n// MARK: - End of answer\nc"
        let plain = try Self.outsideAnswers(base).get()
        #expect(plain == (try Self.outsideAnswers(insideChange).get()))
        #expect(plain != (try Self.outsideAnswers(outsideChange).get()))
        #expect(throws: AnswerRegions.MarkerError.self) { try Self.outsideAnswers("// MARK: - Answer\nx").get() }
    }
}
