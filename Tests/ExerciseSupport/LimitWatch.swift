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

    init(worker: pid_t, resources: ResourceLimits) {
        self.worker = worker
        self.resources = resources
        folder = ProcessInfo.processInfo.environment[Self.folderVariable]
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
        let root = "/proc/\(inside)/root"
        let tasks = Self.tasks(under: root + "/proc")
        if tasks >= resources.processes {
            return "started more than \(resources.processes) processes or threads (PROCESSES=… raises the limit)"
        }
        var usage = statvfs()
        if statvfs(root + folder, &usage) == 0 {
            let used = Int(usage.f_blocks - usage.f_bfree) * Int(usage.f_frsize)
            if used > resources.writes {
                return "wrote more than \(ResourceLimits.describe(bytes: resources.writes)) in its folder "
                    + "(WRITES=… raises the limit)"
            }
        }
        return nil
    }

    /// The processes `pid` started.
    static func children(of pid: pid_t) -> [pid_t] {
        let text = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
        return text.split(separator: " ").compactMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// The tasks (processes and threads) a `/proc` shows.
    static func tasks(under proc: String) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: proc)) ?? []
        return names.filter { $0.first?.isNumber == true }.reduce(0) { count, name in
            count + (((try? FileManager.default.contentsOfDirectory(atPath: "\(proc)/\(name)/task")) ?? []).count)
        }
    }
}
