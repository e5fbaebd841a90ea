import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Looks, from the verdict's side, at what a worker in `make grade`'s sandbox uses of the limits that
/// give it an error rather than an end: processes and threads (a `fork` that fails returns, and an
/// answer may carry on), and bytes in its writable folder (a full folder fails a write).
///
/// The sandbox has a process namespace and a folder of its own: both are seen through
/// `/proc/<a process in the sandbox>/root`. Without a sandbox (`make exercise`) it sees nothing, and
/// those two limits hold without being named.
struct LimitWatch {
    /// The variable that names the sandbox's writable folder, as the worker sees it.
    static let folderVariable = "WORKBOOK_SANDBOX_FOLDER"

    /// The process the verdict's side started (the sandbox's outer process, or the worker itself).
    let worker: pid_t
    let resources: ResourceLimits
    /// The writable folder inside the sandbox, if the worker runs in one.
    let folder: String?
    private var last = Date.distantPast

    init(
        worker: pid_t, resources: ResourceLimits,
        folder: String? = ProcessInfo.processInfo.environment[Self.folderVariable]
    ) {
        self.worker = worker
        self.resources = resources
        self.folder = folder
    }

    /// `sample()`, at most fifty times a second: a process storm that ends in a crash is seen before the crash.
    mutating func sampleNowAndThen() -> String? {
        guard folder != nil, Date().timeIntervalSince(last) > 0.02 else { return nil }
        return sample()
    }

    /// The limit the sandboxed worker is at, said for the learner, if any.
    mutating func sample() -> String? {
        last = Date()
        guard let folder, let inside = Self.children(of: worker).first else { return nil }
        // Counted as the worker's descendants, not through the sandbox's /proc: until bwrap has made
        // its file system, that path is the host's, whose tasks are not the answer's.
        if Self.tasks(descendingFrom: worker) >= resources.processes {
            return "started more than \(resources.processes) processes or threads (PROCESSES=… raises the limit)"
        }
        if let used = Self.bytesUsed(in: "/proc/\(inside)/root" + folder, ofSize: resources.folderSize),
            used > resources.writes
        {
            return "wrote more than \(ResourceLimits.describe(bytes: resources.writes)) in its folder "
                + "(WRITES=… raises the limit)"
        }
        return nil
    }

    /// The bytes used in the file system at `path`, if it is the sandbox's folder of `size` bytes
    /// (nil while bwrap has not mounted it yet, when the path still leads to the disk beneath).
    static func bytesUsed(in path: String, ofSize size: Int) -> Int? {
        var usage = statvfs()
        guard statvfs(path, &usage) == 0 else { return nil }
        let total = Int(usage.f_blocks) * Int(usage.f_frsize)
        guard abs(total - size) < 1 << 16 else { return nil }
        return Int(usage.f_blocks - usage.f_bfree) * Int(usage.f_frsize)
    }

    /// The processes `pid` started.
    static func children(of pid: pid_t) -> [pid_t] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? ["\(pid)"]
        return tasks.flatMap { task in
            let text = (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/children", encoding: .utf8)) ?? ""
            return text.split(separator: " ").compactMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
    }

    /// The tasks (processes and threads) of every process below `pid`, `pid` itself left out. In a
    /// process namespace of its own, an orphan goes to the namespace's first process, still below.
    static func tasks(descendingFrom pid: pid_t) -> Int {
        var count = 0
        var seen: Set<pid_t> = [pid]
        var next = children(of: pid)
        while let process = next.popLast() {
            guard seen.insert(process).inserted else { continue }
            count += ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(process)/task")) ?? []).count
            next += children(of: process)
        }
        return count
    }
}
