import Foundation
import Testing

/// Chapters run on a pseudo-terminal, as `make run` runs them for a newcomer: they pause after each
/// step, colour their output and draw progress bars. The checks read the screen a person would see
/// (`TerminalScreen` applies the carriage returns and erasures), not the raw bytes.
@Suite("Terminal", .serialized)
struct TerminalTests {
    /// A whole chapter stepped through with Enter, two epochs of fit included.
    @Test func fitSteppedThroughWithEnter() throws {
        let session = try TerminalSession("05-Learner", ["--quick", "--epochs", "2"])
        let prompt = "⏎ next step · q quit"
        for step in 1..<6 {
            let seen = session.waitFor(prompt, count: step)
            #expect(seen, "prompt \(step) never came:\n\(session.screen.joined(separator: "\n"))")
            if !seen { break }
            session.type("\n")
        }
        let status = session.finish()
        let screen = session.screen
        let transcript = screen.joined(separator: "\n")
        #expect(status == 0, "\(transcript)")
        #expect(transcript.contains("Done: 6 steps."))

        // The runner paused after every step but the last, and erased each prompt once answered.
        #expect(session.raw.components(separatedBy: prompt).count - 1 == 5)
        #expect(!screen.contains { $0.contains("q quit") }, "answered prompts are erased:\n\(transcript)")
        // Each step's header and code start at the left edge.
        for n in 1...6 { #expect(screen.contains { $0.hasPrefix("── \(n)/6 · ") }, "header of step \(n)") }
        #expect(screen.contains { $0.hasPrefix("› try learn.fit(ctx.epochs)") })

        // Progress bars were drawn for training and validation…
        let raw = session.raw
        #expect(raw.contains("train  ---") && raw.contains("valid  ---"))
        #expect(raw.contains("[0/3 00:00<?]"), "the training bar starts at 0 of the quick set's 3 batches")
        // …and erased: no bar is left in the fit step, and every epoch line is a line of its own, from
        // column 0. (Before: `train  ████ 100.00% [3/3 00:01<00:00]0      true      2.1670`.)
        let fit = screen.drop { !$0.hasPrefix("── 6/6 · fit") }
        #expect(fit.count > 5, "\(transcript)")
        #expect(!fit.contains { $0.contains("% [") }, "\(transcript)")
        let results = try Regex("(true|false) +[0-9]+\\.[0-9]{4}")
        let epochLines = fit.filter { $0.contains(results) }
        #expect(epochLines.count == 4, "two epochs, training and validation:\n\(transcript)")
        let epochLine = try Regex("^[0-9]+ +(true|false) +[0-9]+\\.[0-9]{4} +[0-9]\\.[0-9]{4} +[0-9]+\\.[0-9] s$")
        for line in epochLines {
            #expect(line.wholeMatch(of: epochLine) != nil, "an epoch line on its own: \(line.debugDescription)")
        }
        #expect(fit.contains { $0.hasPrefix("epoch  training  loss") })
    }

    /// `q` at a prompt stops the chapter there, and says how to pick up again.
    @Test func stopsWithQ() throws {
        let session = try TerminalSession("00-Data", ["--quick"])
        let prompt = "⏎ next step · q quit"
        #expect(session.waitFor(prompt, count: 1))
        session.type("\n")
        #expect(session.waitFor(prompt, count: 2))
        session.type("q\n")
        let status = session.finish()
        let screen = session.screen
        let transcript = screen.joined(separator: "\n")
        #expect(status == 0, "\(transcript)")
        #expect(screen.contains { $0.hasPrefix("── 2/7 · getImageFiles") })
        #expect(!screen.contains { $0.hasPrefix("── 3/7") }, "nothing runs after q:\n\(transcript)")
        #expect(
            screen.contains("Stopped after step 2 of 7. Pick up again with --from 3."), "\(transcript)")
        #expect(!screen.contains { $0.contains("q quit") })
        // The terminal gets colours; the screen model shows only their text.
        #expect(session.raw.contains("\u{1B}["))
    }

    /// The screen model itself, on the bytes of the bug it is here to catch: a TrackResults line
    /// printed after a bar that was erased only later.
    @Test func screenModelAppliesCarriageReturnsAndErasures() {
        var glued = TerminalScreen(width: 80)
        glued.feed("\rtrain  ████ 100.00% [3/3 00:01<00:00]\u{1B}[K0      true      2.1670\n\r\u{1B}[2K")
        #expect(glued.text.first == "train  ████ 100.00% [3/3 00:01<00:00]0      true      2.1670")

        var clean = TerminalScreen(width: 80)
        clean.feed("\rtrain  ████ 50.00% [2/4 00:01<00:01]\u{1B}[K\r\u{1B}[2K0      true      2.1670\n")
        #expect(clean.text.first == "0      true      2.1670")

        var prompt = TerminalScreen(width: 40)
        prompt.feed("step one\n⏎ next step · q quit \n\u{1B}[1A\r\u{1B}[2Kstep two\n")
        #expect(prompt.text == ["step one", "step two", ""])

        var wrapped = TerminalScreen(width: 4)
        wrapped.feed("abcdef\u{1B}[1;34mg\u{1B}[0m")
        #expect(wrapped.text == ["abcd", "efg"])
    }
}
