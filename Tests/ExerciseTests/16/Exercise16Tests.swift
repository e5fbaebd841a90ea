import ExerciseSupport
import Shared
import Testing

@testable import Exercise16

@Suite("Exercise 16: Fibonacci, recursively", .exercise("16"))
struct Exercise16Tests {
    @Test func firstTwentyNumbers() throws {
        let numbers = try answer { fibonacci(count: 20) }
        #expect(numbers == [0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987, 1597, 2584, 4181])
    }

    @Test func smallCounts() throws {
        let small = try answer { (0...3).map { fibonacci(count: $0) } }
        #expect(small == [[], [0], [0, 1], [0, 1, 1]])
    }

    @Test func eachNumberIsTheSumOfTheTwoBefore() throws {
        let numbers = try answer { fibonacci(count: 60) }
        #expect(numbers.count == 60)
        #expect((2..<60).allSatisfy { numbers[$0] == numbers[$0 - 1] + numbers[$0 - 2] })
    }

    @Test func descendantsWalkTheWholeTree() throws {
        let inner = Sequential(Linear(10, 10), Linear(10, 2))
        let cnn = simpleCNN()
        let model = Sequential(cnn, inner)
        let found = try answer { descendants(of: model) }
        let expected: [Module] = [cnn] + cnn.layers + [inner] + inner.layers
        #expect(found.map(ObjectIdentifier.init) == expected.map(ObjectIdentifier.init))
        let leaf = try answer { descendants(of: Linear(2, 2)) }
        #expect(leaf.isEmpty)
    }
}
