#if canImport(Glibc)
import Glibc
#endif

/// Recycles large blocks of host memory between tensors of the same size.
///
/// A training step allocates the same big buffers (patches, activations, gradients) every time.
/// Fresh blocks of that size come from `mmap`, so every page of them faults and is zeroed by the
/// kernel on first touch, and goes back to the kernel when freed: about a fifth of a step's time.
/// Keeping freed blocks for the next request of the same size makes those pages stay mapped and
/// warm. Small blocks are left to `malloc`, which recycles them well by itself.
final class HostMemoryPool: @unchecked Sendable {
    /// The pool every host `Storage` uses.
    static let shared = HostMemoryPool()

    /// Blocks of fewer elements than this (64 KiB) bypass the pool.
    static let minimumCount = 16 * 1024
    /// At most this many bytes are kept idle; beyond it freed blocks go back to the system.
    var byteLimit = 768 << 20

    private var idle: [Int: [UnsafeMutablePointer<Float>]] = [:]
    private var idleBytes = 0
    private let mutex: UnsafeMutablePointer<pthread_mutex_t> = {
        let m = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        pthread_mutex_init(m, nil)
        return m
    }()

    /// A block of at least one element for `count` elements, recycled when one of that size is idle.
    func take(_ count: Int) -> UnsafeMutablePointer<Float> {
        if count >= HostMemoryPool.minimumCount {
            pthread_mutex_lock(mutex)
            let block = idle[count]?.popLast()
            if block != nil { idleBytes -= count * MemoryLayout<Float>.stride }
            pthread_mutex_unlock(mutex)
            if let block { return block }
        }
        return .allocate(capacity: Swift.max(count, 1))
    }

    /// Returns a block obtained from `take(count)`.
    func give(_ block: UnsafeMutablePointer<Float>, count: Int) {
        let bytes = count * MemoryLayout<Float>.stride
        if count >= HostMemoryPool.minimumCount {
            pthread_mutex_lock(mutex)
            let kept = idleBytes + bytes <= byteLimit
            if kept {
                idle[count, default: []].append(block)
                idleBytes += bytes
            }
            pthread_mutex_unlock(mutex)
            if kept { return }
        }
        block.deallocate()
    }

    /// Gives every idle block back to the system.
    func trim() {
        pthread_mutex_lock(mutex)
        let blocks = idle.values.flatMap { $0 }
        idle.removeAll()
        idleBytes = 0
        pthread_mutex_unlock(mutex)
        for block in blocks { block.deallocate() }
    }

    /// Bytes currently kept idle.
    var cachedBytes: Int {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return idleBytes
    }
}

extension CPUBackend {
    /// Frees the host memory kept for reuse by finished tensors (see `HostMemoryPool`).
    public static func releaseCachedMemory() { HostMemoryPool.shared.trim() }
}
