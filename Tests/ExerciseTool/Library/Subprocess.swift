import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Programs the tool starts: `swift build`, an exercise's checks, itself in the background.
public enum Subprocess {
    /// Runs `arguments` (found on PATH) with `environment` added and the variables in `unset` removed,
    /// and waits. Output goes to the file at `output` when given, else to this process's own.
    @discardableResult
    public static func run(
        _ arguments: [String], environment: [String: String] = [:], unset: Set<String> = [], output: String? = nil,
        in folder: URL? = nil
    ) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }.filter {
            !unset.contains($0.key)
        }
        if let folder { process.currentDirectoryURL = folder }
        if let output {
            let descriptor = open(output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard descriptor >= 0 else { return 127 }
            let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
            process.standardOutput = handle
            process.standardError = handle
        }
        do { try process.run() } catch { return 127 }
        process.waitUntilExit()
        return process.terminationReason == .exit ? process.terminationStatus : 128 + process.terminationStatus
    }

    /// Runs `program` and hands each line it prints (stdout and stderr together) to `line` as it comes;
    /// returns its exit status (128 + the signal when a signal ended it).
    public static func stream(
        _ program: String, _ arguments: [String] = [], environment: [String: String] = [:],
        line: (String) -> Void
    ) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch {
            line("✘ could not start \(program): \(error)")
            return 127
        }
        let reader = pipe.fileHandleForReading
        var pending = Data()
        while true {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            pending.append(chunk)
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                line(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
                pending.removeSubrange(pending.startIndex...newline)
            }
        }
        if !pending.isEmpty { line(String(decoding: pending, as: UTF8.self)) }
        process.waitUntilExit()
        return process.terminationReason == .exit ? process.terminationStatus : 128 + process.terminationStatus
    }

    /// Starts `program` in the background, its input from /dev/null and its output into the file at
    /// `output`, in a process group of its own when `ownGroup` (so that one signal ends it and everything
    /// it starts); returns its id.
    public static func spawn(
        _ program: String, _ arguments: [String], environment: [String: String], output: String,
        ownGroup: Bool
    ) -> pid_t? {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        if ownGroup {
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
            posix_spawnattr_setpgroup(&attributes, 0)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid = pid_t()
        guard posix_spawn(&pid, program, &actions, &attributes, argv, envp) == 0 else { return nil }
        return pid
    }

    /// The path of this program, to start it again.
    public static var ownPath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}
