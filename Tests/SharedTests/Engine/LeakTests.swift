import Testing

@testable import Shared

#if canImport(Glibc)
    import Glibc
#endif

/// Training steps must give back everything they allocate: a graph that kept itself alive (a
/// closure capturing its own output) would grow memory by megabytes a step.
@Suite struct LeakTests {
    /// Resident memory of this process in bytes, from `/proc/self/statm`.
    static func residentBytes() -> Int {
        guard let file = fopen("/proc/self/statm", "r") else { return 0 }
        defer { fclose(file) }
        var size = 0, resident = 0
        guard
            withUnsafeMutablePointer(
                to: &size,
                { s in
                    withUnsafeMutablePointer(to: &resident) { r in withVaList([s, r]) { vfscanf(file, "%ld %ld", $0) } }
                }) == 2
        else { return 0 }
        return resident * sysconf(Int32(_SC_PAGESIZE))
    }

    /// A little conv + linear network trained with the chapter's loss; returns weak references to
    /// the tensors of the step's graph.
    final class Net {
        var generator = SeededGenerator(seed: 3)
        let convW: Parameter, convB: Parameter, linW: Parameter, linB: Parameter
        let x: Tensor
        let labels = [0, 1, 2, 0, 1, 2, 0, 1]

        init() {
            convW = Parameter(Tensor.zeros([8, 3, 3, 3]).kaimingNormal_(using: &generator))
            convB = Parameter(Tensor.zeros([8]))
            linW = Parameter(Tensor.zeros([3, 8]).xavierNormal_(using: &generator))
            linB = Parameter(Tensor.zeros([3]))
            x = Tensor.randn([8, 3, 16, 16], using: &generator)
        }

        struct Weak { weak var tensor: Tensor? }

        func step() -> (loss: Float, graph: [Weak]) {
            let h = Shared.conv2d(x, convW, convB, stride: 2, padding: 1).relu()
            let pooled = h.mean(2, 3)
            let logits = pooled.matmul(linW.t()) + linB
            let logSoftmax = logits - logits.logsumexp(axis: 1, keepDim: true)
            let loss = -logSoftmax[Array(0..<labels.count), labels].mean()
            loss.backward()
            SGD([convW, convB, linW, linB], lr: 0.1, wd: 1e-4).step()
            return (loss.item(), [h, pooled, logits, logSoftmax, loss].map { Weak(tensor: $0) })
        }
    }

    @Test func trainingStepsDoNotGrowMemory() {
        let net = Net()
        var first: Float = 0, last: Float = 0
        for i in 0..<100 {
            let (loss, graph) = net.step()
            if i == 0 { first = loss }
            #expect(graph.allSatisfy { $0.tensor == nil }, "step \(i) left graph tensors alive")
        }
        let before = LeakTests.residentBytes()
        for _ in 0..<1000 { last = net.step().loss }
        let growth = LeakTests.residentBytes() - before
        // One step allocates about 0.4 MB (the im2col buffer alone is 147 KB), so a leak of the
        // graph would add hundreds of MB over 1000 steps; other tests running in parallel can move
        // the resident size by a few MB.
        #expect(growth < 24 << 20, "resident memory grew by \(growth >> 10) KiB over 1000 steps")
        // The steps really trained.
        #expect(last < first)
    }
}
