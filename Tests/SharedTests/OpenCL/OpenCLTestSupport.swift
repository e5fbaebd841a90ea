import Testing

@testable import Engine
@testable import Shared

/// Shared helpers of the OpenCL parity tests: each primitive runs on `CPUBackend` (the reference) and
/// on the OpenCL backend with the same inputs, and the results must agree.
///
/// Every suite is enabled only when an OpenCL device exists, so on a machine without one the tests
/// are reported as skipped, not failed. Kernels are built once per test process (the backend is
/// shared), and sizes stay small because PoCL runs kernels on the CPU.
enum GPUTest {
    /// Whether the OpenCL tests can run here; installs the backend as `.gpu` once, so that tensor ops
    /// and reads of GPU storages work in every test.
    static let available = enableGPU()
    /// The backend under test.
    static var gpu: OpenCLBackend { OpenCLBackend.shared! }
    static var cpu: CPUBackend { CPUBackend.shared }

    /// `count` numbers from a seeded normal distribution.
    static func randomValues(_ count: Int, seed: UInt64, scale: Float = 1) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        var values = [Float](repeating: 0, count: count)
        values.withUnsafeMutableBufferPointer { generator.fillNormal($0, std: scale) }
        return values
    }

    /// The same values uploaded to both backends.
    static func pair(_ values: [Float]) -> (cpu: Storage, gpu: Storage) {
        values.withUnsafeBufferPointer { (cpu.upload($0), gpu.upload($0)) }
    }

    /// Storage of `count` elements on both backends, filled with `value` (so unwritten places show).
    static func pair(count: Int, value: Float = .nan) -> (cpu: Storage, gpu: Storage) {
        pair([Float](repeating: value, count: count))
    }

    /// The first `count` numbers of a storage on either device.
    static func read(_ storage: Storage, count: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            if count > 0 {
                backend(for: storage.device).download(storage, offset: 0, count: count, into: buffer.baseAddress!)
            }
            initialized = count
        }
    }

    /// The largest difference between the two storages' first `count` numbers, relative to the
    /// largest magnitude (at least 1); NaN in the same places counts as equal, elsewhere as infinite.
    static func difference(_ pair: (cpu: Storage, gpu: Storage), count: Int) -> Float {
        difference(read(pair.cpu, count: count), read(pair.gpu, count: count))
    }

    static func difference(_ a: [Float], _ b: [Float]) -> Float {
        guard a.count == b.count else { return .infinity }
        var scale: Float = 1, worst: Float = 0
        for x in a where x.isFinite { scale = max(scale, abs(x)) }
        for (x, y) in zip(a, b) {
            if x.isNaN || y.isNaN {
                if x.isNaN != y.isNaN { return .infinity }
                continue
            }
            if x.isInfinite || y.isInfinite {
                if x != y { return .infinity }
                continue
            }
            worst = max(worst, abs(x - y))
        }
        return worst / scale
    }
}
