import Testing

@testable import Shared

@Suite("Module and Parameter")
struct ModuleTests {
    @Test func parameterIsATensorThatRequiresGrad() {
        let p = Parameter(Tensor(3))
        #expect(p.requiresGrad)
        #expect(p.item() == 3)
        let t: Tensor = p
        #expect(t is Parameter)
    }

    @Test func convLayerRegistersWeightAndBias() {
        #expect(ConvLayer(3, 4).parameters().count == 2)
        #expect(ConvLayer(3, 4, bias: false).parameters().count == 1)
        #expect(Linear(4, 2).parameters().count == 2)
    }

    @Test func nestedModulesRegisterAutomatically() {
        final class T: Module {
            let c = ConvLayer(3, 4)
            let l = Linear(4, 2)
        }
        let t = T()
        #expect(t.parameters().count == 4)
        #expect(t.children.count == 2)
    }

    @Test func sharedParametersAppearOnce() {
        final class Twice: Module {
            let a: Linear
            let b: Linear
            init(_ l: Linear) {
                a = l
                b = l
            }
        }
        #expect(Twice(Linear(2, 2)).parameters().count == 2)
    }

    @Test func simpleCNNHasTenParametersAndRightShapes() {
        let m = simpleCNN()
        #expect(m.parameters().count == 10)
        let shapes = m.parameters().map(\.shape)
        #expect(shapes[0] == [16, 3, 3, 3])
        #expect(shapes[8] == [10, 128])
        let out = m(Tensor.randn([2, 3, 64, 64]))
        #expect(out.shape == [2, 10])
    }

    @Test func trainingFlagPropagatesToDescendants() {
        let m = simpleCNN()
        m.training = true
        #expect(m.layers.allSatisfy { $0.training })
        m.training = false
        #expect(m.layers.allSatisfy { !$0.training })
    }

    @Test func hookSeesOutputAndInputs() {
        let l = Linear(4, 2)
        let x = Tensor.ones([3, 4])
        var seen: (Tensor, [Tensor])?
        l.hook = { out, inputs in seen = (out, inputs) }
        let r = l(x)
        #expect(seen?.0 === r)
        #expect(seen?.1.first === x)
        #expect(r.shape == [3, 2])
    }

    @Test func initDependsOnActivation() {
        GlobalRandom.manualSeed(0)
        let relu = ConvLayer(64, 64, act: true).w.std().item()
        let linear = ConvLayer(64, 64, act: false).w.std().item()
        // Kaiming: √(2/576) ≈ 0.0589; Xavier: √(2/1152) ≈ 0.0417.
        #expect(Swift.abs(relu - 0.0589) < 0.002)
        #expect(Swift.abs(linear - 0.0417) < 0.002)
    }
}

@Suite("Loss")
struct LossTests {
    @Test func naiveLogSoftmaxOverflowsStableOneDoesNot() {
        let x = Tensor([100, 200, 300, 1, 2, 3], shape: [2, 3])
        #expect(logSoftmaxNaive(x).toArray().prefix(3).contains { $0.isNaN || $0.isInfinite })
        let stable = logSoftmax(x).toArray()
        #expect(Swift.abs(stable[2]) < 1e-4)
        #expect(Swift.abs(stable[0] + 200) < 1e-3)
    }

    @Test func logSumExpMatchesDefinition() {
        let x = Tensor([0.1, 0.5, 2, -1, 0, 1], shape: [2, 3])
        let expected = x.exp().sum(axes: [1]).log().toArray()
        let ours = logSumExp(x).toArray()
        for (a, b) in zip(ours, expected) { #expect(Swift.abs(a - b) < 1e-5) }
    }

    @Test func crossEntropyOfUniformScoresIsLogClasses() {
        let preds = Tensor.zeros([4, 10])
        let loss = crossEntropy(preds, Tensor([0, 3, 9, 1]))
        #expect(Swift.abs(loss.item() - 2.302585) < 1e-5)
    }
}
