import CBLAS
import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// How the engine shares the CPU's cores: one thread per core, all of them the engine's own.
///
/// OpenBLAS is kept to one thread, and the engine splits its work (matrix products by blocks of
/// rows or columns, convolutions by images, long element-wise loops by ranges) over
/// `computeThreads` threads, each calling a one-threaded sgemm on its own part. Letting OpenBLAS
/// run threads of its own costs more than it gives here: they spin (`sched_yield`) for a long while
/// after every product, taking a core from whatever the engine does next (Benchmarks/RESULTS.md has
/// the figures).
public enum CPUThreads {
    /// Threads for the engine's parallel loops and matrix products; all cores by default. The
    /// DataLoader's decoding threads do not take any away: they run at a lower priority and share
    /// the same cores (see `DataLoader`).
    nonisolated(unsafe) public static var computeThreads = ProcessInfoCores.count {
        didSet { computeThreads = Swift.max(1, computeThreads) }
    }

    /// Sets OpenBLAS to one thread, once; `CPUBackend` calls it before its first product.
    static func pinBLAS() { _ = singleThreadedBLAS }

    private static let singleThreadedBLAS: Void = openblas_set_num_threads(1)
}

/// The number of cores this process may use.
package enum ProcessInfoCores {
    package static let count: Int = {
        #if canImport(Glibc)
            let n = sysconf(Int32(_SC_NPROCESSORS_ONLN))
            return n > 0 ? n : 1
        #else
            return 1
        #endif
    }()
}

/// Element-wise kernels on fewer elements than this (1 MiB of Float) run on one thread: below it,
/// waking a second thread costs more than it saves.
let parallelChunkMinimum = 1 << 18

/// Calls `body(start, count)` on consecutive chunks covering `0..<total`, one per core when `total`
/// is large enough to be worth splitting (`parallelChunkMinimum`).
func parallelChunks(_ total: Int, _ body: (Int, Int) -> Void) {
    let workers = total >= parallelChunkMinimum ? CPUThreads.computeThreads : 1
    if workers <= 1 {
        body(0, total)
        return
    }
    parallelFor(workers) { w in
        let start = w * total / workers, end = (w + 1) * total / workers
        body(start, end - start)
    }
}

/// Runs `body(i)` for `i` in `0..<count`, split over the machine's cores when the work is large.
func parallelFor(_ count: Int, _ body: (Int) -> Void) {
    let workers = Swift.min(count, CPUThreads.computeThreads)
    if workers <= 1 {
        for i in 0..<count { body(i) }
        return
    }
    DispatchQueue.concurrentPerform(iterations: workers) { w in
        var i = w * count / workers
        let end = (w + 1) * count / workers
        while i < end {
            body(i)
            i += 1
        }
    }
}
