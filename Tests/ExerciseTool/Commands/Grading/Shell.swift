import Foundation

/// Runs a program to its end and gives its exit status and what it printed (standard output and error
/// together), or a description of why it could not start.
///
/// With `timeout`, the program is killed once that many seconds have passed (status 137).
@discardableResult
func shell(
    _ arguments: [String], in directory: String? = nil, environment: [String: String]? = nil,
    output: String? = nil, timeout: Double? = nil
) -> (status: Int32, text: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: arguments[0].hasPrefix("/") ? arguments[0] : "/usr/bin/env")
    process.arguments = arguments[0].hasPrefix("/") ? Array(arguments.dropFirst()) : arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    if let environment { process.environment = environment }
    process.standardInput = FileHandle.nullDevice
    let file = output ?? NSTemporaryDirectory() + "grade-\(UUID().uuidString).log"
    _ = FileManager.default.createFile(atPath: file, contents: nil)
    guard let handle = FileHandle(forWritingAtPath: file) else { return (127, "cannot write \(file)") }
    process.standardOutput = handle
    process.standardError = handle
    do {
        try process.run()
    } catch {
        return (127, "could not run \(arguments[0]): \(error)")
    }
    if let timeout {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
    process.waitUntilExit()
    try? handle.close()
    let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
    if output == nil { try? FileManager.default.removeItem(atPath: file) }
    let status =
        process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
    return (status, text)
}

/// The full path of `program` on the PATH, if it is there.
func which(_ program: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    return path.split(separator: ":").map { "\($0)/\(program)" }.first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
}
