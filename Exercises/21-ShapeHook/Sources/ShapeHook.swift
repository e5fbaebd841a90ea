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

/// Hooks every layer of `model` so that each time the layer runs it writes its `shapeLine`. Running
/// the model then writes one line per layer, in the order the layers run.
///
/// A *layer* here is a module with no children: a container such as `Sequential` writes nothing
/// itself, the layers inside it do, however deeply nested. A model that has no children is itself
/// the only layer. The type name is `"\(type(of: module))"`.
///
/// Careful: a hook stored in a module that captures that same module is a reference cycle; capture
/// the name instead.
public func addShapeHooks(to model: Module, write: @escaping (String) -> Void = { print($0) }) {
    // MARK: - Answer
    todo(
        "if model has no children, set model.hook to a closure that calls write(shapeLine(layer:shape:)) with the output's shape; otherwise call addShapeHooks on each child."
    )
    // MARK: - End of answer
}
