import COpenCL

#if canImport(Glibc)
    import Glibc
#endif

/// The GPU backend: tensors live in OpenCL buffers and every primitive is a kernel from
/// `Shared/Kernels/*.cl`, enqueued on one in-order command queue.
///
/// Nothing waits between ops: a chain such as `conv2d → relu → mean → logsumexp` is a sequence of
/// enqueued kernels, and the host waits only where it reads numbers back (`item()`, `toArray()`,
/// `to(.cpu)`), or in `synchronize()` (timing). Kernel files are built on first use, once per process.
///
/// Use it through the tensor API: `enableGPU()` installs it as the engine's `.gpu` device, then
/// `x.to(.gpu)` moves data to it. Check `OpenCLBackend.isAvailable` (or just the result of
/// `enableGPU()`) before choosing `.gpu`; `describe()` says which device it is, or why there is none.
public final class OpenCLBackend: Backend {
    /// The device this backend computes on, as OpenCL lists it.
    public let deviceInfo: OpenCLDeviceInfo
    let context: cl_context
    let queue: cl_command_queue
    let library: KernelLibrary
    let pool: BufferPool
    /// Serialises argument setting and enqueueing: a `cl_kernel` holds its arguments, so two threads
    /// must not set them at once.
    let launchLock = Mutex()
    /// Work-items per work-group of the 1-d kernels.
    let groupSize: Int
    /// Tile sizes of the matrix-product kernel (see `GemmTiling`); settable to compare tilings.
    public var gemmTiling: GemmTiling
    /// Work-groups that keep the device busy; below this, long sums are split into slices.
    var busyGroups: Int

    public var device: Device { .gpu }

    /// The backend on the chosen device, created on first use; nil when there is no usable OpenCL
    /// device (`describe()` says why).
    public static var shared: OpenCLBackend? {
        if case .success(let backend) = startup { return backend }
        return nil
    }

    /// Whether an OpenCL device was found and set up.
    public static var isAvailable: Bool { shared != nil }

    /// Why there is no usable OpenCL device (nil when there is one): what the chapter runner prints
    /// before falling back to the CPU, e.g.
    /// `Workbook.gpuUnavailableReason = { enableGPU() ? nil : OpenCLBackend.unavailableReason }`.
    public static var unavailableReason: String? {
        if case .failure(let error) = startup { return "\(error)" }
        return nil
    }

    /// One line for the user: the device in use, or why there is none (and that the CPU is used).
    public static func describe() -> String {
        switch startup {
        case .success(let backend): return "OpenCL device: \(backend.deviceInfo)"
        case .failure(let error): return "OpenCL unavailable: \(error); computing on the CPU"
        }
    }

    private static let startup: Result<OpenCLBackend, Error> = {
        let result = Result { try OpenCLBackend(deviceInfo: OpenCLDevices.choose(from: OpenCLDevices.all())) }
        // Said once per process, on standard error so it never mixes with a chapter's output.
        let line = describe(result) + "\n"
        _ = line.withCString { fputs($0, stderr) }
        return result
    }()

    private static func describe(_ result: Result<OpenCLBackend, Error>) -> String {
        switch result {
        case .success(let backend): return "OpenCL device: \(backend.deviceInfo)"
        case .failure(let error): return "OpenCL unavailable: \(error); computing on the CPU"
        }
    }

    /// A backend on `deviceInfo` with its own context and in-order queue. Most code wants `shared`.
    public init(deviceInfo: OpenCLDeviceInfo) throws {
        self.deviceInfo = deviceInfo
        var status: cl_int = 0
        var device: cl_device_id? = deviceInfo.id
        guard let context = clCreateContext(nil, 1, &device, nil, nil, &status), status == CL_SUCCESS else {
            throw OpenCLError(call: "clCreateContext(\(deviceInfo.name))", code: status)
        }
        // clCreateCommandQueue is deprecated in OpenCL 2.0 but is the 1.2 call, which every driver keeps.
        guard let queue = clCreateCommandQueue(context, deviceInfo.id, 0, &status), status == CL_SUCCESS else {
            clReleaseContext(context)
            throw OpenCLError(call: "clCreateCommandQueue(\(deviceInfo.name))", code: status)
        }
        self.context = context
        self.queue = queue
        library = KernelLibrary(context: context, device: deviceInfo.id)
        pool = BufferPool(context: context, limit: Swift.min(deviceInfo.globalMemory / 2, 8 << 30))
        groupSize = Swift.min(256, deviceInfo.maxWorkGroupSize)
        busyGroups = 4 * Swift.max(deviceInfo.computeUnits, 1)
        gemmTiling = try GemmTiling.fromEnvironment() ?? .standard
        // Fail now, with the build log, rather than in the middle of the first op.
        _ = try library.kernel("fill", in: "copy.cl")
    }

    deinit {
        clFinish(queue)
        clReleaseCommandQueue(queue)
        clReleaseContext(context)
    }

    /// Waits until every enqueued kernel has finished (for timing; reads back wait on their own).
    public func synchronize() {
        clCheck(clFinish(queue), "clFinish")
    }

    // MARK: Memory

    public func allocate(_ count: Int) -> Storage {
        checkSize(count)
        // One element at least: OpenCL has no empty buffers.
        let bytes = Swift.max(count, 1) * MemoryLayout<Float>.stride
        return Storage(deviceBuffer: OpenCLBuffer(mem: pool.take(bytes: bytes), bytes: bytes, pool: pool), count: count)
    }

    public func upload(_ values: UnsafeBufferPointer<Float>) -> Storage {
        guard let base = values.baseAddress, values.count > 0 else { return allocate(values.count) }
        checkSize(values.count)
        let bytes = values.count * MemoryLayout<Float>.stride
        // Copied at creation: the caller's memory may go away as soon as we return, and this copy
        // needs no wait on the queue.
        let mem = pool.take(bytes: bytes, hostData: UnsafeRawPointer(base))
        return Storage(deviceBuffer: OpenCLBuffer(mem: mem, bytes: bytes, pool: pool), count: values.count)
    }

    public func download(_ storage: Storage, offset: Int, count: Int, into: UnsafeMutablePointer<Float>) {
        guard count > 0 else { return }
        let mem = buffer(storage, "download")
        let size = MemoryLayout<Float>.stride
        // The one blocking call: it waits for every kernel before it on the in-order queue.
        clCheck(
            clEnqueueReadBuffer(queue, mem, cl_bool(CL_TRUE), offset * size, count * size, into, 0, nil, nil),
            "clEnqueueReadBuffer(\(count) floats at \(offset))")
    }

    /// The kernels index with 32-bit ints (faster than 64-bit on GPUs), so a buffer holds fewer than
    /// 2³¹ elements; every index inside one then fits.
    private func checkSize(_ count: Int) {
        check(
            count < Int(Int32.max), "to(.gpu)",
            "a tensor of \(count) elements is too large for the OpenCL kernels (limit 2^31 - 1)")
    }

    // MARK: Helpers for the kernel families

    /// The OpenCL buffer behind `storage`, or a stop naming `op` when the storage is not on this device.
    @inline(__always)
    func buffer(_ storage: Storage, _ op: String) -> cl_mem {
        guard let buffer = storage.buffer else {
            engineFailure(op, "expected a .gpu tensor, got one in host memory")
        }
        return unsafeDowncast(buffer, to: OpenCLBuffer.self).mem
    }

    /// Kernel `name` of `file`, built on first use; a build failure stops with the file and its log.
    func kernel(_ name: String, in file: String, options: String = "") -> cl_kernel {
        do { return try library.kernel(name, in: file, options: options) } catch {
            engineFailure("OpenCL kernel \(name) in \(file)", "\(error)")
        }
    }

    /// Enqueues `name` from `file` with `arguments` over `global` work-items in groups of `local`.
    func run(
        _ name: String, in file: String, options: String = "", _ arguments: [KernelArgument],
        global: [Int], local: [Int]
    ) {
        if global.contains(0) { return }
        let k = kernel(name, in: file, options: options)
        launchLock.locked { launch(k, name, queue: queue, arguments, global: global, local: local) }
    }

    /// Enqueues a 1-d kernel with one work-item per element of `count`.
    func run1D(_ name: String, in file: String, _ arguments: [KernelArgument], count: Int) {
        run(name, in: file, arguments, global: [count], local: [groupSize])
    }
}
