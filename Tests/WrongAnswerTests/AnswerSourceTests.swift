import ExerciseSupport
import Testing

/// The source reading behind "fibonacci must be recursive": answers that recurse in any of the ways a
/// student may write it count, and loops with the name only in a comment or a string do not.
@Suite("Reading an answer's source: which functions are recursive")
struct AnswerSourceTests {
    func recursive(_ source: String) -> Bool {
        SwiftCode.isRecursive("fibonacci", in: SwiftCode.strippingCommentsAndStrings(source))
    }

    @Test func directRecursionCounts() {
        #expect(
            recursive(
                """
                func fibonacci(count: Int = 20) -> [Int] {
                    if count <= 2 { return Array([0, 1].prefix(count)) }
                    let shorter = fibonacci(count: count - 1)
                    return shorter + [shorter[count - 2] + shorter[count - 3]]
                }
                """))
    }

    @Test func aRecursiveHelperCounts() {
        #expect(
            recursive(
                """
                public func fibonacci(count: Int = 20) -> [Int] { (0..<count).map(fib) }
                func fib(_ n: Int) -> Int { n < 2 ? n : fib(n - 1) + fib(n - 2) }
                """))
        #expect(
            recursive(
                """
                func fibonacci(count: Int = 20) -> [Int] {
                    func go(_ k: Int, _ acc: [Int]) -> [Int] { k == 0 ? acc : go(k - 1, acc + [acc.suffix(2).reduce(0, +)]) }
                    return Array(go(count, [0, 1]).prefix(count))
                }
                """))
    }

    @Test func mutualAndQualifiedRecursionCount() {
        #expect(
            recursive(
                """
                func fibonacci(count: Int) -> [Int] { count <= 0 ? [] : grow(count) }
                func grow(_ n: Int) -> [Int] { n == 1 ? [0] : n == 2 ? [0, 1] : extend(fibonacci(count: n - 1)) }
                func extend(_ xs: [Int]) -> [Int] { xs + [xs[xs.count - 1] + xs[xs.count - 2]] }
                """))
        #expect(
            recursive(
                "func fibonacci(count: Int) -> [Int] { count == 0 ? [] : Exercise16.fibonacci(count: count - 1) }"))
    }

    /// An interpolation is code that runs: a call to itself there is a call.
    @Test func aCallInsideAnInterpolationCounts() {
        #expect(
            recursive(
                #"func fibonacci(count: Int) -> [Int] { count == 0 ? [] : [Int("\(fibonacci(count: count - 1).count)")!] }"#
            ))
    }

    @Test func loopsDoNotCountEvenWhenTheNameAppears() {
        #expect(
            !recursive(
                """
                /* fibonacci(count: count - 1) would be recursive */
                func fibonacci(count: Int) -> [Int] {
                    // fibonacci(count: count - 1)
                    let note = "fibonacci(count: \\(count) - 1)", other = #"fibonacci("#
                    _ = (note, other)
                    var xs: [Int] = []
                    while xs.count < count { xs.append(xs.count < 2 ? xs.count : xs[xs.count - 1] + xs[xs.count - 2]) }
                    return xs
                }
                func fibonacciTable() -> [Int] { fibonacciTable() }
                """))
        #expect(
            !recursive("func fibonacci(count: Int) -> [Int] { helper(count) }\nfunc helper(_ n: Int) -> [Int] { [] }"))
    }
}
