// GPUCheck: checks the OpenCL backend against the CPU and measures it, in one static binary that runs
// on a machine without Swift (see Benchmarks/gpu-check.sh).
//
//   1. parity: every family of kernels, through the tensor API, against CPUBackend;
//   2. sgemm GFLOPS on square matrices (default 1024, 2048, 4096), for each tiling asked for;
//   3. the chapter's simpleCNN training step (bs 128, 3×64×64 by default), in ms.
import Shared

#if canImport(Glibc)
    import Glibc
#endif

let options = Options(Array(CommandLine.arguments.dropFirst()))

guard enableGPU(), let gpu = OpenCLBackend.shared else {
    print("GPUCheck: no OpenCL device — \(OpenCLBackend.describe())")
    exit(1)
}
print(OpenCLBackend.describe())

/// Seconds on a monotonic clock.
func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// Left-aligns `text` in `width` columns.
func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
}

var failed = false

if options.parity {
    print("\nparity against the CPU backend (max |gpu − cpu| / max(1, max |cpu|))")
    let start = now()
    for result in Parity.all() {
        failed = failed || !result.passed
        print(
            "  \(result.passed ? "PASS" : "FAIL")  \(pad(result.name, 70)) \(cFormat("%.2e", Double(result.difference)))"
                + "  (tolerance \(cFormat("%.0e", Double(result.tolerance))))")
    }
    print("  parity took \(cFormat("%.1f", now() - start)) s")
}

if options.benchmark {
    // What one op costs before it computes anything: the floor under every small kernel of a step.
    let tiny = Tensor.zeros([1], device: .gpu)
    gpu.synchronize()
    let launches = 2000, t0 = now()
    for _ in 0..<launches { gpu.fill(tiny.storage, count: 1, value: 1) }
    gpu.synchronize()
    print(
        "\nkernel launch: \(cFormat("%.1f", (now() - t0) / Double(launches) * 1e6)) µs each "
            + "(\(launches) one-element fills on the in-order queue)")

    print("\nsgemm C = A·B, square, fp32 (GFLOPS; best of 3 timed runs after a warm-up)")
    let tilings = [gpu.gemmTiling] + options.tilings.filter { $0 != gpu.gemmTiling }
    print("  " + pad("tiling", 22) + options.sizes.map { pad(String($0), 10) }.joined())
    for tiling in tilings {
        if let problem = tiling.problem(maxWorkGroup: gpu.deviceInfo.maxWorkGroupSize) {
            print("  " + pad(tiling.description, 22) + "skipped: \(problem)")
            continue
        }
        gpu.gemmTiling = tiling
        var row = "  " + pad(tiling.description + (tiling == tilings[0] ? " *" : ""), 22)
        for n in options.sizes {
            let a = Tensor.randn([n, n], device: .gpu), b = Tensor.randn([n, n], device: .gpu)
            let c = Tensor.zeros([n, n], device: .gpu)
            func multiply() {
                gpu.gemm(
                    transA: false, transB: false, m: n, n: n, k: n, alpha: 1,
                    a: a.storage, aOffset: 0, lda: n, b: b.storage, bOffset: 0, ldb: n,
                    beta: 0, c: c.storage, cOffset: 0, ldc: n)
            }
            multiply()
            gpu.synchronize()
            // Enough repetitions for ~0.2 s at a guessed speed, at least one.
            var best = Double.infinity
            var reps = 1
            for _ in 0..<3 {
                let t0 = now()
                for _ in 0..<reps { multiply() }
                gpu.synchronize()
                let seconds = (now() - t0) / Double(reps)
                best = min(best, seconds)
                reps = max(1, min(50, Int(0.2 / max(seconds, 1e-6))))
            }
            row += pad(cFormat("%.0f", 2 * pow(Double(n), 3) / best / 1e9), 10)
        }
        print(row)
    }
    gpu.gemmTiling = tilings[0]
    if tilings.count > 1 { print("  * the tiling in use (WORKBOOK_GEMM_TILING to change it)") }

    print(
        "\nsimpleCNN training step: bs \(options.batch), 3×\(options.image)×\(options.image), convs 3→16→32→64→128 "
            + "(3×3, stride 2, pad 1, bias, relu), mean over H,W, linear 128→10, cross entropy, SGD")
    var devices: [Device] = [.gpu]
    if options.cpuBaseline { devices.append(.cpu) }
    for device in devices {
        let model = SimpleCNN(seed: 30).to(device)
        let (x, y) = syntheticBatch(batch: options.batch, side: options.image, seed: 31, device: device)
        let first = model.loss(x, y).item()
        for _ in 0..<2 { model.trainStep(x, y, lr: 0.05) }
        gpu.synchronize()
        let t0 = now()
        var last: Tensor?
        for _ in 0..<options.steps { last = model.trainStep(x, y, lr: 0.05) }
        let lastLoss = last!.item()  // waits for every step
        let ms = (now() - t0) * 1000 / Double(options.steps)
        print(
            "  \(pad(device.description, 4)) \(cFormat("%8.2f", ms)) ms/step over \(options.steps) steps"
                + "   (loss \(cFormat("%.4f", Double(first))) → \(cFormat("%.4f", Double(lastLoss))))")
        if !(lastLoss < first) {
            print("  FAIL  the loss did not go down on \(device)")
            failed = true
        }
    }
}

exit(failed ? 1 : 0)
