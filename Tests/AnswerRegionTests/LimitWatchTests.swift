import Foundation
import Testing

@testable import ExerciseSupport

/// What the grader's watch on a sandboxed worker counts: the worker's own descendants, and the
/// sandbox's folder only once it is mounted, so that a sandbox still being set up (whose paths lead
/// to the host) is never said to be at a limit.
@Suite("The watch on a sandboxed worker's processes and folder")
struct LimitWatchTests {
    /// A shell that starts `sleepers` children that sleep for three seconds, then sleeps as long
    /// itself. (Foundation starts it with its signals blocked: only SIGKILL ends it early.)
    static func shell(withSleepers sleepers: Int) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", String(repeating: "sleep 3 & ", count: sleepers) + "exec sleep 3"]
        try process.run()
        return process
    }

    /// Polls `condition` for up to two seconds, while children start.
    static func eventually(_ condition: () -> Bool) -> Bool {
        for _ in 0..<200 {
            if condition() { return true }
            usleep(10_000)
        }
        return condition()
    }

    @Test func countsTheTasksBelowTheWorkerOnly() throws {
        let shell = try Self.shell(withSleepers: 3)
        defer { kill(shell.processIdentifier, SIGKILL) }
        #expect(Self.eventually { LimitWatch.tasks(descendingFrom: shell.processIdentifier) == 3 })
        #expect(LimitWatch.tasks(descendingFrom: shell.processIdentifier) == 3)
    }

    @Test func readsAFolderOnlyWhenItIsTheSandboxesOwn() throws {
        var usage = statvfs()
        try #require(statvfs("/tmp", &usage) == 0)
        let size = Int(usage.f_blocks) * Int(usage.f_frsize)
        #expect(LimitWatch.bytesUsed(in: "/tmp", ofSize: size) != nil)
        #expect(LimitWatch.bytesUsed(in: "/tmp", ofSize: 1 << 20) == nil)
        #expect(LimitWatch.bytesUsed(in: "/no/such/folder", ofSize: size) == nil)
    }

    /// A worker outside any sandbox sees the host through `/proc/<child>/root`, as bwrap's child does
    /// before it has made its file system: the host's many tasks and full disk are not the answer's.
    @Test func aSandboxNotYetMadeReachesNoLimit() throws {
        let shell = try Self.shell(withSleepers: 1)
        defer { kill(shell.processIdentifier, SIGKILL) }
        #expect(Self.eventually { !LimitWatch.children(of: shell.processIdentifier).isEmpty })
        var watch = LimitWatch(
            worker: shell.processIdentifier, resources: ResourceLimits(processes: 2, writes: 1), folder: "/tmp")
        #expect(watch.sample() == nil)

        var crowded = LimitWatch(
            worker: shell.processIdentifier, resources: ResourceLimits(processes: 1, writes: 1), folder: "/tmp")
        #expect(crowded.sample()?.contains("more than 1 processes") == true)
    }
}
