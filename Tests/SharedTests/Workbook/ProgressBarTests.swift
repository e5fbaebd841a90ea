import Testing

@testable import Media
@testable import Shared
@testable import Support
@testable import Workbook

@Suite struct ProgressBarTests {
    @Test func formatsLikeFastprogress() {
        let line = ProgressBar.line(label: "", done: 20, total: 44, elapsed: 3.3, width: 80)
        #expect(
            line == String(repeating: "█", count: 18) + String(repeating: "-", count: 22)
                + "  45.45% [20/44 00:03<00:03]")
        let start = ProgressBar.line(label: "train", done: 0, total: 10, elapsed: 0, comment: "loss 2.3")
        #expect(start.hasPrefix("train  ----------"))
        #expect(start.hasSuffix("  0.00% [0/10 00:00<?]  loss 2.3"))
        #expect(ProgressBar.clockText(3725) == "1:02:05")
    }

    @Test func fitsNarrowTerminals() {
        for width in [30, 50, 80, 200] {
            let line = ProgressBar.line(
                label: "epoch", done: 3, total: 7, elapsed: 12, comment: "a long comment here",
                width: width)
            #expect(line.count <= width - 1, "width \(width): \(line)")
        }
    }

    @Test func throttlesRedrawsAndErasesWhenNotLeft() {
        let out = TextBuffer()
        var now = 0.0
        let bar = ProgressBar(total: 100, label: "b", leave: false, output: out, clock: { now })
        for i in 1...99 {
            now += 0.01  // 100 updates a second: only every tenth redraws
            bar.update(i)
        }
        let redraws = out.text.components(separatedBy: "\r").count - 1
        #expect(redraws >= 9 && redraws <= 12, "\(redraws) redraws")
        bar.update(100)
        #expect(out.text.hasSuffix("\r\u{1B}[2K"), "a full bar that is not left erases itself at once")
        let length = out.text.count
        bar.finish()
        bar.update(100)
        #expect(out.text.count == length, "a finished bar writes nothing more")
    }

    /// What an epoch looks like: the bar fills, then a callback prints its line. The line must start
    /// on a clean line, not after the bar (the bar used to be erased only when the loop ended, after
    /// the callback had printed).
    @Test func aFullBarLeavesACleanLineForWhatIsPrintedNext() {
        for leave in [false, true] {
            let out = TextBuffer()
            let bar = ProgressBar(total: 4, label: "train", leave: leave, output: out, clock: { 0 })
            for i in 1...4 { bar.update(i) }
            out.write("0      true      2.1670\n")
            bar.finish()  // as the learner's `defer` does, after the callback
            let tail = out.text.components(separatedBy: "\r").last ?? ""
            if leave {
                #expect(
                    out.text.contains("[4/4 00:00<00:00]\u{1B}[K\n0      true      2.1670\n"),
                    "\(out.text.debugDescription)")
            } else {
                #expect(tail == "\u{1B}[2K0      true      2.1670\n", "\(out.text.debugDescription)")
            }
        }
    }

    @Test func leftBarEndsTheLine() {
        let out = TextBuffer()
        let bar = ProgressBar(total: 3, output: out, clock: { 0 })
        bar.advance()
        bar.advance(by: 2)
        bar.finish()
        #expect(out.text.hasSuffix("[3/3 00:00<00:00]\u{1B}[K\n"))
    }

    @Test func silentWithoutOutputAndOnPipes() {
        let bar = ProgressBar(total: 5, output: nil)
        bar.update(3)
        #expect(bar.done == 3)
        bar.finish()
        // The test runner's stdout is not a terminal, so the wrapper draws nothing and passes elements on.
        var seen: [Int] = []
        for x in progressBar([1, 2, 3], label: "quiet") { seen.append(x) }
        #expect(seen == [1, 2, 3])
    }

    @Test func sequenceWrapperCountsElements() {
        var iterator = ProgressSequence(base: 0..<4, total: 4, label: "", leave: false).makeIterator()
        var count = 0
        while iterator.next() != nil {
            count += 1
            #expect(iterator.bar.done == count - 1, "an element is done when the next is asked for")
        }
        #expect(iterator.bar.done == 4)
        #expect(progressBar(stride(from: 0, to: 10, by: 2)).total == 5)
    }
}
