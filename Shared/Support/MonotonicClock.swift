#if canImport(Glibc)
    import Glibc
#endif

/// Seconds on a monotonic clock (not affected by changes to the wall clock), for timing epochs and
/// runs; only differences between two readings mean anything.
public func monotonicSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}
