import Foundation

/// Keeps decoding threads and compute threads from asking for more cores than the machine has.
///
/// A convolution split over every core while DataLoader workers decode on the same cores makes both
/// crawl. The policy: while DataLoader iterations with `w` workers in all are running, the engine's
/// parallel loops and matrix products get `max(1, cores - w)` threads; when the last iteration ends,
/// the setting from before comes back. On this workbook's 2-core machine, `workers: 1` leaves one
/// core to training, which keeps up with the small CNN (decoding 128 images takes about 30 ms on one
/// core); `workers: 2` gives decoding both cores and leaves the model one thread.
///
/// `begin`/`end` are called from the thread that iterates (the one running the model), never from a
/// worker, so the setting never changes in the middle of an op.
enum DecodingThreadBudget {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var active = 0
    nonisolated(unsafe) private static var saved = 1

    /// `workers` more decoding threads are about to run.
    static func begin(_ workers: Int) {
        guard workers > 0 else { return }
        lock.lock(); defer { lock.unlock() }
        if active == 0 { saved = CPUThreads.computeThreads }
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
            CPUThreads.computeThreads = saved
        } else {
            apply()
        }
    }

    private static func apply() {
        let left = Swift.max(1, ProcessInfoCores.count - active)
        CPUThreads.computeThreads = Swift.min(left, saved)
    }
}
