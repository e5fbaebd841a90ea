import COpenCL

/// A tensor's storage in device memory: one OpenCL buffer, handed back to the pool when the last
/// tensor using it goes away.
final class OpenCLBuffer: DeviceBuffer {
    let mem: cl_mem
    /// Size in bytes (the pool's key).
    let bytes: Int
    private let pool: BufferPool

    init(mem: cl_mem, bytes: Int, pool: BufferPool) {
        self.mem = mem
        self.bytes = bytes
        self.pool = pool
    }

    deinit { pool.recycle(mem, bytes: bytes) }
}

/// Keeps freed device buffers for reuse, by exact size.
///
/// A training step allocates the same sizes every time (activations, gradients, im2col scratch), so
/// after the first step nearly every allocation is a dictionary lookup instead of a driver call.
/// Reusing a buffer is safe without waiting: the backend has one in-order queue, so a kernel that
/// writes a recycled buffer runs after every kernel that read its previous contents.
final class BufferPool {
    private let context: cl_context
    private var free: [Int: [cl_mem]] = [:]
    private var cachedBytes = 0
    /// Cached bytes beyond this are released to the driver instead.
    let limit: Int
    private let lock = Mutex()

    init(context: cl_context, limit: Int) {
        self.context = context
        self.limit = limit
    }

    deinit { purge() }

    /// A buffer of `bytes`: a cached one if any, else a new one; `hostData` (when given) is copied in
    /// at creation, which needs no queue synchronisation.
    func take(bytes: Int, hostData: UnsafeRawPointer? = nil) -> cl_mem {
        if hostData == nil,
            let mem = lock.locked({ () -> cl_mem? in
                guard let mem = free[bytes]?.popLast() else { return nil }
                cachedBytes -= bytes
                return mem
            })
        {
            return mem
        }
        var status: cl_int = 0
        let flags = cl_mem_flags(CL_MEM_READ_WRITE) | (hostData == nil ? 0 : cl_mem_flags(CL_MEM_COPY_HOST_PTR))
        if let mem = clCreateBuffer(context, flags, bytes, UnsafeMutableRawPointer(mutating: hostData), &status),
            status == CL_SUCCESS
        {
            return mem
        }
        // Out of memory with buffers parked in the pool: give them back and try once more.
        purge()
        let mem = clCreateBuffer(context, flags, bytes, UnsafeMutableRawPointer(mutating: hostData), &status)
        clCheck(status, "clCreateBuffer(\(bytes) bytes)")
        return mem!
    }

    /// Parks `mem` for reuse, or releases it when the pool is full.
    func recycle(_ mem: cl_mem, bytes: Int) {
        let kept = lock.locked { () -> Bool in
            guard cachedBytes + bytes <= limit else { return false }
            free[bytes, default: []].append(mem)
            cachedBytes += bytes
            return true
        }
        if !kept { clReleaseMemObject(mem) }
    }

    /// Releases every cached buffer.
    func purge() {
        let all = lock.locked { () -> [cl_mem] in
            let all = free.values.flatMap { $0 }
            free.removeAll()
            cachedBytes = 0
            return all
        }
        for mem in all { clReleaseMemObject(mem) }
    }
}
