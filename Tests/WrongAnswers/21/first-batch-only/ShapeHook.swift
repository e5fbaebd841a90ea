// Known-wrong answer to exercise 21: each hook writes its line only the first time its layer runs.
import ExerciseSupport
import Shared

// Question 21. Write a hook that prints the shape of the activations of every layer.
//
// In the workbook a hook is the closure `Module.hook`: `callAsFunction` runs `forward`, then hands
// the hook the output and the inputs. The chapter's `printStats` is one.

/// The line written for one layer's activations: the layer's type name, a space, and the output's
/// shape, e.g. `ConvLayer [64, 16, 32, 32]`.
public func shapeLine(layer: String, shape: [Int]) -> String {
    "\(layer) \(shape)"
}

/// Hooks every layer of `model` so that each time a layer runs, its `shapeLine` (its type name and
/// the shape of its *output*) is passed to `write`. Running the model then writes one line per
/// layer, in the order the layers run, and again on every later run.
///
/// A *layer* is a module with no children: a container such as `Sequential` writes nothing itself,
/// the layers inside it do, however deeply nested. A model that has no children is itself the only
/// layer. The type name is `"\(type(of: module))"`. The hooks must not keep any module alive once
/// nothing else holds it.
///
/// For `simpleCNN()` run on a batch of 2 images of 3×64×64 it writes six lines, from
/// `ConvLayer [2, 16, 32, 32]` to `Linear [2, 10]`.
public func addShapeHooks(to model: Module, write: @escaping (String) -> Void = { print($0) }) {
    // MARK: - Answer
    guard !model.children.isEmpty else {
        let name = "\(type(of: model))"
        var done = false
        model.hook = { output, _ in
            if done { return }
            done = true
            write(shapeLine(layer: name, shape: output.shape))
        }
        return
    }
    for child in model.children { addShapeHooks(to: child, write: write) }
    // MARK: - End of answer
}
