import ExerciseSupport
import Foundation
import Shared

/// What an answer to exercise 16 provides: its two functions, and where its source is (the question
/// asks for a recursive function, which only the source can show).
public struct FibonacciAnswer {
    public var fibonacci: (Int) -> [Int]
    public var descendants: (Module) -> [Module]
    public var source: AnswerSource

    public init(fibonacci: @escaping (Int) -> [Int], descendants: @escaping (Module) -> [Module], source: AnswerSource)
    {
        self.fibonacci = fibonacci
        self.descendants = descendants
        self.source = source
    }
}

/// The first `count` Fibonacci numbers, computed here with a loop: what the answer is compared with.
func expectedFibonacci(_ count: Int) -> [Int] {
    var numbers: [Int] = []
    for k in 0..<max(count, 0) { numbers.append(k < 2 ? k : numbers[k - 1] + numbers[k - 2]) }
    return numbers
}

/// What is wrong with `got` as the first `count` numbers, said for a student, or nil if it is right.
func fibonacciProblem(count: Int, got: [Int]) -> String? {
    let want = expectedFibonacci(count)
    if got == want { return nil }
    let call = "fibonacci(count: \(count))"
    if got.count != want.count {
        return "\(call) returned \(got.count) numbers, \(show(got)); it should return exactly \(count): \(show(want))"
    }
    if count >= 2 && got.first == 1 && want.first == 0 {
        return "\(call) starts \(show(got)): the sequence starts 0, 1 (the 0 is the first number)"
    }
    let k = (0..<got.count).first { got[$0] != want[$0] }!
    return "\(call): number \(k + 1) should be \(want[k]) but is \(got[k]) (\(show(got)))"
}

/// Whether the numbers of `fibonacci` in `code` may come from a loop rather than from its recursion:
/// no function it calls (directly or not) is recursive apart from `fibonacci` itself, and it or one of
/// those functions loops.
func mayBeLoopInDisguise(_ code: String) -> Bool {
    let all = SwiftCode.functions(in: code)
    func calls(_ caller: String, _ callee: String) -> Bool {
        all.contains { $0.name == caller && SwiftCode.mentions(callee, in: $0.body) }
    }
    var reached: Set<String> = ["fibonacci"], frontier = ["fibonacci"]
    while let next = frontier.popLast() {
        for name in Set(all.map(\.name)) where !reached.contains(name) && calls(next, name) {
            reached.insert(name)
            frontier.append(name)
        }
    }
    let helpers = reached.subtracting(["fibonacci"])
    if helpers.contains(where: { SwiftCode.isRecursive($0, in: code) && !calls($0, "fibonacci") }) { return false }
    return all.contains {
        reached.contains($0.name)
            && $0.body.range(of: #"\b(for|while|repeat|reduce|forEach)\b"#, options: .regularExpression) != nil
    }
}

/// A short rendering of a list of numbers.
func show(_ numbers: [Int]) -> String {
    numbers.count <= 12
        ? "\(numbers)" : "[\(numbers.prefix(8).map(String.init).joined(separator: ", ")), …, \(numbers.last!)]"
}

/// Every module inside `module` in the order the exercise asks for, computed here independently.
func expectedDescendants(_ module: Module) -> [Module] {
    var found: [Module] = []
    func visit(_ m: Module) {
        for child in m.children {
            found.append(child)
            visit(child)
        }
    }
    visit(module)
    return found
}

/// A model four levels deep: simpleCNN, then a head that is a Sequential holding a Linear and another
/// Sequential of two Linears (so an answer that stops two levels down misses modules).
func nestedModel() -> (model: Module, cnn: Sequential, head: Sequential) {
    let cnn = simpleCNN()
    let head = Sequential(Linear(10, 10), Sequential(Linear(10, 4), Linear(4, 2)))
    return (Sequential(cnn, head), cnn, head)
}

/// The checks of exercise 16.
public func checks(_ answer: FibonacciAnswer) -> [Check] {
    [
        Check("fibonacci is recursive: it calls itself (the question asks for a recursive function)") {
            _ = answer.fibonacci(3)  // an unwritten answer says so, rather than "not recursive"
            let code = try answer.source.code()
            try expect(
                !SwiftCode.functions(in: code).filter { $0.name == "fibonacci" }.isEmpty,
                "no function named fibonacci in \(answer.source.folder.path)")
            try expect(
                SwiftCode.isRecursive("fibonacci", in: code),
                "fibonacci(count:) never calls itself (nor a helper that calls itself): the question asks for a recursive function, not a loop or a formula"
            )
            // This check comes first so that no earlier call has filled a cache the answer may keep
            // between calls (a recursive answer with one would not go deeper for counts seen before).
            // Calling itself somewhere is not enough: a loop wrapped in a function that calls itself
            // only in a branch never taken is not recursive. Where the numbers may come from a loop
            // (fibonacci or a non-recursive helper loops, and no helper recurses), asking for more
            // numbers must go deeper into the stack. A recursive helper (memoised or not) is trusted.
            // The first call on a fresh thread may go deeper once (the runtime setting things up
            // for the process), so a first measurement is thrown away.
            if mayBeLoopInDisguise(code), stackBytesUsed(by: { _ = answer.fibonacci(3) }) != nil,
                let shallow = stackBytesUsed(by: { _ = answer.fibonacci(3) }),
                let deep = stackBytesUsed(by: { _ = answer.fibonacci(28) })
            {
                try expect(
                    deep - shallow >= 800,
                    "fibonacci(count: 28) goes no deeper than fibonacci(count: 3) (\(deep) and \(shallow) bytes of stack): the numbers come from the loop, and the call to itself is never reached; a recursive answer gets the first n numbers from a call to itself (or to a recursive helper) for fewer"
                )
            }
        },
        Check("fibonacci(count: 20) gives the first 20 numbers, 0 1 1 2 … 4181") {
            if let problem = fibonacciProblem(count: 20, got: answer.fibonacci(20)) { throw fail(problem) }
        },
        Check("the smallest cases: counts 0, 1, 2 and 3") {
            for count in 0...3 {
                if let problem = fibonacciProblem(count: count, got: answer.fibonacci(count)) { throw fail(problem) }
            }
        },
        Check("every count up to 30: exactly that many numbers, each the sum of the two before") {
            for count in 4...30 {
                if let problem = fibonacciProblem(count: count, got: answer.fibonacci(count)) { throw fail(problem) }
            }
        },
        Check("descendants of a single layer is empty (a module is not its own descendant)") {
            let leaf = Linear(2, 2)
            let found = answer.descendants(leaf)
            try expect(
                found.isEmpty,
                "descendants(of: Linear(2, 2)) returned \(names(found)); a layer has no modules inside it")
            let shallow = Sequential(Linear(2, 2), Linear(2, 2))
            let direct = answer.descendants(shallow)
            try expect(
                !direct.contains { $0 === shallow },
                "descendants(of: model) lists model itself; it should list only the modules inside it")
        },
        Check("descendants finds every module at any depth") {
            let (model, _, _) = nestedModel()
            let found = answer.descendants(model), want = expectedDescendants(model)
            try expect(
                !found.contains { $0 === model }, "descendants(of: model) lists model itself; only what is inside it")
            let foundIDs = Set(found.map(ObjectIdentifier.init)), wantIDs = Set(want.map(ObjectIdentifier.init))
            let missing = want.filter { !foundIDs.contains(ObjectIdentifier($0)) }
            if !missing.isEmpty {
                let onlyChildren = Set(model.children.map(ObjectIdentifier.init)) == foundIDs
                throw fail(
                    onlyChildren
                        ? "descendants(of: model) lists only the modules directly inside model (\(names(found))); the modules inside those are missing: does it ask each child for its own descendants?"
                        : "descendants(of: model) misses \(missing.count) of the \(want.count) modules inside a model four levels deep (e.g. a \(type(of: missing[0])) \(depth(of: missing[0], in: model)) levels down): does it ask each child for its own descendants, at every depth?"
                )
            }
            try expect(
                found.count == want.count && foundIDs == wantIDs,
                "descendants(of: model) returned \(found.count) modules for \(want.count) distinct ones: some are listed twice, or something else is in the list"
            )
        },
        Check("descendants lists each module before the modules inside it, children in order") {
            let (model, _, _) = nestedModel()
            let found = answer.descendants(model), want = expectedDescendants(model)
            if Set(found.map(ObjectIdentifier.init)) != Set(want.map(ObjectIdentifier.init))
                || found.count != want.count
            {
                throw fail(
                    "descendants(of: model) returned \(names(found)); expected \(names(want)) (a container first, then what is inside it, before its next sibling)"
                )
            }
            try expect(
                found.map(ObjectIdentifier.init) == want.map(ObjectIdentifier.init),
                "the modules are all there but in another order: \(names(found)); expected \(names(want)) (a container first, then what is inside it, before its next sibling)"
            )
        }
    ]
}

/// How many levels below `model` `module` sits (1 for a child), for messages.
func depth(of module: Module, in model: Module) -> Int {
    if model.children.contains(where: { $0 === module }) { return 1 }
    for child in model.children {
        let below = depth(of: module, in: child)
        if below > 0 { return below + 1 }
    }
    return 0
}

/// Module type names, for messages.
func names(_ modules: [Module]) -> String { "[" + modules.map { "\(type(of: $0))" }.joined(separator: ", ") + "]" }
