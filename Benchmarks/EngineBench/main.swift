// Times the tensor engine on the work the chapter gives it: matrix products, the simple CNN's four
// convolutions, and one whole training step of that CNN, written with raw engine ops (bs 128,
// 3×64×64 images, 10 classes). Prints a table; run it in release for the figures that count:
//
//     swift run -c release EngineBench
//
// Benchmarks/torch_step.py times the same step in PyTorch with two threads, for comparison.
// Arguments pick sections (`sgemm`, `conv`, `step`, `sgd`; all by default); `--threads N` sets the
// OpenBLAS and compute threads (for profiling with one thread); `--openblas-conv` turns the AVX2
// convolution kernels off, to time the OpenBLAS path they replace on the same machine.
import Shared

#if canImport(Glibc)
    import Glibc
#endif

/// Seconds on `clock` (wall time by default, or this process's CPU time over all its threads).
func seconds(_ clock: clockid_t = CLOCK_MONOTONIC) -> Double {
    var t = timespec()
    clock_gettime(clock, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// Median wall and CPU seconds of `runs` calls of `body` after `warmup` untimed ones. CPU time
/// above wall time shows the cores at work; CPU time far below it shows other processes taking them.
func medianTime(warmup: Int, runs: Int, _ body: () -> Void) -> (wall: Double, cpu: Double) {
    for _ in 0..<warmup { body() }
    var walls: [Double] = [], cpus: [Double] = []
    for _ in 0..<runs {
        let wall = seconds(), cpu = seconds(CLOCK_PROCESS_CPUTIME_ID)
        body()
        walls.append(seconds() - wall)
        cpus.append(seconds(CLOCK_PROCESS_CPUTIME_ID) - cpu)
    }
    return (walls.sorted()[runs / 2], cpus.sorted()[runs / 2])
}

/// `text` right-aligned in a column of `width`.
func pad(_ text: String, _ width: Int) -> String {
    String(repeating: " ", count: Swift.max(0, width - text.count)) + text
}

/// Seconds as milliseconds with two decimals.
func ms(_ seconds: Double) -> String { cFormat("%.2f", seconds * 1000) }

var generator = SeededGenerator(seed: 0)
let batch = 128
/// The four 3×3, stride-2, padding-1 convolutions of the chapter's `simple_cnn` on 64×64 input:
/// (input channels, output channels, input size).
let convs = [(3, 16, 64), (16, 32, 32), (32, 64, 16), (64, 128, 8)]

/// sgemm GFLOPS through `Tensor.matmul` on square matrices.
func benchSGEMM() {
    print("\nsgemm through Tensor.matmul, n×n · n×n (median)")
    print(pad("n", 6) + pad("ms", 10) + pad("GFLOPS", 10))
    for (n, runs) in [(256, 51), (1024, 11), (2048, 5)] {
        let a = Tensor.randn([n, n], using: &generator), b = Tensor.randn([n, n], using: &generator)
        let t = medianTime(warmup: 2, runs: runs) { _ = a.matmul(b) }.wall
        print(pad("\(n)", 6) + pad(ms(t), 10) + pad(cFormat("%.1f", 2 * Double(n * n * n) / t / 1e9), 10))
    }
}

/// Forward and backward milliseconds of each of the simple CNN's convolutions.
func benchConvs() {
    print("\nconv2d 3×3 stride 2 padding 1 with bias, batch \(batch) (median ms of 10)")
    print(pad("layer", 18) + pad("forward", 10) + pad("backward", 10) + pad("total", 10))
    for (cin, cout, size) in convs {
        let x = Tensor.randn([batch, cin, size, size], using: &generator)
        // Inside the network only the first layer's input needs no gradient.
        if cin != 3 { x.requiringGrad() }
        let w = Tensor.zeros([cout, cin, 3, 3]).kaimingNormal_(using: &generator).requiringGrad()
        let b = Tensor.zeros([cout]).requiringGrad()
        let upstream = Tensor.randn([batch, cout, size / 2, size / 2], using: &generator)
        var forward: [Double] = [], backward: [Double] = []
        for run in 0..<13 {
            let t0 = seconds()
            let y = conv2d(x, w, b, stride: 2, padding: 1)
            let t1 = seconds()
            y.backward(gradient: upstream)
            let t2 = seconds()
            x.grad = nil
            w.grad = nil
            b.grad = nil
            if run >= 3 {
                forward.append(t1 - t0)
                backward.append(t2 - t1)
            }
        }
        let f = forward.sorted()[5], bw = backward.sorted()[5]
        print(pad("\(cin)→\(cout) \(size)×\(size)", 18) + pad(ms(f), 10) + pad(ms(bw), 10) + pad(ms(f + bw), 10))
    }
}

/// One whole training step of simple_cnn, as `Learner.one_batch` will run it: forward, cross
/// entropy, backward and the chapter's `SGD.step()`.
func benchStep() {
    let weights = convs.map { Parameter(Tensor.zeros([$0.1, $0.0, 3, 3]).kaimingNormal_(using: &generator)) }
    let biases = convs.map { Parameter(Tensor.zeros([$0.1])) }
    let linearW = Parameter(Tensor.zeros([10, 128]).xavierNormal_(using: &generator))
    let linearB = Parameter(Tensor.zeros([10]))
    let optimizer = SGD(weights + biases + [linearW, linearB], lr: 0.01)
    let images = Tensor.randn([batch, 3, 64, 64], using: &generator)
    let labels = (0..<batch).map { _ in Int(generator.next() % 10) }
    let rows = Array(0..<batch)

    var losses: [Float] = []
    func step() {
        var h = images
        for (w, b) in zip(weights, biases) { h = conv2d(h, w, b, stride: 2, padding: 1).relu() }
        let logits = h.mean(2, 3).matmul(linearW.t()) + linearB
        let logSoftmax = logits - logits.logsumexp(axis: 1, keepDim: true)
        let loss = -logSoftmax[rows, labels].mean()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    }
    let t = medianTime(warmup: 3, runs: 20, step)
    print("\nsimple_cnn training step, batch \(batch), 3×64×64: forward, loss, backward, SGD (median of 20)")
    print(
        "  \(ms(t.wall)) ms wall, \(ms(t.cpu)) ms CPU; loss \(cFormat("%.4f", Double(losses[0]))) → "
            + "\(cFormat("%.4f", Double(losses.last!))) over \(losses.count) steps on one batch")
    // Machine-readable, for Benchmarks/bench.sh.
    print("STEP ms_wall=\(ms(t.wall)) ms_cpu=\(ms(t.cpu))")
}

/// The chapter's `SGD.step()` alone, on simple_cnn's parameters (about 100k numbers): what the
/// update costs beside the rest of a training step, and beside one fused pass over the numbers (the
/// backend primitive the engine once had for it). Each timed call first refills the gradients
/// (step zeroes them), timed apart and subtracted.
func benchSGD() {
    let shapes = convs.flatMap { [[$0.1, $0.0, 3, 3], [$0.1]] } + [[10, 128], [10]]
    let parameters = shapes.map { Parameter(Tensor.randn($0, using: &generator)) }
    let gradients = shapes.map { Tensor.randn($0, using: &generator) * 1e-3 }
    for (p, g) in zip(parameters, gradients) { p.grad = g.copy() }
    let refill = { for (p, g) in zip(parameters, gradients) { p.grad!.assign(g) } }
    print("\nSGD.step() on simple_cnn's \(parameters.reduce(0) { $0 + $1.count }) parameters (median of 201)")
    for wd: Float in [0, 0.01] {
        let optimizer = SGD(parameters, lr: 0.01, wd: wd)
        let both = medianTime(warmup: 20, runs: 201) {
            refill()
            optimizer.step()
        }
        let refillOnly = medianTime(warmup: 20, runs: 201, refill)
        let step = (wall: both.wall - refillOnly.wall, cpu: both.cpu - refillOnly.cpu)
        print("  wd \(wd): \(cFormat("%.3f", step.wall * 1000)) ms wall, \(cFormat("%.3f", step.cpu * 1000)) ms CPU")
        print("SGD wd=\(wd) ms_wall=\(cFormat("%.3f", step.wall * 1000)) ms_cpu=\(cFormat("%.3f", step.cpu * 1000))")
    }
    let fused = medianTime(warmup: 20, runs: 201) {
        refill()
        for p in parameters {
            let values = p.storage.host!, grad = p.grad!.storage.host!
            for i in 0..<p.count {
                values[i] -= 0.01 * (grad[i] + 0.01 * values[i])
                grad[i] = 0
            }
        }
    }
    let refillOnly = medianTime(warmup: 20, runs: 201, refill)
    print("  one fused pass, for comparison: \(cFormat("%.3f", (fused.wall - refillOnly.wall) * 1000)) ms wall")
}

var arguments = Array(CommandLine.arguments.dropFirst())
if let i = arguments.firstIndex(of: "--threads") {
    guard i + 1 < arguments.count, let n = Int(arguments[i + 1]), n >= 1 else {
        print("error: EngineBench: --threads needs a positive number")
        exit(2)
    }
    CPUThreads.computeThreads = n
    arguments.removeSubrange(i...(i + 1))
}
if let i = arguments.firstIndex(of: "--openblas-conv") {
    CPUBackend.usesVectorKernels = false
    arguments.remove(at: i)
}
let sections = ["sgemm": benchSGEMM, "conv": benchConvs, "step": benchStep, "sgd": benchSGD]
let chosen = arguments.isEmpty ? ["sgemm", "conv", "step", "sgd"] : arguments
if let unknown = chosen.first(where: { sections[$0] == nil }) {
    print(
        "error: EngineBench: unknown section \(unknown); choose from sgemm, conv, step, sgd, --threads N and "
            + "--openblas-conv"
    )
    exit(2)
}
let convKernels =
    !CPUBackend.hasVectorKernels
    ? "OpenBLAS (this CPU has no AVX2+FMA)"
    : CPUBackend.usesVectorKernels ? "AVX2 kernels, OpenBLAS for the weight gradient" : "OpenBLAS (--openblas-conv)"
print("EngineBench: \(CPUThreads.computeThreads) threads (OpenBLAS on one thread each); convolutions: \(convKernels)")
for name in chosen { sections[name]!() }
