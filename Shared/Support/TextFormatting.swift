#if canImport(Glibc)
    import Glibc
#endif

/// One number through C's `printf` formats (`"%.4f"`), so the engine needs no Foundation.
public func cFormat(_ format: String, _ value: Double) -> String {
    var buffer = [CChar](repeating: 0, count: 64)
    _ = format.withCString { f in withVaList([value]) { vsnprintf(&buffer, 64, f, $0) } }
    return String(cString: buffer)
}

extension String {
    /// Left-aligned in a column of `width` characters, for tables printed as text. A cell that is
    /// already as wide gets one trailing space, so neighbouring columns never run together.
    public func padded(to width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }

    /// Right-aligned in `width` characters, filled on the left with `pad` (`"7"` → `"007"`): file
    /// numbers and hex bytes.
    package func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
