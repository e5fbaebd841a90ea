import Testing

@testable import Engine
@testable import Shared

#if canImport(Glibc)
    import Glibc
#endif

/// Views share storage with their base; broadcasting follows NumPy's rule.
@Suite struct ViewAndBroadcastTests {
    @Test func viewsShareStorage() {
        let x = Tensor.arange(24).reshape([2, 3, 4])
        let views = [
            x.reshape([6, 4]), x.view(4, 6), x.permute(2, 0, 1), x.transpose(0, 1), x[1], x[1][2],
            x.unsqueeze(0), x.unsqueeze(0).squeeze(), x.reshape([6, 4]).t(), x.detach(),
            x[0][0].unsqueeze(0).expand([3, 4]), x.flatten(), x.contiguous()
        ]
        for v in views { #expect(v.storage === x.storage, "a view of shape \(v.shape) copied") }
        // Writing through the base is seen through every view.
        x.assign(Tensor.full([2, 3, 4], 7))
        for v in views { #expect(v.toArray().allSatisfy { $0 == 7 }) }
        // Copies do not share.
        #expect(x.copy().storage !== x.storage)
        #expect(x.permute(1, 0, 2).contiguous().storage !== x.storage)
    }

    @Test func viewsReadTheRightElements() {
        let x = Tensor.arange(24).reshape([2, 3, 4])
        #expect(x.permute(2, 0, 1).toArray()[0..<7] == [0, 4, 8, 12, 16, 20, 1])
        #expect(x.transpose(0, 2).shape == [4, 3, 2])
        #expect(x[1][2].toArray() == [20, 21, 22, 23])
        #expect(x[-1][0].toArray() == [12, 13, 14, 15])
        #expect(x.permute(1, 0, 2)[2].toArray() == [8, 9, 10, 11, 20, 21, 22, 23])
        #expect(x.permute(1, 0, 2).reshape([3, 8]).toArray()[8..<16] == [4, 5, 6, 7, 16, 17, 18, 19])
        #expect(Tensor([1, 2], shape: [2, 1]).expand([2, 3]).toArray() == [1, 1, 1, 2, 2, 2])
        #expect(x.reshape([4, -1]).shape == [4, 6])
        // A row is a contiguous block at an offset: reshaping it is a view of the same numbers.
        let row = x[1].reshape([4, 3])
        #expect(row.storage === x.storage && row.toArray() == (12..<24).map(Float.init))
        #expect(row[3].toArray() == [21, 22, 23] && row.t()[0].toArray() == [12, 15, 18, 21])
        #expect(x.unsqueeze(-1).shape == [2, 3, 4, 1] && x.unsqueeze(1).shape == [2, 1, 3, 4])
        #expect(Tensor.zeros([1, 3, 1]).squeeze().shape == [3] && Tensor.zeros([1, 3, 1]).squeeze(2).shape == [1, 3])
        #expect(Tensor.zeros([2, 3]).squeeze(0).shape == [2, 3])
        #expect(Tensor.stack([x[0], x[1]], axis: 2).shape == [3, 4, 2])
        #expect(Tensor.stack([x[0], x[1]], axis: 2).toArray()[0..<4] == [0, 12, 1, 13])
    }

    @Test func broadcastShapes() {
        let cases: [([Int], [Int], [Int])] = [
            ([3, 1, 5], [4, 1], [3, 4, 5]), ([], [2, 3], [2, 3]), ([2, 3], [3], [2, 3]),
            ([2, 1], [1, 3], [2, 3]), ([1], [5, 1, 1], [5, 1, 1]), ([4, 2, 3], [4, 2, 3], [4, 2, 3]),
            ([0, 3], [1, 3], [0, 3])
        ]
        for (a, b, expected) in cases {
            #expect(Tensor.broadcastShape(a, b, op: "test") == expected)
            #expect(Tensor.broadcastShape(b, a, op: "test") == expected)
            #expect((Tensor.zeros(a) + Tensor.zeros(b)).shape == expected)
        }
    }

    @Test func broadcastValues() {
        let a = Tensor([1, 2, 3], shape: [3, 1]), b = Tensor([10, 20], shape: [2])
        #expect((a + b).toArray() == [11, 21, 12, 22, 13, 23])
        #expect((b - a).toArray() == [9, 19, 8, 18, 7, 17])
        #expect((a * b).toArray() == [10, 20, 20, 40, 30, 60])
        let quotients: [Float] = [10, 20, 5, 10, 10 / 3, 20 / 3]
        #expect((b / a).toArray() == quotients)
        // Views with offsets and strides as operands.
        let m = Tensor.arange(6).reshape([2, 3])
        #expect((m.t() + m[1].unsqueeze(1)).toArray() == [3, 6, 5, 8, 7, 10])
        #expect((m.t()[1] * Tensor([1, 4])).toArray() == [1, 16])
        #expect((m[1] + m[0]).toArray() == [3, 5, 7])
        #expect((m.t() + Tensor([100, 200], shape: [2])).toArray() == [100, 203, 101, 204, 102, 205])
        #expect((m == Tensor(2)).toArray() == [0, 0, 1, 0, 0, 0])
        #expect((m > 2).toArray() == [0, 0, 0, 1, 1, 1] && (m < 1).toArray() == [1, 0, 0, 0, 0, 0])
        #expect((m >= Tensor([1, 1, 5])).toArray() == [0, 1, 0, 1, 1, 1])
        #expect((m <= Tensor([1, 1, 5])).toArray() == [1, 1, 1, 0, 0, 1])
        #expect((m != Tensor([0, 9, 2])).toArray() == [0, 1, 0, 1, 1, 1])
        #expect((2 / Tensor([4, 8])).toArray() == [0.5, 0.25])
        #expect((2 - Tensor([4, 8])).toArray() == [-2, -6])
    }

    @Test func reductionsAndIndexing() {
        let x = Tensor([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8], shape: [2, 2, 3])
        #expect(x.sum().item() == 52)
        #expect(x.sum(0, 2).toArray() == [21, 31])
        #expect(x.sum(axes: [1], keepDim: true).shape == [2, 1, 3])
        let means: [Float] = [8 / 3, 5, 13 / 3, 16 / 3]
        #expect(x.mean(axes: [2]).allClose(Tensor(means, shape: [2, 2])))
        let (values, indices) = x.max(axis: 2)
        #expect(values.toArray() == [4, 9, 6, 8] && indices.toArray() == [2, 2, 1, 2])
        // Ties go to the first maximum (5 against 5).
        #expect(x.max(axis: 0).indices.toArray() == [0, 1, 1, 1, 0, 0])
        #expect(x.argmax(axis: 1).toArray() == [0, 1, 1, 1, 0, 1])
        #expect(x.max().item() == 9)
        #expect(Tensor([1, 3, 3]).argmax(axis: 0).item() == 1)  // the first maximum wins, as in PyTorch
        #expect(Tensor([1, .nan, 3]).max().item().isNaN)
        #expect(Tensor([1, 2, 3, 4]).std().allClose(Tensor((5 / Float(3)).squareRoot()), rtol: 1e-6))
        #expect(
            Tensor([1, 2, 3, 4]).std(axes: [0], unbiased: false).allClose(Tensor(Float(1.25).squareRoot()), rtol: 1e-6))
        #expect(Tensor([1000, 1000]).logsumexp(axis: 0).item() == 1000 + logf(2))
        let m = Tensor.arange(12).reshape([3, 4])
        #expect(m[[0, 1, 2], [3, 0, 1]].toArray() == [3, 4, 9])
        #expect(m.t()[[3, 0], [2, 1]].toArray() == [11, 4])
        #expect(Tensor([1, 2.000001]).allClose(Tensor([1, 2])) && !Tensor([1, 2.1]).allClose(Tensor([1, 2])))
        #expect(!Tensor([1, 2]).allClose(Tensor([1, 2], shape: [2, 1])))
    }
}
