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

    /// The descriptor on which a worker finds the run's secret, which it reads and closes before any
    /// answer code runs.
    static let secretDescriptor: Int32 = 4

    let pid: pid_t
    /// The read end of the checks' channel.
    let channel: Int32
    /// The read end of the worker's standard error, which the verdict's process passes on.
    let errors: Int32
    /// The read end of the worker's standard output (the answer's prints), passed on up to a limit.
    let output: Int32
    /// The run's secret: every message on the channel carries it, so that a line the answer writes
    /// there is told apart from the checks' own.
    let secret: String

    /// Starts the running program again as a worker, with `environment` added to its own.
    init(environment extra: [String: String] = [:]) throws {
        var channelPipe: [Int32] = [0, 0], errorPipe: [Int32] = [0, 0]
        var outputPipe: [Int32] = [0, 0], secretPipe: [Int32] = [0, 0]
        guard pipe(&channelPipe) == 0, pipe(&errorPipe) == 0, pipe(&outputPipe) == 0, pipe(&secretPipe) == 0 else {
            throw CheckFailure("could not make the pipes to the checks' process: \(String(cString: strerror(errno)))")
        }
        let workerChannel: Int32 = 3
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // The ends this process keeps close first; then each end the worker gets is put at its number
        // through a copy above 99, so that no move overwrites an end still to be moved.
        for fd in [channelPipe[0], errorPipe[0], outputPipe[0], secretPipe[1]] {
            posix_spawn_file_actions_addclose(&actions, fd)
        }
        let given = [
            (channelPipe[1], workerChannel), (errorPipe[1], 2), (outputPipe[1], 1),
            (secretPipe[0], Self.secretDescriptor)
        ]
        for (offset, (fd, _)) in given.enumerated() {
            posix_spawn_file_actions_adddup2(&actions, fd, Int32(100 + offset))
            posix_spawn_file_actions_addclose(&actions, fd)
        }
        for (offset, (_, target)) in given.enumerated() {
            posix_spawn_file_actions_adddup2(&actions, Int32(100 + offset), target)
            posix_spawn_file_actions_addclose(&actions, Int32(100 + offset))
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
        var environment = ProcessInfo.processInfo.environment.merging(extra) { $1 }
        // `make grade` runs the worker, and only the worker, inside a sandbox: the command that opens
        // it comes first (`bwrap … --`), and this process, which gives the verdict, stays outside.
        let wrapper = environment.removeValue(forKey: Self.wrapperVariable).map(Self.wrapperArguments) ?? []
        let executable = wrapper.first ?? program
        // In a sandbox, the instructor's environment (tokens, paths) stays outside: the worker gets the
        // workbook's variables and the locale, and the sandbox sets its home.
        if !wrapper.isEmpty {
            environment = environment.filter {
                $0.key.hasPrefix("WORKBOOK_") || ["PATH", "LANG", "LC_ALL"].contains($0.key)
            }
        }
        environment[Self.channelVariable] = String(workerChannel)
        environment.removeValue(forKey: "WORKBOOK_VERDICT")
        // A crash is reported by the verdict, in a line; Swift's backtrace of every thread would bury it.
        environment["SWIFT_BACKTRACE"] = "enable=no"
        let argv = (wrapper + [program] + CommandLine.arguments.dropFirst()).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }

        var generator = SystemRandomNumberGenerator()
        secret = (0..<4).map { _ in String(generator.next() as UInt64, radix: 36) }.joined(separator: "-")
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        for fd in [channelPipe[1], errorPipe[1], outputPipe[1], secretPipe[0]] { close(fd) }
        if status == 0 {
            // Far below a pipe's buffer: the write returns at once, whether or not the worker has read.
            _ = secret.withCString { write(secretPipe[1], $0, strlen($0)) }
        }
        close(secretPipe[1])
        guard status == 0 else {
            for fd in [channelPipe[0], errorPipe[0], outputPipe[0]] { close(fd) }
            throw CheckFailure(
                "could not start the checks' process \(executable): \(String(cString: strerror(status)))")
        }
        self.pid = pid
        channel = channelPipe[0]
        errors = errorPipe[0]
        output = outputPipe[0]
        CheckWorker.running = pid
        CheckWorker.stopOnSignals()
    }

    /// In the worker, first of all: the run's secret, read from its descriptor, which is then closed
    /// (an answer finds it in no descriptor, file, argument or variable).
    static func readSecret() -> String {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 256)
        while true {
            let count = read(secretDescriptor, &buffer, buffer.count)
            if count > 0 { bytes += buffer[..<count] } else if count == 0 || errno != EINTR { break }
        }
        close(secretDescriptor)
        return String(decoding: bytes, as: UTF8.self)
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
        close(output)
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
