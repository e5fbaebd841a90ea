// Interim copy of ex-infra's check API (same names and signatures), so that R1–R6 build before the
// exercise infrastructure is merged; deleted at the merge.
import Foundation

public struct Check {
    public let name: String
    public let body: () throws -> Void
    public init(_ name: String, _ body: @escaping () throws -> Void) {
        self.name = name
        self.body = body
    }
}

public struct CheckFailure: Error, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

public func expect(_ condition: Bool, _ message: @autoclosure () -> String) throws {
    if !condition { throw CheckFailure(message()) }
}

public func runChecks(exercise: String, _ checks: [Check]) -> Never {
    setvbuf(stdout, nil, _IOLBF, 0)
    var failures = 0
    for check in checks {
        do {
            try answer { try check.body() }
            print("  ✔ \(check.name)")
        } catch {
            failures += 1
            print("  ✘ \(check.name): \(error)")
        }
    }
    print(failures == 0 ? "✔ Exercise \(exercise): all \(checks.count) checks pass." : "✘ \(failures) fail")
    exit(failures == 0 ? 0 : 1)
}
