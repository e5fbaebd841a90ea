@testable import Shared

/// The first place where `actual` and `expected` differ by more than `rtol·|expected| + atol`, as a
/// readable message, or nil when they agree everywhere (and have the same shape).
func mismatch(
    _ actual: Tensor, _ expected: [Float], shape: [Int],
    rtol: Float = 1e-4, atol: Float = 1e-5
) -> String? {
    guard actual.shape == shape else { return "shape \(actual.shape), expected \(shape)" }
    let values = actual.toArray()
    for (i, (a, e)) in zip(values, expected).enumerated() {
        if !(Swift.abs(a - e) <= atol + rtol * Swift.abs(e)) {
            return "element \(i): \(a), expected \(e) (|diff| \(Swift.abs(a - e)))"
        }
    }
    return nil
}

/// `mismatch` against a stored fixture tensor.
func mismatch(
    _ actual: Tensor, _ expected: EngineFixtures.Stored,
    rtol: Float = 1e-4, atol: Float = 1e-5
) -> String? {
    mismatch(actual, expected.data, shape: expected.shape, rtol: rtol, atol: atol)
}

/// `mismatch` between two tensors.
func mismatch(_ actual: Tensor, _ expected: Tensor, rtol: Float = 1e-4, atol: Float = 1e-5) -> String? {
    mismatch(actual, expected.toArray(), shape: expected.shape, rtol: rtol, atol: atol)
}
