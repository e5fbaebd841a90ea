// Interim check API for ex-research until ex-infra's runner lands; removed at the merge.
import Foundation

/// One named check of an exercise.
public struct Check {
    public let name: String
    public let run: () throws -> Void
    public init(_ name: String, _ run: @escaping () throws -> Void) {
        self.name = name
        self.run = run
    }
}

/// A failed check, with a message in the student's terms.
public struct CheckFailure: Error, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Fails the current check with `message` unless `condition` holds.
public func require(_ condition: Bool, _ message: @autoclosure () -> String) throws {
    if !condition { throw CheckFailure(message()) }
}

/// Runs every check, prints ✔/✘ lines, returns whether all passed.
public func runChecks(_ title: String, _ checks: [Check]) -> Bool {
    print(title)
    var failed = 0
    for check in checks {
        do {
            try check.run()
            print("✔ \(check.name)")
        } catch {
            failed += 1
            print("✘ \(check.name): \(error)")
        }
    }
    print(failed == 0 ? "all \(checks.count) checks pass" : "\(failed) of \(checks.count) checks fail")
    return failed == 0
}
