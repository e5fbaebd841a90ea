import Testing

@testable import Shared

@Suite struct MD5Tests {
    @Test func knownDigests() {
        #expect(MD5.hex([UInt8]()) == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(MD5.hex(Array("abc".utf8)) == "900150983cd24fb0d6963f7d28e17f72")
        #expect(
            MD5.hex(Array("The quick brown fox jumps over the lazy dog".utf8)) == "9e107d9d372bb6826bd81d3542a419d6")
        #expect(MD5.hex([UInt8](repeating: 0x61, count: 1_000_000)) == "7707d6ae4e027c70eea2a935c2296f21")
        var pieces = MD5()
        for chunk in ["The quick ", "brown fox jumps over", " the lazy dog"] { pieces.update(Array(chunk.utf8)) }
        #expect(pieces.finalize() == "9e107d9d372bb6826bd81d3542a419d6")
    }
}
