import Foundation

/// One named check of an exercise: a question about the answer that passes or fails with a message
/// in the student's terms.
///
/// The body calls the student's code and throws `CheckFailure` (through `expect`) when the answer is
/// wrong. It runs in an `AnswerSandbox`, so a `todo` reached inside it fails this check only.
public struct Check {
    /// What is checked, as the student reads it: "the first 20 numbers".
    public let name: String
    /// Calls the answer and throws `CheckFailure` when it is wrong.
    public let body: () throws -> Void

    public init(_ name: String, _ body: @escaping () throws -> Void) {
        self.name = name
        self.body = body
    }
}

/// Why a check failed: what is wrong with the answer, said so that the student knows where to look
/// ("the block's output does not depend on the shortcut path: is the input added?").
public struct CheckFailure: Error, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// Fails the running check with `message` unless `condition` holds.
public func expect(_ condition: Bool, _ message: @autoclosure () -> String) throws {
    if !condition { throw CheckFailure(message()) }
}

/// Fails the running check with `message`.
public func fail(_ message: String) -> CheckFailure { CheckFailure(message) }

/// How one check ended.
public enum CheckOutcome: Equatable, Codable, CustomStringConvertible {
    /// The answer did what the check asks.
    case passed
    /// The answer is wrong; the message says how.
    case failed(String)
    /// The answer reached a `todo` (at this place in the file): that part is not written yet.
    case unanswered(String)
    /// The answer threw a Swift error the check did not expect.
    case threw(String)
    /// The answer did not return within the time allowed.
    case timedOut(seconds: Int)

    public var passed: Bool { self == .passed }

    /// The explanation shown after the check's name (empty when it passed).
    public var message: String {
        switch self {
        case .passed: ""
        case .failed(let message): message
        case .unanswered(let location): "not written yet (the todo at \(location))"
        case .threw(let error): "your code threw an error: \(error)"
        case .timedOut(let seconds):
            "no answer after \(seconds) s: does every path reach a case that returns without calling itself again?"
        }
    }

    public var description: String { passed ? "passed" : message }
}

/// Runs `check` in a sandbox of its own and says how it ended, waiting at most `timeout` seconds (nil:
/// as long as it takes, for a process that can be stopped from outside, as `runChecks` stops its
/// worker). Checks never run at the same time (they may seed the global random generator), even
/// when tests call this from several threads.
public func evaluate(_ check: Check, timeout: Int? = 60) -> CheckOutcome {
    checkLock.lock()
    defer { checkLock.unlock() }
    do {
        try AnswerSandbox().run(timeout: timeout, check.body)
        return .passed
    } catch let failure as CheckFailure {
        return .failed(failure.message)
    } catch let unanswered as Unanswered {
        return .unanswered(unanswered.location)
    } catch is SandboxTimeout {
        return .timedOut(seconds: timeout ?? 0)
    } catch {
        return .threw("\(error)")
    }
}

private let checkLock = NSLock()
