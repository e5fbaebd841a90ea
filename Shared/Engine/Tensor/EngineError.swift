#if canImport(Glibc)
    import Glibc
#endif

/// Stops the program with a message naming the op and what was wrong with its inputs.
///
/// Tensor ops are not `throws` (the chapter's expressions would drown in `try`), so a misuse such as
/// adding shapes that do not broadcast ends the program the way a Python exception ends a script:
/// with one clear line on standard error (`error: add: shapes [2, 3] and [4] do not broadcast`)
/// and exit status 1, never a bare index-out-of-range crash.
public func engineFailure(_ op: String, _ message: String) -> Never {
    let line = "error: \(op): \(message)\n"
    _ = line.withCString { fputs($0, stderr) }
    fflush(stdout)
    exit(1)
}

/// Checks a condition on an op's inputs; on failure stops with `engineFailure(op, message)`.
@inline(__always)
package func check(_ condition: Bool, _ op: @autoclosure () -> String, _ message: @autoclosure () -> String) {
    if !condition { engineFailure(op(), message()) }
}
