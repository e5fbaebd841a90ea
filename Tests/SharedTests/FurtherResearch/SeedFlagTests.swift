import Testing

@testable import Shared
@testable import Support
@testable import Workbook

/// `--seed N`, which every chapter takes through the workbook's flags. That the same seed repeats a
/// run and another seed changes it is checked on real chapter processes (`ChapterTests.seedFlag`,
/// `furtherResearch08`): in this process other tests draw from `GlobalRandom` in parallel.
@Suite("--seed")
struct SeedFlagTests {
    /// Runs a one-step chapter with `arguments` and returns the seed its step saw and the output.
    func run(_ arguments: [String]) -> (seed: UInt64, text: String) {
        let book = Workbook(title: "99 · Seeds", commandName: "99-Seeds")
        var seen: UInt64 = 0
        book.step("Look") { ctx in seen = ctx.seed }
        let out = TextBuffer()
        #expect(book.run(arguments: arguments + ["--no-pause"], console: Console(out: out)) == 0)
        return (seen, out.text)
    }

    @Test("--seed reaches the steps and the header; the default is 42 and not announced")
    func plumbing() {
        let one = run(["--seed", "1"])
        #expect(one.seed == 1)
        #expect(one.text.contains("seed 1"))
        #expect(run(["--seed", "18446744073709551615"]).seed == UInt64.max)
        let plain = run([])
        #expect(plain.seed == Workbook.Settings.defaultSeed && Workbook.Settings.defaultSeed == 42)
        #expect(!plain.text.contains("seed 42"), "the default is not announced: outputs stay as they were")
        #expect(Workbook.Settings().seed == 42)
    }

    @Test("a seed that is not a non-negative integer is a usage error")
    func badSeed() {
        for bad in [["--seed", "x"], ["--seed", "1.5"], ["--seed"], ["--seed", "-1"]] {
            let book = Workbook(title: "99 · Seeds", commandName: "99-Seeds")
            book.step("Nothing") { _ in }
            let err = TextBuffer()
            #expect(book.run(arguments: bad, console: Console(out: TextBuffer(), err: err)) == 64, "\(bad)")
            #expect(err.text.contains("seed"), "\(bad): \(err.text)")
        }
    }
}
