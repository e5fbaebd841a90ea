// Times the tensor engine on the work the chapter gives it: matrix products, the simple CNN's four
// convolutions, and one whole training step of that CNN, written with raw engine ops (bs 128,
// 3×64×64 images, 10 classes). Prints a table; run it in release for the figures that count:
//
//     swift run -c release EngineBench
//
// Benchmarks/torch_step.py times the same step in PyTorch with two threads, for comparison.
// Arguments pick sections (`sgemm`, `conv`, `step`, `sgd`; all by default); `--threads N` sets the
// OpenBLAS and compute threads (for profiling with one thread); `--openblas-conv` turns the vector
// convolution kernels off, to time the OpenBLAS path they replace on the same machine, and `--avx2`
// runs the AVX2 kernels on a CPU that has AVX-512.
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
    for (n, runs) in [(256, 51), (1024, 11)] {
        let t = sgemmSeconds(n, runs: runs)
        print(pad("\(n)", 6) + pad(ms(t), 10) + pad(cFormat("%.1f", 2 * Double(n * n * n) / t / 1e9), 10))
    }
    let rate = sgemmRate()
    print(
        pad("2048", 6) + pad(ms(2 * 2048.0 * 2048 * 2048 / rate.wall), 10) + pad(cFormat("%.1f", rate.wall / 1e9), 10))
    print(
        "SGEMM n=2048 gflops=\(cFormat("%.1f", rate.wall / 1e9)) "
            + "gflops_per_cpu_second=\(cFormat("%.1f", rate.cpu / 1e9))")
}

/// Median seconds of an n×n · n×n product.
func sgemmSeconds(_ n: Int, runs: Int) -> Double { sgemmTime(n, runs: runs).wall }

/// Median wall and CPU seconds of an n×n · n×n product.
func sgemmTime(_ n: Int, runs: Int) -> (wall: Double, cpu: Double) {
    let a = Tensor.randn([n, n], using: &generator), b = Tensor.randn([n, n], using: &generator)
    return medianTime(warmup: 2, runs: runs) { _ = a.matmul(b) }
}

/// FLOP per second of sgemm at n = 2048, measured once per process: the machine's practical FMA
/// limit, against which the convolutions and the step are measured. Per second of wall time, and
/// per second of CPU time over all threads (which other processes on the cores disturb less).
nonisolated(unsafe) var measuredSGEMMRate: (wall: Double, cpu: Double)?
func sgemmRate() -> (wall: Double, cpu: Double) {
    if let rate = measuredSGEMMRate { return rate }
    let t = sgemmTime(2048, runs: 5), flop = 2 * 2048.0 * 2048 * 2048
    let rate = (wall: flop / t.wall, cpu: flop / t.cpu)
    measuredSGEMMRate = rate
    return rate
}

/// One of the simple CNN's convolutions, with its tensors, timed by part through the CPU backend.
struct ConvLayer {
    let cin: Int, cout: Int, size: Int
    let geometry: ConvGeometry
    let x: Tensor, w: Tensor, b: Tensor, upstream: Tensor

    init(_ shape: (Int, Int, Int)) {
        (cin, cout, size) = shape
        geometry = ConvGeometry(
            batch: batch, channels: cin, height: size, width: size, kernelH: 3, kernelW: 3, stride: 2, padding: 1)
        x = Tensor.randn([batch, cin, size, size], using: &generator)
        w = Tensor.zeros([cout, cin, 3, 3]).kaimingNormal_(using: &generator)
        b = Tensor.zeros([cout])
        upstream = Tensor.randn([batch, cout, size / 2, size / 2], using: &generator)
    }

    /// FLOP of one part (each is one product of the same size): 2 · N · F · OH·OW · C·3·3.
    var flop: Double { 2 * Double(batch * cout * geometry.outH * geometry.outW * geometry.patch) }

    /// Median wall and CPU seconds of the forward pass (bias included), the weight gradient (with the bias's)
    /// and the input gradient, each alone. The first layer's input needs no gradient in the step.
    func partTimes(runs: Int = 11) -> (
        forward: (wall: Double, cpu: Double), weight: (wall: Double, cpu: Double), input: (wall: Double, cpu: Double)?
    ) {
        let cpu = CPUBackend.shared, g = geometry
        let out = cpu.allocate(upstream.count), dw = cpu.allocate(w.count), db = cpu.allocate(cout)
        let dx = cpu.allocate(x.count)
        let forward = medianTime(warmup: 2, runs: runs) {
            cpu.conv2dForward(x.storage, weight: w.storage, bias: b.storage, filters: cout, g, into: out)
        }
        let weight = medianTime(warmup: 2, runs: runs) {
            cpu.conv2dBackward(
                upstream.storage, x: x.storage, weight: w.storage, filters: cout, g, dx: nil, dweight: dw, dbias: db)
        }
        let input = medianTime(warmup: 2, runs: runs) {
            cpu.conv2dBackward(
                upstream.storage, x: x.storage, weight: w.storage, filters: cout, g, dx: dx, dweight: nil, dbias: nil)
        }
        return (forward, weight, cin == 3 ? nil : input)
    }
}

/// Each part of each of the simple CNN's convolutions: milliseconds, GFLOPS, and the share of the
/// sgemm rate measured in this process, by wall time and by CPU time over both threads.
func benchConvs() {
    let rate = sgemmRate()
    print(
        "\nconv2d 3×3 stride 2 padding 1, batch \(batch), through the CPU backend (median of 11); share of "
            + "sgemm's rate at n = 2048, \(cFormat("%.1f", rate.wall / 1e9)) GFLOPS of wall time and "
            + "\(cFormat("%.1f", rate.cpu / 1e9)) per CPU-second")
    print(
        pad("layer", 16) + pad("part", 9) + pad("ms", 8) + pad("GFLOPS", 8) + pad("% sgemm", 9)
            + pad("CPU ms", 8) + pad("% by CPU", 10) + pad("target", 8))
    for shape in convs {
        let layer = ConvLayer(shape), t = layer.partTimes()
        let name = "\(layer.cin)→\(layer.cout) \(layer.size)×\(layer.size)"
        let target = layer.cin == 3 ? 50 : 75
        for (part, time) in [("forward", t.forward), ("weight", t.weight), ("input", t.input)] {
            guard let time else { continue }
            let gflops = layer.flop / time.wall / 1e9, share = layer.flop / time.wall / rate.wall
            let cpuShare = layer.flop / time.cpu / rate.cpu
            print(
                pad(name, 16) + pad(part, 9) + pad(ms(time.wall), 8) + pad(cFormat("%.1f", gflops), 8)
                    + pad(cFormat("%.0f %%", share * 100), 9) + pad(ms(time.cpu), 8)
                    + pad(cFormat("%.0f %%", cpuShare * 100), 10) + pad("≥ \(target) %", 8))
            print(
                "CONV layer=\(layer.cin)-\(layer.cout) part=\(part) ms=\(ms(time.wall)) ms_cpu=\(ms(time.cpu)) "
                    + "gflops=\(cFormat("%.1f", gflops)) sgemm_share=\(cFormat("%.3f", share)) "
                    + "sgemm_share_cpu=\(cFormat("%.3f", cpuShare))")
        }
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
    let rate = sgemmRate()
    let layers = convs.map { ConvLayer($0) }
    let flop = layers.reduce(0) { $0 + $1.flop * ($1.cin == 3 ? 2 : 3) }
    let forwardFlop = layers.reduce(0) { $0 + $1.flop }
    let limit = flop / rate.wall, cpuLimit = flop / rate.cpu
    print(
        "  FMA limit: the convolutions' \(cFormat("%.3f", flop / 1e9)) GFLOP at sgemm's "
            + "\(cFormat("%.1f", rate.wall / 1e9)) GFLOPS (n = 2048) take \(ms(limit)) ms; the step is at "
            + "\(cFormat("%.2f", t.wall / limit))× that (by CPU time: \(ms(cpuLimit)) ms, "
            + "\(cFormat("%.2f", t.cpu / cpuLimit))×)")
    print(
        "STEPLIMIT gflop=\(cFormat("%.3f", flop / 1e9)) ms=\(ms(limit)) ratio=\(cFormat("%.3f", t.wall / limit)) "
            + "ms_cpu=\(ms(cpuLimit)) ratio_cpu=\(cFormat("%.3f", t.cpu / cpuLimit)) "
            + "forward_gflop=\(cFormat("%.3f", forwardFlop / 1e9)) sgemm_gflops=\(cFormat("%.1f", rate.wall / 1e9))")
    stepSplit(
        layers, weights: weights, biases: biases, linear: (linearW, linearB), optimizer: optimizer, step: Time(t))
}

/// Where the step's time goes: each kind of work timed alone on the step's shapes (medians), their
/// sum, and what is left of the whole step (autograd's bookkeeping, views, small tensors); in wall
/// time and in CPU time over both threads, which other processes on the cores disturb less.
func stepSplit(
    _ layers: [ConvLayer], weights: [Parameter], biases: [Parameter], linear: (Parameter, Parameter),
    optimizer: SGD, step: Time
) {
    var rows: [(String, Time)] = []
    let parts = layers.map { $0.partTimes() }
    rows.append(("conv forward (bias included)", parts.reduce(Time()) { $0 + Time($1.forward) }))
    rows.append(("conv weight gradient (and bias's)", parts.reduce(Time()) { $0 + Time($1.weight) }))
    rows.append(
        ("conv input gradient (layers 2–4)", parts.reduce(Time()) { $0 + ($1.input.map { Time($0) } ?? Time()) }))
    // The bias, inside the forward pass and the weight gradient: the same parts without it.
    let cpu = CPUBackend.shared
    var bias = Time()
    for layer in layers {
        let g = layer.geometry, out = cpu.allocate(layer.upstream.count), dw = cpu.allocate(layer.w.count)
        let db = cpu.allocate(layer.cout)
        for withBias in [true, false] {
            let f = medianTime(warmup: 2, runs: 11) {
                cpu.conv2dForward(
                    layer.x.storage, weight: layer.w.storage, bias: withBias ? layer.b.storage : nil,
                    filters: layer.cout, g, into: out)
            }
            let w = medianTime(warmup: 2, runs: 11) {
                cpu.conv2dBackward(
                    layer.upstream.storage, x: layer.x.storage, weight: layer.w.storage, filters: layer.cout, g,
                    dx: nil, dweight: dw, dbias: withBias ? db : nil)
            }
            bias = withBias ? bias + Time(f) + Time(w) : bias - Time(f) - Time(w)
        }
    }
    rows.append(("  of which bias, forward and gradient", bias))
    // ReLU on each convolution's output, forward and backward. The backward is its kernel alone,
    // as the step runs it: through autograd on a leaf, it would also copy the gradient into `grad`,
    // a pass over the layer's output that the step, whose ReLU inputs are no leaves, never makes.
    var reluForward = Time(), reluBackward = Time()
    for layer in layers {
        let h = Tensor.randn(layer.upstream.shape, using: &generator)
        let up = layer.upstream, count = h.count
        let whole = BroadcastPlan(shape: [count], aStrides: [1], bStrides: [1], aOffset: 0, bOffset: 0)
        reluForward = reluForward + Time(medianTime(warmup: 2, runs: 11) { _ = h.relu() })
        reluBackward =
            reluBackward
            + Time(
                medianTime(warmup: 2, runs: 11) {
                    cpu.binary(.reluGrad, up.storage, h.storage, plan: whole, into: cpu.allocate(count))
                })
    }
    rows.append(("ReLU forward", reluForward))
    rows.append(("ReLU backward", reluBackward))
    // Average pooling to [128, 128], forward and backward.
    let last = Tensor.randn(layers[3].upstream.shape, using: &generator).requiringGrad()
    let pooledGrad = Tensor.randn([batch, 128], using: &generator)
    rows.append(
        (
            "pooling (mean over 4×4), both ways",
            Time(
                medianTime(warmup: 2, runs: 51) {
                    last.mean(2, 3).backward(gradient: pooledGrad)
                    last.grad = nil
                })
        ))
    // The linear layer and the cross entropy, both ways.
    let pooled = Tensor.randn([batch, 128], using: &generator).requiringGrad()
    let labels = (0..<batch).map { _ in Int(generator.next() % 10) }, rowIndex = Array(0..<batch)
    let (linearW, linearB) = linear
    rows.append(
        (
            "linear + cross entropy, both ways",
            Time(
                medianTime(warmup: 2, runs: 51) {
                    let logits = pooled.matmul(linearW.t()) + linearB
                    let loss = -(logits - logits.logsumexp(axis: 1, keepDim: true))[rowIndex, labels].mean()
                    loss.backward()
                    pooled.grad = nil
                    linearW.grad = nil
                    linearB.grad = nil
                })
        ))
    // SGD's update, on gradients put back in place each time (step zeroes them; refill timed apart).
    let gradients = (weights + biases + [linearW, linearB]).map { Tensor.randn($0.shape, using: &generator) }
    let parameters = weights + biases + [linearW, linearB]
    for (p, g) in zip(parameters, gradients) { p.grad = g.copy() }
    let refill = { for (p, g) in zip(parameters, gradients) { p.grad!.assign(g) } }
    let update = Time(
        medianTime(warmup: 5, runs: 51) {
            refill()
            optimizer.step()
        })
    rows.append(("SGD update", update - Time(medianTime(warmup: 5, runs: 51, refill))))
    // The step's large buffers, taken from the memory pool and given back: each convolution's
    // output, its ReLU, their gradients, and the input gradients of layers 2–4.
    let counts =
        layers.flatMap { [$0.upstream.count, $0.upstream.count, $0.upstream.count, $0.upstream.count] }
        + layers.dropFirst().map { $0.x.count }
    rows.append(
        (
            "allocation of the step's \(counts.count) large buffers",
            Time(medianTime(warmup: 2, runs: 51) { _ = counts.map { cpu.allocate($0) } })
        ))
    let total = rows.filter { !$0.0.hasPrefix(" ") }.reduce(Time()) { $0 + $1.1 }
    rows.append(("sum of the parts above", total))
    rows.append(("rest of the step (autograd, views, small ops)", step - total))
    print(
        "\nwhere the step's \(ms(step.wall)) ms (\(ms(step.cpu)) ms CPU) go, each part timed alone on the step's "
            + "shapes (medians)")
    print(String(repeating: " ", count: 50) + pad("ms", 8) + pad("share", 7) + pad("CPU ms", 9) + pad("share", 7))
    for (name, t) in rows {
        print(
            "  " + name + String(repeating: " ", count: Swift.max(1, 48 - name.count)) + pad(ms(t.wall), 8)
                + pad(cFormat("%.0f %%", t.wall / step.wall * 100), 7) + pad(ms(t.cpu), 9)
                + pad(cFormat("%.0f %%", t.cpu / step.cpu * 100), 7))
    }
}

/// Wall and CPU seconds, added and subtracted together.
struct Time {
    var wall = 0.0, cpu = 0.0
    init() {}
    init(_ t: (wall: Double, cpu: Double)) { (wall, cpu) = t }
    static func + (a: Time, b: Time) -> Time { Time((a.wall + b.wall, a.cpu + b.cpu)) }
    static func - (a: Time, b: Time) -> Time { Time((a.wall - b.wall, a.cpu - b.cpu)) }
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

/// OpenBLAS 0.3.21, Debian 12's, does not know CPU models newer than itself (an Emerald Rapids
/// Xeon, for one) and gives them its Prescott kernels, SSE3 only: sgemm then runs at a quarter of
/// the machine's rate, and the FMA limit measured from it would be four times too lenient. On such
/// a CPU EngineBench runs itself again with `OPENBLAS_CORETYPE` naming the kernels the CPU can run.
func rerunWithKernelsTheCPUCanRun() {
    guard CPUBackend.openBLASCore == "Prescott", getenv("OPENBLAS_CORETYPE") == nil, CPUBackend.hasVectorKernels
    else { return }
    let core = CPUBackend.hasAVX512Kernels ? "SkylakeX" : "Haswell"
    print(
        "EngineBench: OpenBLAS does not know this CPU and chose its Prescott (SSE3) kernels; running again "
            + "with OPENBLAS_CORETYPE=\(core)")
    fflush(stdout)
    setenv("OPENBLAS_CORETYPE", core, 1)
    execv("/proc/self/exe", CommandLine.unsafeArgv)
    print(
        "error: EngineBench: could not run itself again (\(String(cString: strerror(errno)))); going on with Prescott")
}
rerunWithKernelsTheCPUCanRun()

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
if let i = arguments.firstIndex(of: "--avx2") {
    CPUBackend.usesAVX512Kernels = false
    arguments.remove(at: i)
}
let sections = ["sgemm": benchSGEMM, "conv": benchConvs, "step": benchStep, "sgd": benchSGD]
let chosen = arguments.isEmpty ? ["sgemm", "conv", "step", "sgd"] : arguments
if let unknown = chosen.first(where: { sections[$0] == nil }) {
    print(
        "error: EngineBench: unknown section \(unknown); choose from sgemm, conv, step, sgd, --threads N, "
            + "--openblas-conv and --avx2"
    )
    exit(2)
}
/// Which kernels the convolutions run, and why.
let convKernels: String = {
    if !CPUBackend.hasVectorKernels { return "OpenBLAS (this CPU has no AVX2+FMA)" }
    if !CPUBackend.usesVectorKernels { return "OpenBLAS (--openblas-conv)" }
    if CPUBackend.usesAVX512Kernels { return "AVX-512 kernels" }
    return CPUBackend.hasAVX512Kernels ? "AVX2 kernels (--avx2)" : "AVX2 kernels (this CPU has no AVX-512)"
}()
print(
    "EngineBench: \(CPUThreads.computeThreads) threads (OpenBLAS, \(CPUBackend.openBLASCore) kernels, on one thread "
        + "each); convolutions: \(convKernels)")
for name in chosen { sections[name]!() }
