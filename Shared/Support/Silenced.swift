import Foundation

/// Discards file descriptor 1 during a closure, so a quiet step's `print`s and progress bars vanish.
public enum Silenced {
    /// Runs `body` with standard output discarded, then restores it.
    public static func standardOutput<T>(_ body: () throws -> T) rethrows -> T {
        fflush(stdout)
        let saved = dup(STDOUT_FILENO)
        let null = open("/dev/null", O_WRONLY)
        guard saved >= 0, null >= 0 else { return try body() }
        dup2(null, STDOUT_FILENO)
        close(null)
        defer {
            fflush(stdout)
            dup2(saved, STDOUT_FILENO)
            close(saved)
        }
        return try body()
    }
}
