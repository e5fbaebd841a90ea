import Foundation

/// Runs an answer on a thread of its own so that a `todo` reached inside it can fail just that call.
///
/// `todo` returns `Never`: once reached, the code after it cannot run. Ending the process would take
/// every other test down with it, and a Swift error cannot be thrown through functions that are not
/// marked `throws` (a module's `forward`, say). So the answer runs on a separate thread: `todo` hands
/// the waiting caller an `Unanswered` error and then parks that thread for good (a few kilobytes of
/// stack, only in a test run of unanswered exercises, freed when the process ends).
public final class AnswerSandbox: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var outcome: Result<Any, Error>?

    private static let threadKey = "ExerciseSupport.AnswerSandbox"

    /// The sandbox of the current thread, if it runs an answer.
    static var current: AnswerSandbox? { Thread.current.threadDictionary[threadKey] as? AnswerSandbox }

    /// Records how the answer ended (first report wins) and wakes the caller.
    func finish(_ result: Result<Any, Error>) {
        lock.lock()
        let first = outcome == nil
        if first { outcome = result }
        lock.unlock()
        if first { done.signal() }
    }

    /// Blocks the current thread for the rest of the process.
    static func parkForever() -> Never {
        let never = DispatchSemaphore(value: 0)
        while true { never.wait() }
    }

    /// Runs `body` on a fresh thread (16 MiB of stack, for deep recursion) and waits for it, at most
    /// `timeout` seconds if given (then throws `SandboxTimeout` and leaves the thread running: a
    /// thread cannot be stopped from outside, and the process ends soon after).
    func run<T>(timeout: Int? = nil, _ body: @escaping () throws -> T) throws -> T {
        let thread = Thread { [self] in
            Thread.current.threadDictionary[AnswerSandbox.threadKey] = self
            finish(Result { try body() as Any })
        }
        thread.stackSize = 16 << 20
        thread.start()
        if let timeout {
            if done.wait(timeout: .now() + .seconds(timeout)) == .timedOut { throw SandboxTimeout() }
        } else {
            done.wait()
        }
        lock.lock()
        defer { lock.unlock() }
        return try outcome!.get() as! T
    }
}

/// An answer that did not return in the time a check allows.
struct SandboxTimeout: Error {}

/// Runs the student's code in `body` and returns its result, or throws `Unanswered` (with the
/// exercise's hint) if it reaches a `todo`. Tests wrap every call into an exercise module in it:
///
///     let numbers = try answer { fibonacci(count: 20) }
///     #expect(numbers.last == 4181)
///
/// Check results outside the closure: it runs on another thread, where a test's expectations
/// cannot be attributed to the test.
public func answer<T>(_ body: @escaping () throws -> T) throws -> T {
    try AnswerSandbox().run(body)
}
