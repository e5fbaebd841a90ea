/// The convolution by its definition, in plain loops: the reference that the faster tiers are
/// tested against (`Tests/SharedTests/Engine/KernelParityTests.swift`). Nothing else runs it: it
/// reads every input pixel once per output pixel and tap, far too slowly for training.
///
/// Sums are kept in `Double`, so that the reference's own rounding stays well below the tolerance
/// the tests allow the tiers. Inputs and outputs are contiguous NCHW host memory.
enum ReferenceConvolution {
    /// `out[n, f, oy, ox] = bias[f] + Σ over (c, ky, kx) of x[n, c, oy·s − p + ky, ox·s − p + kx] ·
    /// weight[f, c, ky, kx]`, with pixels outside the image read as zero.
    static func forward(
        _ x: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?, filters: Int,
        _ g: ConvGeometry, into out: UnsafeMutablePointer<Float>
    ) {
        for n in 0..<g.batch {
            for f in 0..<filters {
                for oy in 0..<g.outH {
                    for ox in 0..<g.outW {
                        var sum = Double(bias?[f] ?? 0)
                        for c in 0..<g.channels {
                            for ky in 0..<g.kernelH {
                                for kx in 0..<g.kernelW {
                                    guard let pixel = inputIndex(g, n, c, oy, ox, ky, kx) else { continue }
                                    let tap = ((f * g.channels + c) * g.kernelH + ky) * g.kernelW + kx
                                    sum += Double(x[pixel]) * Double(weight[tap])
                                }
                            }
                        }
                        out[((n * filters + f) * g.outH + oy) * g.outW + ox] = Float(sum)
                    }
                }
            }
        }
    }

    /// The gradients of `forward` for the output gradient `gradOut` `[N, F, OH, OW]`: every output
    /// pixel sends `gradOut · weight` back to each input pixel it read, `gradOut · x` to each weight
    /// it used and `gradOut` to its filter's bias. Each of `dx`, `dweight`, `dbias` that is given is
    /// overwritten.
    static func backward(
        _ gradOut: UnsafePointer<Float>, x: UnsafePointer<Float>, weight: UnsafePointer<Float>, filters: Int,
        _ g: ConvGeometry, dx: UnsafeMutablePointer<Float>?, dweight: UnsafeMutablePointer<Float>?,
        dbias: UnsafeMutablePointer<Float>?
    ) {
        let inputCount = g.batch * g.channels * g.height * g.width
        let weightCount = filters * g.channels * g.kernelH * g.kernelW
        var inputSums = [Double](repeating: 0, count: inputCount)
        var weightSums = [Double](repeating: 0, count: weightCount)
        var biasSums = [Double](repeating: 0, count: filters)
        for n in 0..<g.batch {
            for f in 0..<filters {
                for oy in 0..<g.outH {
                    for ox in 0..<g.outW {
                        let grad = Double(gradOut[((n * filters + f) * g.outH + oy) * g.outW + ox])
                        biasSums[f] += grad
                        for c in 0..<g.channels {
                            for ky in 0..<g.kernelH {
                                for kx in 0..<g.kernelW {
                                    guard let pixel = inputIndex(g, n, c, oy, ox, ky, kx) else { continue }
                                    let tap = ((f * g.channels + c) * g.kernelH + ky) * g.kernelW + kx
                                    inputSums[pixel] += grad * Double(weight[tap])
                                    weightSums[tap] += grad * Double(x[pixel])
                                }
                            }
                        }
                    }
                }
            }
        }
        if let dx { for i in 0..<inputCount { dx[i] = Float(inputSums[i]) } }
        if let dweight { for i in 0..<weightCount { dweight[i] = Float(weightSums[i]) } }
        if let dbias { for i in 0..<filters { dbias[i] = Float(biasSums[i]) } }
    }

    /// Where in NCHW `x` the tap `(ky, kx)` of output pixel `(oy, ox)` reads channel `c` of image
    /// `n`, or nil where it falls on the padding.
    private static func inputIndex(
        _ g: ConvGeometry, _ n: Int, _ c: Int, _ oy: Int, _ ox: Int, _ ky: Int, _ kx: Int
    ) -> Int? {
        let iy = oy * g.stride - g.padding + ky, ix = ox * g.stride - g.padding + kx
        guard iy >= 0 && iy < g.height && ix >= 0 && ix < g.width else { return nil }
        return ((n * g.channels + c) * g.height + iy) * g.width + ix
    }
}
