// Known-wrong answer to exercise 16: descendants lists the children and their children but stops there instead of recursing.
import ExerciseSupport
import Shared

// Question 16. Write a recursive function that gives the first 20 numbers of the Fibonacci sequence.
//
// Question 15 goes with it: what is a recursive function, and how does recursion help
// `Module.parameters()`? The second function below is the same kind of walk over a model.

/// The first `count` Fibonacci numbers (`count` ≥ 0). The sequence starts 0, 1, and after those
/// each number is the sum of the two before it.
///
/// The function must be recursive: the question asks for one (the checks read your source).
///
/// `fibonacci(count: 5)` is `[0, 1, 1, 2, 3]`; `fibonacci(count: 20)` ends with 4181;
/// `fibonacci(count: 0)` is `[]`.
public func fibonacci(count: Int = 20) -> [Int] {
    // MARK: - Answer
    if count <= 0 { return [] }
    if count == 1 { return [0] }
    if count == 2 { return [0, 1] }
    let shorter = fibonacci(count: count - 1)
    return shorter + [shorter[shorter.count - 1] + shorter[shorter.count - 2]]
    // MARK: - End of answer
}

/// Every module inside `module`, at any depth, but not `module` itself: each module is listed before
/// the modules inside it, and those come before its next sibling.
///
/// For `Sequential(Sequential(a, b), c)` it is `[Sequential(a, b), a, b, c]`; for a layer with nothing
/// inside it, `[]`.
public func descendants(of module: Module) -> [Module] {
    // MARK: - Answer
    module.children.flatMap { child in [child] + child.children }
    // MARK: - End of answer
}
