import COpenCL

#if canImport(Glibc)
    import Glibc
#endif

/// Where the `.cl` files live and how their text is read.
///
/// Kernels are read and built when a process first needs them, never compiled into the binary, so a
/// learner can edit `Shared/Kernels/gemm.cl` and simply run again. The folder is found without
/// depending on the current directory:
/// 1. `WORKBOOK_KERNELS`, when set (a binary copied to another machine, with the folder beside it);
/// 2. `Shared/Kernels` in the source tree this file was compiled from (`#filePath`);
/// 3. `Kernels` next to the running executable.
public enum KernelSource {
    /// The folder the kernels are read from, or an error listing every place that was tried.
    public static func directory() throws -> String {
        var tried: [String] = []
        if let override = OpenCLDevices.environment("WORKBOOK_KERNELS"), !override.isEmpty {
            // An explicit choice is never second-guessed: a wrong path is reported, not replaced.
            if exists(override + "/copy.cl") { return override }
            throw OpenCLSetupError("WORKBOOK_KERNELS=\(override) holds no kernels (no copy.cl there)")
        }
        // This file is Shared/Engine/OpenCL/KernelLibrary.swift; the kernels are in Shared/Kernels.
        let sourceTree = parent(parent(parent(#filePath))) + "/Kernels"
        tried.append(sourceTree)
        if exists(sourceTree + "/copy.cl") { return sourceTree }
        if let executable = executablePath() {
            let beside = parent(executable) + "/Kernels"
            tried.append(beside)
            if exists(beside + "/copy.cl") { return beside }
        }
        throw OpenCLSetupError(
            "cannot find the OpenCL kernels; tried " + tried.joined(separator: ", ")
                + " (set WORKBOOK_KERNELS to the folder holding the .cl files)")
    }

    /// The text of kernel file `name` (`"gemm.cl"`) from `directory()`.
    public static func read(_ name: String) throws -> String {
        let path = try directory() + "/" + name
        guard let file = fopen(path, "rb") else {
            throw OpenCLSetupError("cannot open kernel file \(path): \(String(cString: strerror(errno)))")
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&chunk, 1, chunk.count, file)
            if n <= 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func exists(_ path: String) -> Bool { access(path, R_OK) == 0 }

    private static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return String(path[..<slash])
    }

    private static func executablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        buffer[n] = 0
        return String(cString: buffer)
    }
}

/// Builds kernel files into programs once per process (per set of build options) and hands out their
/// kernels. Thread-safe; the backend launches under its own lock.
final class KernelLibrary {
    let context: cl_context
    let device: cl_device_id
    private var programs: [String: cl_program] = [:]
    private var kernels: [String: cl_kernel] = [:]
    private let lock = Mutex()

    init(context: cl_context, device: cl_device_id) {
        self.context = context
        self.device = device
    }

    deinit {
        for kernel in kernels.values { clReleaseKernel(kernel) }
        for program in programs.values { clReleaseProgram(program) }
    }

    /// Kernel `name` from file `file`, built with `options` (e.g. tile sizes as `-D` flags).
    func kernel(_ name: String, in file: String, options: String = "") throws -> cl_kernel {
        try lock.locked {
            let key = file + "|" + options + "|" + name
            if let kernel = kernels[key] { return kernel }
            let programKey = file + "|" + options
            let program: cl_program
            if let built = programs[programKey] {
                program = built
            } else {
                program = try KernelLibrary.build(
                    source: try KernelSource.read(file), file: file, options: options,
                    context: context, device: device)
                programs[programKey] = program
            }
            var status: cl_int = 0
            guard let kernel = clCreateKernel(program, name, &status), status == CL_SUCCESS else {
                throw OpenCLError(call: "clCreateKernel(\(name)) in \(file)", code: status)
            }
            kernels[key] = kernel
            return kernel
        }
    }

    /// One compilation at a time in the whole process: some drivers (PoCL among them) corrupt their
    /// compiler cache when two programs build at once.
    private static let buildLock = Mutex()

    /// Compiles OpenCL C 1.2 `source`; on failure the error carries the compiler's log and `file`.
    static func build(
        source: String, file: String, options: String,
        context: cl_context, device: cl_device_id
    ) throws -> cl_program {
        try buildLock.locked {
            try buildUnlocked(source: source, file: file, options: options, context: context, device: device)
        }
    }

    private static func buildUnlocked(
        source: String, file: String, options: String,
        context: cl_context, device: cl_device_id
    ) throws -> cl_program {
        var status: cl_int = 0
        let program: cl_program? = source.withCString { text in
            var pointer: UnsafePointer<CChar>? = text
            var length = strlen(text)
            return clCreateProgramWithSource(context, 1, &pointer, &length, &status)
        }
        guard let program, status == CL_SUCCESS else {
            throw OpenCLError(call: "clCreateProgramWithSource(\(file))", code: status)
        }
        var device: cl_device_id? = device
        let flags = "-cl-std=CL1.2 " + options
        status = clBuildProgram(program, 1, &device, flags, nil, nil)
        if status != CL_SUCCESS {
            let log = buildLog(program, device!)
            clReleaseProgram(program)
            throw OpenCLError(
                call: "clBuildProgram(\(file)\(options.isEmpty ? "" : ", options \(options)"))",
                code: status, detail: "build log of \(file):\n" + log)
        }
        return program
    }

    private static func buildLog(_ program: cl_program, _ device: cl_device_id) -> String {
        var size = 0
        let what = cl_program_build_info(CL_PROGRAM_BUILD_LOG)
        guard clGetProgramBuildInfo(program, device, what, 0, nil, &size) == CL_SUCCESS, size > 0 else {
            return "(no build log)"
        }
        var bytes = [CChar](repeating: 0, count: size + 1)
        _ = clGetProgramBuildInfo(program, device, what, size, &bytes, nil)
        return String(cString: bytes)
    }
}

/// A plain mutual-exclusion lock (pthread), for the few places the backend is shared across threads
/// (a buffer can be freed on whatever thread drops the last tensor using it).
final class Mutex {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t> = .allocate(capacity: 1)
    init() { pthread_mutex_init(mutex, nil) }
    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` holding the lock.
    @inline(__always)
    func locked<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}
