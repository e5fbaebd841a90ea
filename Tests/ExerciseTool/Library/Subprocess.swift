import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Programs the tool starts: `swift build`, an exercise's checks, itself in the background. They are
/// started with `posix_spawn` and waited for with `waitpid`, which return as soon as the program ends.
public enum Subprocess {
    /// Runs `arguments` (found on PATH) with `environment` added and the variables in `unset` removed,
    /// and waits. Output goes to the file at `output` when given, else to this process's own.
    @discardableResult
    public static func run(
        _ arguments: [String], environment: [String: String] = [:], unset: Set<String> = [], output: String? = nil,
        in folder: URL? = nil
    ) -> Int32 {
        let previous = FileManager.default.currentDirectoryPath
        if let folder { chdir(folder.path) }
        defer { chdir(previous) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let output {
            posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        guard let pid = spawn(["/usr/bin/env"] + arguments, environment, unset: unset, actions: &actions) else {
            return 127
        }
        return wait(for: pid)
    }

    /// Runs `program` and hands each line it prints (stdout and stderr together) to `line` as it comes;
    /// returns its exit status (128 + the signal when a signal ended it).
    public static func stream(_ program: String, line: (String) -> Void) -> Int32 {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { return 127 }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, ends[1], 1)
        posix_spawn_file_actions_adddup2(&actions, ends[1], 2)
        posix_spawn_file_actions_addclose(&actions, ends[0])
        posix_spawn_file_actions_addclose(&actions, ends[1])
        let pid = spawn([program], [:], actions: &actions)
        close(ends[1])
        guard let pid else {
            close(ends[0])
            line("✘ could not start \(program)")
            return 127
        }
        var pending: [UInt8] = [], buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(ends[0], &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            pending += buffer[0..<count]
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                line(String(decoding: pending[..<newline], as: UTF8.self))
                pending.removeSubrange(...newline)
            }
        }
        close(ends[0])
        if !pending.isEmpty { line(String(decoding: pending, as: UTF8.self)) }
        return wait(for: pid)
    }

    /// Starts `program` in the background, its input from /dev/null and its output into the file at
    /// `output`, in a process group of its own when `ownGroup` (so that one signal ends it and everything
    /// it starts); returns its id.
    public static func spawn(
        _ program: String, _ arguments: [String], environment: [String: String], output: String,
        ownGroup: Bool
    ) -> pid_t? {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        return spawn([program] + arguments, environment, actions: &actions, ownGroup: ownGroup)
    }

    /// `posix_spawn` of `arguments` with this process's environment, `environment` added and `unset`
    /// removed; nil when it could not start.
    static func spawn(
        _ arguments: [String], _ environment: [String: String], unset: Set<String> = [],
        actions: inout posix_spawn_file_actions_t, ownGroup: Bool = false
    ) -> pid_t? {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        if ownGroup {
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
            posix_spawnattr_setpgroup(&attributes, 0)
        }
        let merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }.filter { !unset.contains($0.key) }
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid = pid_t()
        guard posix_spawn(&pid, arguments[0], &actions, &attributes, argv, envp) == 0 else { return nil }
        return pid
    }

    /// Waits for `pid` to end; its exit status, or 128 + the signal that ended it.
    static func wait(for pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    /// The path of this program, to start it again.
    public static var ownPath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}
