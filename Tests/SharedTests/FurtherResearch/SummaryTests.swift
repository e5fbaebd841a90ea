import Testing

@testable import Shared

@Suite("summary()")
struct SummaryTests {
    @Test("the simple CNN's shapes, parameters and multiply-adds, worked out by hand")
    func simpleCNNFigures() {
        let batch = 2
        let s = summary(simpleCNN(), input: Tensor.zeros([batch, 3, 64, 64]))
        // Each 3×3 stride-2 conv: nf·ni·9 weights + nf biases; every output element costs ni·9
        // multiply-adds; the side halves each time.
        var expected: [ModelSummary.Row] = []
        var side = 64
        for (ni, nf) in [(3, 16), (16, 32), (32, 64), (64, 128)] {
            side /= 2
            expected.append(
                .init(
                    layer: "ConvLayer", outputShape: [batch, nf, side, side], parameters: nf * ni * 9 + nf,
                    trainable: true, multiplyAdds: batch * nf * side * side * ni * 9))
        }
        expected.append(
            .init(layer: "AdaptivePool", outputShape: [batch, 128], parameters: 0, trainable: nil, multiplyAdds: 0))
        expected.append(
            .init(
                layer: "Linear", outputShape: [batch, 10], parameters: 128 * 10 + 10, trainable: true,
                multiplyAdds: batch * 10 * 128))
        #expect(s.rows == expected)
        #expect(s.totalParameters == 98_730)
        #expect(s.trainableParameters == 98_730)
        #expect(s.totalMultiplyAdds == expected.compactMap(\.multiplyAdds).reduce(0, +))
        #expect(s.totalMultiplyAdds / batch == 3_982_592)

        let text = s.description
        #expect(text.hasPrefix("Sequential (Input shape: 2 x 3 x 64 x 64)"))
        #expect(text.contains("Layer (type)") && text.contains("Output Shape") && text.contains("Mult-Adds"))
        #expect(text.contains("ConvLayer      2 x 128 x 4 x 4    73,856    True        2,359,296"))
        #expect(text.contains("Total params: 98,730"))
        #expect(text.contains("Total non-trainable params: 0"))
        #expect(text.contains("Total mult-adds: 7,965,184 (3,982,592 per image)"))
    }

    @Test("frozen parameters count as non-trainable; a layer that cannot count its work shows ?")
    func frozenAndUnknown() {
        final class Scale: Module {
            let w = Parameter(Tensor.ones([1]))
            override func forward(_ x: Tensor) -> Tensor { x * w }
        }
        let model = Sequential(Linear(4, 3), Scale())
        for p in model.layers[0].parameters() { p.requiresGrad = false }
        let s = summary(model, input: Tensor.zeros([5, 4]))
        #expect(s.rows.map(\.trainable) == [false, true])
        #expect(s.rows.map(\.multiplyAdds) == [5 * 3 * 4, nil])
        #expect(s.totalParameters == 16 && s.trainableParameters == 1)
        #expect(s.description.contains("Total non-trainable params: 15"))
        #expect(s.description.contains("not counting the layers marked ?"))
    }

    @Test("the model's training flag is left as it was")
    func keepsTrainingFlag() {
        let model = simpleCNN()
        model.training = true
        _ = summary(model, input: Tensor.zeros([1, 3, 64, 64]))
        #expect(model.training)
    }

    @Test("thousands separators")
    func grouping() {
        #expect(grouped(0) == "0")
        #expect(grouped(999) == "999")
        #expect(grouped(1000) == "1,000")
        #expect(grouped(509_771_776) == "509,771,776")
    }
}
