import Foundation

@testable import Media
@testable import Shared

/// The PyTorch reference numbers written by `Tests/SharedTests/Fixtures/make_fixtures.py`, loaded once from the
/// test bundle's resources.
struct EngineFixtures: Decodable {
    /// A tensor as stored in the file: row-major numbers and a shape.
    struct Stored: Decodable {
        let shape: [Int]
        let data: [Float]

        /// A fresh engine tensor holding these numbers.
        func tensor(requiresGrad: Bool = false) -> Tensor {
            Tensor(data, shape: shape, requiresGrad: requiresGrad)
        }
    }

    /// A parameter of a case: a number, a flag or a list of whole numbers.
    enum Param: Decodable {
        case int(Int)
        case bool(Bool)
        case ints([Int])
        case string(String)

        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let v = try? c.decode(Bool.self) {
                self = .bool(v)
            } else if let v = try? c.decode(Int.self) {
                self = .int(v)
            } else if let v = try? c.decode([Int].self) {
                self = .ints(v)
            } else {
                self = .string(try c.decode(String.self))
            }
        }
    }

    /// One op's inputs, outputs, the upstream gradient and PyTorch's input gradients.
    struct Case: Decodable {
        let params: [String: Param]
        let inputs: [String: Stored]
        let outputs: [String: Stored]
        let upstream: Stored
        /// The output that `upstream` weights.
        let upstreamOf: String
        let grads: [String: Stored]

        func int(_ key: String) -> Int {
            guard case .int(let v)? = params[key] else { fatalError("fixture parameter \(key) missing") }
            return v
        }
        func bool(_ key: String) -> Bool {
            guard case .bool(let v)? = params[key] else { fatalError("fixture parameter \(key) missing") }
            return v
        }
        func ints(_ key: String) -> [Int] {
            guard case .ints(let v)? = params[key] else { fatalError("fixture parameter \(key) missing") }
            return v
        }
    }

    /// Fans and standard deviations of PyTorch's initialisers for one weight shape.
    struct InitFacts: Decodable {
        let shape: [Int]
        let fanIn: Int, fanOut: Int
        let kaimingStd: Double, xavierStd: Double
        let torchKaimingEmpiricalStd: Double
    }

    let torch: String
    let cases: [String: Case]
    let `init`: [String: InitFacts]

    /// The fixtures, decoded on first use.
    static let shared: EngineFixtures = {
        guard let url = Bundle.module.url(forResource: "engine_fixtures", withExtension: "json") else {
            fatalError("engine_fixtures.json is missing from the test bundle")
        }
        do {
            return try JSONDecoder().decode(EngineFixtures.self, from: Data(contentsOf: url))
        } catch {
            fatalError("cannot read \(url.path): \(error)")
        }
    }()

    /// The case called `name`.
    static func `case`(_ name: String) -> Case {
        guard let c = shared.cases[name] else { fatalError("no fixture case \(name); rerun make_fixtures.py") }
        return c
    }
}
