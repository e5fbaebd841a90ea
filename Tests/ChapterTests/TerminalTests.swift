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

    /// Enter through the first steps of 00-Data, past the picture (drawn in the terminal with half
    /// blocks), then `q` at a prompt stops the chapter there and says how to pick up again.
    @Test func showsThePictureAndStopsWithQ() throws {
        let session = try TerminalSession("00-Data", ["--quick"])
        let prompt = "⏎ next step · q quit"
        for step in 1...4 {
            let seen = session.waitFor(prompt, count: step)
            #expect(seen, "prompt \(step) never came:\n\(session.screen.joined(separator: "\n"))")
            if !seen { break }
            session.type(step < 4 ? "\n" : "q\n")
        }
        let status = session.finish()
        let screen = session.screen
        let transcript = screen.joined(separator: "\n")
        #expect(status == 0, "\(transcript)")
        #expect(screen.contains { $0.hasPrefix("── 4/8 · Open an image") })
        #expect(!screen.contains { $0.hasPrefix("── 5/8") }, "nothing runs after q:\n\(transcript)")
        #expect(screen.contains("Stopped after step 4 of 8. Pick up again with --from 5."), "\(transcript)")
        #expect(!screen.contains { $0.contains("q quit") })
        // The picture: rows of half blocks in 24-bit colour, between the step's code and the next prompt.
        let picture = screen.filter { !$0.isEmpty && $0.allSatisfy { $0 == "▀" } }
        #expect(picture.count >= 8, "a preview of the image:\n\(transcript)")
        #expect(session.raw.contains("\u{1B}[48;2;"), "true-colour cells")
        #expect(screen.contains { $0.contains("image ") && $0.contains("written to") }, "\(transcript)")
    }

    /// 07 on a terminal without pausing: the LR finder's bar is stopped mid-epoch by CancelFitError or
    /// runs out, and the plots are drawn in braille.
    @Test func schedulingDrawsItsPlots() throws {
        let session = try TerminalSession("07-Scheduling", ["--quick", "--no-pause", "--epochs", "1"])
        let status = session.finish(timeout: 300)
        let screen = session.screen
        let transcript = screen.joined(separator: "\n")
        #expect(status == 0, "\(transcript)")
        #expect(!session.raw.contains("⏎ next step"), "--no-pause never waits")
        let braille = screen.filter { line in line.unicodeScalars.contains { $0.value >= 0x2801 && $0.value <= 0x28FF }
        }
        #expect(braille.count >= 10, "two braille plots:\n\(transcript)")
        #expect(screen.contains { $0.contains("lr-finder.png") } && screen.contains { $0.contains("one-cycle.png") })
        let fit = screen.drop { !$0.hasPrefix("── 4/5 · One cycle") }
        #expect(!fit.contains { $0.contains("% [") }, "no bar left behind:\n\(transcript)")
        let epochLine = try Regex("^0 +(true|false) +[0-9]+\\.[0-9]{4} +[0-9]\\.[0-9]{4} +[0-9]+\\.[0-9] s$")
        #expect(fit.filter { $0.contains(epochLine) }.count == 2, "\(transcript)")
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
