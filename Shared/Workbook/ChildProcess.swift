import Foundation

/// A program the watch starts (a build, a run of the chapter), in a process group of its own, so
/// that one signal ends it with everything it started (the compilers a build runs) and a key press
/// meant for the watch never reaches it: its input is `/dev/null`.
final class ChildProcess {
    /// The process's id, which is also its group's.
    let pid: pid_t
    /// The exit status once it has ended on its own; a signal's number plus 128 when one ended it.
    private(set) var status: Int32?

    /// Starts `executable` with `arguments` and `environment`; output goes to the file `output`, or to
    /// this process's own standard output and error when `nil`.
    /// - Throws: `WatchError` naming the program when it cannot be started.
    init(_ executable: String, _ arguments: [String], environment: [String: String], output: String? = nil) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if let output {
            posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawnp(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else {
            throw WatchError("could not start \(executable): \(String(cString: strerror(result)))")
        }
        self.pid = pid
    }

    /// Whether it is still running; reaps it, and keeps its status, once it has ended.
    var isRunning: Bool {
        if status != nil { return false }
        var raw: Int32 = 0
        guard waitpid(pid, &raw, WNOHANG) == pid else { return true }
        status = Self.exitStatus(raw)
        return false
    }

    /// Waits for it to end and gives its exit status.
    func wait() -> Int32 {
        if let status { return status }
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
        status = Self.exitStatus(raw)
        return status ?? 1
    }

    /// Ends it and everything in its group: SIGTERM, then SIGKILL for whatever is left after two seconds.
    func stop() {
        guard isRunning else { return }
        killpg(pid, SIGTERM)
        let deadline = Date().addingTimeInterval(2)
        while isRunning && Date() < deadline { usleep(20_000) }
        if isRunning {
            killpg(pid, SIGKILL)
            _ = wait()
        }
        // A compiler the build started may outlive it for a moment; the group's signal reached it too.
        killpg(pid, SIGKILL)
    }

    private static func exitStatus(_ raw: Int32) -> Int32 {
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import as functions.
        let signal = raw & 0x7f
        return signal == 0 ? (raw >> 8) & 0xff : 128 + signal
    }
}

/// Why the watch could not go on: a program that would not start, a folder that cannot be read.
struct WatchError: Error, LocalizedError {
    var message: String
    init(_ message: String) { self.message = message }
    var errorDescription: String? { message }
}
