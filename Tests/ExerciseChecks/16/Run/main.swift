// Shows exercise 16 at work: `swift run exercise-16`.
import Exercise16
import Shared

print("The first 20 Fibonacci numbers:")
print(fibonacci(count: 20).map(String.init).joined(separator: " "))

// simpleCNN followed by a small head of its own: a tree three levels deep.
let model = Sequential(simpleCNN(), Sequential(Linear(10, 10), Linear(10, 2)))
print("\nThe modules inside Sequential(simpleCNN(), Sequential(Linear, Linear)), found recursively:")
for module in descendants(of: model) {
    print("  \(type(of: module)) with \(module.ownParameters.count) parameters of its own")
}
print("In all, model.parameters() finds \(model.parameters().count) parameter tensors the same way.")
