import ExerciseSupport
import Foundation
import Testing

/// What `make grade` points out for review: the workbook's own answers give no flag, an answer that
/// reaches descriptors, processes or the environment does, and an added import is named as one.
@Suite("Flags for review and the limits' settings")
struct ReviewFlagTests {
    @Test func noReferenceAnswerIsFlagged() throws {
        let solutions = AnswerRegionTests.root.appendingPathComponent("Solutions")
        for file in try AnswerRegionTests.files(in: "Solutions") where file.hasSuffix(".swift") {
            let text = try String(contentsOf: solutions.appendingPathComponent(file), encoding: .utf8)
            #expect(ReviewFlags.lines(in: text, file: file).isEmpty)
        }
    }

    @Test func forgersAreFlaggedWithTheirLines() {
        let answer = """
            import Shared
            func f() -> Int {
                // MARK: - Answer
                let channel = FileHandle(fileDescriptor: 3)  // the checks' channel
                _ = write(3, "x", 1)
                if fork() == 0 { setsid() }
                exit(0)
                // MARK: - End of answer
            }
            """
        let flagged = ReviewFlags.lines(in: answer, file: "16/A.swift")
        #expect(
            flagged.map { $0.prefix(while: { $0 != " " }) } == [
                "16/A.swift:4", "16/A.swift:5", "16/A.swift:6", "16/A.swift:7"
            ])
        #expect(
            flagged[0].contains("FileHandle") && flagged[2].contains("fork") && flagged[3].contains("ends the process"))
        // Outside the regions, and in comments, nothing is flagged.
        #expect(
            ReviewFlags.lines(in: "exit(0)\n// MARK: - Answer\n// kill(1, 9)\n// MARK: - End of answer", file: "f")
                .isEmpty)
    }

    @Test func anAddedImportIsNamedAndSetApart() {
        let stub = "import Shared\n\nfunc f() {\n    // MARK: - Answer\n    todo()\n    // MARK: - End of answer\n}"
        let answer = "import Glibc\n" + stub.replacingOccurrences(of: "todo()", with: "_exit(0)")
        #expect(ReviewFlags.addedImports(answer: answer, stub: stub).map(\.text) == ["import Glibc"])
        let rest = ReviewFlags.withoutAddedImports(answer, stub: stub)
        #expect(AnswerRegions.changesOutside(answer: rest, stub: stub) == nil)
        #expect(AnswerRegions.changesOutside(answer: answer, stub: stub) != nil)
    }

    @Test func limitsReadSizesAndNameABadValue() throws {
        let limits = try ResourceLimits(environment: [
            "WORKBOOK_MEMORY": "4G", "WORKBOOK_WRITES": "512M", "WORKBOOK_CPU": "90"
        ])
        #expect(limits.memory == 4 << 30 && limits.writes == 512 << 20 && limits.cpuSeconds == 90)
        #expect(limits.processes == 64 && limits.output == 1 << 20)
        #expect(ResourceLimits.describe(bytes: 2 << 30) == "2 GB")
        #expect(throws: InvalidLimit.self) { try ResourceLimits(environment: ["WORKBOOK_MEMORY": "lots"]) }
        do {
            _ = try ResourceLimits(environment: ["WORKBOOK_PROCESSES": "-3"])
        } catch {
            #expect("\(error)".contains("WORKBOOK_PROCESSES"))
        }
    }
}
