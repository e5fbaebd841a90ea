// Times the tensor engine on the work the chapter gives it: matrix products, the simple CNN's four
// convolutions, and one whole training step of that CNN, written with raw engine ops (bs 128,
// 3×64×64 images, 10 classes). Prints a table; run it in release for the figures that count:
//
//     swift run -c release EngineBench
//
// Benchmarks/torch_step.py times the same step in PyTorch with two threads, for comparison.
// Arguments pick sections (`sgemm`, `conv`, `step`; all by default); `--threads N` sets the
// OpenBLAS and compute threads (for profiling with one thread).
import Shared
#if canImport(Glibc)
import Glibc
#endif

/// Seconds on a monotonic clock.
func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// The median of `runs` timings of `body` (seconds) after `warmup` untimed calls.
func medianTime(warmup: Int, runs: Int, _ body: () -> Void) -> Double {
    for _ in 0..<warmup { body() }
    var times: [Double] = []
    for _ in 0..<runs {
        let start = now()
        body()
        times.append(now() - start)
    }
    times.sort()
    return times[times.count / 2]
}

/// A column of the table, right-aligned to `width`.
func pad(_ text: String, _ width: Int) -> String {
    String(repeating: " ", count: Swift.max(0, width - text.count)) + text
}

func ms(_ seconds: Double) -> String { cFormat("%.2f", seconds * 1000) }

var arguments = Array(CommandLine.arguments.dropFirst())
if let i = arguments.firstIndex(of: "--threads"), i + 1 < arguments.count, let n = Int(arguments[i + 1]) {
    CPUThreads.setBLASThreads(n)
    CPUThreads.computeThreads = n
    arguments.removeSubrange(i...(i + 1))
}
let sections = arguments.isEmpty ? ["sgemm", "conv", "step"] : arguments
if let unknown = sections.first(where: { !["sgemm", "conv", "step"].contains($0) }) {
    print("error: EngineBench: unknown section \(unknown); choose from sgemm, conv, step, --threads N")
    exit(2)
}

var generator = SeededGenerator(seed: 0)
print("EngineBench: \(CPUThreads.blasThreads) OpenBLAS threads, \(CPUThreads.computeThreads) compute threads")

// MARK: sgemm through Tensor.matmul

if sections.contains("sgemm") {
print("\nsgemm (Tensor.matmul, n×n · n×n)")
print(pad("n", 6) + pad("ms", 10) + pad("GFLOPS", 10))
for (n, runs) in [(256, 50), (1024, 10), (2048, 5)] {
    let a = Tensor.randn([n, n], using: &generator), b = Tensor.randn([n, n], using: &generator)
    let t = medianTime(warmup: 2, runs: runs) { _ = a.matmul(b) }
    print(pad("\(n)", 6) + pad(ms(t), 10) + pad(cFormat("%.1f", 2 * Double(n * n * n) / t / 1e9), 10))
}
}

// MARK: the simple CNN's convolutions, one by one

/// The four 3×3, stride-2, padding-1 convolutions of the chapter's `simple_cnn` on 64×64 input.
let convs = [(3, 16, 64), (16, 32, 32), (32, 64, 16), (64, 128, 8)]
let batch = 128

if sections.contains("conv") {
print("\nconv2d 3×3 stride 2 padding 1 with bias, batch \(batch) (median ms)")
print(pad("layer", 22) + pad("forward", 10) + pad("backward", 10) + pad("total", 10))
for (cin, cout, size) in convs {
    let x = Tensor.randn([batch, cin, size, size], using: &generator)
    // Inside the network only the first layer's input needs no gradient.
    if cin != 3 { x.requiringGrad() }
    let w = Tensor.zeros([cout, cin, 3, 3]).kaimingNormal_(using: &generator).requiringGrad()
    let b = Tensor.zeros([cout]).requiringGrad()
    let upstream = Tensor.randn([batch, cout, size / 2, size / 2], using: &generator)
    var forward: [Double] = [], backward: [Double] = []
    for run in 0..<13 {
        let t0 = now()
        let y = conv2d(x, w, b, stride: 2, padding: 1)
        let t1 = now()
        y.backward(gradient: upstream)
        let t2 = now()
        x.grad = nil; w.grad = nil; b.grad = nil
        if run >= 3 { forward.append(t1 - t0); backward.append(t2 - t1) }
    }
    forward.sort(); backward.sort()
    let f = forward[forward.count / 2], bw = backward[backward.count / 2]
    print(pad("\(cin)→\(cout) \(size)×\(size)", 22) + pad(ms(f), 10) + pad(ms(bw), 10) + pad(ms(f + bw), 10))
}
}

// MARK: a whole training step

/// simple_cnn's parameters: four convs with bias, then a 128 → 10 linear layer.
let weights = convs.map { Tensor.zeros([$0.1, $0.0, 3, 3]).kaimingNormal_(using: &generator).requiringGrad() }
let biases = convs.map { Tensor.zeros([$0.1]).requiringGrad() }
let linearW = Tensor.zeros([10, 128]).xavierNormal_(using: &generator).requiringGrad()
let linearB = Tensor.zeros([10]).requiringGrad()
let parameters = weights + biases + [linearW, linearB]
let images = Tensor.randn([batch, 3, 64, 64], using: &generator)
let labels = (0..<batch).map { _ in Int(generator.next() % 10) }
let rows = Array(0..<batch)

/// Forward, cross entropy, backward and the SGD update, as `Learner.one_batch` will do them.
func trainingStep() -> Float {
    var h = images
    for (w, b) in zip(weights, biases) { h = conv2d(h, w, b, stride: 2, padding: 1).relu() }
    let logits = h.mean(2, 3).matmul(linearW.t()) + linearB
    let logSoftmax = logits - logits.logsumexp(axis: 1, keepDim: true)
    let loss = -logSoftmax[rows, labels].mean()
    loss.backward()
    noGrad { for p in parameters { p.sgdStep(lr: 0.01, weightDecay: 0) } }
    return loss.item()
}

if sections.contains("step") {
var lastLoss: Float = 0
let stepTime = medianTime(warmup: 3, runs: 20) { lastLoss = trainingStep() }
print("\nsimple_cnn training step, batch \(batch), 3×64×64 (forward, loss, backward, SGD)")
print("  median of 20: \(ms(stepTime)) ms   (loss after 23 steps on one batch: \(cFormat("%.4f", Double(lastLoss))))")
}
