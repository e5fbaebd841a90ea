import ExerciseSupport
import Shared

/// What an answer to exercise 21 provides: `addShapeHooks(to:write:)`.
public struct ShapeHookAnswer {
    public var addShapeHooks: (Module, @escaping (String) -> Void) -> Void

    public init(addShapeHooks: @escaping (Module, @escaping (String) -> Void) -> Void) {
        self.addShapeHooks = addShapeHooks
    }
}

/// One layer's run as the checks saw it, with hooks of their own: which layer, what went in, what
/// came out.
struct LayerRun {
    let name: String, input: [Int], output: [Int]
    var line: String { "\(name) \(output)" }
}

/// The layers of `model` (modules with no children, or the model itself if it has none), found here
/// independently of the answer.
func layers(of model: Module) -> [Module] {
    model.children.isEmpty ? [model] : model.children.flatMap(layers(of:))
}

/// Runs `model` on `input` with the checks' own hooks and returns what each layer did, in the order
/// the layers ran; the hooks are removed afterwards.
func observe(_ model: Module, _ input: Tensor) -> [LayerRun] {
    var runs: [LayerRun] = []
    let all = layers(of: model)
    for layer in all {
        let name = "\(type(of: layer))"
        layer.hook = { output, inputs in runs.append(LayerRun(name: name, input: inputs[0].shape, output: output.shape))
        }
    }
    _ = model(input)
    for layer in all { layer.hook = nil }
    return runs
}

/// Installs the answer's hooks on `model`, runs it on `input`, and returns the lines written.
func written(by answer: ShapeHookAnswer, _ model: Module, _ input: Tensor) -> [String] {
    var lines: [String] = []
    answer.addShapeHooks(model) { lines.append($0) }
    _ = model(input)
    return lines
}

/// What is wrong with `got` as the lines for `runs` of `model`, in the student's terms, or nil.
func linesProblem(_ got: [String], _ runs: [LayerRun], model: Module, called name: String) -> String? {
    let want = runs.map(\.line)
    if got == want { return nil }
    if got.isEmpty {
        return "running \(name) wrote nothing: is a hook set on every layer, and does it pass its line to write?"
    }
    // "ConvLayer [2, 16, 32, 32]" → ("ConvLayer", "[2, 16, 32, 32]")
    func split(_ line: String) -> (name: String, shape: String) {
        guard let cut = line.range(of: " [") else { return (line, "") }
        return (String(line[..<cut.lowerBound]), String(line[line.index(after: cut.lowerBound)...]))
    }
    let parts = got.map(split)
    var containers = Set<String>(), stack = [model]
    while let m = stack.popLast() {
        if !m.children.isEmpty { containers.insert("\(type(of: m))") }
        stack += m.children
    }
    let layerNames = Set(runs.map(\.name))
    if let extra = parts.first(where: { containers.contains($0.name) && !layerNames.contains($0.name) }) {
        return
            "\(name) wrote \"\(extra.name) \(extra.shape)\": a container wrote a line; only layers (modules with no children) write, a container such as Sequential writes nothing itself"
    }
    if got.count == want.count {
        if parts.map(\.shape) == runs.map({ "\($0.input)" }) && parts.map(\.name) == runs.map(\.name) {
            return
                "the shapes written are the shapes going INTO each layer (\(got[0])); the line shows what comes out of it: \(want[0])"
        }
        if parts.map(\.shape) == runs.map({ "\($0.output)" }) {
            return
                "the shapes are right but the names are not: \(parts.map(\.name)); each line starts with the layer's type name, \"\\(type(of: layer))\", e.g. \(runs[0].name)"
        }
    }
    if got.count < want.count {
        let namesWritten = Set(parts.map(\.name))
        let unheard = layers(of: model).filter { !namesWritten.contains("\(type(of: $0))") }
        if !unheard.isEmpty && unheard.allSatisfy({ $0.parameters().isEmpty }) {
            return
                "no line for \(Set(unheard.map { "\(type(of: $0))" }).sorted().joined(separator: ", ")), a layer with no parameters: every module with no children is a layer and writes its line, with parameters or without"
        }
        if got.count == 1 && got[0] == want.last {
            return "only the last layer wrote a line (\(got[0])); every layer must write one: \(want)"
        }
        return
            "\(name) has \(want.count) layers but only \(got.count) lines were written (\(got)); expected \(want): are the layers inside nested containers hooked too, at any depth?"
    }
    if got.count > want.count && Set(got) == Set(want) {
        return "some lines were written more than once: \(got); expected \(want)"
    }
    return "running \(name) wrote \(got); expected \(want)"
}

/// A module whose two layers run in the opposite order to the one they are declared in.
final class RunsBackwards: Module {
    let second = Linear(3, 2), first = Linear(5, 3)
    override func forward(_ x: Tensor) -> Tensor { second(first(x).relu()) }
}

/// The checks of exercise 21.
public func checks(_ answer: ShapeHookAnswer) -> [Check] {
    [
        Check("simpleCNN writes one line per layer, with the shape each layer outputs") {
            let model = simpleCNN(), input = Tensor.randn([2, 3, 64, 64])
            let runs = observe(model, input)
            if let problem = linesProblem(written(by: answer, model, input), runs, model: model, called: "simpleCNN") {
                throw fail(problem)
            }
        },
        Check("layers nested inside containers inside containers each write their line; containers write none") {
            let model = Sequential(
                Sequential(ConvLayer(3, 4, stride: 2), Sequential(ConvLayer(4, 6, stride: 2), AdaptivePool())),
                Linear(6, 2))
            let input = Tensor.randn([1, 3, 16, 16])
            let runs = observe(model, input)
            if let problem = linesProblem(
                written(by: answer, model, input), runs, model: model, called: "the nested model")
            {
                throw fail(problem)
            }
        },
        Check("a model with no layers inside it is its own layer: Linear(4, 3) writes \"Linear [5, 3]\"") {
            let got = written(by: answer, Linear(4, 3), Tensor.ones([5, 4]))
            try expect(
                got == ["Linear [5, 3]"],
                got.isEmpty
                    ? "hooking a single Linear and running it wrote nothing: a module with no children is itself the only layer"
                    : "hooking a single Linear(4, 3) and running it on 5 rows wrote \(got); expected [\"Linear [5, 3]\"]"
            )
        },
        Check("the lines come in the order the layers run, and again every time the model runs") {
            let model = Sequential(RunsBackwards(), Linear(2, 2))
            let first = Tensor.ones([1, 5]), second = Tensor.ones([7, 5])
            let want = observe(model, first).map(\.line) + observe(model, second).map(\.line)
            var lines: [String] = []
            answer.addShapeHooks(model) { lines.append($0) }
            _ = model(first)
            let afterFirst = lines.count
            _ = model(second)
            try expect(afterFirst > 0, "running the model wrote nothing: is a hook set on every layer?")
            if let line = lines.first(where: { $0.hasPrefix("RunsBackwards") }) {
                throw fail(
                    "\"\(line)\" was written: RunsBackwards is a module with two Linears inside, a container like Sequential, so it writes nothing itself and its layers write instead (a container is any module with children, not only a Sequential)"
                )
            }
            if lines.count == afterFirst && afterFirst == want.count / 2 {
                throw fail(
                    "the first run wrote \(afterFirst) lines, the second run none: the hooks must write every time the model runs, not only the first time"
                )
            }
            try expect(
                lines.count == want.count,
                "two runs of a model of 3 layers wrote \(lines.count) lines (\(lines)); expected 6, three per run: \(want)"
            )
            try expect(
                lines == want,
                "two runs (1 row, then 7 rows) wrote \(lines); expected \(want): one line per layer as it runs, with that run's shapes"
            )
        },
        Check("the hooks keep no module alive (no reference cycle)") {
            weak var weakModel: Module?, weakLayer: Module?, weakInner: Module?
            do {
                let inner = Sequential(Linear(4, 3), Linear(3, 2))
                let model = Sequential(inner, Linear(2, 2))
                weakModel = model
                weakInner = inner
                weakLayer = inner.children[0]
                answer.addShapeHooks(model) { _ in }
                _ = model(Tensor.ones([1, 4]))
            }
            try expect(
                weakModel == nil && weakInner == nil && weakLayer == nil,
                "after the last reference to the model is gone, its layers are still alive: a hook stored in a layer that captures that layer (or the model) is a reference cycle; capture only what the line needs"
            )
        }
    ]
}
