#if canImport(Glibc)
    import Glibc
#endif

/// A small, fast, seedable random generator (xoshiro256**), so every run of the workbook with the same
/// seed draws the same weights, shuffles and images: the analogue of `torch.manual_seed`.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var s: (UInt64, UInt64, UInt64, UInt64)

    /// A generator whose whole sequence is fixed by `seed`.
    public init(seed: UInt64) {
        // SplitMix64 spreads the seed over the four words of state, as the algorithm's authors advise.
        var z = seed
        func splitmix() -> UInt64 {
            z &+= 0x9E37_79B9_7F4A_7C15
            var r = z
            r = (r ^ (r >> 30)) &* 0xBF58_476D_1CE4_E5B9
            r = (r ^ (r >> 27)) &* 0x94D0_49BB_1331_11EB
            return r ^ (r >> 31)
        }
        s = (splitmix(), splitmix(), splitmix(), splitmix())
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = ((s.1 &* 5) << 7 | (s.1 &* 5) >> 57) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = (s.3 << 45) | (s.3 >> 19)
        return result
    }

    /// A uniform Float in [0, 1) with 24 random bits.
    public mutating func nextUniform() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// Fills `out` with standard normal numbers (Box–Muller, two at a time).
    public mutating func fillNormal(_ out: UnsafeMutableBufferPointer<Float>, mean: Float = 0, std: Float = 1) {
        var i = 0
        while i < out.count {
            // 1 - u keeps the logarithm's argument in (0, 1].
            let u1 = 1 - Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
            let u2 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
            let r = (-2 * naturalLog(u1)).squareRoot()
            out[i] = mean + std * Float(r * cos(2 * Double.pi * u2))
            if i + 1 < out.count { out[i + 1] = mean + std * Float(r * sin(2 * Double.pi * u2)) }
            i += 2
        }
    }
}

@inline(__always) private func naturalLog(_ x: Double) -> Double { log(x) }

/// The process-wide generator behind `Tensor.randn`, `rand`, weight init and shuffling when no
/// generator is passed. `manualSeed(_:)` resets it.
public enum GlobalRandom {
    nonisolated(unsafe) public static var generator = SeededGenerator(seed: 42)

    /// Restarts the global sequence from `seed` (PyTorch's `torch.manual_seed`).
    public static func manualSeed(_ seed: UInt64) { generator = SeededGenerator(seed: seed) }
}
