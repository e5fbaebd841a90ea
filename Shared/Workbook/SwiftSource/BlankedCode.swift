extension SwiftSource {
    /// The source with every comment and string literal replaced by spaces, except the code inside
    /// interpolations `\( … )`. Line breaks stay, and each character becomes one space, so lines and
    /// columns are those of the source: text searches over it find only code, at its place.
    public func blankingCommentsAndStrings() -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var copied = 0
        for token in tokens where !token.isCode {
            out += bytes[copied..<token.range.lowerBound]
            for byte in bytes[token.range] where byte & 0xC0 != 0x80 {
                out.append(byte == UInt8(ascii: "\n") ? byte : UInt8(ascii: " "))
            }
            copied = token.range.upperBound
        }
        out += bytes[copied...]
        return String(decoding: out, as: UTF8.self)
    }
}
