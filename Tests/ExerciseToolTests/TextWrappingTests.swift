import Testing

@testable import ExerciseTool

@Suite struct TextWrappingTests {
    @Test func breaksBetweenWordsUnderTheCheckName() {
        let line = "  ✘ fibonacci is recursive: it calls itself (the question asks for a recursive function)"
        let lines = TextWrapping.wrap(line, width: 40)
        #expect(
            lines == [
                "  ✘ fibonacci is recursive: it calls",
                "    itself (the question asks for a",
                "    recursive function)"
            ])
        #expect(lines.allSatisfy { $0.count <= 40 })
    }

    @Test func keepsAShortLineAsItIs() {
        #expect(
            TextWrapping.wrap("✔ Exercise 16: all 7 checks pass.", width: 80) == ["✔ Exercise 16: all 7 checks pass."])
        #expect(TextWrapping.wrap("", width: 80) == [""])
    }

    @Test func aWordLongerThanTheLineStandsAlone() {
        let lines = TextWrapping.wrap("see Exercises/16-Fibonacci/Sources/Fibonacci.swift:18 now", width: 20)
        #expect(lines == ["see", "Exercises/16-Fibonacci/Sources/Fibonacci.swift:18", "now"])
    }

    @Test func aGivenIndentReplacesTheHangingOne() {
        let lines = TextWrapping.wrap("Exercise 16: Question 16. Write a recursive function", width: 30, indent: 2)
        #expect(lines == ["Exercise 16: Question 16.", "  Write a recursive function"])
    }

    @Test func wrapsEachLineOfATextOnItsOwn() {
        let text = TextWrapping.wrapLines("one two three\n  ✘ four five six", width: 10)
        #expect(text == "one two\nthree\n  ✘ four\n    five\n    six")
    }
}
