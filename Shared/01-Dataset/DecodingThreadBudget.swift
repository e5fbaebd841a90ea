import Foundation

/// Keeps decoding threads and compute threads from asking for more cores than the machine has.
///
/// OpenBLAS's threads spin while they wait for work, so a matrix product on every core while
/// DataLoader workers decode on the same cores makes both crawl. The policy: while DataLoader
/// iterations with `w` workers in all are running, OpenBLAS (and the engine's own parallel loops) get
/// `max(1, cores - w)` threads; when the last iteration ends, the settings from before come back.
/// On this workbook's 2-core machine, `workers: 1` leaves one core to training, which keeps up with
/// the small CNN (decoding 128 images takes about 30 ms on one core); `workers: 2` gives decoding both
/// cores and leaves matrix products one thread.
///
/// `begin`/`end` are called from the thread that iterates (the one running the model), never from a
/// worker, because OpenBLAS must not be reconfigured while another thread is inside it.
enum DecodingThreadBudget {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var active = 0
    nonisolated(unsafe) private static var saved: (blas: Int, compute: Int) = (1, 1)

    /// `workers` more decoding threads are about to run.
    static func begin(_ workers: Int) {
        guard workers > 0 else { return }
        lock.lock(); defer { lock.unlock() }
        if active == 0 { saved = (CPUThreads.blasThreads, CPUThreads.computeThreads) }
        active += workers
        apply()
    }

    /// `workers` decoding threads have stopped.
    static func end(_ workers: Int) {
        guard workers > 0 else { return }
        lock.lock(); defer { lock.unlock() }
        active -= workers
        if active <= 0 {
            active = 0
            CPUThreads.setBLASThreads(saved.blas)
            CPUThreads.computeThreads = saved.compute
        } else {
            apply()
        }
    }

    private static func apply() {
        let left = Swift.max(1, ProcessInfoCores.count - active)
        CPUThreads.setBLASThreads(Swift.min(left, saved.blas))
        CPUThreads.computeThreads = Swift.min(left, saved.compute)
    }
}
