// Known-wrong answer to exercise 16: computes the numbers with a loop and calls itself only in a branch that is never taken, so it is not really recursive.
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
    if count < 0 { return fibonacci(count: 0) }
    var numbers: [Int] = []
    while numbers.count < count {
        numbers.append(numbers.count < 2 ? numbers.count : numbers[numbers.count - 1] + numbers[numbers.count - 2])
    }
    return numbers
    // MARK: - End of answer
}

/// Every module inside `module`, at any depth, but not `module` itself: each module is listed before
/// the modules inside it, and those come before its next sibling.
///
/// For `Sequential(Sequential(a, b), c)` it is `[Sequential(a, b), a, b, c]`; for a layer with nothing
/// inside it, `[]`.
public func descendants(of module: Module) -> [Module] {
    // MARK: - Answer
    module.children.flatMap { child in [child] + descendants(of: child) }
    // MARK: - End of answer
}
