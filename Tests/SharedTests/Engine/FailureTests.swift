import Testing

@testable import Shared

/// Misuse stops the program with `error: op: message` on standard error and exit status 1, naming the
/// op and the shapes involved. Each case runs in a child process (Swift Testing exit tests).
@Suite struct FailureTests {
    /// The child's standard error as text.
    static func stderrText(_ result: ExitTest.Result?) -> String {
        String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    }

    @Test func broadcastMismatchNamesOpAndShapes() async {
        let result = await #expect(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, 3]) + Tensor.zeros([4])
        }
        #expect(Self.stderrText(result).contains("error: add: shapes [2, 3] and [4] do not broadcast"))
    }

    @Test func matmulMismatch() async {
        let result = await #expect(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, 3]).matmul(Tensor.zeros([2, 3]))
        }
        #expect(Self.stderrText(result).contains("error: matmul: shapes [2, 3] and [2, 3] do not chain"))
    }

    @Test func conv2dChannelMismatch() async {
        let result = await #expect(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
            _ = Shared.conv2d(Tensor.zeros([1, 3, 8, 8]), Tensor.zeros([4, 2, 3, 3]))
        }
        let text = Self.stderrText(result)
        #expect(text.contains("error: conv2d:") && text.contains("[1, 3, 8, 8]") && text.contains("[4, 2, 3, 3]"))
    }

    @Test func reshapeMismatch() async {
        let result = await #expect(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, 3]).reshape([4, 2])
        }
        #expect(Self.stderrText(result).contains("error: reshape: cannot reshape [2, 3] (6 elements) into [4, 2]"))
    }

    @Test func expandMismatch() async {
        let result = await #expect(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, 3]).expand([3])
        }
        let text = Self.stderrText(result)
        #expect(text.contains("error: expand:") && text.contains("[2, 3]") && text.contains("[3]"))
    }

    @Test func indexOutOfRange() async {
        let result = await #expect(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, 3])[[0, 1], [1, 3]]
        }
        #expect(Self.stderrText(result).contains("error: x[rows, cols]: index (1, 3) is out of range for shape [2, 3]"))
    }

    @Test func backwardFromAVector() async {
        let result = await #expect(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
            (Tensor.zeros([3]).requiringGrad() * 2).backward()
        }
        #expect(
            Self.stderrText(result).contains(
                "error: backward(): can only start from a one-element tensor, got shape [3]"))
    }

    @Test func stackMismatch() async {
        let result = await #expect(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
            _ = Tensor.stack([Tensor.zeros([2]), Tensor.zeros([3])])
        }
        #expect(Self.stderrText(result).contains("error: stack: shapes differ: [2] and [3]"))
    }

    @Test func valuesDoNotFillShape() async {
        let result = await #expect(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
            _ = Tensor([1, 2, 3], shape: [2, 2])
        }
        #expect(Self.stderrText(result).contains("error: Tensor(_:shape:): 3 values cannot fill shape [2, 2]"))
    }
}
