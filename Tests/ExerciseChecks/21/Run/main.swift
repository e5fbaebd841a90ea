// Shows exercise 21 at work: `swift run exercise-21`.
import Exercise21
import Shared

GlobalRandom.manualSeed(0)
let model = simpleCNN()
addShapeHooks(to: model)
print("simpleCNN on a batch of 8 images of 3×64×64, layer by layer:")
let output = model(Tensor.randn([8, 3, 64, 64]))
print("output: \(output.shape)")
