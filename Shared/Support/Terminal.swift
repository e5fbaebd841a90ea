import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Facts about the process's terminal.
public enum Terminal {
    /// Whether standard output is a terminal (not a pipe or a file).
    public static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
    /// Whether standard input is a terminal (so someone can press Enter).
    public static var stdinIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }
    /// `false` when the `NO_COLOR` environment variable is set (https://no-color.org).
    public static var colorsAllowed: Bool { ProcessInfo.processInfo.environment["NO_COLOR"] == nil }

    /// Width of the terminal in columns: asked of the terminal, else `$COLUMNS`, else 80.
    public static var columns: Int {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let text = ProcessInfo.processInfo.environment["COLUMNS"], let n = Int(text), n > 0 { return n }
        return 80
    }
}
