import Foundation
import Testing

@testable import ExerciseTool

@Suite struct VerdictScreenTests {
    @Test func saysAnUnwrittenAnswerOnceWithItsTodos() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("verdict-screen-\(getpid())")
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = root.appendingPathComponent("Exercises/16-Fibonacci/Sources")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "func f() {\n    todo(\"f is not written yet.\")\n}\n".write(
            to: folder.appendingPathComponent("F.swift"), atomically: true, encoding: .utf8)
        var screen = VerdictScreen(width: 80, root: root)
        let todo = "not written yet (the todo at Exercises/16-Fibonacci/Sources/F.swift:2)"
        var shown: [String] = []
        for line in [
            "  ✘ first check: \(todo)", "  ✘ second check: \(todo)", "  ✔ third", "",
            "✘ Exercise 16: 2 of 3 checks fail."
        ] {
            shown += screen.lines(for: line)
        }
        shown += screen.finish()
        #expect(
            shown == [
                "  ✘ first check (todo)", "  ✘ second check (todo)", "  ✔ third", "",
                "  Not written yet: the todos in Exercises/16-Fibonacci/Sources/",
                "    F.swift:2: f is not written yet.", "", "✘ Exercise 16: 2 of 3 checks fail."
            ])
        #expect(shown.filter { $0.hasPrefix("  Not written yet") }.count == 1)
    }

    @Test func leavesOtherFailuresAsTheyAreButWrapped() {
        var screen = VerdictScreen(width: 30, root: URL(fileURLWithPath: "/"))
        #expect(
            screen.lines(for: "  ✘ a check: the result has shape [3]; it should be [4]")
                == ["  ✘ a check: the result has", "    shape [3]; it should be", "    [4]"])
        #expect(screen.finish().isEmpty)
    }

    @Test func keepsOnlyTheErrorsOfTheAnswersFolder() {
        let log = CompilerLog(
            """
            [3/9] Compiling Exercise16 Fibonacci.swift
            /w/Exercises/16-Fibonacci/Sources/Fibonacci.swift:18:5: error: cannot find 'x' in scope
            16 |     x
               |     `- error: cannot find 'x' in scope
            /w/Exercises/21-Hooks/Sources/Hooks.swift:3:1: error: expected declaration
            /w/Exercises/16-Fibonacci/Sources/Fibonacci.swift:20:1: warning: unused
            [4/9] Compiling Checks16
            """)
        #expect(
            log.errors(in: ["Exercises/16-Fibonacci/"]) == [
                "/w/Exercises/16-Fibonacci/Sources/Fibonacci.swift:18:5: error: cannot find 'x' in scope",
                "16 |     x", "   |     `- error: cannot find 'x' in scope"
            ])
        #expect(!log.hasErrors(in: ["Exercises/34-"]))
    }
}
