import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What the checks' worker, and so the answer it runs, may use besides time: memory, processes and
/// threads, bytes written to one file or to its folder, CPU time, and output kept.
///
/// The worker sets them on itself (`setrlimit`) before any answer code runs, soft and hard alike, so
/// that an answer cannot raise them again without a privilege it does not have (`README.md`, "What
/// the grader guarantees", says which hold as root). Each can be set in the environment, in bytes
/// with an optional K, M or G, or in seconds (`make exercise N=16 MEMORY=4G`, `make grade … CPU=600`).
public struct ResourceLimits: Equatable, Sendable {
    /// Bytes of memory the worker may hold (`RLIMIT_DATA`: its heap, stacks and private mappings).
    public var memory: Int
    /// Processes and threads the answer may start on top of those the worker has.
    public var processes: Int
    /// Bytes in one file the worker writes (`RLIMIT_FSIZE`), and in its writable folder in all
    /// where `make grade` gives it one of that size.
    public var writes: Int
    /// Seconds of CPU the worker may use in all (nil: see `cpu(forWallSeconds:)`).
    public var cpuSeconds: Int?
    /// Bytes of the answer's output that are shown; the rest is counted and said in one line.
    public var output: Int

    /// The size of the writable folder `make grade` mounts: a quarter more than `writes`, so that what
    /// is kept past the limit can be seen and named (a write that fails leaves nothing to see).
    public var folderSize: Int { writes + writes / 4 }

    /// The environment variables that set the limits, each also a `make` variable without the prefix.
    public enum Variable: String, CaseIterable {
        case memory = "WORKBOOK_MEMORY"
        case processes = "WORKBOOK_PROCESSES"
        case writes = "WORKBOOK_WRITES"
        case cpu = "WORKBOOK_CPU"
        case output = "WORKBOOK_OUTPUT"
    }

    /// The defaults: 2 GB of memory, 64 processes or threads, 256 MB written, 1 MB of output kept.
    public init(
        memory: Int = 2 << 30, processes: Int = 64, writes: Int = 256 << 20, cpuSeconds: Int? = nil,
        output: Int = 1 << 20
    ) {
        self.memory = memory
        self.processes = processes
        self.writes = writes
        self.cpuSeconds = cpuSeconds
        self.output = output
    }

    /// The defaults with what `environment` sets instead; a value that does not read as a size or a
    /// count is an error that names its variable.
    public init(environment: [String: String]) throws {
        self.init()
        for variable in Variable.allCases {
            guard let text = environment[variable.rawValue], !text.isEmpty else { continue }
            let isTime = variable == .cpu || variable == .processes
            guard let value = isTime ? Int(text) : Self.bytes(text), value > 0 else {
                let example = isTime ? "a whole number, such as 128" : "a size such as 4G, 512M or 1000000"
                throw InvalidLimit(description: "\(variable.rawValue) (\(text)) should be \(example)")
            }
            switch variable {
            case .memory: memory = value
            case .processes: processes = value
            case .writes: writes = value
            case .cpu: cpuSeconds = value
            case .output: output = value
            }
        }
    }

    /// Bytes in `text`: a number with an optional K, M or G (powers of 1024), or nil.
    public static func bytes(_ text: String) -> Int? {
        let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        let upper = text.uppercased().replacingOccurrences(of: "B", with: "")
        if let unit = upper.last, let scale = units[unit] {
            return Double(upper.dropLast()).map { Int($0 * Double(scale)) }
        }
        return Int(upper)
    }

    /// `bytes` as people say it: "2 GB", "256 MB", "1 MB".
    public static func describe(bytes: Int) -> String {
        if bytes >= 1 << 30 && bytes % (1 << 30) == 0 { return "\(bytes >> 30) GB" }
        if bytes >= 1 << 20 && bytes % (1 << 20) == 0 { return "\(bytes >> 20) MB" }
        if bytes >= 1 << 10 && bytes % (1 << 10) == 0 { return "\(bytes >> 10) KB" }
        return "\(bytes) bytes"
    }

    /// The environment that gives a worker these limits.
    public var environment: [String: String] {
        var values = [
            Variable.memory.rawValue: String(memory), Variable.processes.rawValue: String(processes),
            Variable.writes.rawValue: String(writes), Variable.output.rawValue: String(output)
        ]
        if let cpuSeconds { values[Variable.cpu.rawValue] = String(cpuSeconds) }
        return values
    }

    /// In the worker, before any answer code: sets every limit on this process, soft and hard. The
    /// limit on processes is set only where it binds, for a user other than root, and counts from the
    /// tasks this user runs already.
    package func apply() {
        let cpu = cpuSeconds ?? 600
        func set(_ resource: Int32, _ value: Int) {
            var limit = rlimit(rlim_cur: rlim_t(value), rlim_max: rlim_t(value))
            _ = setrlimit(__rlimit_resource_t(UInt32(resource)), &limit)
        }
        set(Int32(RLIMIT_DATA.rawValue), memory)
        set(Int32(RLIMIT_FSIZE.rawValue), writes)
        // The soft limit sends SIGXCPU, which names the limit; the hard one, a second later, kills.
        var cpuLimit = rlimit(rlim_cur: rlim_t(cpu), rlim_max: rlim_t(cpu + 1))
        _ = setrlimit(__rlimit_resource_t(UInt32(RLIMIT_CPU.rawValue)), &cpuLimit)
        if getuid() != 0 { set(Int32(__RLIMIT_NPROC.rawValue), Self.tasks(of: getuid()) + processes) }
    }

    /// How many tasks (processes and threads) user `uid` runs, as far as this process's `/proc` shows.
    static func tasks(of uid: uid_t) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        var count = 0
        for name in names where name.first?.isNumber == true {
            guard let status = try? String(contentsOfFile: "/proc/\(name)/status", encoding: .utf8) else { continue }
            var owner: uid_t?, threads = 1
            for line in status.split(separator: "\n") {
                if line.hasPrefix("Uid:") {
                    owner = line.split(whereSeparator: \.isWhitespace).dropFirst().first.flatMap { uid_t($0) }
                } else if line.hasPrefix("Threads:") {
                    threads = line.split(whereSeparator: \.isWhitespace).last.flatMap { Int($0) } ?? 1
                }
            }
            if owner == uid { count += threads }
        }
        return count
    }

    /// The CPU seconds allowed for checks whose time limits add up to `wallSeconds`: all the cores
    /// busy all that time (a correct answer may train on every core), plus 30.
    public func cpu(forWallSeconds wallSeconds: Double) -> Int {
        cpuSeconds ?? Int((wallSeconds * Double(ProcessInfo.processInfo.activeProcessorCount)).rounded(.up)) + 30
    }
}

/// A limit set to something that is not a number or a size, named with what it should be.
public struct InvalidLimit: Error, CustomStringConvertible {
    public let description: String
}
