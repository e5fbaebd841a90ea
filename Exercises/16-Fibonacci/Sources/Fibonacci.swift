import ExerciseSupport
import Shared

// Question 16. Write a recursive function that gives the first 20 numbers of the Fibonacci sequence.
//
// Question 15 goes with it: a recursive function is one that calls itself on a smaller piece of its
// problem until the piece is small enough to answer directly. `Module.parameters()` is one, because
// a model is a tree of modules: second part below.

/// The first `count` Fibonacci numbers, `0, 1, 1, 2, 3, 5, 8, …`: after the first two, each is the
/// sum of the two before it.
///
/// Write it recursively: the first `count` numbers are the first `count − 1` numbers followed by the
/// sum of their last two. Decide what the smallest cases (`count` of 0, 1 and 2) return.
///
/// `fibonacci(count: 20)` ends with 4181.
public func fibonacci(count: Int = 20) -> [Int] {
    // MARK: - Answer
    todo(
        "write fibonacci(count:) recursively: handle count 0, 1 and 2 directly, else take fibonacci(count: count - 1) and append the sum of its last two numbers."
    )
    // MARK: - End of answer
}

/// Every module inside `module`, at any depth, each one listed before the modules inside it; not
/// `module` itself.
///
/// This is how `Module.parameters()` is built, and why recursion suits it: a module does not need to
/// know how deep the tree below it goes, it lists its direct children (`module.children`) and asks
/// each of them the same question.
public func descendants(of module: Module) -> [Module] {
    // MARK: - Answer
    todo("list module.children, each followed by descendants(of: child).")
    // MARK: - End of answer
}
