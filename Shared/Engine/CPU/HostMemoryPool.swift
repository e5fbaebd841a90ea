#if canImport(Glibc)
    import Glibc
#endif

/// Recycles large blocks of host memory between tensors.
///
/// A training step allocates the same big buffers (patches, activations, gradients) every time.
/// Fresh blocks of that size come from `mmap`, so every page of them faults and is zeroed by the
/// kernel on first touch, and goes back to the kernel when freed: about a fifth of a step's time.
/// Keeping freed blocks for the next request makes those pages stay mapped and warm. Small blocks
/// are left to `malloc`, which recycles them well by itself.
///
/// Resident memory stays bounded: a request takes the smallest idle block that holds it and is less
/// than twice its size (so the last, smaller batch of an epoch reuses the full batches' blocks), and
/// when a request needs a fresh block that would take the pool's blocks, in use and idle together,
/// past `byteLimit`, the least recently returned idle blocks go back to the system first (so
/// training's blocks make way for validation's at bs 256, and back, instead of piling up).
final class HostMemoryPool: @unchecked Sendable {
    /// The pool every host `Storage` uses.
    static let shared = HostMemoryPool()

    /// Blocks of fewer elements than this (64 KiB) bypass the pool.
    static let minimumCount = 16 * 1024
    /// Bytes of pooled blocks (in use and idle) beyond which idle blocks are freed, oldest first,
    /// rather than kept: about what one training step of the chapter's CNN at batch size 128 uses.
    /// Blocks in use are never freed, so a larger working set still works, only with fresh pages.
    var byteLimit = 160 << 20

    /// An idle block, its capacity in elements, and when it was returned.
    private struct IdleBlock {
        let block: UnsafeMutablePointer<Float>
        let capacity: Int
        let returned: Int
    }

    private var idle: [IdleBlock] = []
    private var idleBytes = 0
    /// Bytes of the pooled blocks handed out and not yet returned.
    private var usedBytes = 0
    private var clock = 0
    /// Capacity of every pooled block handed out, which may exceed what its tensor asked for.
    private var capacities: [UnsafeMutablePointer<Float>: Int] = [:]
    private let mutex: UnsafeMutablePointer<pthread_mutex_t> = {
        let m = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        pthread_mutex_init(m, nil)
        return m
    }()

    /// A block for at least `count` elements (at least one), recycled when a fitting one is idle.
    func take(_ count: Int) -> UnsafeMutablePointer<Float> {
        guard count >= HostMemoryPool.minimumCount else { return .allocate(capacity: Swift.max(count, 1)) }
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        var best = -1
        for i in idle.indices where idle[i].capacity >= count && idle[i].capacity < 2 * count {
            // Of equal blocks, the one returned last: its lines are the likeliest still in cache.
            if best < 0 || idle[i].capacity < idle[best].capacity
                || (idle[i].capacity == idle[best].capacity && idle[i].returned > idle[best].returned)
            {
                best = i
            }
        }
        if best >= 0 {
            let found = idle.remove(at: best)
            idleBytes -= found.capacity * MemoryLayout<Float>.stride
            usedBytes += found.capacity * MemoryLayout<Float>.stride
            capacities[found.block] = found.capacity
            return found.block
        }
        let bytes = count * MemoryLayout<Float>.stride
        let evicted = evictOldest(toFit: bytes)
        let block = UnsafeMutablePointer<Float>.allocate(capacity: count)
        capacities[block] = count
        usedBytes += bytes
        // Freeing under the lock is rare (a change of working set) and keeps the code simple.
        for b in evicted { b.deallocate() }
        return block
    }

    /// Returns a block obtained from `take(count)`.
    func give(_ block: UnsafeMutablePointer<Float>, count: Int) {
        guard count >= HostMemoryPool.minimumCount else {
            block.deallocate()
            return
        }
        pthread_mutex_lock(mutex)
        let capacity = capacities.removeValue(forKey: block) ?? count
        let bytes = capacity * MemoryLayout<Float>.stride
        usedBytes -= bytes
        let keep = bytes <= byteLimit
        if keep {
            clock += 1
            idle.append(IdleBlock(block: block, capacity: capacity, returned: clock))
            idleBytes += bytes
        }
        pthread_mutex_unlock(mutex)
        if !keep { block.deallocate() }
    }

    /// Removes idle blocks, least recently returned first, until `bytes` more fit under `byteLimit`
    /// with everything in use and idle; returns them for the caller to free. Called with the lock held.
    private func evictOldest(toFit bytes: Int) -> [UnsafeMutablePointer<Float>] {
        var evicted: [UnsafeMutablePointer<Float>] = []
        while usedBytes + idleBytes + bytes > byteLimit, !idle.isEmpty {
            var oldest = 0
            for i in idle.indices where idle[i].returned < idle[oldest].returned { oldest = i }
            let out = idle.remove(at: oldest)
            idleBytes -= out.capacity * MemoryLayout<Float>.stride
            evicted.append(out.block)
        }
        return evicted
    }

    /// Gives every idle block back to the system.
    func trim() {
        pthread_mutex_lock(mutex)
        let blocks = idle.map(\.block)
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
