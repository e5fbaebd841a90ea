import ExerciseSupport
import Foundation
import Shared

/// What an answer to exercise R1 provides: its basic block and its resnet18, each taking the
/// normalisation layer to use as a function of the channel count.
public struct ResNet18Answer {
    /// `BasicBlock(ni, nf, stride: stride, norm: norm)`.
    public var basicBlock: (_ ni: Int, _ nf: Int, _ stride: Int, _ norm: @escaping (Int) -> Module) -> Module
    /// `resnet18(numClasses: k, width: w, norm: norm)`.
    public var resnet18: (_ numClasses: Int, _ width: Int, _ norm: @escaping (Int) -> Module) -> Module

    public init(
        basicBlock: @escaping (_ ni: Int, _ nf: Int, _ stride: Int, _ norm: @escaping (Int) -> Module) -> Module,
        resnet18: @escaping (_ numClasses: Int, _ width: Int, _ norm: @escaping (Int) -> Module) -> Module
    ) {
        self.basicBlock = basicBlock
        self.resnet18 = resnet18
    }
}

/// The checks of exercise R1, in the order a student meets the problems.
public func checks(_ answer: ResNet18Answer) -> [Check] {
    let r1 = R1Checks(answer)
    return [
        Check("a block has the convolutions and normalisation layers of resnet's basic block", r1.blockLayers),
        Check("a block keeps the shape, or changes it with its stride and channels", r1.blockShapes),
        Check("a block's output depends on its input through the shortcut", r1.shortcutIsAdded),
        Check("a block computes what torchvision's BasicBlock computes", r1.blockMatchesReference),
        Check("resnet18 has torchvision's layers: 11,181,642 parameters for 10 classes", r1.parameterCount),
        Check("resnet18's feature maps shrink stage by stage (64×64 and 224×224 inputs)", r1.featureMapSizes),
        Check("the stem ends with a ReLU, and the network with its Linear layer", r1.stemReLUAndOutput),
        Check("gradients reach every parameter, down to the first convolution", r1.gradientsReachTheStem),
        Check("resnet18 trains with the Learner", r1.trainsWithTheLearner)
    ]
}

/// A per-channel scale and shift (`x · weight[c] + bias[c]`) standing in for batchnorm: the same
/// 2·C parameters, but no statistics, so R1 can be checked before R2 exists. Each one records the
/// shapes it is given, which shows where in the network it sits, and stops the answer (failing the
/// check) when it is given an input that would make the next addition stop the whole program.
final class ChannelAffine: Module {
    let weight: Parameter, bias: Parameter
    let channels: Int
    unowned let factory: NormFactory
    /// Every input shape seen, in order.
    var seen: [[Int]] = []

    init(_ channels: Int, weight: [Float], bias: [Float], factory: NormFactory) {
        self.channels = channels
        self.factory = factory
        self.weight = Parameter(Tensor(weight, shape: [channels]))
        self.bias = Parameter(Tensor(bias, shape: [channels]))
        super.init()
    }

    override func forward(_ x: Tensor) -> Tensor {
        seen.append(x.shape)
        guard x.shape.count == 4, x.shape[1] == channels else {
            abandonAnswer(
                CheckFailure(
                    "a normalisation layer made with norm(\(channels)) was given an input of shape \(x.shape): "
                        + "norm(c) must be made for the channels of the convolution it follows"))
        }
        if let sides = factory.expectedSides[channels], !(sides.contains(x.shape[2]) && sides.contains(x.shape[3])) {
            abandonAnswer(CheckFailure(factory.unexpectedSide(channels, x.shape)))
        }
        return x * weight.reshape([1, channels, 1, 1]) + bias.reshape([1, channels, 1, 1])
    }
}

/// Makes the normalisation layers an answer asks for, and remembers them.
final class NormFactory {
    /// `identity`: weight 1 and bias 0; otherwise weights in [0.5, 1.5) and biases in [-0.5, 0.5),
    /// different for every layer, so that a layer in the wrong place changes the output.
    let identity: Bool
    var made: [ChannelAffine] = []
    /// The feature-map sides a layer of each channel count may see, when the check knows them.
    var expectedSides: [Int: Set<Int>] = [:]
    /// What to say when a layer sees another side.
    var unexpectedSide: (Int, [Int]) -> String = { c, shape in "a layer of \(c) channels got shape \(shape)" }
    private var generator: SeededGenerator

    init(identity: Bool = false, seed: UInt64 = 7) {
        self.identity = identity
        generator = SeededGenerator(seed: seed)
    }

    func make(_ channels: Int) -> Module {
        let w = (0..<channels).map { _ in identity ? 1 : 0.5 + generator.nextUniform() }
        let b = (0..<channels).map { _ in identity ? 0 : generator.nextUniform() - 0.5 }
        let layer = ChannelAffine(channels, weight: w, bias: b, factory: self)
        made.append(layer)
        return layer
    }

    /// Expects the feature maps of resnet18 (with `width`) for a square input of `side`.
    func expectResNet(width: Int, side: Int) {
        let maps = R1Checks.expectedMaps(width: width, side: side)
        expectedSides = Dictionary(grouping: maps, by: { $0[0] }).mapValues { Set($0.map { $0[1] }) }
        unexpectedSide = { channels, shape in
            "for a \(side)×\(side) input, a normalisation layer of \(channels) channels got a "
                + "\(shape[2])×\(shape[3]) map, where resnet18's maps of \(channels) channels are "
                + "\(maps.filter { $0[0] == channels }.map { "\($0[1])×\($0[1])" }.uniqued()): the maps should be "
                + "\(side / 2)×\(side / 2) after the stem's convolution, \(side / 4)×\(side / 4) after its max pool, then "
                + "halve at the start of stages 2, 3 and 4 (check the strides, on every path of each block)"
        }
    }

    /// Expects every layer of a block (all of `channels`) to see maps of `side`.
    func expectBlock(_ what: String, channels: Int, side: Int) {
        expectedSides = [channels: [side]]
        unexpectedSide = { _, shape in
            "in \(what) a normalisation layer got a \(shape[2])×\(shape[3]) map where the block's output is "
                + "\(side)×\(side): the block's stride belongs to its first 3×3 convolution and to the shortcut's "
                + "1×1 convolution"
        }
    }
}

extension Array where Element: Hashable {
    /// The elements in order, each once.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}

/// The checks, with the answer they look at.
struct R1Checks {
    let student: ResNet18Answer
    init(_ student: ResNet18Answer) { self.student = student }

    /// A block built by the answer, with the normalisation layers it made.
    func block(_ ni: Int, _ nf: Int, stride: Int, identityNorms: Bool = false, side: Int = 6) throws -> (
        Module, NormFactory
    ) {
        let norms = NormFactory(identity: identityNorms)
        let out = (side + stride - 1) / stride
        norms.expectBlock("BasicBlock(\(ni), \(nf), stride: \(stride))", channels: nf, side: out)
        let made = try answer { self.student.basicBlock(ni, nf, stride, norms.make) }
        return (made, norms)
    }

    /// The shapes of a block's convolution weights (rank-4 parameters), sorted.
    func convShapes(_ m: Module) -> [[Int]] {
        m.parameters().filter { $0.shape.count == 4 }.map(\.shape).sorted { $0.lexicographicallyPrecedes($1) }
    }

    /// What a block's layers should be; nil if they are right.
    func layerProblem(_ m: Module, _ norms: NormFactory, ni: Int, nf: Int, stride: Int) -> String? {
        let reshaping = stride != 1 || ni != nf
        var expected = [[nf, ni, 3, 3], [nf, nf, 3, 3]]
        if reshaping { expected.append([nf, ni, 1, 1]) }
        expected.sort { $0.lexicographicallyPrecedes($1) }
        let found = convShapes(m)
        let what = "BasicBlock(\(ni), \(nf), stride: \(stride))"
        if found != expected {
            if reshaping && !found.contains([nf, ni, 1, 1]) && found.count == 2 {
                return "\(what) changes the shape, so its shortcut needs a 1×1 convolution (with the block's stride) "
                    + "before the input can be added; its convolutions are \(found)"
            }
            if !reshaping && found.contains([nf, ni, 1, 1]) {
                return "\(what) keeps the shape: its input is added as it is, with no convolution on the shortcut; "
                    + "its convolutions are \(found)"
            }
            return "\(what) should have convolutions of shapes \(expected) (two 3×3 and, when the shape changes, "
                + "a 1×1 on the shortcut), but has \(found)"
        }
        let normCount = norms.made.count
        let wanted = reshaping ? 3 : 2
        if normCount != wanted || norms.made.contains(where: { $0.channels != nf }) {
            return "\(what) should make \(wanted) normalisation layers with norm(\(nf)) (one after each convolution), "
                + "but made \(normCount): \(norms.made.map { "norm(\($0.channels))" })"
        }
        let others = m.parameters().filter { $0.shape.count != 4 }
        let normParameters = Set(norms.made.flatMap { [ObjectIdentifier($0.weight), ObjectIdentifier($0.bias)] })
        if let extra = others.first(where: { !normParameters.contains(ObjectIdentifier($0)) }) {
            return "\(what) has a parameter of shape \(extra.shape) that resnet's block does not have "
                + "(its convolutions have no bias)"
        }
        if normParameters.count != others.count {
            return "\(what) does not register all its normalisation layers as sub-modules "
                + "(keep each in a stored property or a Sequential; modules kept in an array need registerModules)"
        }
        return nil
    }

    func blockLayers() throws {
        for (ni, nf, stride) in [(8, 8, 1), (8, 16, 2), (8, 8, 2), (8, 16, 1)] {
            let (m, norms) = try block(ni, nf, stride: stride)
            if let problem = layerProblem(m, norms, ni: ni, nf: nf, stride: stride) { throw CheckFailure(problem) }
        }
    }

    /// Runs a block whose layers are right (the forward of one whose are not may stop the program
    /// on shapes that cannot be added).
    func runBlock(_ ni: Int, _ nf: Int, stride: Int, _ x: Tensor, identityNorms: Bool = false) throws -> (
        out: Tensor, block: Module, norms: NormFactory
    ) {
        let (m, norms) = try block(ni, nf, stride: stride, identityNorms: identityNorms)
        if let problem = layerProblem(m, norms, ni: ni, nf: nf, stride: stride) {
            throw CheckFailure("(first make the block's layers right) \(problem)")
        }
        let out = try answer { m(x) }
        return (out, m, norms)
    }

    func blockShapes() throws {
        GlobalRandom.manualSeed(1)
        let x = Tensor.randn([2, 8, 6, 6])
        for (ni, nf, stride, shape) in [
            (8, 8, 1, [2, 8, 6, 6]), (8, 16, 2, [2, 16, 3, 3]), (8, 8, 2, [2, 8, 3, 3]), (8, 16, 1, [2, 16, 6, 6])
        ] {
            let out = try runBlock(ni, nf, stride: stride, x).out
            try expect(
                out.shape == shape,
                "BasicBlock(\(ni), \(nf), stride: \(stride)) turned an input of shape \(x.shape) into \(out.shape), "
                    + "expected \(shape)")
        }
    }

    func shortcutIsAdded() throws {
        // With every convolution weight zero, what the main path contributes no longer depends on
        // the input: any dependence left comes through the shortcut.
        GlobalRandom.manualSeed(2)
        let x1 = Tensor.randn([2, 8, 6, 6]), x2 = Tensor.randn([2, 8, 6, 6])
        for (ni, nf, stride) in [(8, 8, 1), (8, 16, 2)] {
            let (m, norms) = try block(ni, nf, stride: stride, identityNorms: true)
            if let problem = layerProblem(m, norms, ni: ni, nf: nf, stride: stride) {
                throw CheckFailure("(first make the block's layers right) \(problem)")
            }
            for p in m.parameters() where p.shape.count == 4 && p.shape[2] == 3 { p.zero() }
            let (y1, y2) = try answer { (m(x1), m(x2)) }
            let differs = zip(y1.toArray(), y2.toArray()).contains { Swift.abs($0 - $1) > 1e-6 }
            try expect(
                differs,
                "the block's output does not depend on the shortcut path: is the input added? "
                    + "(BasicBlock(\(ni), \(nf), stride: \(stride)) with its 3×3 convolutions zeroed gives the same "
                    + "output for two different inputs)")
            if stride == 1 && ni == nf {
                // Identity norms and a zero main path: the block is relu(x).
                try expect(
                    maxDifference(y1, x1.relu()) < 1e-5,
                    "with its 3×3 convolutions zeroed, BasicBlock(\(ni), \(nf)) should give relu(x): the input "
                        + "added unchanged, then the ReLU; it gives something else")
            }
        }
    }

    func blockMatchesReference() throws {
        GlobalRandom.manualSeed(3)
        let x = Tensor.randn([2, 8, 6, 6])
        for (ni, nf, stride) in [(8, 8, 1), (8, 16, 2), (8, 8, 2)] {
            let (out, m, norms) = try runBlock(ni, nf, stride: stride, x)
            let convs = m.parameters().filter { $0.shape.count == 4 }
            let threes = convs.filter { $0.shape[2] == 3 }, one = convs.first { $0.shape[2] == 1 }
            // Which convolution and normalisation layer plays which part is the answer's business:
            // every assignment that fits the shapes is tried.
            var assignments: [BlockLayers] = []
            for c in permutations(threes) where c[0].shape[1] == ni && c[1].shape[1] == nf {
                for n in permutations(norms.made) {
                    assignments.append(
                        BlockLayers(
                            conv1: c[0], conv2: c[1], shortcut: one, norm1: n[0], norm2: n[1],
                            shortcutNorm: n.count > 2 ? n[2] : nil))
                }
            }
            let what = "BasicBlock(\(ni), \(nf), stride: \(stride))"
            func matches(_ variant: BlockVariant) -> Bool {
                assignments.contains { maxDifference(out, $0.output(x, stride: stride, variant)) < 1e-4 }
            }
            if matches(.torchvision) { continue }
            let diagnoses: [(BlockVariant, String)] = [
                (
                    .noShortcut,
                    "the block's output does not depend on the shortcut path: is the input added?"
                ),
                (
                    .reluBeforeAdd,
                    "ReLU in the wrong place: \(what) applies its last ReLU before adding the shortcut; "
                        + "it belongs after the addition"
                ),
                (
                    .noFinalReLU,
                    "\(what) has no ReLU after adding the shortcut (torchvision's block ends with one)"
                ),
                (
                    .noInnerReLU,
                    "\(what) has no ReLU between its two convolutions (after the first normalisation)"
                ),
                (
                    .strideOnSecondConv,
                    "\(what) strides in its second 3×3 convolution; torchvision's basic block strides in the first"
                ),
                (
                    .normBeforeConv,
                    "\(what) normalises before each convolution; in resnet each normalisation follows its convolution"
                )
            ]
            for (variant, message) in diagnoses where matches(variant) { throw CheckFailure(message) }
            throw CheckFailure(
                "\(what) computes something other than torchvision's BasicBlock: 3×3 convolution (with the stride), "
                    + "norm, ReLU, 3×3 convolution, norm, plus the shortcut, then ReLU "
                    + "(largest difference \(closestDifference(out, assignments, x, stride)))")
        }
    }

    func closestDifference(_ out: Tensor, _ layers: [BlockLayers], _ x: Tensor, _ stride: Int) -> String {
        let best = layers.map { maxDifference(out, $0.output(x, stride: stride, .torchvision)) }.min() ?? .infinity
        return cFormat("%.3g", Double(best))
    }

    /// Expected convolution weight shapes of resnet18 with `width` and its linear layer's shape.
    func expectedConvShapes(width w: Int) -> [[Int]] {
        var shapes = [[w, 3, 7, 7]]
        var ni = w
        for stage in 0..<4 {
            let nf = w << stage
            shapes += [[nf, ni, 3, 3], [nf, nf, 3, 3], [nf, nf, 3, 3], [nf, nf, 3, 3]]
            if stage > 0 { shapes.append([nf, ni, 1, 1]) }
            ni = nf
        }
        return shapes.sorted { $0.lexicographicallyPrecedes($1) }
    }

    func parameterCount() throws {
        let fixtures = try R1Fixtures.load()
        for (width, classes, expected) in [
            (64, 10, fixtures.resnet18TenClasses), (8, 7, fixtures.resnet18Width8SevenClasses)
        ] {
            let norms = NormFactory()
            let model = try answer { self.student.resnet18(classes, width, norms.make) }
            let params = model.parameters()
            let total = params.map(\.count).reduce(0, +)
            if total == expected { continue }
            let what = "resnet18(numClasses: \(classes), width: \(width))"
            let found = convShapes(model), wanted = expectedConvShapes(width: width)
            if found != wanted {
                let missing = difference(wanted, found), extra = difference(found, wanted)
                throw CheckFailure(
                    "\(what) has \(total) parameters, torchvision's has \(expected): "
                        + (missing.isEmpty ? "" : "convolutions missing: \(missing.prefix(6)); ")
                        + (extra.isEmpty ? "" : "convolutions it should not have: \(extra.prefix(6)); ")
                        + "check the stem (7×7, \(width) channels), the widths (\(width), \(2 * width), "
                        + "\(4 * width), \(8 * width)) and two blocks per stage")
            }
            let wantedNorms = [width] + (0..<4).flatMap { [Int](repeating: width << $0, count: $0 == 0 ? 4 : 5) }
            let madeNorms = norms.made.map(\.channels)
            if madeNorms.sorted() != wantedNorms.sorted() {
                throw CheckFailure(
                    "\(what) should make 20 normalisation layers with norm (one after each of its 20 convolutions), "
                        + "but made \(madeNorms.count): \(madeNorms)")
            }
            let registered = Set(params.map(ObjectIdentifier.init))
            if norms.made.contains(where: {
                !registered.contains(ObjectIdentifier($0.weight)) || !registered.contains(ObjectIdentifier($0.bias))
            }) {
                throw CheckFailure(
                    "\(what) has \(total) parameters, torchvision's has \(expected): some normalisation layers' weight "
                        + "and bias are not among the model's parameters, so they would never train (keep each layer "
                        + "in a stored property or a Sequential; modules kept in an array need registerModules)")
            }
            throw CheckFailure(
                "\(what) has \(total) parameters, torchvision's has \(expected): its convolutions are right, "
                    + "so look at the last layer (a Linear from \(8 * width) features to \(classes) classes)")
        }
    }

    /// Expected (channels, side) seen by the normalisation layers for a square input of `side`.
    static func expectedMaps(width w: Int, side: Int) -> [[Int]] {
        var maps = [[w, side / 2]]
        for stage in 0..<4 {
            let size = (side / 4) >> stage
            let count = stage == 0 ? 4 : 5
            maps += [[Int]](repeating: [w << stage, Swift.max(size, 1)], count: count)
        }
        return maps.sorted { $0.lexicographicallyPrecedes($1) }
    }

    func featureMapSizes() throws {
        GlobalRandom.manualSeed(4)
        for side in [64, 224] {
            let norms = NormFactory(identity: true)
            norms.expectResNet(width: 8, side: side)
            let (model, out) = try answer { () -> (Module, Tensor) in
                let model = self.student.resnet18(10, 8, norms.make)
                return (model, model(Tensor.randn([2, 3, side, side]) * 0.5))
            }
            try expect(
                out.shape == [2, 10],
                "resnet18(numClasses: 10) turned a batch of shape [2, 3, \(side), \(side)] into \(out.shape), "
                    + "expected [2, 10]")
            _ = model
            let seen = norms.made.flatMap { layer in layer.seen.map { [$0[1], $0[2]] } }
            let wanted = Self.expectedMaps(width: 8, side: side)
            if seen.sorted(by: { $0.lexicographicallyPrecedes($1) }) != wanted {
                var lines: [String] = []
                for (index, channels) in [8, 16, 32, 64].enumerated() {
                    let sizes = seen.filter { $0[0] == channels }.map { $0[1] }
                    let expected = wanted.filter { $0[0] == channels }.map { $0[1] }
                    if sizes.sorted() != expected.sorted() {
                        lines.append(
                            "with \(channels) channels (\(index == 0 ? "stem and stage 1" : "stage \(index + 1)")) "
                                + "sizes \(Array(expected.sorted().reversed())) expected, found \(sizes)")
                    }
                }
                throw CheckFailure(
                    "for a \(side)×\(side) input, the feature maps should be \(side / 2)×\(side / 2) after the stem's "
                        + "convolution, \(side / 4)×\(side / 4) after its max pool, then halve at the start of stages 2, "
                        + "3 and 4; the normalisation layers saw other sizes: "
                        + lines.joined(separator: "; "))
            }
        }
    }

    func stemReLUAndOutput() throws {
        // With identity norms, and the stem's normalisation shifted far below zero, a ReLU after it
        // leaves only zeros for the stages (convolutions without bias, identity norms and ReLUs keep
        // zeros zero): the network's output is then its Linear layer's bias, whatever the input.
        GlobalRandom.manualSeed(6)
        let norms = NormFactory(identity: true)
        norms.expectResNet(width: 8, side: 64)
        let model = try answer { self.student.resnet18(10, 8, norms.make) }
        let (x1, x2) = (Tensor.randn([2, 3, 64, 64]), Tensor.randn([2, 3, 64, 64]))
        _ = try answer { model(x1) }
        guard let stem = norms.made.first(where: { $0.seen.contains([2, 8, 32, 32]) }) else {
            throw CheckFailure("no normalisation layer follows the stem's 7×7 convolution (8 channels, 32×32 maps)")
        }
        let biases = model.parameters().filter { $0.shape == [10] }
        guard biases.count == 1, let bias = biases.first else {
            throw CheckFailure(
                "resnet18(numClasses: 10) should end with one Linear layer to 10 classes (with a bias of shape [10]); "
                    + "it has \(biases.count) parameters of shape [10]")
        }
        let logits: [Float] = [-3, -2, -1, -0.5, 0, 0.5, 1, 2, 3, -1.5]
        bias.assign(Tensor(logits, shape: [10]))
        stem.bias.assign(Tensor([Float](repeating: -1000, count: 8), shape: [8]))
        let (y1, y2) = try answer { (model(x1), model(x2)) }
        try expect(
            maxDifference(y1, y2) < 1e-4,
            "the stem should be convolution, norm, ReLU, max pool: with the stem's normalisation giving only "
                + "negative numbers, the output still depends on the input, so no ReLU follows it before the stages")
        let expected = Tensor(logits + logits, shape: [2, 10])
        try expect(
            maxDifference(y1, expected) < 1e-4,
            "the network's output should be its last Linear layer's output (scores, which may be negative), with "
                + "nothing after it: with a bias of [\(logits.map { cFormat("%g", Double($0)) }.joined(separator: ", "))] "
                + "and zero features it gives "
                + "[\(y1.toArray().prefix(10).map { cFormat("%.3g", Double($0)) }.joined(separator: ", "))]: "
                + "is a ReLU or softmax applied after it?")
    }

    func gradientsReachTheStem() throws {
        GlobalRandom.manualSeed(5)
        let norms = NormFactory()
        norms.expectResNet(width: 8, side: 64)
        let model = try answer { self.student.resnet18(10, 8, norms.make) }
        let x = Tensor.randn([2, 3, 64, 64])
        try answer { (model(x) * Tensor.randn([2, 10])).sum().backward() }
        let params = model.parameters()
        guard let stem = params.first(where: { $0.shape == [8, 3, 7, 7] }) else {
            throw CheckFailure("resnet18 with width 8 has no 7×7 stem convolution of shape [8, 3, 7, 7]")
        }
        let stemGradient = stem.grad?.toArray().map { Swift.abs($0) }.max() ?? 0
        try expect(
            stemGradient > 0 && stemGradient.isFinite,
            "no gradient reaches the first (7×7) convolution: is it part of the model's forward?")
        if let lost = params.first(where: { p in (p.grad?.toArray().allSatisfy { $0 == 0 }) ?? true }) {
            throw CheckFailure(
                "a parameter of shape \(lost.shape) gets no gradient: is its layer used in forward?")
        }
    }

    func trainsWithTheLearner() throws {
        // First a run with the guarded stand-in layers: a network whose shapes do not fit together
        // fails here, with a message, instead of stopping the program during training.
        let norms = NormFactory(identity: true)
        norms.expectResNet(width: 4, side: 16)
        _ = try answer { self.student.resnet18(2, 4, norms.make)(Tensor.randn([2, 3, 16, 16])) }
        // Two classes of 16×16 images: brighter on the left half, or on the right.
        var g = SeededGenerator(seed: 9)
        let n = 64
        let y = Tensor((0..<n).map { Float($0 % 2) }, shape: [n])
        let x = Tensor(shape: [n, 3, 16, 16]) { out in
            g.fillNormal(out, std: 0.5)
            for i in 0..<n {
                for c in 0..<3 {
                    for r in 0..<16 {
                        for col in (i % 2 == 0 ? 0..<8 : 8..<16) { out[((i * 3 + c) * 16 + r) * 16 + col] += 1 }
                    }
                }
            }
        }
        let data = DataLoaders(InMemoryBatches(x: x, y: y, bs: 16), InMemoryBatches(x: x, y: y, bs: 64))
        GlobalRandom.manualSeed(3)
        let track = TrackResults()
        track.write = { _ in }
        try answer {
            let model = self.student.resnet18(2, 4) { LayerNorm2d($0) }
            let learn = Learner(model, data, lossFunc: crossEntropy, lr: 0.05, cbs: [track])
            learn.showProgress = false
            try learn.fit(4)
        }
        let train = track.history.filter(\.training)
        try expect(train.count == 4, "the Learner ran \(train.count) training epochs instead of 4")
        try expect(
            train.allSatisfy { $0.loss.isFinite } && train.last!.loss < train.first!.loss,
            "four epochs with the Learner did not lower the training loss (losses: "
                + train.map { cFormat("%.4f", Double($0.loss)) }.joined(separator: ", ") + ")")
    }
}

/// A layer norm over channels, height and width, with a per-channel scale and shift: a
/// normalisation that needs no batch statistics, for the training check.
final class LayerNorm2d: Module {
    let weight: Parameter, bias: Parameter
    init(_ channels: Int) {
        weight = Parameter(Tensor.ones([1, channels, 1, 1]))
        bias = Parameter(Tensor.zeros([1, channels, 1, 1]))
        super.init()
    }
    override func forward(_ x: Tensor) -> Tensor {
        let mean = x.mean(1, 2, 3, keepDim: true)
        let variance = (x - mean).pow(2).mean(1, 2, 3, keepDim: true)
        return (x - mean) / (variance + 1e-5).sqrt() * weight + bias
    }
}

/// The ways of computing a block that the checks know: torchvision's, and common mistakes.
enum BlockVariant {
    case torchvision, noShortcut, reluBeforeAdd, noFinalReLU, noInnerReLU, strideOnSecondConv, normBeforeConv
}

/// One assignment of a block's weights to their parts, and the block computed from it by the
/// checker (outside any graph).
struct BlockLayers {
    let conv1: Tensor, conv2: Tensor, shortcut: Tensor?
    let norm1: ChannelAffine, norm2: ChannelAffine, shortcutNorm: ChannelAffine?

    func affine(_ x: Tensor, _ n: ChannelAffine) -> Tensor {
        let c = x.shape[1]
        guard c == n.channels else { return x }
        return x * n.weight.detach().reshape([1, c, 1, 1]) + n.bias.detach().reshape([1, c, 1, 1])
    }

    func conv(_ x: Tensor, _ w: Tensor, stride: Int) -> Tensor {
        conv2d(x, w.detach(), nil, stride: stride, padding: w.shape[2] / 2)
    }

    func output(_ x: Tensor, stride: Int, _ variant: BlockVariant) -> Tensor {
        noGrad {
            let (s1, s2) = variant == .strideOnSecondConv ? (1, stride) : (stride, 1)
            let main: Tensor
            if variant == .normBeforeConv {
                guard conv1.shape[0] == conv1.shape[1] else { return Tensor.zeros([1]) }
                main = conv(affine(conv(affine(x, norm1), conv1, stride: s1).relu(), norm2), conv2, stride: s2)
            } else {
                let inner = affine(conv(x, conv1, stride: s1), norm1)
                main = affine(conv(variant == .noInnerReLU ? inner : inner.relu(), conv2, stride: s2), norm2)
            }
            var side = x
            if let shortcut, let shortcutNorm { side = affine(conv(x, shortcut, stride: stride), shortcutNorm) }
            guard side.shape == main.shape else { return Tensor.zeros([1]) }
            switch variant {
            case .noShortcut: return main.relu()
            case .reluBeforeAdd: return main.relu() + side
            case .noFinalReLU: return main + side
            default: return (main + side).relu()
            }
        }
    }
}

/// The counts of resnet18's parameters that PyTorch computed (fixtures.json, written by make_fixtures.py).
struct R1Fixtures: Decodable {
    let resnet18TenClasses: Int
    let resnet18Width8SevenClasses: Int

    static func load() throws -> R1Fixtures {
        try JSONDecoder().decode(R1Fixtures.self, from: Data(fixturesJSON.utf8))
    }
}

/// Largest absolute difference between two tensors, infinity if their shapes differ.
func maxDifference(_ a: Tensor, _ b: Tensor) -> Float {
    guard a.shape == b.shape else { return .infinity }
    return zip(a.toArray(), b.toArray()).map { Swift.abs($0 - $1) }.max() ?? 0
}

/// Every ordering of `items` (at most 3 here).
func permutations<T>(_ items: [T]) -> [[T]] {
    guard items.count > 1 else { return [items] }
    return items.indices.flatMap { i -> [[T]] in
        var rest = items
        let first = rest.remove(at: i)
        return permutations(rest).map { [first] + $0 }
    }
}

/// The elements of `a` not matched by one of `b` (a multiset difference).
func difference(_ a: [[Int]], _ b: [[Int]]) -> [[Int]] {
    var pool = b
    return a.filter { item in
        if let i = pool.firstIndex(of: item) {
            pool.remove(at: i)
            return false
        }
        return true
    }
}
