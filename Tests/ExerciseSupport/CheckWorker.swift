import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The process that runs an exercise's checks, and so the learner's code, apart from the process that
/// gives the verdict.
///
/// A Swift thread cannot be stopped from outside, so an answer that never returns could only be
/// waited for; a process can be killed. The verdict's process starts this one as a copy of itself in a
/// process group of its own, reads which check starts and how each ends on a pipe of their own (the
/// checks' channel, apart from anything the answer prints), and kills the whole group when a check
/// runs out of time, when the learner presses Ctrl-C, or once the verdict is given.
final class CheckWorker {
    /// The variable that tells a copy of the program that it is the worker, and where its channel is.
    static let channelVariable = "WORKBOOK_CHECK_CHANNEL"

    /// The variable with the command (a JSON array of strings) that the worker runs inside, if any.
    static let wrapperVariable = "WORKBOOK_WORKER_WRAPPER"

    /// The arguments of a wrapper command given as a JSON array of strings (none if it is not one).
    static func wrapperArguments(_ json: String) -> [String] {
        (try? JSONDecoder().decode([String].self, from: Data(json.utf8))) ?? []
    }

    let pid: pid_t
    /// The read end of the checks' channel.
    let channel: Int32
    /// The read end of the worker's standard error, which the verdict's process passes on.
    let errors: Int32

    /// Starts the running program again as a worker; its standard output is this process's.
    init() throws {
        var channelPipe: [Int32] = [0, 0]
        var errorPipe: [Int32] = [0, 0]
        guard pipe(&channelPipe) == 0, pipe(&errorPipe) == 0 else {
            throw CheckFailure("could not make the pipes to the checks' process: \(String(cString: strerror(errno)))")
        }
        let workerChannel: Int32 = 3
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // The read ends close first: one of them may have the number the channel is given in the worker.
        posix_spawn_file_actions_addclose(&actions, channelPipe[0])
        posix_spawn_file_actions_addclose(&actions, errorPipe[0])
        posix_spawn_file_actions_adddup2(&actions, channelPipe[1], workerChannel)
        posix_spawn_file_actions_adddup2(&actions, errorPipe[1], 2)
        for fd in [channelPipe[1], errorPipe[1]] where fd != workerChannel && fd != 2 {
            posix_spawn_file_actions_addclose(&actions, fd)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // A group of its own: one kill ends the worker and anything the answer started.
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)

        let program =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        var environment = ProcessInfo.processInfo.environment
        // `make grade` runs the worker, and only the worker, inside a sandbox: the command that opens
        // it comes first (`bwrap … --`), and this process, which gives the verdict, stays outside.
        let wrapper = environment.removeValue(forKey: Self.wrapperVariable).map(Self.wrapperArguments) ?? []
        let executable = wrapper.first ?? program
        environment[Self.channelVariable] = String(workerChannel)
        // A crash is reported by the verdict, in a line; Swift's backtrace of every thread would bury it.
        environment["SWIFT_BACKTRACE"] = "enable=no"
        let argv = (wrapper + [program] + CommandLine.arguments.dropFirst()).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }

        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        close(channelPipe[1])
        close(errorPipe[1])
        guard status == 0 else {
            close(channelPipe[0])
            close(errorPipe[0])
            throw CheckFailure(
                "could not start the checks' process \(executable): \(String(cString: strerror(status)))")
        }
        self.pid = pid
        channel = channelPipe[0]
        errors = errorPipe[0]
        CheckWorker.running = pid
        CheckWorker.stopOnSignals()
    }

    /// Kills the worker's whole group and collects its exit status; returns how it ended.
    @discardableResult
    func stop() -> Int32 {
        kill(-pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        CheckWorker.running = 0
        close(channel)
        close(errors)
        return status
    }

    // MARK: - Leaving nothing behind

    /// The worker's process group while one runs, for the signal handler (which can capture nothing).
    nonisolated(unsafe) static var running: pid_t = 0

    /// Ctrl-C, a closed terminal or a `kill` of the verdict's process ends the worker's group too: it is
    /// in a group of its own, so the terminal's signals do not reach it.
    static func stopOnSignals() {
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            signal(signalNumber) { received in
                if CheckWorker.running > 0 { kill(-CheckWorker.running, SIGKILL) }
                signal(received, SIG_DFL)
                raise(received)
            }
        }
    }

    /// In the worker: ends its own group as soon as the verdict's process is gone, so that a killed
    /// `make exercise` (or an answer that kills its parent) leaves nothing running.
    static func followParent() {
        let parent = getppid()
        let watchdog = Thread {
            while getppid() == parent { usleep(200_000) }
            kill(0, SIGKILL)
        }
        watchdog.start()
    }
}
