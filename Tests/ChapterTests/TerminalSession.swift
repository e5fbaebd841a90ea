import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A chapter executable running on a pseudo-terminal, as it runs in a learner's terminal: standard
/// input, output and error are the pty's terminal side (so the chapter pauses, colours and draws
/// progress bars), the window is `columns` wide, and the test types keys into it.
final class TerminalSession: @unchecked Sendable {
    let process = Process()
    private let master: Int32
    private let lock = NSLock()
    private var received = Data()
    private var readerDone = false
    private let readerFinished = DispatchSemaphore(value: 0)
    let columns: Int

    /// Starts `chapter` with `arguments` on a new pty `columns` × `rows`.
    init(_ chapter: String, _ arguments: [String], columns: Int = 80, rows: Int = 24) throws {
        self.columns = columns
        let executable = ChapterRunner.productsFolder.appendingPathComponent(chapter)
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw ChapterRunner.RunnerError(message: "\(executable.path) is not built; run `swift build` first")
        }
        var master: Int32 = -1, slave: Int32 = -1
        var size = winsize(ws_row: UInt16(rows), ws_col: UInt16(columns), ws_xpixel: 0, ws_ypixel: 0)
        guard openpty(&master, &slave, nil, nil, &size) == 0 else {
            throw ChapterRunner.RunnerError(message: "openpty failed: \(String(cString: strerror(errno)))")
        }
        self.master = master
        let terminal = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
        process.executableURL = executable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["FASTAI_HOME"] = ChapterRunner.sandbox.appendingPathComponent("fastai").path
        environment["WORKBOOK_OUT"] = ChapterRunner.sandbox.appendingPathComponent("out").path
        environment["TERM"] = "xterm-256color"
        environment.removeValue(forKey: "NO_COLOR")
        environment.removeValue(forKey: "COLUMNS")
        environment.removeValue(forKey: "WORKBOOK_DATA")
        process.environment = environment
        process.standardInput = terminal
        process.standardOutput = terminal
        process.standardError = terminal
        do {
            try process.run()
        } catch {
            close(slave)
            close(master)
            throw error
        }
        // Only the child holds the terminal side now, so reading the master ends (EIO) when it exits.
        close(slave)
        Thread { [self] in readLoop() }.start()
    }

    private func readLoop() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(master, &buffer, buffer.count)
            if n <= 0 {
                if n < 0 && errno == EINTR { continue }
                break
            }
            lock.lock()
            received.append(contentsOf: buffer[0..<n])
            lock.unlock()
        }
        readerFinished.signal()
    }

    /// Everything the program wrote so far (and the terminal echoed), as text.
    var raw: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: received, as: UTF8.self)
    }

    /// The lines a person sees now.
    var screen: [String] {
        var model = TerminalScreen(width: columns)
        model.feed(raw)
        return model.text
    }

    /// Types `text` (a key press followed by Enter is `"q\n"`).
    func type(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
    }

    /// Waits until `fragment` has appeared `count` times in the output; false after `timeout` seconds.
    func waitFor(_ fragment: String, count: Int = 1, timeout: Double = 180) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if raw.components(separatedBy: fragment).count - 1 >= count { return true }
            if !process.isRunning && raw.components(separatedBy: fragment).count - 1 < count {
                // It may have written the text just before exiting; look once more after the reader.
                Thread.sleep(forTimeInterval: 0.2)
                return raw.components(separatedBy: fragment).count - 1 >= count
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return false
    }

    /// Waits for the program to exit (killing it after `timeout` seconds) and for the last output.
    func finish(timeout: Double = 180) -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        _ = readerFinished.wait(timeout: .now() + 5)
        close(master)
        return process.terminationStatus
    }
}
