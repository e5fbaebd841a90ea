import Foundation

/// The built-in set's ten classes: shapes in random colours, so a picture's class is in its shape
/// alone and a model must learn shapes, not colours.
enum ProceduralPattern: Int, CaseIterable {
    case stripes, checks, rings, dots, triangle, disk, rectangle, cross, blobs, grain

    /// A short description, used in the generated folder's README.
    var summary: String {
        switch self {
        case .stripes: return "parallel stripes at any angle"
        case .checks: return "a rotated checkerboard"
        case .rings: return "concentric rings"
        case .dots: return "a grid of dots"
        case .triangle: return "one large triangle"
        case .disk: return "one large ellipse"
        case .rectangle: return "one large rectangle"
        case .cross: return "a plus-shaped cross"
        case .blobs: return "smooth organic blobs"
        case .grain: return "coarse random grain"
        }
    }
}

/// Draws one picture of `pattern`, `width × height`, with every random choice taken from `rng`.
func drawProceduralImage(
    _ pattern: ProceduralPattern, width: Int, height: Int,
    rng: inout SeededGenerator
) -> RGBImage {
    func uniform(_ lo: Float, _ hi: Float) -> Float { lo + (hi - lo) * rng.nextUniform() }
    func colour() -> SIMD3<Float> { SIMD3(rng.nextUniform(), rng.nextUniform(), rng.nextUniform()) }
    func luma(_ c: SIMD3<Float>) -> Float { 0.299 * c.x + 0.587 * c.y + 0.114 * c.z }

    // Colours: background gradient between two colours, foreground far enough in brightness from the
    // background's middle that the pattern shows.
    let bg0 = colour(), bg1 = colour()
    var fg = colour()
    if abs(luma(fg) - luma((bg0 + bg1) / 2)) < 0.25 { fg = SIMD3(repeating: 1) - fg }
    if abs(luma(fg) - luma((bg0 + bg1) / 2)) < 0.15 {
        fg = luma((bg0 + bg1) / 2) > 0.5 ? fg * 0.3 : fg * 0.3 + SIMD3(repeating: 0.7)
    }
    let gradientAngle = uniform(0, 2 * .pi)
    let gradientDirection = SIMD2<Float>(cos(gradientAngle), sin(gradientAngle))
    let grainAmount = uniform(0.01, 0.05)

    // Geometry, in pixels of the shorter side.
    let side = Float(min(width, height))
    let centre = SIMD2<Float>(Float(width) * uniform(0.35, 0.65), Float(height) * uniform(0.35, 0.65))
    let angle = uniform(0, .pi)
    let (ca, sa) = (cos(angle), sin(angle))
    let size = side * uniform(0.25, 0.4)  // half-size of single shapes
    let aspect = uniform(0.65, 1.5)
    let period = side * uniform(0.06, 0.16)  // stripes, checks, rings, dots
    let dotRadius = period * uniform(0.2, 0.35)
    let barWidth = size * uniform(0.25, 0.4)

    // A small lattice of random values, smoothly interpolated, for blobs; and a coarse one for grain.
    let blobCell = side * uniform(0.12, 0.22)
    let grainCell = Float(Int(uniform(3, 6)))
    let latticeW = Int(Float(width) / min(blobCell, grainCell)) + 3
    let latticeH = Int(Float(height) / min(blobCell, grainCell)) + 3
    var lattice = [Float](repeating: 0, count: latticeW * latticeH)
    for i in lattice.indices { lattice[i] = rng.nextUniform() }
    let grainDensity = uniform(0.35, 0.6)

    /// Soft edge: 1 inside (d < 0), 0 outside, over about one pixel.
    @inline(__always) func edge(_ d: Float) -> Float { min(max(0.5 - d, 0), 1) }
    @inline(__always) func smooth(_ t: Float) -> Float { t * t * (3 - 2 * t) }

    var image = RGBImage(width: width, height: height)
    var noise = SeededGenerator(seed: rng.next())
    image.pixels.withUnsafeMutableBufferPointer { out in
        for y in 0..<height {
            for x in 0..<width {
                let p = SIMD2<Float>(Float(x) + 0.5, Float(y) + 0.5) - centre
                // Pattern coordinates: rotated about the centre.
                let u = ca * p.x + sa * p.y, v = -sa * p.x + ca * p.y
                var m: Float
                switch pattern {
                case .stripes:
                    m = edge(-sin(2 * .pi * u / period) * period / (2 * .pi))
                case .checks:
                    m = edge(-sin(.pi * u / period) * sin(.pi * v / period) * period / .pi)
                case .rings:
                    let r = (p * p).sum().squareRoot()
                    m = edge(-sin(2 * .pi * r / period) * period / (2 * .pi))
                case .dots:
                    let fu = u / period - (u / period).rounded(), fv = v / period - (v / period).rounded()
                    m = edge((fu * fu + fv * fv).squareRoot() * period - dotRadius)
                case .triangle:
                    // Equilateral triangle of circumradius `size`: three half-planes.
                    let n1 = v + size * 0.5
                    let n2 = -(0.866 * u + 0.5 * v) + size * 0.5
                    let n3 = (0.866 * u - 0.5 * v) + size * 0.5
                    m = edge(-min(n1, n2, n3))
                case .disk:
                    let e = ((u / (size * aspect)) * (u / (size * aspect)) + (v / size) * (v / size)).squareRoot()
                    m = edge((e - 1) * size)
                case .rectangle:
                    m = edge(max(abs(u) - size * aspect, abs(v) - size / aspect * 0.8))
                case .cross:
                    let horizontal = max(abs(u) - size, abs(v) - barWidth / 2)
                    let vertical = max(abs(v) - size, abs(u) - barWidth / 2)
                    m = edge(min(horizontal, vertical))
                case .blobs, .grain:
                    let cell = pattern == .blobs ? blobCell : grainCell
                    let gx = Float(x) / cell, gy = Float(y) / cell
                    let ix = Int(gx), iy = Int(gy)
                    if pattern == .grain {
                        m = lattice[iy * latticeW + ix] < grainDensity ? 1 : 0
                    } else {
                        let tx = smooth(gx - Float(ix)), ty = smooth(gy - Float(iy))
                        let a = lattice[iy * latticeW + ix], b = lattice[iy * latticeW + ix + 1]
                        let c = lattice[(iy + 1) * latticeW + ix], d = lattice[(iy + 1) * latticeW + ix + 1]
                        let value = (a + (b - a) * tx) * (1 - ty) + (c + (d - c) * tx) * ty
                        m = min(max((value - 0.5) * 8 + 0.5, 0), 1)
                    }
                }
                let t = min(max(0.5 + 0.5 * ((p * gradientDirection).sum() / side), 0), 1)
                let background = bg0 + (bg1 - bg0) * t
                var c = background + (fg - background) * m
                c += SIMD3(repeating: (noise.nextUniform() - 0.5) * 2 * grainAmount)
                c = c.clamped(lowerBound: .zero, upperBound: .one) * 255
                let i = (y * width + x) * 3
                out[i] = UInt8(c.x.rounded())
                out[i + 1] = UInt8(c.y.rounded())
                out[i + 2] = UInt8(c.z.rounded())
            }
        }
    }
    return image
}
