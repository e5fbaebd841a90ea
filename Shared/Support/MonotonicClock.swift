#if canImport(Glibc)
    import Glibc
#endif

/// Seconds on a clock the wall clock's changes do not move, for timing: only differences mean anything.
public func monotonicSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}
