import ExerciseSupport
import Shared
import Testing

@testable import Exercise21

@Suite("Exercise 21: a hook printing every layer's shape", .exercise("21"))
struct Exercise21Tests {
    /// Runs `model` on `input` with shape hooks and returns the lines written.
    func lines(_ model: Module, _ input: Tensor) throws -> [String] {
        try answer {
            var written: [String] = []
            addShapeHooks(to: model) { written.append($0) }
            _ = model(input)
            return written
        }
    }

    @Test func simpleCNNWritesOneLinePerLayer() throws {
        let written = try lines(simpleCNN(), Tensor.randn([2, 3, 64, 64]))
        #expect(
            written == [
                "ConvLayer [2, 16, 32, 32]",
                "ConvLayer [2, 32, 16, 16]",
                "ConvLayer [2, 64, 8, 8]",
                "ConvLayer [2, 128, 4, 4]",
                "AdaptivePool [2, 128]",
                "Linear [2, 10]"
            ])
    }

    @Test func nestedLayersAreFoundAndContainersAreSilent() throws {
        let model = Sequential(Sequential(ConvLayer(3, 4, stride: 2), AdaptivePool()), Linear(4, 2))
        let written = try lines(model, Tensor.randn([1, 3, 8, 8]))
        #expect(written == ["ConvLayer [1, 4, 4, 4]", "AdaptivePool [1, 4]", "Linear [1, 2]"])
    }

    @Test func aSingleLayerIsItsOwnLayer() throws {
        let written = try lines(Linear(4, 3), Tensor.ones([5, 4]))
        #expect(written == ["Linear [5, 3]"])
    }

    @Test func hooksFireEveryTimeTheModelRuns() throws {
        let written = try answer {
            var written: [String] = []
            let model = Sequential(Linear(4, 3), Linear(3, 2))
            addShapeHooks(to: model) { written.append($0) }
            _ = model(Tensor.ones([1, 4]))
            _ = model(Tensor.ones([7, 4]))
            return written
        }
        #expect(written == ["Linear [1, 3]", "Linear [1, 2]", "Linear [7, 3]", "Linear [7, 2]"])
    }
}
